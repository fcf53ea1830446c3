import { describe, expect, it } from "vitest";
import { correlationFrom, estimateModelInputs, ewmaVol, realisedVol } from "../../src/history/estimate.js";
import { prepareCorrelation } from "../../src/math/correlation.js";
import { dailyHistory, fromReturns, normals } from "../fixtures/history.js";
import { prng } from "../fixtures/synthetic.js";
import { expectInputError } from "../schema/helpers.js";

const logReturns = (closes: number[]): number[] => closes.slice(1).map((c, i) => Math.log(c / closes[i]!));

describe("realisedVol", () => {
  const closes = [100, 110, 99, 105, 104, 108];
  const h = dailyHistory({ A: closes });

  it("is the sample standard deviation of daily log returns times √365", () => {
    const r = logReturns(closes);
    const mean = r.reduce((a, b) => a + b) / r.length;
    const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1);
    expect(realisedVol(h, "A")).toBeCloseTo(Math.sqrt(variance * 365), 14);
  });

  it("uses the last `window` returns ending at or before observation `end`", () => {
    const r = logReturns(closes).slice(1, 3);
    const mean = (r[0]! + r[1]!) / 2;
    const expected = Math.sqrt((((r[0]! - mean) ** 2 + (r[1]! - mean) ** 2) / 1) * 365);
    expect(realisedVol(h, "A", { window: 2, end: 3 })).toBeCloseTo(expected, 14);
  });

  it("leaves out a return spanning a gap", () => {
    // Day 2 missing: the 2-day return 110 → 105 is not a daily return.
    const g = dailyHistory({ A: [100, 110, 105, 104, 108] }, [2]);
    const r = [Math.log(110 / 100), Math.log(104 / 105), Math.log(108 / 104)];
    const mean = r.reduce((a, b) => a + b) / 3;
    expect(realisedVol(g, "A")).toBeCloseTo(Math.sqrt((r.reduce((a, b) => a + (b - mean) ** 2, 0) / 2) * 365), 14);
  });

  it("refuses an unknown symbol, a window outside [2, available] and a bad end", () => {
    expectInputError(() => realisedVol(h, "B"), "symbol", "no B in the history; it has A");
    expectInputError(() => realisedVol(h, "A", { window: 1 }), "window", "must be a whole number of one-step returns in [2, 5], got 1");
    expectInputError(() => realisedVol(h, "A", { window: 6 }), "window", "in [2, 5], got 6");
    expectInputError(() => realisedVol(h, "A", { window: 3, end: 2 }), "window", "in [2, 2], got 3");
    expectInputError(() => realisedVol(h, "A", { end: 1 }), "window", "at least 2 one-step returns are needed, the history has 1");
    expectInputError(() => realisedVol(h, "A", { end: 6 }), "end", "must be an observation index in [1, 5], got 6");
  });
});

describe("ewmaVol", () => {
  it("follows σ²_t = λσ²_{t−1} + (1 − λ)r²_t from the mean square of the first `seed` returns", () => {
    const closes = [100, 103, 101, 104, 100, 99, 102];
    const r = logReturns(closes);
    const lambda = 0.9;
    const seed = 3;
    const expected: number[] = [];
    let variance = 0;
    for (let t = 0; t < r.length; t++) {
      if (t < seed) {
        let sum = 0;
        for (let i = 0; i <= t; i++) sum += r[i]! ** 2;
        variance = sum / (t + 1);
      } else {
        variance = lambda * variance + (1 - lambda) * r[t]! ** 2;
      }
      expected.push(Math.sqrt(variance * 365));
    }
    const { vols, last } = ewmaVol(dailyHistory({ A: closes }), "A", { lambda, seed });
    expect(vols).toHaveLength(r.length);
    vols.forEach((v, t) => expect(v).toBeCloseTo(expected[t]!, 14));
    expect(last).toBe(vols[vols.length - 1]);
  });

  it("converges to the level of constant returns", () => {
    const closes = fromReturns([0.08, -0.1, 0.05, ...new Array<number>(600).fill(0.01)]);
    const { vols, last } = ewmaVol(dailyHistory({ A: closes }), "A", { seed: 3 });
    expect(vols[2]).toBeGreaterThan(0.05 * Math.sqrt(365));
    expect(last).toBeCloseTo(0.01 * Math.sqrt(365), 10);
  });

  it("takes a return over a gap of k steps as the per-step variance r²/k", () => {
    // Day 2 missing: the second return spans 2 days.
    const closes = [100, 101, 105, 104];
    const g = dailyHistory({ A: closes }, [2]);
    const { vols } = ewmaVol(g, "A", { seed: 1, lambda: 0.5 });
    const r = logReturns(closes);
    const v1 = 0.5 * r[0]! ** 2 + 0.5 * (r[1]! ** 2 / 2);
    expect(vols[1]).toBeCloseTo(Math.sqrt(v1 * 365), 14);
  });

  it("seeds with every return when there are fewer than 30, and refuses a bad λ or seed", () => {
    const h = dailyHistory({ A: [100, 101, 102, 101] });
    const r = logReturns([100, 101, 102, 101]);
    expect(ewmaVol(h, "A").last).toBeCloseTo(Math.sqrt(((r[0]! ** 2 + r[1]! ** 2 + r[2]! ** 2) / 3) * 365), 14);
    expectInputError(() => ewmaVol(h, "A", { lambda: 1 }), "lambda", "must be in (0, 1), got 1");
    expectInputError(() => ewmaVol(h, "A", { lambda: 0 }), "lambda", "must be in (0, 1), got 0");
    expectInputError(() => ewmaVol(h, "A", { seed: 4 }), "seed", "in [1, 3], got 4");
    expectInputError(() => ewmaVol(h, "A", { seed: 0 }), "seed", "got 0");
  });
});

describe("correlationFrom", () => {
  const uniform = prng(7);
  const n = 2000;
  const a = normals(n, uniform).map((z) => 0.02 * z);
  const b = normals(n, uniform).map((z) => 0.03 * z);
  const closesA = fromReturns(a);

  it("is 1 for perfectly correlated series and −1 for perfectly anticorrelated ones", () => {
    const h = dailyHistory({ A: closesA, B: closesA.map((c) => 3 * c * c), C: closesA.map((c) => 1 / c) });
    const { underlyings, matrix } = correlationFrom(h);
    expect(underlyings).toEqual(["A", "B", "C"]);
    expect(matrix[0]![1]).toBeCloseTo(1, 12);
    expect(matrix[0]![2]).toBeCloseTo(-1, 12);
    expect(matrix[1]![0]).toBe(matrix[0]![1]);
    expect(matrix.map((row, i) => row[i])).toEqual([1, 1, 1]);
  });

  it("is near 0 for independent series, within 4/√n", () => {
    const h = dailyHistory({ A: closesA, B: fromReturns(b) });
    expect(Math.abs(correlationFrom(h).matrix[0]![1]!)).toBeLessThan(4 / Math.sqrt(n));
  });

  it("with λ, weighs return t of the window λ^(window−1−t) in means and covariances", () => {
    const x = a.slice(0, 50);
    const y = x.map((v, t) => (t < 25 ? -v : v) + 0.3 * b[t]!);
    const h = dailyHistory({ A: fromReturns(x), B: fromReturns(y) });
    const lambda = 0.9;
    const w = x.map((_, t) => lambda ** (x.length - 1 - t));
    const mean = (v: number[]): number => v.reduce((s, q, t) => s + w[t]! * q, 0) / w.reduce((s, q) => s + q, 0);
    const cov = (u: number[], v: number[]): number => {
      const mu = mean(u), mv = mean(v);
      return u.reduce((s, q, t) => s + w[t]! * (q - mu) * (v[t]! - mv), 0);
    };
    const rx = logReturns(fromReturns(x));
    const ry = logReturns(fromReturns(y));
    const expected = cov(rx, ry) / Math.sqrt(cov(rx, rx) * cov(ry, ry));
    expect(correlationFrom(h, { lambda }).matrix[0]![1]).toBeCloseTo(expected, 12);
    // Recent returns dominate: positive under EWMA weights, near zero with equal ones.
    expect(expected).toBeGreaterThan(0.5);
    expect(Math.abs(correlationFrom(h).matrix[0]![1]!)).toBeLessThan(0.3);
  });

  it("selects symbols and the last `window` returns, and refuses a flat series and bad options", () => {
    const h = dailyHistory({ A: closesA.slice(0, 10), B: closesA.slice(0, 10).map((c) => 1 / c), F: new Array<number>(10).fill(5) });
    expect(correlationFrom(h, { symbols: ["B", "A"], window: 3 })).toEqual({ underlyings: ["B", "A"], matrix: [[1, -1], [-1, 1]] });
    expectInputError(() => correlationFrom(h), "window", "F's close does not move over the window");
    expectInputError(() => correlationFrom(h, { symbols: ["A", "X"] }), "symbols[1]", "no X in the history");
    expectInputError(() => correlationFrom(h, { symbols: ["A", "A"] }), "symbols[1]", "A is also symbols[0]");
    expectInputError(() => correlationFrom(h, { symbols: ["A", "B"], window: 10 }), "window", "in [2, 9], got 10");
    expectInputError(() => correlationFrom(h, { symbols: ["A", "B"], lambda: 1.5 }), "lambda", "must be in (0, 1)");
  });
});

describe("estimateModelInputs", () => {
  const uniform = prng(11);
  const z = normals(400, uniform);
  const e = normals(400, uniform);
  const h = dailyHistory({ BTC: fromReturns(z.map((q) => 0.03 * q)), ETH: fromReturns(z.map((q, t) => 0.04 * (0.8 * q + 0.6 * e[t]!))) });

  it("gives EWMA vols and an EWMA-weighted correlation by default, accepted by the Monte Carlo correlation", () => {
    const { vols, correlation } = estimateModelInputs(h);
    expect(vols).toEqual({ BTC: ewmaVol(h, "BTC").last, ETH: ewmaVol(h, "ETH").last });
    expect(correlation).toEqual(correlationFrom(h, { lambda: 0.94 }));
    expect(prepareCorrelation(correlation).repair).toBeUndefined();
  });

  it("gives sample vols and correlation over a window with the simple method", () => {
    const { vols, correlation } = estimateModelInputs(h, { method: "simple", window: 250, symbols: ["ETH"] });
    expect(vols).toEqual({ ETH: realisedVol(h, "ETH", { window: 250 }) });
    expect(correlation).toEqual({ underlyings: ["ETH"], matrix: [[1]] });
    const all = estimateModelInputs(h, { method: "simple" });
    expect(all.vols.BTC).toBeCloseTo(0.03 * Math.sqrt(365), 1);
    expect(all.correlation.matrix[0]![1]).toBeCloseTo(0.8, 1);
  });

  it("refuses an unknown method and EWMA options with the simple method", () => {
    expectInputError(() => estimateModelInputs(h, { method: "garch" as "simple" }), "method", 'must be "ewma" or "simple"');
    expectInputError(() => estimateModelInputs(h, { method: "simple", lambda: 0.9 }), "lambda", "ewma");
    expectInputError(() => estimateModelInputs(h, { method: "simple", seed: 10 }), "seed", "ewma");
  });
});
