import { describe, expect, it } from "vitest";
import { impliedVol, VOL_MAX } from "../../src/market/implied-vol.js";
import { black76, black76Price } from "../../src/math/black76.js";
import { inputError } from "../helpers/errors.js";

const F = 50_000;

describe("impliedVol round trip σ → price → σ", () => {
  const logMoneyness = [...Array.from({ length: 61 }, (_, i) => -3 + i / 10), -1e-4, -1e-9, 1e-9, 1e-4];
  const times = [1 / 8760, 1 / 365, 7 / 365, 0.1, 0.25, 1, 2, 5];
  const vols = [0.05, 0.1, 0.2, 0.5, 0.8, 1, 1.5, 2, 3];
  const cases = logMoneyness.flatMap((x) =>
    times.flatMap((time) =>
      vols.flatMap((vol) => [1, -1].flatMap((phi) => [0, 0.05].map((rate) => ({ x, time, vol, phi: phi as 1 | -1, rate })))),
    ),
  );

  // The vol is identifiable to 1e-9 (relative) only where a 1e-9 relative change
  // of σ moves the price by more than its own rounding, i.e. where
  // vega·σ·1e-9 ≥ 1e-15·price (≈ 4.5 ulps). In the money, rounding is that of
  // the whole premium while σ only moves the small time value; far out of the
  // money with a short expiry the price underflows. Below the normal range of
  // doubles (OTM time value < 1e-300·F) prices lose relative precision.
  it("recovers σ to 1e-9 wherever the price determines it, and reprices to 1e-12·F everywhere", () => {
    let checked = 0;
    for (const { x, time, vol, phi, rate } of cases) {
      const strike = F * Math.exp(x);
      const g = black76({ forward: F, strike, time, vol, rate, phi });
      const sigma = impliedVol({ price: g.price, forward: F, strike, time, rate, phi });
      const context = JSON.stringify({ x, time, vol, phi, rate, price: g.price, sigma });
      expect(Number.isFinite(sigma), context).toBe(true);
      expect(sigma, context).toBeGreaterThanOrEqual(0);

      const repriced = black76Price(F, strike, time, sigma, rate, phi);
      expect(Math.abs(repriced - g.price), context).toBeLessThanOrEqual(1e-12 * F);

      const otmValue = g.price * Math.exp(rate * time) - Math.max(phi * (F - strike), 0);
      if (g.vega * vol * 1e-9 >= 1e-15 * g.price && otmValue >= 1e-300 * F) {
        checked++;
        expect(Math.abs(sigma - vol), context).toBeLessThanOrEqual(1e-9 * vol);
      }
    }
    // The criterion must leave most of the grid in the assertion.
    expect(checked).toBeGreaterThan(0.6 * cases.length);
  });

  it("gives the same σ for the call and the put of a near-the-money strike", () => {
    for (const x of [-0.5, -0.1, 0, 0.1, 0.5]) {
      const strike = F * Math.exp(x);
      const o = { forward: F, strike, time: 0.25, rate: 0.05 };
      const call = impliedVol({ ...o, phi: 1, price: black76Price(F, strike, 0.25, 0.8, 0.05, 1) });
      const put = impliedVol({ ...o, phi: -1, price: black76Price(F, strike, 0.25, 0.8, 0.05, -1) });
      expect(Math.abs(call - 0.8)).toBeLessThan(1e-12);
      expect(Math.abs(put - 0.8)).toBeLessThan(1e-12);
    }
  });
});

describe("impliedVol at the no-arbitrage bounds", () => {
  const base = { forward: F, time: 0.5, rate: 0.05 };
  const df = Math.exp(-0.05 * 0.5);

  it("throws an InputError naming price below intrinsic", () => {
    const itmCall = { ...base, strike: 40_000, phi: 1 as const };
    expect(inputError(() => impliedVol({ ...itmCall, price: df * 10_000 * (1 - 1e-9) })).path).toBe("price");
    const otmPut = { ...base, strike: 40_000, phi: -1 as const };
    expect(inputError(() => impliedVol({ ...otmPut, price: -1 })).path).toBe("price");
  });

  it("throws an InputError naming price at or above the upper bound", () => {
    const call = { ...base, strike: 40_000, phi: 1 as const };
    expect(inputError(() => impliedVol({ ...call, price: df * F })).path).toBe("price");
    expect(inputError(() => impliedVol({ ...call, price: F })).path).toBe("price");
    const put = { ...base, strike: 40_000, phi: -1 as const };
    expect(inputError(() => impliedVol({ ...put, price: df * 40_000 })).path).toBe("price");
  });

  it("throws an InputError naming price when it needs more than the maximum vol", () => {
    const o = { forward: F, strike: F, time: 1 / 8760, rate: 0, phi: 1 as const };
    const price = black76Price(F, F, o.time, VOL_MAX * 1.5, 0, 1);
    expect(price).toBeLessThan(F);
    expect(inputError(() => impliedVol({ ...o, price })).path).toBe("price");
  });

  it("returns 0 for a price equal to intrinsic, including at zero time", () => {
    expect(impliedVol({ forward: F, strike: 40_000, time: 0, rate: 0.05, phi: 1, price: 10_000 })).toBe(0);
    expect(impliedVol({ forward: F, strike: 60_000, time: 0, rate: 0, phi: 1, price: 0 })).toBe(0);
    expect(impliedVol({ forward: F, strike: 60_000, time: 0, rate: 0, phi: -1, price: 10_000 })).toBe(0);
    expect(impliedVol({ ...base, strike: 40_000, phi: 1, price: df * 10_000 })).toBe(0);
    expect(impliedVol({ ...base, strike: 60_000, phi: 1, price: 0 })).toBe(0);
  });

  it("throws an InputError naming price for time value at zero time", () => {
    const e = inputError(() => impliedVol({ forward: F, strike: 40_000, time: 0, rate: 0, phi: 1, price: 10_001 }));
    expect(e.path).toBe("price");
  });
});
