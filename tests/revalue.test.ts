import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import type { Book } from "../src/engine/book.js";
import { buildMarket } from "../src/market/market.js";
import { black76Price } from "../src/math/black76.js";
import { revalueReference } from "../src/reference/revalue.js";
import { InputError, LimitError } from "../src/errors.js";
import type { MarketData, Position } from "../src/model/types.js";
import { AS_OF, expiryIn, prng, syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

const market = buildMarket(syntheticMarket());

/** Scenarios with log moves spread over ±`spread`, vol shifts over ±50% and some vol floors. */
function randomScenarios(book: Book, count: number, seed: number, spread = 0.6): ScenarioSet {
  const rnd = prng(seed);
  const set = new ScenarioSet(book.underlyings, count);
  for (let i = 0; i < set.logMoves.length; i++) {
    set.logMoves[i] = (rnd() - 0.5) * 2 * spread;
    set.volShifts[i] = rnd() - 0.5;
    // A third of the scenarios floor the shocked vols somewhere up to 90%.
    set.volFloors[i] = rnd() < 1 / 3 ? 0.9 * rnd() : 0;
  }
  return set;
}

/** One scenario per move, the same move for every underlying. */
function movesOf(book: Book, logMoves: number[], volShift = 0): ScenarioSet {
  const set = new ScenarioSet(book.underlyings, logMoves.length);
  book.underlyings.forEach((_, u) =>
    logMoves.forEach((x, s) => {
      set.logMoves[u * logMoves.length + s] = x;
      set.volShifts[u * logMoves.length + s] = volShift;
    }),
  );
  return set;
}

/** A market whose BTC smile is flat at `vol`, so Black-76 with one vol is exact under any move. */
function flatMarket(vol: number, rate = 0): ReturnType<typeof buildMarket> {
  const data: MarketData = {
    asOf: AS_OF,
    underlyings: {
      BTC: { index: 100_000, rate, basis: 0.04, surface: [{ expiry: expiryIn(30), logMoneyness: [0], vols: [vol] }] },
      ETH: { index: 3_500, rate, surface: [{ expiry: expiryIn(30), logMoneyness: [0], vols: [vol] }] },
    },
  };
  return buildMarket(data);
}

describe("WASM revalue kernel against the JS reference", () => {
  const cases = [
    { dt: 0, currency: "USD" },
    { dt: 1 / 365, currency: "USD" },
    { dt: 30 / 365, currency: "BTC" },
    { dt: 2 / 365, currency: "ETH" },
  ];
  for (const { dt, currency } of cases) {
    it(`agrees on 330 random positions × 1,001 scenarios per position (dt ${(dt * 365).toFixed(0)}d, ${currency})`, () => {
      const positions = syntheticPositions(300, 30, 3 + dt * 365);
      const book = engine.compile(positions, market);
      const set = randomScenarios(book, 1001, 5);
      const wasm = engine.revalue(book, set, { dt, currency, reduce: "rows" });
      const js = revalueReference(book, set, { dt, currency, reduce: "rows" });
      const fx = currency === "USD" ? 1 : market.get(currency)!.index;
      book.positions.forEach((p, i) => {
        // Tolerance: 1e-12 of the position's notional in the output currency, per scenario.
        const notional = (Math.abs(p.quantity) * (p.kind === "option" ? p.strike : market.get(p.underlying)!.index) * 20) / fx;
        const w = wasm.positions![i]!, j = js.positions![i]!;
        for (let s = 0; s < set.count; s++) {
          const m = Math.exp(Math.max(...book.underlyings.map((_, u) => set.logMoves[u * set.count + s]!)));
          expect(Math.abs(w[s]! - j[s]!)).toBeLessThanOrEqual(1e-12 * notional * m + 1e-9 * Math.abs(j[s]!));
        }
      });
      const scale = wasm.pnl.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
      for (let s = 0; s < set.count; s++) expect(Math.abs(wasm.pnl[s]! - js.pnl[s]!)).toBeLessThanOrEqual(1e-10 * scale);
    });
  }

  it("per-position rows add up to the portfolio PnL", () => {
    const book = engine.compile(syntheticPositions(40, 10, 9), market);
    const set = randomScenarios(book, 300, 2);
    const r = engine.revalue(book, set, { reduce: "rows" });
    for (let s = 0; s < set.count; s++) {
      const sum = r.positions!.reduce((a, row) => a + row[s]!, 0);
      expect(sum).toBeCloseTo(r.pnl[s]!, 6);
    }
  });

  it("odd and block-straddling scenario counts give the reference's answers", () => {
    const book = engine.compile(syntheticPositions(12, 4, 4), market);
    for (const count of [1, 3, 255, 256, 257, 513]) {
      const set = randomScenarios(book, count, count);
      const w = engine.revalue(book, set).pnl;
      const j = revalueReference(book, set).pnl;
      for (let s = 0; s < count; s++) expect(w[s]).toBeCloseTo(j[s]!, 5);
    }
  });

  it("splitting scenarios into memory-sized chunks does not change a bit", () => {
    // 2,000 options with per-position rows force chunks of a few thousand scenarios.
    const book = engine.compile(syntheticPositions(2000, 0, 8), market);
    const set = randomScenarios(book, 6000, 3);
    const chunked = engine.revalue(book, set, { reduce: "rows" }).pnl;
    const whole = engine.revalue(book, set).pnl;
    const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(chunked.length).toBe(6000);
    expect(bytes(chunked).equals(bytes(whole))).toBe(true);
  });
});

describe("revaluation identities", () => {
  it("the zero scenario gives exactly zero PnL in every currency", () => {
    const book = engine.compile(syntheticPositions(50, 20, 5), market);
    const set = movesOf(book, [0, 0, 0]);
    for (const currency of ["USD", "BTC", "ETH", "SOL"]) {
      const r = engine.revalue(book, set, { currency, reduce: "rows" });
      expect([...r.pnl]).toEqual([0, 0, 0]);
      for (const row of r.positions!) expect([...row]).toEqual([0, 0, 0]);
    }
  });

  it("inverse future PnL in BTC equals q·face·(1/F0 − 1/F1), perpetual and dated", () => {
    const positions: Position[] = [
      { kind: "future", settlement: "inverse", underlying: "BTC", quantity: -2500, faceValue: 10 },
      { kind: "future", settlement: "inverse", underlying: "BTC", quantity: 700, faceValue: 10, expiry: expiryIn(90) },
    ];
    const book = engine.compile(positions, market);
    const moves = [-0.5, -0.1, 0.07, 0.4];
    const r = engine.revalue(book, movesOf(book, moves.map(Math.log1p)), { currency: "BTC", reduce: "rows" });
    const f0s = [100_000, market.get("BTC")!.forwards.forward(market.yearFraction(expiryIn(90)))];
    positions.forEach((p, i) => {
      moves.forEach((mv, s) => {
        const f0 = f0s[i]!;
        const expected = p.quantity * 10 * (1 / f0 - 1 / (f0 * (1 + mv)));
        expect(r.positions![i]![s]).toBeCloseTo(expected, 12);
      });
    });
  });

  it("linear future PnL in USD equals q·size·(F1 − F0); spot PnL is q·ΔS in USD and 0 in its own coin", () => {
    const positions: Position[] = [
      { kind: "future", settlement: "linear", underlying: "ETH", quantity: -12, contractSize: 0.1, expiry: expiryIn(45) },
      { kind: "spot", underlying: "ETH", quantity: 3.5 },
    ];
    const book = engine.compile(positions, market);
    const moves = [-0.3, 0.25];
    const set = movesOf(book, moves.map(Math.log1p));
    const usd = engine.revalue(book, set, { reduce: "rows" });
    const eth = engine.revalue(book, set, { currency: "ETH", reduce: "rows" });
    const f0 = market.get("ETH")!.forwards.forward(market.yearFraction(expiryIn(45)));
    moves.forEach((mv, s) => {
      expect(usd.positions![0]![s]).toBeCloseTo(-12 * 0.1 * f0 * mv, 9);
      expect(usd.positions![1]![s]).toBeCloseTo(3.5 * 3_500 * mv, 9);
      expect(eth.positions![1]![s]).toBeCloseTo(0, 12);
    });
  });

  it("an inverse option's PnL in coin is q·(B(F1)/F1 − B(F0)/F0) with the smile read at sticky moneyness", () => {
    const expiry = expiryIn(60);
    const p: Position = { kind: "option", settlement: "inverse", right: "put", underlying: "BTC", strike: 90_000, expiry, quantity: -7, contractSize: 1 };
    const book = engine.compile([p], market);
    const btc = market.get("BTC")!;
    const t = market.yearFraction(expiry);
    const f0 = btc.forwards.forward(t);
    // Moves on smile nodes (multiples of 1/32), where the kernel's table is exact.
    const xs = [-10 / 32, -3 / 32, 5 / 32, 17 / 32];
    const r = engine.revalue(book, movesOf(book, xs), { currency: "BTC" });
    const k0 = Math.log(90_000 / f0);
    const b0 = black76Price(f0, 90_000, t, btc.vol(t, k0), btc.rate, -1) / f0;
    xs.forEach((x, s) => {
      const f1 = f0 * Math.exp(x);
      const b1 = black76Price(f1, 90_000, t, btc.vol(t, k0 - x), btc.rate, -1) / f1;
      expect(r.pnl[s]).toBeCloseTo(-7 * (b1 - b0), 12);
    });
  });

  it("a linear option ages by dt, takes the vol shift as σ·(1 + v), and settles at intrinsic once expired", () => {
    const flat = flatMarket(0.6, 0.03);
    const expiry = expiryIn(30);
    const p: Position = { kind: "option", settlement: "linear", right: "call", underlying: "ETH", strike: 3_600, expiry, quantity: 4, contractSize: 1 };
    const book = engine.compile([p], flat);
    const t = flat.yearFraction(expiry);
    const eth = flat.get("ETH")!;
    const f0 = eth.forwards.forward(t);
    const v0 = 4 * black76Price(f0, 3_600, t, 0.6, 0.03, 1);
    const aged = engine.revalue(book, movesOf(book, [0.1], 0.25), { dt: 10 / 365 }).pnl[0]!;
    expect(aged).toBeCloseTo(4 * black76Price(f0 * Math.exp(0.1), 3_600, t - 10 / 365, 0.6 * 1.25, 0.03, 1) - v0, 9);
    const expired = engine.revalue(book, movesOf(book, [0.1, -0.1]), { dt: 31 / 365 }).pnl;
    expect(expired[0]).toBeCloseTo(4 * Math.max(f0 * Math.exp(0.1) - 3_600, 0) - v0, 9);
    expect(expired[1]).toBeCloseTo(-v0, 9);
  });

  it("a scenario's vol floor lifts the shocked vol to it, and only when the shocked vol is below it", () => {
    const flat = flatMarket(0.4);
    const p: Position = { kind: "option", settlement: "linear", right: "put", underlying: "BTC", strike: 95_000, expiry: expiryIn(20), quantity: -2 };
    const book = engine.compile([p], flat);
    const t = flat.yearFraction(expiryIn(20));
    const f0 = flat.get("BTC")!.forwards.forward(t);
    const set = movesOf(book, [-0.1, -0.1], 0.1);
    set.volFloors.set([0.5, 0.3]);
    const r = engine.revalue(book, set).pnl;
    const v0 = -2 * black76Price(f0, 95_000, t, 0.4, 0, -1);
    const at = (vol: number): number => -2 * black76Price(f0 * Math.exp(-0.1), 95_000, t, vol, 0, -1) - v0;
    expect(r[0]).toBeCloseTo(at(0.5), 8);
    expect(r[1]).toBeCloseTo(at(0.4 * 1.1), 8);
  });

  it("a vol shift below −100% floors the vol instead of going negative", () => {
    const flat = flatMarket(0.6);
    const p: Position = { kind: "option", settlement: "linear", right: "call", underlying: "BTC", strike: 110_000, expiry: expiryIn(20), quantity: 1 };
    const book = engine.compile([p], flat);
    const t = flat.yearFraction(expiryIn(20));
    const f0 = flat.get("BTC")!.forwards.forward(t);
    const r = engine.revalue(book, movesOf(book, [0.2], -3)).pnl[0]!;
    const v0 = black76Price(f0, 110_000, t, 0.6, 0, 1);
    expect(r).toBeCloseTo(black76Price(f0 * Math.exp(0.2), 110_000, t, book.layout.volFloor, 0, 1) - v0, 8);
  });
});

describe("engine memory and limits", () => {
  it("repeated calls reuse memory instead of growing it", () => {
    const book = engine.compile(syntheticPositions(100, 10, 1), market);
    const set = randomScenarios(book, 2000, 1);
    engine.revalue(book, set);
    const bytes = engine.memoryBytes;
    for (let i = 0; i < 300; i++) engine.revalue(book, set);
    expect(engine.memoryBytes).toBe(bytes);
  });

  it("a request beyond the memory limit is refused with a LimitError, and the engine stays usable", async () => {
    const small = await createEngine({ limits: { memoryBytes: 2 << 20 } });
    const book = small.compile(syntheticPositions(2000, 0, 1), market);
    expect(() => small.revalue(book, randomScenarios(book, 10, 1))).toThrow(LimitError);
    const tiny = small.compile(syntheticPositions(3, 0, 1), market);
    expect(small.revalue(tiny, randomScenarios(tiny, 10, 1)).pnl).toHaveLength(10);
  });

  it("scenario, position and per-position limits are enforced up front", async () => {
    const limited = await createEngine({ limits: { scenarios: 100, positions: 5, perPositionCells: 50 } });
    expect(() => limited.compile(syntheticPositions(6, 0, 1), market)).toThrow(LimitError);
    const book = limited.compile(syntheticPositions(5, 0, 1), market);
    expect(() => limited.revalue(book, new ScenarioSet(book.underlyings, 101))).toThrow(LimitError);
    expect(() => limited.revalue(book, new ScenarioSet(book.underlyings, 11), { reduce: "rows" })).toThrow(/per-position/);
  });

  it("bad scenario input names the field", () => {
    const book = engine.compile(syntheticPositions(5, 2, 1), market);
    const set = randomScenarios(book, 4, 1);
    set.logMoves[5] = NaN;
    expect(() => engine.revalue(book, set)).toThrow(InputError);
    expect(() => engine.revalue(book, set)).toThrow(/scenarios\.logMoves\[\w+\]\[1\]/);
    const ok = randomScenarios(book, 4, 1);
    expect(() => engine.revalue(book, ok, { dt: -1 })).toThrow(/dt/);
    expect(() => engine.revalue(book, ok, { currency: "DOGE" })).toThrow(/currency/);
    expect(() => engine.revalue(book, new ScenarioSet(["BTC"], 2))).toThrow(/scenarios\.underlyings/);
    expect(() => new ScenarioSet(["BTC"], 0)).toThrow(/scenarios\.count/);
    expect(() => new ScenarioSet(["BTC"], 1).setMove(0, "BTC", -1.5)).toThrow(/> −100%/);
  });
});
