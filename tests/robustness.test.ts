// Engine robustness: long use, errors, concurrent callers, and numerical edges.
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { InputError } from "../src/errors.js";
import { buildMarket } from "../src/market/market.js";
import { gridMargin } from "../src/methods/grid/grid.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { historicalVaR } from "../src/methods/historical/historical.js";
import { monteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import type { Position } from "../src/model/types.js";
import { valueBook } from "../src/methods/valuation.js";
import { AS_OF, expiryIn, syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

const market = buildMarket(syntheticMarket());

describe("long use, errors and concurrency", () => {
  it("100,000 successive revalue calls leave linear memory where the first call put it", () => {
    const books = [engine.compile(syntheticPositions(8, 2, 1), market), engine.compile(syntheticPositions(5, 3, 2), market)];
    const set = new ScenarioSet(books[0]!.underlyings, 4).setMove(0, "BTC", -0.1).setMove(1, "ETH", 0.05);
    engine.revalue(books[0]!, set);
    engine.revalue(books[1]!, new ScenarioSet(books[1]!.underlyings, 4));
    const bytes = engine.memoryBytes;
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const b = books[i & 1]!;
      sum += engine.revalue(b, i & 1 ? new ScenarioSet(b.underlyings, 4) : set).pnl[0]!;
    }
    expect(Number.isFinite(sum)).toBe(true);
    expect(engine.memoryBytes).toBe(bytes);
  });

  it("a price history beyond the engine's limit is refused up front with a LimitError", async () => {
    const small = await createEngine({ limits: { historyObservations: 100 } });
    const days = Float64Array.from({ length: 200 }, (_, i) => Date.UTC(2025, 0, 1) + i * 86_400_000);
    const history = [{ symbol: "BTC", times: days, closes: days.map((_, i) => 60_000 + i) }];
    expect(() => historicalVaR(small, [{ kind: "spot", underlying: "BTC", quantity: 1 }], market, history)).toThrow(/history observations: 200 requested, limit 100/);
  });

  it("an engine that refused bad input computes the same figures afterwards", () => {
    const positions = syntheticPositions(20, 5, 3);
    const before = gridMargin(engine, positions, market, { profile: builtInProfile("deribit") });
    const book = engine.compile(positions, market);
    const bad = new ScenarioSet(book.underlyings, 2);
    bad.logMoves[1] = Number.NaN;
    expect(() => engine.revalue(book, bad)).toThrow(InputError);
    expect(() => monteCarlo(engine, positions, market, { paths: 10 })).toThrow(InputError);
    expect(gridMargin(engine, positions, market, { profile: builtInProfile("deribit") })).toEqual(before);
  });

  it("many async callers interleaving on one engine get what each would get alone", async () => {
    const books = Array.from({ length: 12 }, (_, i) => syntheticPositions(6 + i, 2, 40 + i));
    const alone = books.map((p) => monteCarlo(engine, p, market, { paths: 3_000, seed: 5 }).portfolio.var[0]!.value);
    const together = await Promise.all(books.map(async (p, i) => {
      await new Promise((r) => setTimeout(r, (i * 7) % 5));
      const first = gridMargin(engine, p, market, { profile: builtInProfile("deribit") }).initial;
      await Promise.resolve();
      return { first, var: monteCarlo(engine, p, market, { paths: 3_000, seed: 5 }).portfolio.var[0]!.value };
    }));
    together.forEach((t, i) => {
      expect(t.var).toBe(alone[i]);
      expect(Number.isFinite(t.first)).toBe(true);
    });
  });
});

describe("numerical edges give finite values that match their limits", () => {
  const F = 50_000;
  const edge = buildMarket({
    asOf: AS_OF,
    underlyings: {
      BTC: { index: F, surface: [{ expiry: expiryIn(30), logMoneyness: [0], vols: [0.6] }] },
      LOW: { index: 1e-6, surface: [{ expiry: expiryIn(30), logMoneyness: [0], vols: [3] }] },
      FLAT: { index: 100, surface: [{ expiry: expiryIn(30), logMoneyness: [0], vols: [1e-4] }] },
    },
  });
  const call = (strike: number, expiry: string, quantity = 1, underlying = "BTC"): Position =>
    ({ kind: "option", settlement: "linear", underlying, right: "call", strike, expiry, quantity });
  const put = (strike: number, expiry: string, quantity = 1, underlying = "BTC"): Position =>
    ({ kind: "option", settlement: "linear", underlying, right: "put", strike, expiry, quantity });
  const values = (positions: Position[], m = edge): number[] => valueBook(engine, engine.compile(positions, m), m).positions.map((p) => p.valueUsd);

  it("one minute to expiry: intrinsic value", () => {
    const soon = new Date(Date.parse(AS_OF) + 60_000).toISOString();
    const [itm, otm] = values([call(45_000, soon), put(45_000, soon)]);
    expect(itm).toBeCloseTo(5_000, 0);
    expect(otm!).toBeLessThan(1e-6);
  });

  it("deep in and out of the money: F − K and 0", () => {
    const [deepItm, deepOtm, deepItmPut] = values([call(F * 1e-3, expiryIn(30)), call(F * 1e3, expiryIn(30)), put(F * 1e3, expiryIn(30))]);
    expect(deepItm).toBeCloseTo(F - F * 1e-3, 6);
    expect(deepOtm).toBe(0);
    expect(deepItmPut).toBeCloseTo(F * 1e3 - F, 3);
  });

  it("vol → 0 gives intrinsic, a huge vol gives the forward (call) — both finite", () => {
    const [flatItm, flatOtm] = values([call(90, expiryIn(30), 1, "FLAT"), call(110, expiryIn(30), 1, "FLAT")]);
    expect(flatItm).toBeCloseTo(10, 9);
    expect(flatOtm).toBe(0);
    const wild = buildMarket({ asOf: AS_OF, underlyings: { BTC: { index: F, surface: [{ expiry: expiryIn(365), logMoneyness: [0], vols: [10] }] } } });
    const [v] = values([call(F, expiryIn(365))], wild);
    expect(v).toBeGreaterThan(0.99 * F);
    expect(v).toBeLessThanOrEqual(F);
  });

  it("huge quantities and tiny prices stay finite through valuation, the grid and Monte Carlo", () => {
    const book = [call(1.1e-6, expiryIn(20), 1e12, "LOW"), put(0.9e-6, expiryIn(20), -1e12, "LOW"), { kind: "spot", underlying: "BTC", quantity: 1e7 } as Position];
    for (const v of values(book)) expect(Number.isFinite(v)).toBe(true);
    const g = gridMargin(engine, book, edge, { profile: builtInProfile("deribit") });
    expect(Number.isFinite(g.initial) && g.initial > 0).toBe(true);
    const mc = monteCarlo(engine, book, edge, { paths: 5_000 });
    for (const e of [...mc.portfolio.var, ...mc.portfolio.es]) expect(Number.isFinite(e.value)).toBe(true);
  });
});
