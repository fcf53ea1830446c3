// Derive's PMRM_2 (issue 22) on books of our own, against independent math: Black-76 in
// closed form, put–call parity, the contingencies by hand. The venue's own cases are run in
// conformance.test.ts.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { InputError } from "../../src/errors.js";
import { black76Price } from "../../src/math/black76.js";
import { sviTotalVariance, sviVol } from "../../src/math/svi.js";
import { deriveMargin, DERIVE_SVI_GUARDS, skewMultiplier } from "../../src/methods/derive/pmrm2.js";
import type { DeriveMarket, DerivePortfolio, DeriveProfile } from "../../src/model/derive.js";
import { referenceBackend } from "../../src/reference/backend.js";
import { parseDeriveInputs, parseDeriveProfile } from "../../src/schema/derive.js";

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../examples/derive/${name}.json`, import.meta.url), "utf8"));
const example = () => parseDeriveInputs(read("portfolio"), read("market"), read("profile"));
const YEAR_S = 365 * 86_400;

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

/** The example's market and profile around a portfolio of our choosing. */
function withPortfolio(p: Partial<DerivePortfolio>): { portfolio: DerivePortfolio; market: DeriveMarket; profile: DeriveProfile } {
  const { market, profile } = example();
  return { portfolio: { underlying: "ETH", cash: 0, options: [], collaterals: [], ...p }, market, profile };
}

describe("SVI", () => {
  const p = { a: 0.04, b: 0.2, rho: -0.4, m: 0.05, sigma: 0.3, forward: 2000, tau: 0.25 };
  it("total variance at k = m is a + b·σ, and the vol is √(w/τ)", () => {
    expect(sviTotalVariance(p, p.m)).toBeCloseTo(p.a + p.b * p.sigma, 15);
    const strike = p.forward * Math.exp(p.m);
    expect(sviVol(p, strike)).toBeCloseTo(Math.sqrt((p.a + p.b * p.sigma) / p.tau), 14);
  });
  it("the wings are linear in k with slopes b(1 ± ρ)", () => {
    const slope = (k: number) => (sviTotalVariance(p, k + 1e-3) - sviTotalVariance(p, k)) / 1e-3;
    expect(slope(1000)).toBeCloseTo(p.b * (1 + p.rho), 7);
    expect(slope(-1000)).toBeCloseTo(-p.b * (1 - p.rho), 7);
  });
  it("Derive's guards clip k to ±4√(a + bσ) and cap w at 144", () => {
    const bound = 4 * Math.sqrt(p.a + p.b * p.sigma);
    const far = p.forward * Math.exp(bound + 3);
    expect(sviVol(p, far, DERIVE_SVI_GUARDS)).toBeCloseTo(Math.sqrt(sviTotalVariance(p, bound) / p.tau), 14);
    const huge = { ...p, a: 500 };
    expect(sviVol(huge, 2000, DERIVE_SVI_GUARDS)).toBeCloseTo(Math.sqrt(144 / p.tau), 12);
  });
  it("a negative total variance has no vol: an InputError, never NaN", () => {
    expect(() => sviVol({ ...p, a: -1 }, 2000)).toThrow(InputError);
    expect(() => sviVol({ ...p, tau: 0 }, 2000)).toThrow(/tau/);
  });
});

describe("PMRM_2 on books of our own", () => {
  it("a long call: each scenario's PnL is the statically discounted Black-76 value at the shocked forward and vol, less the mark", () => {
    const { portfolio, market, profile } = withPortfolio({ options: [{ expiry: "2027-03-26T08:00:00Z", strike: 3200, right: "call", quantity: 3 }] });
    const r = deriveMargin(engine, portfolio, market, profile);
    const feed = market.expiries[1]!;
    const t = (Date.parse(feed.expiry) - Date.parse(market.asOf)) / 1000 / YEAR_S;
    const vol = sviVol(feed.svi, 3200, DERIVE_SVI_GUARDS);
    const mark = 3 * black76Price(feed.forward, 3200, t, vol, feed.rate, 1);
    expect(r.optionMtm).toBeCloseTo(mark, 9);
    const staticPos = profile.margin.longBaseStaticDiscount * Math.exp(-t * (feed.rate * profile.margin.longRateMultScale + profile.margin.longRateAddScale));
    const mult = (30 / Math.max(t * 365, profile.volShock.dteFloorDays)) ** profile.volShock.longTermPower;
    const up = 1 + profile.volShock.rangeUp * mult;
    r.scenarios.forEach((s) => {
      if (s.kind === "skew") return;
      const shocked = s.vol === "up" ? Math.max(profile.volShock.minVolUp, vol * up) : s.vol === "down" ? vol * (1 - profile.volShock.rangeDown * mult) : vol;
      const value = 3 * black76Price(feed.forward * s.spotShock, 3200, t, shocked, feed.rate, 1);
      expect(s.pnl).toBeCloseTo((value * staticPos - mark) * s.dampening, 8);
    });
  });

  it("a synthetic forward (long call, short put, one strike) follows parity: D·(F·s − K), discounted by its sign", () => {
    const K = 2900;
    const { portfolio, market, profile } = withPortfolio({ options: [
      { expiry: "2026-12-25T08:00:00Z", strike: K, right: "call", quantity: 1 },
      { expiry: "2026-12-25T08:00:00Z", strike: K, right: "put", quantity: -1 },
    ] });
    const r = deriveMargin(engine, portfolio, market, profile);
    const e = r.expiries[0]!;
    const F = market.expiries[0]!.forward;
    expect(r.optionMtm).toBeCloseTo(e.discount * (F - K), 8);
    for (const s of r.scenarios.filter((x) => x.kind !== "skew")) {
      const value = e.discount * (F * s.spotShock - K);
      const expected = (value * (value >= 0 ? e.staticDiscountPos : e.staticDiscountNeg) - r.optionMtm) * s.dampening;
      expect(s.pnl).toBeCloseTo(expected, 7);
    }
    // One long and one short at a strike cover each other: no naked short.
    expect(r.contingencies.mmOption).toBe(0);
  });

  it("the contingencies, by hand: perp notional, naked shorts per strike, collateral haircuts, oracle confidence", () => {
    const { portfolio, market, profile } = example();
    const r = deriveMargin(engine, portfolio, market, profile);
    const o = profile.otherContingency;
    const spot = market.spot.price;
    expect(r.contingencies.mmPerp).toBeCloseTo(4 * spot * o.mmPerpPercent, 9);
    expect(r.contingencies.imPerp).toBeCloseTo(4 * spot * o.imPerpPercent, 9);
    // Short 3400 call and short 2600 put are naked (10 each); the 2400 put is long.
    expect(r.contingencies.mmOption).toBeCloseTo(20 * spot * o.mmOptionPercent, 9);
    const eth = (2 * 3000) / market.stable.price;
    const weeth = (1.5 * 3160) / market.stable.price;
    expect(r.collateralMtm).toBeCloseTo(eth + weeth, 9);
    expect(r.contingencies.mmCollateral).toBeCloseTo(eth * 0.015 + weeth * 0.05, 9);
    // WEETH's feed is at confidence 0.5 < 0.55: (1 − 0.5)·1·its value; every other feed is above the threshold.
    expect(r.contingencies.oracle).toBeCloseTo(0.5 * weeth, 9);
  });

  it("IM and MM are the worst loss times the loss factor, less the contingencies, plus cash and mark-to-market", () => {
    const { portfolio, market, profile } = example();
    const r = deriveMargin(engine, portfolio, market, profile);
    const worst = Math.min(r.basisContingency, ...r.scenarios.map((s) => s.pnl));
    expect(r.worst.pnl).toBe(worst);
    expect(r.mm).toBeCloseTo(worst * profile.margin.mmFactor - r.mmContingency + r.mtm, 8);
    expect(r.im).toBeCloseTo(worst * r.imFactor - r.imContingency - r.mmContingency + r.mtm, 8);
    expect(r.mtm).toBeCloseTo(portfolio.cash + r.optionMtm + r.perpMtm + r.collateralMtm, 9);
    expect(r.perpMtm).toBeCloseTo(-120.5 + 3.2, 12);
  });

  it("a stablecoin below the peg threshold raises the IM loss factor by (threshold − price)·factor", () => {
    const { portfolio, market, profile } = example();
    const r = deriveMargin(engine, portfolio, { ...market, stable: { price: 0.95, confidence: 1 } }, profile);
    expect(r.imFactor).toBeCloseTo(1 + (0.98 - 0.95) * 2, 14);
  });

  it("skew multipliers: 1 at the money, capped at 1 ± cap beyond k*, |k| for ABS", () => {
    const { profile } = example();
    const tau = 0.25;
    const cap = profile.skewShock.linearCBase * Math.sqrt(tau) + profile.skewShock.linearBaseCap;
    expect(skewMultiplier(profile, "linear", tau, 2000, 2000)).toBe(1);
    expect(skewMultiplier(profile, "linear", tau, 2000 * Math.exp(5), 2000)).toBeCloseTo(1 + cap, 14);
    expect(skewMultiplier(profile, "linear", tau, 2000 * Math.exp(-5), 2000)).toBeCloseTo(1 - cap, 14);
    expect(skewMultiplier(profile, "abs", tau, 2000 * Math.exp(-0.01), 2000)).toBeGreaterThan(1);
  });

  it("the WASM kernel and its JS twin give the same margins (to 1e-12 relative)", () => {
    const { portfolio, market, profile } = example();
    const a = deriveMargin(engine, portfolio, market, profile);
    const b = deriveMargin(referenceBackend(engine), portfolio, market, profile);
    expect(Math.abs(a.im - b.im) / Math.abs(b.im)).toBeLessThan(1e-12);
    a.scenarios.forEach((s, i) => expect(Math.abs(s.pnl - b.scenarios[i]!.pnl)).toBeLessThan(1e-9 * (1 + Math.abs(s.pnl))));
  });
});

describe("Derive inputs refuse what PMRM_2 would not take", () => {
  const bad = (mutate: (x: { portfolio: any; market: any; profile: any }) => void, path: RegExp) => {
    const x = { portfolio: read("portfolio"), market: read("market"), profile: read("profile") } as { portfolio: any; market: any; profile: any };
    mutate(x);
    let error: unknown;
    try { parseDeriveInputs(x.portfolio, x.market, x.profile); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(path);
  };
  it("a skew scenario with a spot shock (PMRM_2 ignores it)", () => bad((x) => { x.profile.scenarios[29].spotShock = 1.1; }, /scenarios\[29\].*spotShock must be 1/));
  it("a vol shock of the wrong kind", () => bad((x) => { x.profile.scenarios[0].kind = "skew"; }, /scenarios\[0\].*kind must be regular or tail/));
  it("an option whose expiry has no feed", () => bad((x) => { x.portfolio.options[0].expiry = "2027-01-29T08:00:00Z"; }, /options\[0\]\.expiry.*no feed/));
  it("a collateral without a price or parameters", () => bad((x) => { x.portfolio.collaterals[1].asset = "RSETH"; }, /collaterals\[1\]\.asset/));
  it("a reserved name as a collateral", () => bad((x) => { x.market.collaterals = JSON.parse('{"constructor": {"price": 1, "confidence": 1}}'); }, /collaterals\.constructor.*reserved/));
  it("an unknown field", () => bad((x) => { x.profile.margin.imFactr = 1; }, /margin.*unknown field/));
  it("haircuts over 100% together", () => bad((x) => { x.profile.collaterals.ETH.imHaircut = 0.6; x.profile.collaterals.ETH.mmHaircut = 0.6; }, /collaterals.*≤ 1/));
  it("a perp held with no perp price", () => bad((x) => { delete x.market.perp; }, /perp.*no perp price/));
  it("a profile without a model is not a Derive profile", () => {
    expect(() => parseDeriveProfile({ ...(read("profile") as object), model: "grid" })).toThrow(InputError);
  });
});
