// Headline margin by method, and what-if margin of hypothetical orders.
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { buildMarket } from "../src/market/market.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { headlineMargin, whatIf, type MarginMethod } from "../src/methods/margin.js";
import { monteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import type { Position } from "../src/model/types.js";
import { AS_OF, expiryIn, syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

const market = buildMarket({
  asOf: AS_OF,
  underlyings: {
    BTC: { index: 100_000, surface: [{ expiry: expiryIn(60), logMoneyness: [0], vols: [0.5] }] },
    ETH: { index: 3_000, surface: [{ expiry: expiryIn(60), logMoneyness: [0], vols: [0.7] }] },
  },
});
const book: Position[] = [
  { id: "btc", kind: "future", settlement: "linear", underlying: "BTC", quantity: 3 },
  { id: "eth call", kind: "option", settlement: "linear", underlying: "ETH", right: "call", strike: 3_300, expiry: expiryIn(30), quantity: -40 },
];
const mc: MarginMethod = { method: "monte-carlo", model: { paths: 20_000, seed: 4 } };

describe("headline margin", () => {
  it("Monte Carlo: IM is the 97.5% ES of the same run and MM is 0.8 × IM", () => {
    const m = headlineMargin(engine, book, market, mc);
    const r = monteCarlo(engine, book, market, { paths: 20_000, seed: 4 });
    expect(m.initial).toBe(r.portfolio.es[0]!.value);
    expect(m.maintenance).toBeCloseTo(0.8 * m.initial, 9);
    expect(m.basis).toMatch(/ES 97.5% Monte Carlo, 1 day\(s\), 20000 paths, seed 4/);
  });

  it("refuses a maintenance ratio outside (0, 1]", () => {
    expect(() => headlineMargin(engine, book, market, { ...mc, mmRatio: 1.5 })).toThrow(InputError);
  });
});

describe("what-if margin", () => {
  it("an order that closes the book takes its margin to zero: its increment is minus the book's margin", () => {
    const close: Position[] = book.map((p) => ({ ...p, id: `close ${p.id}`, quantity: -p.quantity }));
    for (const spec of [mc, { method: "grid", profile: builtInProfile("deribit") } as MarginMethod]) {
      const w = whatIf(engine, book, market, close, spec);
      expect(w.before.initial).toBeGreaterThan(0);
      expect(w.after.initial).toBeCloseTo(0, 6);
      expect(w.incremental.initial).toBeCloseTo(-w.before.initial, 6);
    }
  });

  it("a hedge lowers the margin and a same-way trade raises it, on common Monte Carlo paths", () => {
    const w = whatIf(engine, book, market, [
      { id: "hedge", kind: "future", settlement: "linear", underlying: "BTC", quantity: -2 },
      { id: "more", kind: "future", settlement: "linear", underlying: "BTC", quantity: 2 },
    ], mc);
    expect(w.orders[0]!.incrementalInitial).toBeLessThan(0);
    expect(w.orders[1]!.incrementalInitial).toBeGreaterThan(0);
    expect(w.before).toEqual(headlineMargin(engine, book, market, mc));
  });

  it("grid: re-measuring only the underlyings an order touches gives every figure of full re-margining, bit for bit", () => {
    const m = buildMarket(syntheticMarket());
    const positions = syntheticPositions(60, 12, 5);
    const orders: Position[] = [
      { id: "sol perp", kind: "future", underlying: "SOL", settlement: "inverse", quantity: 500, faceValue: 10 },
      { id: "btc put", kind: "option", underlying: "BTC", settlement: "inverse", right: "put", strike: 90_000, expiry: expiryIn(45), quantity: -3 },
      { id: "btc spot", kind: "spot", underlying: "BTC", quantity: 1 },
    ];
    for (const profile of ["deribit", "okx", "span"] as const) {
      const spec: MarginMethod = { method: "grid", profile: builtInProfile(profile) };
      const full = (book: Position[]) => headlineMargin(engine, book, m, spec);
      const w = whatIf(engine, positions, m, orders, spec);
      expect(w.before).toEqual(full(positions));
      expect(w.after).toEqual(full([...positions, ...orders]));
      orders.forEach((o, i) => expect(w.orders[i]!.initial).toBe(full([...positions, o]).initial));
    }
  });

  it("an empty book's what-if margin is the orders' own", () => {
    const w = whatIf(engine, [], market, book, mc);
    expect(w.before.initial).toBe(0);
    expect(w.after.initial).toBe(headlineMargin(engine, book, market, mc).initial);
  });
});
