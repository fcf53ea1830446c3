// Property-based tests (fast-check) of the invariants a margin engine must keep:
// non-negative finite margin, homogeneity, sub-additivity, zero margin for a book
// and its opposite, order invariance, Monte Carlo determinism, valuation identities.
// Random books of 1–12 positions of every kind on moved synthetic markets; fixed
// seeds, so every run draws the same cases and a failure is reproducible.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import type { PriceSeries } from "../src/history/history.js";
import { shippedSeries } from "../src/history/shipped.js";
import { buildMarket } from "../src/market/market.js";
import { gridMargin, type GridMarginResult } from "../src/methods/grid/grid.js";
import type { MarginProfile } from "../src/model/profile.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { historicalVaR } from "../src/methods/historical/historical.js";
import type { MonteCarloModelInput } from "../src/model/montecarlo.js";
import { monteCarlo, type MonteCarloResult } from "../src/methods/montecarlo/montecarlo.js";
import type { MarketData, Position } from "../src/model/types.js";
import { valueBook } from "../src/methods/valuation.js";
import { bookArb, caseArb, grossNotional, marketArb, positionArb, scaled, UNDERLYINGS, type Settling } from "./fixtures/arbitrary.js";
import { expiryIn } from "./fixtures/synthetic.js";

let engine: Engine;
let series: PriceSeries[];
beforeAll(async () => {
  engine = await createEngine();
  series = await shippedSeries();
});

const SEED = 20_260_822;
const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

const published = builtInProfile("deribit");
/**
 * Deribit's profile without its extended dampener: the dampener forgives a fixed USD amount
 * of extended loss, so it is neither homogeneous nor sub-additive (its own properties below).
 */
const { extendedDampener: _dampener, ...undamped } = published.defaults;
const deribit: MarginProfile = { ...published, defaults: undamped };
const { rollShock: _roll, ...deribitGrid } = deribit.defaults;
/**
 * Deribit's grid with the other two contingencies linear in size — short option minimum
 * and delta shock; Deribit's own roll shock is the third — and no floors (no minimum,
 * no minimum delta requirement), so both profiles are homogeneous of degree 1.
 */
const custom: MarginProfile = {
  ...deribit,
  name: "custom",
  defaults: { ...deribitGrid, shortOptionMinimum: 0.01, deltaShock: 0.02 },
};
const PROFILES = [deribit, custom];

/** Small and light: 2,000 paths leave 20 beyond 99% and 50 beyond 97.5%. */
const MODEL: MonteCarloModelInput = { paths: 2_000, seed: 42, output: { histogramBins: 8, worstPaths: 2 } };
const mc = (positions: Position[], market: MarketData): MonteCarloResult => monteCarlo(engine, positions, buildMarket(market), MODEL);
const grid = (positions: Position[], market: MarketData, profile: MarginProfile): GridMarginResult =>
  gridMargin(engine, positions, buildMarket(market), { profile });

/**
 * a = b up to floating-point error: 1e-9 relative, plus 1e-12 of the gross notional,
 * because a portfolio PnL sums many positions' PnL and the sum of a different set or
 * order of terms differs in its last bits, even where the exact sum is 0.
 */
function expectNear(a: number, b: number, gross: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-12 * gross);
}
/** The portfolio's VaR and ES, every level. */
const tail = (r: MonteCarloResult): number[] => [...r.portfolio.var, ...r.portfolio.es].map((e) => e.value);
const negated = (positions: Position[]): Position[] => scaled(positions, -1);

describe("scenario-grid margin is finite and non-negative", () => {
  it("initial ≥ 0 in total and per underlying, maintenance = mmFactor × initial (Deribit and a custom profile)", () => {
    fc.assert(fc.property(caseArb(), ({ market, positions }) => {
      for (const profile of PROFILES) {
        const r = grid(positions, market, profile);
        expect(Number.isFinite(r.initial)).toBe(true);
        expect(r.initial).toBeGreaterThanOrEqual(0);
        expect(r.maintenance).toBe(profile.mmFactor * r.initial);
        for (const u of r.underlyings) {
          expect(Number.isFinite(u.initial.usd)).toBe(true);
          expect(u.initial.usd).toBeGreaterThanOrEqual(0);
          expect(u.maintenance.usd).toBe(profile.mmFactor * u.initial.usd);
        }
      }
    }), runs(100));
  });
});

describe("Deribit's extended dampener", () => {
  // A fixed amount forgiven: it never raises a margin, and it relieves a small book
  // more than a large one, so k × a book (k ≥ 1) needs at least k × its margin.
  it("never raises the margin, and the margin of k × a book (k ≥ 1) is at least k × its margin", () => {
    fc.assert(fc.property(caseArb(), fc.double({ min: 1, max: 10, noNaN: true }), ({ market, positions }, k) => {
      const gross = k * grossNotional(positions, market);
      const damped = grid(positions, market, published).initial;
      expect(damped).toBeLessThanOrEqual(grid(positions, market, deribit).initial + 1e-9 * gross);
      expect(grid(scaled(positions, k), market, published).initial).toBeGreaterThanOrEqual(k * damped - 1e-9 * gross);
    }), runs(30));
  });
});

describe("homogeneity: the margin of k × a book is k × its margin (k > 0)", () => {
  const k = fc.double({ min: 0.1, max: 10, noNaN: true });

  // Deribit (grid + roll shock) and the custom profile (grid + short option minimum +
  // delta shock) have no fixed floor, and every term is linear in size.
  it("grid margin, Deribit and the custom profile", () => {
    fc.assert(fc.property(caseArb(), k, ({ market, positions }, k) => {
      const gross = k * grossNotional(positions, market);
      for (const profile of PROFILES) {
        const one = grid(positions, market, profile);
        const many = grid(scaled(positions, k), market, profile);
        expectNear(many.initial, k * one.initial, gross);
        many.underlyings.forEach((u, i) => expectNear(u.initial.usd, k * one.underlyings[i]!.initial.usd, gross));
      }
    }), runs(60));
  });

  // Same seed and underlyings, same paths; each path's loss is linear in size and
  // VaR/ES, order statistics and their averages, follow it.
  it("Monte Carlo VaR and ES on the same seed", () => {
    fc.assert(fc.property(caseArb(), k, ({ market, positions }, k) => {
      const gross = k * grossNotional(positions, market);
      const one = tail(mc(positions, market));
      tail(mc(scaled(positions, k), market)).forEach((x, i) => expectNear(x, k * one[i]!, gross));
    }), runs(60));
  });

  it("historical VaR and ES on the shipped history", () => {
    fc.assert(fc.property(caseArb({ maxLength: 6 }), k, ({ market, positions }, k) => {
      const m = buildMarket(market);
      const hist = (book: Position[]): number[] => {
        const r = historicalVaR(engine, book, m, series, { from: "2023-01-01" });
        return [...r.portfolio.var, ...r.portfolio.es].map((e) => e.value);
      };
      const gross = k * grossNotional(positions, market);
      const one = hist(positions);
      hist(scaled(positions, k)).forEach((x, i) => expectNear(x, k * one[i]!, gross));
    }), runs(25));
  });
});

describe("sub-additivity", () => {
  // Books whose every position settles in one currency: each underlying and each of
  // its positions alone is then measured in that currency, USD or coin.
  const oneCurrency = fc.constantFrom<Settling>("usd", "coin").chain((settling) => caseArb({ settling }));
  const standaloneCoversInitial = ({ market, positions }: { market: MarketData; positions: Position[] }): void => {
    for (const profile of PROFILES) {
      const r = grid(positions, market, profile);
      const slack = 1e-9 * r.standalone + 1e-12 * grossNotional(positions, market);
      expect(r.initial).toBeLessThanOrEqual(r.standalone + slack);
      for (const u of r.underlyings) expect(u.initial.usd).toBeLessThanOrEqual(u.standalone.usd + slack);
    }
  };

  it("grid portfolio margin ≤ the sum of single-position margins, per underlying and in total (books settled in one currency)", () => {
    fc.assert(fc.property(oneCurrency, standaloneCoversInitial), runs(100));
  });

  // Found here: single positions of a book mixing coin- and USD-settled positions were
  // measured on their own coin PnL while the book was measured in USD, so `standalone`
  // could fall below `initial` (1 BTC spot + 0.001 BTC perpetual: initial 16,016,
  // standalone 16). Single positions are now measured as their book is.
  it("grid portfolio margin ≤ the sum of single-position margins, also on books mixing coin- and USD-settled positions", () => {
    fc.assert(fc.property(caseArb(), standaloneCoversInitial), runs(60));
  });

  it("Monte Carlo ES(A + B) ≤ ES(A) + ES(B) on the same paths", () => {
    // Paths depend on the set of underlyings simulated, so A and B hold the same ones.
    const pair = fc.subarray([...UNDERLYINGS], { minLength: 1 }).chain((underlyings) => marketArb.chain((market) =>
      fc.tuple(bookArb(market, { underlyings, maxLength: 6 }), bookArb(market, { underlyings, maxLength: 6 })).map(([a, b]) => ({ market, a, b }))));
    fc.assert(fc.property(pair, ({ market, a, b }) => {
      const esOf = (book: Position[]): number[] => mc(book, market).portfolio.es.map((e) => e.value);
      const [ab, ea, eb] = [esOf([...a, ...b]), esOf(a), esOf(b)];
      const gross = grossNotional([...a, ...b], market);
      ab.forEach((x, i) => expect(x).toBeLessThanOrEqual(ea[i]! + eb[i]! + 1e-9 * (Math.abs(ea[i]!) + Math.abs(eb[i]!)) + 1e-12 * gross));
    }), runs(50));
  });
});

describe("a book and its exact opposite", () => {
  // Neither profile has a floor; Deribit's roll shock nets each contract first, so
  // nothing remains but rounding.
  it("margin to zero: grid initial (Deribit, custom) and Monte Carlo VaR/ES", () => {
    fc.assert(fc.property(caseArb(), ({ market, positions }) => {
      const flat = [...positions, ...negated(positions)];
      const gross = grossNotional(flat, market);
      for (const profile of PROFILES) {
        const r = grid(flat, market, profile);
        expect(r.initial).toBeLessThanOrEqual(1e-9 * gross);
        for (const u of r.underlyings) expect(u.initial.usd).toBeLessThanOrEqual(1e-9 * gross);
      }
      for (const x of tail(mc(flat, market))) expect(Math.abs(x)).toBeLessThanOrEqual(1e-9 * gross);
    }), runs(60));
  });

  // USD-settled books and positions only, so that adding p cannot switch an underlying
  // from coin to USD measurement (the mixed-book issue above).
  const withPair = marketArb.chain((market) => fc.tuple(
    bookArb(market, { settling: "usd", maxLength: 10 }),
    fc.constantFrom(...UNDERLYINGS).chain((u) => positionArb(u, market.underlyings[u]!.index, "usd")),
  ).map(([positions, p]) => ({ market, positions, p })));
  const pairLeavesMargin = (profile: MarginProfile) => ({ market, positions, p }: { market: MarketData; positions: Position[]; p: Position }): void => {
    const before = grid(positions, market, profile);
    const after = grid([...positions, p, ...negated([p])], market, profile);
    const gross = grossNotional([...positions, p, p], market);
    // p's underlying may be new to the book: it then margins to zero.
    expectNear(after.initial, before.initial, gross);
  };

  it("adding a position and its opposite leaves the grid margin unchanged (custom profile: no roll shock)", () => {
    fc.assert(fc.property(withPair, pairLeavesMargin(custom)), runs(100));
  });

  // Found here: the roll shock's horizon was the longest expiry of every future, taken
  // before netting, so a future and its opposite lifted the charge on an unrelated
  // calendar spread (roll 1,000 → 7,851 USD). Only contracts still held count now.
  it("adding a position and its opposite leaves the grid margin unchanged (Deribit: roll shock)", () => {
    fc.assert(fc.property(withPair, pairLeavesMargin(deribit)), runs(60));
  });
});

describe("order invariance: a permutation of the positions", () => {
  // Sums over positions in another order differ in the last bits, hence expectNear.
  const permuted = caseArb().chain((c) =>
    fc.shuffledSubarray(c.positions, { minLength: c.positions.length, maxLength: c.positions.length }).map((perm) => ({ ...c, perm })));

  it("gives the same grid margin", () => {
    fc.assert(fc.property(permuted, ({ market, positions, perm }) => {
      const gross = grossNotional(positions, market);
      for (const profile of PROFILES) {
        const a = grid(positions, market, profile);
        const b = grid(perm, market, profile);
        expectNear(b.initial, a.initial, gross);
        b.underlyings.forEach((u, i) => expectNear(u.initial.usd, a.underlyings[i]!.initial.usd, gross));
      }
    }), runs(100));
  });

  it("gives the same Monte Carlo VaR and ES", () => {
    fc.assert(fc.property(permuted, ({ market, positions, perm }) => {
      const gross = grossNotional(positions, market);
      const a = tail(mc(positions, market));
      tail(mc(perm, market)).forEach((x, i) => expectNear(x, a[i]!, gross));
    }), runs(60));
  });
});

describe("Monte Carlo determinism", () => {
  const modelArb = fc.record({
    seed: fc.nat(),
    paths: fc.integer({ min: 200, max: 3_000 }),
    marginal: fc.oneof(fc.constant({ type: "normal" as const }), fc.double({ min: 3, max: 30, noNaN: true }).map((nu) => ({ type: "student-t" as const, nu }))),
    jumps: fc.oneof(fc.constant({}), fc.constant({ common: { intensity: 3, mean: -0.1, vol: 0.05 } })),
  }).chain((model) => fc.integer({ min: 50, max: model.paths }).map((chunk) => ({ model: { ...model, output: MODEL.output }, chunk })));

  it("the same seed gives identical results, whatever the chunking of the paths", () => {
    fc.assert(fc.property(caseArb({ maxLength: 8 }), modelArb, ({ market, positions }, { model, chunk }) => {
      const m = buildMarket(market);
      const a = monteCarlo(engine, positions, m, model);
      expect(monteCarlo(engine, positions, m, model)).toEqual(a);
      expect(monteCarlo(engine, positions, m, model, { chunkPaths: chunk })).toEqual(a);
    }), runs(40));
  });
});

describe("valuation", () => {
  it("the value of k × a book is k × its value, position by position, and the total is the sum of the positions' valueUsd", () => {
    fc.assert(fc.property(caseArb(), fc.double({ min: 0.1, max: 10, noNaN: true }), ({ market, positions }, k) => {
      const m = buildMarket(market);
      const one = valueBook(engine, engine.compile(positions, m), m);
      const many = valueBook(engine, engine.compile(scaled(positions, k), m), m);
      const gross = k * grossNotional(positions, market);
      expectNear(many.totalUsd, k * one.totalUsd, gross);
      many.positions.forEach((p, i) => {
        const q = one.positions[i]!;
        expectNear(p.valueUsd, k * q.valueUsd, gross);
        expectNear(p.delta, k * q.delta, gross);
        expectNear(p.vega, k * q.vega, gross);
      });
      expectNear(one.totalUsd, one.positions.reduce((a, p) => a + p.valueUsd, 0), gross);
      expectNear(one.totalUsd, one.underlyings.reduce((a, u) => a + u.valueUsd, 0), gross);
    }), runs(100));
  });

  it("put–call parity: C − P = (F − K)·e^{−rT} per unit in USD (linear), (1 − K/F)·e^{−rT} coin (inverse)", () => {
    const pairs = marketArb.chain((market) => fc.record({
      market: fc.constant(market),
      underlying: fc.constantFrom(...UNDERLYINGS),
      moneyness: fc.double({ min: 0.5, max: 1.5, noNaN: true }),
      days: fc.double({ min: 2, max: 400, noNaN: true }),
    }));
    fc.assert(fc.property(pairs, ({ market, underlying, moneyness, days }) => {
      const m = buildMarket(market);
      const strike = market.underlyings[underlying]!.index * moneyness;
      const expiry = expiryIn(days);
      const book: Position[] = (["linear", "inverse"] as const).flatMap((settlement) => (["call", "put"] as const).map((right): Position =>
        ({ kind: "option", settlement, right, underlying, strike, expiry, quantity: 1 })));
      const [lc, lp, ic, ip] = valueBook(engine, engine.compile(book, m), m).positions;
      const f = lc!.forward!;
      const discount = Math.exp(-m.get(underlying)!.rate * m.yearFraction(expiry));
      // The kernel's Black-76 is within 1e-12·F of the reference (README), each leg.
      expect(Math.abs(lc!.value - lp!.value - (f - strike) * discount)).toBeLessThanOrEqual(1e-10 * f);
      expect(Math.abs(ic!.value - ip!.value - (1 - strike / f) * discount)).toBeLessThanOrEqual(1e-10);
    }), runs(100));
  });
});
