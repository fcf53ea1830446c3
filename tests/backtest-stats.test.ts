// VaR backtest statistics (src/risk/backtest-stats.ts) against values computed
// here independently: Kupiec's LR by its formula with Math.log, the published
// non-rejection regions (Kupiec 1995 / Jorion), Christoffersen's LR_ind from
// hand-counted transitions, χ² quantiles, binomial sums, and the Basel (1996)
// traffic-light table.
import erfc from "@stdlib/math-base-special-erfc";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import { binomialCdf, chiSquareCdf, christoffersen, kupiec, trafficLight } from "../src/risk/backtest-stats.js";

const CHI2_1_95 = 3.841458820694124; // χ²₁ 95% quantile
const CHI2_2_95 = 5.991464547107979; // χ²₂ 95% quantile

/** A breach sequence of length n with breaches at the given days. */
function sequence(n: number, days: number[]): boolean[] {
  const s = new Array<boolean>(n).fill(false);
  for (const d of days) s[d] = true;
  return s;
}

/** Kupiec's LR written out: −2 ln[(1−p)^{n−x} p^x] + 2 ln[(1−x/n)^{n−x} (x/n)^x], 0·ln 0 = 0. */
function kupiecLr(x: number, n: number, p: number): number {
  const null0 = (n - x) * Math.log(1 - p) + (x > 0 ? x * Math.log(p) : 0);
  const r = x / n;
  const alt = (x < n ? (n - x) * Math.log(1 - r) : 0) + (x > 0 ? x * Math.log(r) : 0);
  return -2 * null0 + 2 * alt;
}

/** χ²₁ upper tail by erfc: P(χ²₁ > x) = erfc(√(x/2)). */
const chi1Sf = (x: number): number => erfc(Math.sqrt(x / 2));

function expectRel(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(Math.abs(expected), 1e-300));
}

describe("kupiec", () => {
  it("LR for n = 250, p = 0.01, x = 0..10 equals the formula written out, and the p-value is the χ²₁ upper tail", () => {
    for (let x = 0; x <= 10; x++) {
      const r = kupiec(sequence(250, Array.from({ length: x }, (_, i) => 20 * i)), 0.99);
      const lr = kupiecLr(x, 250, 0.01);
      expect(r.breaches).toBe(x);
      expect(r.observations).toBe(250);
      expect(r.observedRate).toBe(x / 250);
      expect(r.expectedRate).toBeCloseTo(0.01, 15);
      expect(Math.abs(r.lr - lr)).toBeLessThan(1e-11);
      expectRel(r.pValue, chi1Sf(lr), 1e-10);
      expect(r.reject).toBe(lr > CHI2_1_95);
    }
  });

  it("zero breaches give a finite LR = −2n ln(1 − p) (5.025 for n = 250 at 99%, which rejects: too few breaches)", () => {
    const r = kupiec(new Uint8Array(250), 0.99);
    expect(Number.isFinite(r.lr)).toBe(true);
    expect(r.lr).toBeCloseTo(-2 * 250 * Math.log(0.99), 12);
    expect(r.lr).toBeCloseTo(5.02516792675, 10);
    expect(r.reject).toBe(true);
  });

  it("all breaches give a finite LR = −2n ln p", () => {
    const r = kupiec(new Uint8Array(40).fill(1), 0.99);
    expect(r.lr).toBeCloseTo(-2 * 40 * Math.log(0.01), 10);
    expectRel(r.pValue, chi1Sf(r.lr), 1e-10); // ≈ 4e-82: the upper tail keeps its digits
    expect(r.reject).toBe(true);
  });

  it("a breach rate equal to p gives LR = 0 and p-value 1", () => {
    const r = kupiec(sequence(100, [7, 30, 31, 60, 99]), 0.95);
    expect(r.lr).toBeLessThan(1e-12);
    expect(r.pValue).toBeCloseTo(1, 6);
    expect(r.reject).toBe(false);
  });

  it("95% non-rejection region at p = 0.01, n = 250 is x < 7 (Jorion / Kupiec 1995)", () => {
    const lr = (x: number): number => kupiec(sequence(250, Array.from({ length: x }, (_, i) => 30 * i)), 0.99).lr;
    expect(lr(6)).toBeLessThan(CHI2_1_95);
    expect(lr(7)).toBeGreaterThan(CHI2_1_95);
    expect(lr(6)).toBeCloseTo(3.55535477106, 9);
    expect(lr(7)).toBeCloseTo(5.49699044779, 9);
  });

  it("95% non-rejection region at p = 0.01, n = 1000 is 4 < x < 17, both ends (Jorion / Kupiec 1995)", () => {
    const r = (x: number) => kupiec(sequence(1000, Array.from({ length: x }, (_, i) => 50 * i)), 0.99);
    expect(r(4).reject).toBe(true);
    expect(r(5).reject).toBe(false);
    expect(r(16).reject).toBe(false);
    expect(r(17).reject).toBe(true);
    expect(r(4).lr).toBeCloseTo(4.70596454128, 9);
    expect(r(5).lr).toBeCloseTo(3.09373831402, 9);
    expect(r(16).lr).toBeCloseTo(3.07655345754, 9);
    expect(r(17).lr).toBeCloseTo(4.09097255455, 9);
  });

  it("the significance sets the rejection threshold", () => {
    const s = sequence(250, [0, 30, 60, 90, 120, 150, 180]); // LR 5.50, p-value 0.019
    expect(kupiec(s, 0.99, 0.05).reject).toBe(true);
    expect(kupiec(s, 0.99, 0.01).reject).toBe(false);
  });
});

describe("christoffersen", () => {
  // Day:     0 1 2 3 4 5 6 7 8 9 10 11 12 … 19
  // Breach:  0 0 1 1 1 0 0 0 0 0  1  1  0 … 0
  // Pairs: 00 at 0-1, 5-6..8-9 (4), 12-13..18-19 (7) = 12; 01 at 1-2, 9-10 = 2;
  //        11 at 2-3, 3-4, 10-11 = 3; 10 at 4-5, 11-12 = 2. 19 pairs.
  const clustered20 = sequence(20, [2, 3, 4, 10, 11]);

  it("counts the transitions of a hand-counted 20-day sequence and gives LR_ind from the counts", () => {
    const r = christoffersen(clustered20, 0.95);
    expect([r.n00, r.n01, r.n10, r.n11]).toEqual([12, 2, 2, 3]);
    const pi0 = 2 / 14;
    const pi1 = 3 / 5;
    const pi = 5 / 19;
    expect(r.pi0).toBeCloseTo(pi0, 15);
    expect(r.pi1).toBeCloseTo(pi1, 15);
    expect(r.pi).toBeCloseTo(pi, 15);
    const lrInd =
      -2 * (14 * Math.log(1 - pi) + 5 * Math.log(pi)) +
      2 * (12 * Math.log(1 - pi0) + 2 * Math.log(pi0) + 2 * Math.log(1 - pi1) + 3 * Math.log(pi1));
    expect(r.lrInd).toBeCloseTo(lrInd, 12);
    expectRel(r.pValueInd, chi1Sf(lrInd), 1e-10);
    const lrCc = kupiecLr(5, 20, 0.05) + lrInd;
    expect(r.lrCc).toBeCloseTo(lrCc, 12);
    expectRel(r.pValueCc, Math.exp(-lrCc / 2), 1e-12);
    expect(r.reject).toBe(r.pValueCc < 0.05);
  });

  it("accepts the same sequence as a Uint8Array", () => {
    expect(christoffersen(Uint8Array.from(clustered20, Number), 0.95)).toEqual(christoffersen(clustered20, 0.95));
  });

  it("breaches in one block give a far larger LR_ind than the same number spread evenly", () => {
    const spread = christoffersen(sequence(250, [10, 60, 110, 160, 210]), 0.99);
    const block = christoffersen(sequence(250, [100, 101, 102, 103, 104]), 0.99);
    expect([spread.n01, spread.n11]).toEqual([5, 0]);
    expect([block.n01, block.n11]).toEqual([1, 4]);
    expect(block.lrInd).toBeGreaterThan(20);
    expect(spread.lrInd).toBeLessThan(0.25);
    expect(block.lrInd).toBeGreaterThan(spread.lrInd);
    expect(block.reject).toBe(true);
    expect(spread.reject).toBe(false);
    // Same breach count: the coverage part is equal, only independence differs.
    expect(block.lrCc - block.lrInd).toBeCloseTo(spread.lrCc - spread.lrInd, 12);
  });

  it("strict alternation also rejects independence: the test is two-sided", () => {
    const alt = christoffersen(Array.from({ length: 40 }, (_, i) => i % 2 === 1), 0.5);
    expect([alt.n00, alt.n01, alt.n10, alt.n11]).toEqual([0, 20, 19, 0]);
    expect(alt.lrInd).toBeGreaterThan(CHI2_1_95);
  });

  it("no breaches: LR_ind = 0, p-value 1, π1 undefined (NaN), LR_cc = Kupiec's LR", () => {
    const r = christoffersen(new Uint8Array(250), 0.99);
    expect([r.n00, r.n01, r.n10, r.n11]).toEqual([249, 0, 0, 0]);
    expect(r.pi0).toBe(0);
    expect(r.pi1).toBeNull();
    expect(r.pi).toBe(0);
    expect(r.lrInd).toBe(0);
    expect(r.pValueInd).toBe(1);
    expect(r.lrCc).toBeCloseTo(kupiecLr(0, 250, 0.01), 12);
    expect(r.pValueCc).toBeCloseTo(Math.exp(-kupiecLr(0, 250, 0.01) / 2), 12);
  });

  it("a breach only on the last day leaves state 1 unvisited: LR_ind = 0", () => {
    const r = christoffersen(sequence(30, [29]), 0.95);
    expect([r.n00, r.n01, r.n10, r.n11]).toEqual([28, 1, 0, 0]);
    expect(r.pi1).toBeNull();
    expect(r.lrInd).toBe(0);
  });

  it("all breaches: π0 undefined, LR_ind = 0, finite LR_cc", () => {
    const r = christoffersen(new Uint8Array(10).fill(1), 0.99);
    expect([r.n00, r.n01, r.n10, r.n11]).toEqual([0, 0, 0, 9]);
    expect(r.pi0).toBeNull();
    expect(r.lrInd).toBe(0);
    expect(r.lrCc).toBeCloseTo(-2 * 10 * Math.log(0.01), 10);
  });

  it("a single observation has no pairs: LR_ind = 0", () => {
    const r = christoffersen([true], 0.99);
    expect([r.n00, r.n01, r.n10, r.n11]).toEqual([0, 0, 0, 0]);
    expect(r.pi).toBeNull();
    expect(r.lrInd).toBe(0);
  });
});

describe("chiSquareCdf", () => {
  it("gives 0.95 at the 95% quantiles for 1 and 2 degrees of freedom", () => {
    expect(chiSquareCdf(CHI2_1_95, 1)).toBeCloseTo(0.95, 14);
    expect(chiSquareCdf(CHI2_2_95, 2)).toBeCloseTo(0.95, 14);
  });

  it("dof 1 equals erf(√(x/2)) and dof 2 equals 1 − e^{−x/2} over a range", () => {
    for (const x of [1e-8, 0.01, 0.3, 1, 2.7, 6.63, 10, 25, 60]) {
      expect(Math.abs(chiSquareCdf(x, 1) - (1 - erfc(Math.sqrt(x / 2))))).toBeLessThan(2e-15);
      expect(Math.abs(chiSquareCdf(x, 2) - (1 - Math.exp(-x / 2)))).toBeLessThan(2e-16);
    }
  });

  it("is 0 at and below 0 and 1 at infinity", () => {
    expect(chiSquareCdf(0, 1)).toBe(0);
    expect(chiSquareCdf(-3, 2)).toBe(0);
    expect(chiSquareCdf(Infinity, 1)).toBe(1);
    expect(chiSquareCdf(Infinity, 2)).toBe(1);
  });
});

/** C(n, i) pⁱ (1−p)^{n−i} summed directly; exact enough for small n. */
function directCdf(k: number, n: number, p: number): number {
  let sum = 0;
  let c = 1;
  for (let i = 0; i <= k; i++) {
    sum += c * p ** i * (1 - p) ** (n - i);
    c = (c * (n - i)) / (i + 1);
  }
  return sum;
}

describe("binomialCdf", () => {
  it("equals the direct sum for small n", () => {
    for (const n of [1, 2, 5, 10, 20, 37]) {
      for (const p of [0.01, 0.1, 0.3, 0.5, 0.77, 0.99]) {
        for (let k = 0; k <= n; k++) expectRel(binomialCdf(k, n, p), directCdf(k, n, p), 1e-12);
      }
    }
    expect(binomialCdf(3, 10, 0.3)).toBeCloseTo(0.6496107184, 15);
  });

  it("is 0 below 0, 1 from n on, and floors k", () => {
    expect(binomialCdf(-1, 10, 0.3)).toBe(0);
    expect(binomialCdf(10, 10, 0.3)).toBe(1);
    expect(binomialCdf(12, 10, 0.3)).toBe(1);
    expect(binomialCdf(3.7, 10, 0.3)).toBe(binomialCdf(3, 10, 0.3));
  });

  it("handles p = 0 and p = 1", () => {
    expect(binomialCdf(0, 10, 0)).toBe(1);
    expect(binomialCdf(9, 10, 1)).toBe(0);
  });

  it("matches 40-digit values at n = 10^5 (where (1 − p)^n underflows)", () => {
    // mpmath, Σ C(n,i) pⁱ qⁿ⁻ⁱ at 40 digits.
    expectRel(binomialCdf(900, 100_000, 0.01), 6.6084133345015261e-4, 1e-12);
    expectRel(binomialCdf(1000, 100_000, 0.01), 0.50840947335143295, 1e-13);
    expectRel(binomialCdf(1100, 100_000, 0.01), 0.99917903008933866, 1e-14);
    expectRel(binomialCdf(49_500, 100_000, 0.5), 7.9117993942579782e-4, 1e-12);
  });

  it("satisfies P(X ≤ k; n, p) = 1 − P(X ≤ n − k − 1; n, 1 − p)", () => {
    for (const k of [0, 3, 40, 99, 150, 299]) {
      expect(binomialCdf(k, 300, 0.2)).toBeCloseTo(1 - binomialCdf(300 - k - 1, 300, 0.8), 14);
    }
  });
});

describe("trafficLight", () => {
  // Basel (1996), Table 1: cumulative probability of ≤ x exceptions in 250 days at 99%.
  const baselCumulative = [8.11, 28.58, 54.32, 75.81, 89.22, 95.88, 98.63, 99.6, 99.89, 99.97, 99.99];

  it("gives green for 0–4, yellow for 5–9, red from 10 at n = 250, level 0.99", () => {
    for (let x = 0; x <= 250; x++) {
      expect(trafficLight(x, 250, 0.99).zone).toBe(x <= 4 ? "green" : x <= 9 ? "yellow" : "red");
    }
  });

  it("reports the cumulative probabilities of the Basel table", () => {
    baselCumulative.forEach((pct, x) => {
      expect(trafficLight(x, 250, 0.99).cumulativeProbability * 100).toBeCloseTo(pct, 2);
    });
    expect(trafficLight(10, 250, 0.99).cumulativeProbability).toBeGreaterThanOrEqual(0.9999);
  });

  it("gives Basel's plus factors: 0 green, 0.40/0.50/0.65/0.75/0.85 for 5–9, 1.0 red", () => {
    const plus = [0, 0, 0, 0, 0, 0.4, 0.5, 0.65, 0.75, 0.85, 1, 1, 1];
    plus.forEach((f, x) => expect(trafficLight(x, 250, 0.99).plusFactor).toBe(f));
    expect(trafficLight(250, 250, 0.99).plusFactor).toBe(1);
  });

  it("uses the same probability thresholds without a plus factor for other n or level", () => {
    const r = trafficLight(12, 500, 0.99);
    expect(r.plusFactor).toBeUndefined();
    expect(trafficLight(5, 251, 0.99).plusFactor).toBeUndefined();
    expect(trafficLight(5, 250, 0.975).plusFactor).toBeUndefined();
    // n = 750, 99.5%: yellow from 7, red from 13 (the thresholds applied to Binomial(750, 0.005)).
    const zones = Array.from({ length: 15 }, (_, x) => trafficLight(x, 750, 0.995).zone);
    expect(zones.indexOf("yellow")).toBe(7);
    expect(zones.indexOf("red")).toBe(13);
    for (let x = 0; x <= 20; x++) {
      const c = directCdf(x, 500, 0.01);
      expect(trafficLight(x, 500, 0.99).zone).toBe(c < 0.95 ? "green" : c < 0.9999 ? "yellow" : "red");
    }
  });
});

describe("validation", () => {
  const inputError = (f: () => unknown, path: string): void => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).path).toBe(path);
  };

  it("names the argument at fault", () => {
    const s = sequence(10, [3]);
    for (const level of [0, 1, -0.5, 1.2, NaN]) {
      inputError(() => kupiec(s, level), "level");
      inputError(() => christoffersen(s, level), "level");
      inputError(() => trafficLight(1, 10, level), "level");
    }
    inputError(() => kupiec(s, 0.99, 0), "significance");
    inputError(() => christoffersen(s, 0.99, 1), "significance");
    inputError(() => kupiec([], 0.99), "breaches");
    inputError(() => christoffersen(new Uint8Array(0), 0.99), "breaches");
    inputError(() => kupiec(Uint8Array.of(0, 1, 2), 0.99), "breaches[2]");
    inputError(() => christoffersen([false, "yes" as unknown as boolean], 0.99), "breaches[1]");
    inputError(() => trafficLight(11, 10, 0.99), "breaches");
    inputError(() => trafficLight(-1, 10, 0.99), "breaches");
    inputError(() => trafficLight(1.5, 10, 0.99), "breaches");
    inputError(() => trafficLight(0, 0, 0.99), "observations");
    inputError(() => trafficLight(0, 2.5, 0.99), "observations");
    inputError(() => binomialCdf(1, -1, 0.5), "n");
    inputError(() => binomialCdf(1, 10, 1.5), "p");
    inputError(() => binomialCdf(NaN, 10, 0.5), "k");
    inputError(() => chiSquareCdf(NaN, 1), "x");
    inputError(() => chiSquareCdf(1, 3 as 1), "dof");
  });
});
