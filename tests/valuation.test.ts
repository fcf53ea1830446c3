import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import type { Book, OptionTerms } from "../src/engine/book.js";
import { buildMarket, type Market } from "../src/market/market.js";
import { impliedVol } from "../src/market/implied-vol.js";
import { black76Price } from "../src/math/black76.js";
import { prepareInputs } from "../src/market/inputs.js";
import { valueBook } from "../src/methods/valuation.js";
import type { MarketData, Position } from "../src/model/types.js";
import { AS_OF, expiryIn, syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

const terms = (forward: number, strike: number, time: number, vol: number, rate: number, phi: 1 | -1): OptionTerms =>
  ({ forward, strike, time, vol, rate, phi });

/**
 * Discounted expected payoff under the lognormal forward, by Simpson's rule in log space
 * over the region where the option pays (so the integrand is smooth): independent of any CDF.
 */
function integratedPrice(t: OptionTerms): number {
  const s = t.vol * Math.sqrt(t.time);
  const kink = Math.log(t.strike / t.forward);
  const [lo, hi] = t.phi > 0 ? [kink, 12 * s] : [-12 * s - s * s, kink];
  const n = 4000, h = (hi - lo) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const z = lo + i * h;
    const density = Math.exp(-((z + 0.5 * s * s) ** 2) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
    const payoff = Math.max(t.phi * (t.forward * Math.exp(z) - t.strike), 0);
    sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * payoff * density;
  }
  return (Math.exp(-t.rate * t.time) * sum * h) / 3;
}

describe("Black-76 prices against closed forms and independent math", () => {
  it("reproduces Haug's textbook Black-76 example: F = K = 19, T = 0.75, r = 10%, σ = 28% → 1.7011 for call and put", () => {
    const [call, put] = engine.greeks([terms(19, 19, 0.75, 0.28, 0.1, 1), terms(19, 19, 0.75, 0.28, 0.1, -1)]);
    expect(call!.price).toBeCloseTo(1.7011, 4);
    expect(put!.price).toBeCloseTo(1.7011, 4);
  });

  it("equals the discounted payoff integrated against the lognormal density (Simpson, 4,000 panels)", () => {
    const cases = [
      terms(100_000, 80_000, 0.1, 0.5, 0, 1), terms(100_000, 120_000, 0.5, 0.8, 0.03, 1),
      terms(3_500, 3_000, 1.5, 0.65, 0.05, -1), terms(150, 200, 0.02, 1.2, 0, -1), terms(19, 19, 0.75, 0.28, 0.1, 1),
    ];
    engine.greeks(cases).forEach((g, i) => expect(Math.abs(g.price - integratedPrice(cases[i]!))).toBeLessThan(1e-9 * cases[i]!.forward));
  });

  it("satisfies put-call parity C − P = e^(−rT)(F − K) to 1e-12·F", () => {
    for (const [f, k, t, v, r] of [[100_000, 70_000, 0.3, 0.6, 0.02], [3_500, 5_000, 2, 0.9, 0.05], [150, 150, 1 / 365, 0.8, 0]] as const) {
      const [c, p] = engine.greeks([terms(f, k, t, v, r, 1), terms(f, k, t, v, r, -1)]);
      expect(Math.abs(c!.price - p!.price - Math.exp(-r * t) * (f - k))).toBeLessThanOrEqual(1e-12 * f);
    }
  });

  it("tends to the discounted intrinsic value as vol → 0 and as time → 0", () => {
    const [zeroVol, zeroTime, tiny] = engine.greeks([terms(100, 90, 1, 0, 0.05, 1), terms(100, 110, 0, 0.5, 0.05, -1), terms(100, 90, 1e-12, 0.5, 0, 1)]);
    expect(zeroVol!.price).toBeCloseTo(Math.exp(-0.05) * 10, 12);
    expect(zeroTime!.price).toBe(10);
    expect(tiny!.price).toBeCloseTo(10, 12);
    expect(zeroVol!.gamma).toBe(0);
    expect(zeroTime!.vega).toBe(0);
  });

  it("round-trips through the implied-vol solver: price → σ recovers σ", () => {
    const cases = [terms(100_000, 60_000, 0.05, 0.45, 0, -1), terms(3_500, 6_000, 1, 0.7, 0.01, 1), terms(150, 150, 2 / 365, 1.1, 0, 1)];
    engine.greeks(cases).forEach((g, i) => {
      const c = cases[i]!;
      expect(impliedVol({ price: g.price, forward: c.forward, strike: c.strike, time: c.time, rate: c.rate, phi: c.phi })).toBeCloseTo(c.vol, 9);
    });
  });
});

/** A market whose smiles are flat, so that Black-76 Greeks (fixed vol) are what revaluation differentiates. */
function flatMarket(): Market {
  const flat = (vol: number): MarketData["underlyings"][string]["surface"] => [{ expiry: expiryIn(60), logMoneyness: [0], vols: [vol] }];
  return buildMarket({
    asOf: AS_OF,
    underlyings: { BTC: { index: 100_000, rate: 0.02, basis: 0.05, surface: flat(0.55) }, ETH: { index: 3_500, surface: flat(0.7) } },
  });
}

function bump(book: Book, x: number, v = 0): ScenarioSet {
  const set = new ScenarioSet(book.underlyings, 1);
  set.logMoves.fill(x);
  set.volShifts.fill(v);
  return set;
}

describe("Greeks against finite differences of full revaluation", () => {
  const market = flatMarket();
  const positions: Position[] = [
    { id: "lin-call", kind: "option", settlement: "linear", right: "call", underlying: "BTC", strike: 105_000, expiry: expiryIn(45), quantity: 3 },
    { id: "inv-put", kind: "option", settlement: "inverse", right: "put", underlying: "BTC", strike: 90_000, expiry: expiryIn(20), quantity: -5 },
    { id: "inv-call", kind: "option", settlement: "inverse", right: "call", underlying: "ETH", strike: 3_800, expiry: expiryIn(90), quantity: 40 },
  ];

  for (const p of positions) {
    it(`${p.id}: delta, gamma, vega and theta match central differences of the revalue kernel`, () => {
      const book = engine.compile([p], market);
      const val = valueBook(engine, book, market).positions[0]!;
      const s0 = market.get(p.underlying)!.index;
      const pnl = (x: number, v = 0, dt = 0): number => engine.revalue(book, bump(book, x, v), { dt }).pnl[0]!;
      const h = 1e-3;
      const up = pnl(h), down = pnl(-h);
      const dS = s0 * (Math.exp(h) - Math.exp(-h));
      expect((up - down) / dS).toBeCloseTo(val.delta, 4);
      // Second difference on the log grid: S²V'' = V_xx − V_x.
      const vxx = (up - 2 * pnl(0) + down) / (h * h), vx = (up - down) / (2 * h);
      expect(Math.abs((vxx - vx) / (s0 * s0) - val.gamma)).toBeLessThan(1e-4 * Math.abs(val.gamma) + 1e-9);
      const vol = val.vol!;
      expect((pnl(0, 1e-4) - pnl(0, -1e-4)) / (2e-4 * vol) / 100).toBeCloseTo(val.vega, 4);
      // Time only runs forward: a Richardson step removes the one-sided difference's first-order error.
      const dt = 1 / 36500;
      const perDay = (2 * pnl(0, 0, dt / 2)) / (dt / 2) - pnl(0, 0, dt) / dt;
      expect(Math.abs(perDay / 365 - val.theta)).toBeLessThan(1e-6 * Math.abs(val.theta));
    });
  }

  it("an inverse option's coin delta Δ − B/F is the derivative of its coin value by ln F", () => {
    const p = positions[1]!;
    const book = engine.compile([p], market);
    const val = valueBook(engine, book, market).positions[0]!;
    const h = 1e-4;
    const coin = (x: number): number => engine.revalue(book, bump(book, x), { currency: "BTC" }).pnl[0]!;
    expect((coin(h) - coin(-h)) / (2 * h)).toBeCloseTo(val.coinDelta!, 6);
  });
});

describe("inverse instruments", () => {
  const market = flatMarket();

  it("an inverse option's coin premium is the USD Black-76 price divided by F", () => {
    const p: Position = { kind: "option", settlement: "inverse", right: "call", underlying: "BTC", strike: 110_000, expiry: expiryIn(30), quantity: 2 };
    const book = engine.compile([p], market);
    const v = valueBook(engine, book, market).positions[0]!;
    const t = market.yearFraction(expiryIn(30));
    const f = market.get("BTC")!.forwards.forward(t);
    const usd = black76Price(f, 110_000, t, 0.55, 0.02, 1);
    expect(v.currency).toBe("BTC");
    expect(v.price).toBeCloseTo(usd / f, 14);
    expect(v.value).toBeCloseTo((2 * usd) / f, 14);
    expect(v.valueUsd).toBeCloseTo(((2 * usd) / f) * 100_000, 8);
  });

  it("at expiry an inverse call pays max(F − K, 0)/F coin", () => {
    const p: Position = { kind: "option", settlement: "inverse", right: "call", underlying: "BTC", strike: 95_000, expiry: expiryIn(10), quantity: 1 };
    const book = engine.compile([p], market);
    const v0 = valueBook(engine, book, market).positions[0]!.value;
    const f0 = market.get("BTC")!.forwards.forward(market.yearFraction(expiryIn(10)));
    for (const x of [-0.2, 0, 0.15]) {
      const pnl = engine.revalue(book, bump(book, x), { currency: "BTC", dt: 11 / 365 }).pnl[0]!;
      const f1 = f0 * Math.exp(x);
      expect(pnl + v0).toBeCloseTo(Math.max(f1 - 95_000, 0) / f1, 12);
    }
  });
});

describe("the bundled example", () => {
  it("splits each underlying's vega by option expiry, earliest first, summing to its vega", () => {
    const market = buildMarket(syntheticMarket());
    const positions = syntheticPositions(60, 10, 21);
    const v = valueBook(engine, engine.compile(positions, market), market);
    for (const u of v.underlyings) {
      expect(u.vegaByExpiry.reduce((a, e) => a + e.vega, 0)).toBeCloseTo(u.vega, 6);
      const t = u.vegaByExpiry.map((e) => market.yearFraction(e.expiry));
      expect(t).toEqual([...t].sort((a, b) => a - b));
      expect(new Set(u.vegaByExpiry.map((e) => e.expiry)).size).toBe(u.vegaByExpiry.length);
    }
  });

  it("values every position finitely and the totals add up", () => {
    const read = (f: string): unknown => JSON.parse(readFileSync(new URL(`../examples/${f}`, import.meta.url), "utf8"));
    const { portfolio, market } = prepareInputs(read("portfolio.json"), read("market.json"));
    const valuation = valueBook(engine, engine.compile(portfolio.positions, market), market);
    expect(valuation.positions).toHaveLength(portfolio.positions.length);
    for (const p of valuation.positions) for (const x of [p.value, p.valueUsd, p.delta, p.gamma, p.vega, p.theta]) expect(Number.isFinite(x)).toBe(true);
    const sum = valuation.underlyings.reduce((a, u) => a + u.valueUsd, 0);
    expect(sum).toBeCloseTo(valuation.totalUsd, 6);
    expect(new Set(valuation.positions.map((p) => p.currency))).toEqual(new Set(["USD", "BTC", "ETH", "SOL"]));
  });
});
