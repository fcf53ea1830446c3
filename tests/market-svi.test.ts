// SVI slices in pmargin's general market data: parsed once into log-moneyness nodes whose
// PCHIP interpolant reads the SVI to within SVI_SAMPLING_TOLERANCE in vol (checked here at
// random points, not the sampler's own probes), priced by the kernel like any node slice.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { buildMarket } from "../src/market/market.js";
import { black76 } from "../src/math/black76.js";
import { yearFraction } from "../src/conventions.js";
import { SVI_DEFAULT_RANGE, SVI_SAMPLING_TOLERANCE, sviTotalVariance } from "../src/math/svi.js";
import { valueBook } from "../src/methods/valuation.js";
import type { Position } from "../src/model/types.js";
import { parseMarket, parseUnderlyingMarket } from "../src/schema/market.js";

const ASOF = "2026-06-01T08:00:00Z";
const EXPIRY = "2026-09-25T08:00:00Z";
// A typical BTC smile: 55% at the money, put skew, wings rising.
const SVI = { a: 0.04, b: 0.18, rho: -0.35, m: 0.05, sigma: 0.25 };
const t = yearFraction(Date.parse(ASOF), Date.parse(EXPIRY));
const sviVolAt = (k: number): number => Math.sqrt(sviTotalVariance(SVI, k) / t);

const marketJson = (slice: Record<string, unknown>): unknown => ({
  asOf: ASOF,
  underlyings: { BTC: { index: 100_000, basis: 0.05, surface: [{ expiry: EXPIRY, ...slice }] } },
});

describe("an SVI slice in market data", () => {
  const data = parseMarket(marketJson({ svi: SVI }));
  const market = buildMarket(data);

  it("is parsed into log-moneyness nodes over the default range, exact at the nodes", () => {
    const s = data.underlyings.BTC!.surface![0]!;
    expect(s.strikes).toBeUndefined();
    const k = s.logMoneyness!;
    expect([k[0], k.at(-1)]).toEqual([...SVI_DEFAULT_RANGE]);
    k.forEach((x, i) => expect(s.vols[i]).toBe(sviVolAt(x)));
  });

  it("reads the SVI to within the stated tolerance at 2,000 random points of the range; flat beyond it", () => {
    let state = 12_345;
    const uniform = (): number => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let worst = 0;
    for (let i = 0; i < 2_000; i++) {
      const k = SVI_DEFAULT_RANGE[0] + uniform() * (SVI_DEFAULT_RANGE[1] - SVI_DEFAULT_RANGE[0]);
      worst = Math.max(worst, Math.abs(market.get("BTC")!.vol(t, k) - sviVolAt(k)));
    }
    expect(worst).toBeLessThanOrEqual(SVI_SAMPLING_TOLERANCE);
    expect(worst).toBeGreaterThan(0);
    expect(market.get("BTC")!.vol(t, 4)).toBe(sviVolAt(3));
  });

  it("the kernel prices options off it within vega × tolerance of Black-76 at the SVI vol", async () => {
    const engine = await createEngine();
    const strikes = [40_000, 70_000, 95_000, 100_000, 130_000, 250_000];
    const positions: Position[] = strikes.map((strike, i) => ({
      id: `o${i}`, kind: "option", underlying: "BTC", settlement: "linear", right: i % 2 ? "put" : "call", strike, expiry: EXPIRY, quantity: 1,
    }));
    const values = valueBook(engine, engine.compile(positions, market), market).positions;
    values.forEach((v, i) => {
      const forward = v.forward!;
      const vol = sviVolAt(Math.log(strikes[i]! / forward));
      const exact = black76({ forward, strike: strikes[i]!, time: t, vol, rate: 0, phi: i % 2 ? -1 : 1 });
      expect(Math.abs(v.vol! - vol)).toBeLessThanOrEqual(SVI_SAMPLING_TOLERANCE);
      expect(Math.abs(v.price - exact.price)).toBeLessThanOrEqual(Math.abs(exact.vega) * SVI_SAMPLING_TOLERANCE + 1e-9 * exact.price);
    });
  });

  it("a live update's SVI slice is sampled the same way", () => {
    const update = parseUnderlyingMarket("BTC", { index: 100_000, basis: 0.05, surface: [{ expiry: EXPIRY, svi: SVI }] }, ASOF);
    expect(update.surface).toEqual(data.underlyings.BTC!.surface);
  });

  it("takes its own range, sampled the same way", () => {
    const narrow = parseMarket(marketJson({ svi: SVI, sviRange: [-0.5, 0.8] })).underlyings.BTC!.surface![0]!;
    expect([narrow.logMoneyness![0], narrow.logMoneyness!.at(-1)]).toEqual([-0.5, 0.8]);
  });
});

describe("bad SVI slices are refused by name", () => {
  const bad = (slice: Record<string, unknown>): InputError => {
    try {
      parseMarket(marketJson(slice), "market.json");
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    throw new Error("accepted");
  };

  it.each([
    [{ svi: { ...SVI, rho: 1 } }, "underlyings.BTC.surface[0].svi.rho"],
    [{ svi: { ...SVI, sigma: 0 } }, "underlyings.BTC.surface[0].svi.sigma"],
    [{ svi: { ...SVI, b: -0.1 } }, "underlyings.BTC.surface[0].svi.b"],
    [{ svi: { ...SVI, c: 1 } }, "underlyings.BTC.surface[0].svi.c"],
    [{ svi: SVI, vols: [0.5] }, "underlyings.BTC.surface[0].vols"],
    [{ svi: SVI, sviRange: [0.1, 1] }, "underlyings.BTC.surface[0].sviRange"],
    [{ logMoneyness: [0], vols: [0.5], sviRange: [-1, 1] }, "underlyings.BTC.surface[0].sviRange"],
    [{ svi: SVI, logMoneyness: [0] }, "underlyings.BTC.surface[0]"],
    [{ svi: { ...SVI, a: -0.2 } }, "underlyings.BTC.surface[0].svi"],
  ])("%j → %s", (slice, path) => {
    const e = bad(slice);
    expect(e.path).toBe(path);
    expect(e.source).toBe("market.json");
  });

  it("a negative total variance says where", () => {
    expect(bad({ svi: { ...SVI, a: -0.2 } }).reason).toMatch(/total variance .* at log-moneyness .* must be positive/);
  });

  it("a node slice without vols still says so", () => {
    expect(bad({ logMoneyness: [0, 0.1] }).reason).toMatch(/give the vols/);
  });
});
