// The path kernel (assembly/paths.ts): bit-identical to its JS twin, and its
// moves have the moments the model promises — total vol (jumps included), zero
// mean, the requested correlation, vol shocks with the requested vol of vol and
// spot–vol correlation.
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { buildMarket } from "../src/market/market.js";
import { withDefaults, type MonteCarloModelInput } from "../src/model/montecarlo.js";
import { planPaths } from "../src/methods/montecarlo/plan.js";
import { pathsAtReference, pathsReference } from "../src/reference/paths.js";
import { AS_OF } from "./fixtures/synthetic.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

const market = buildMarket({ asOf: AS_OF, underlyings: { BTC: { index: 100_000 }, ETH: { index: 3_000 }, SOL: { index: 150 } } });
const names = ["BTC", "ETH", "SOL"];
const RHO = [[1, 0.8, 0.6], [0.8, 1, 0.7], [0.6, 0.7, 1]];
const base: MonteCarloModelInput = {
  seed: 99, horizon: { days: 1 }, vols: { BTC: 0.5, ETH: 0.7, SOL: 0.9 },
  correlation: { underlyings: names, matrix: RHO },
  volDynamics: { volOfVol: 0.8, spotVolCorrelation: -0.4 },
};
const plan = (m: MonteCarloModelInput) => planPaths(withDefaults({ ...base, ...m }), market, names, engine.layout.paths);

const mean = (x: Float64Array): number => x.reduce((a, v) => a + v, 0) / x.length;
const sd = (x: Float64Array): number => {
  const m = mean(x);
  return Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / (x.length - 1));
};
const corr = (x: Float64Array, y: Float64Array): number => {
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
};
const row = (plane: Float64Array, u: number, n: number): Float64Array => plane.subarray(u * n, (u + 1) * n);

describe("path kernel", () => {
  it.each([
    ["Gaussian", { marginal: { type: "normal" } }],
    ["Student-t ν=4", { marginal: { type: "student-t", nu: 4 } }],
    ["Student-t with own and common jumps", {
      marginal: { type: "student-t", nu: 3.5 },
      jumps: { idiosyncratic: { intensity: 20, mean: -0.05, vol: 0.03 }, common: { intensity: 30, mean: -0.04, vol: 0.02, beta: { SOL: 1.5 } } },
    }],
  ] as [string, MonteCarloModelInput][])("%s: WASM gives the JS reference's bits, for odd counts and any start", (_, m) => {
    const p = plan(m);
    for (const [start, n] of [[0, 1], [5, 7], [1_000, 2_001]] as const) {
      const w = engine.paths(p, start, n);
      const j = pathsReference(p, start, n);
      expect(Array.from(w.logMoves)).toEqual(Array.from(j.logMoves));
      expect(Array.from(w.volShifts)).toEqual(Array.from(j.volShifts));
    }
  });

  const N = 200_000;
  const h = 1 / 365;

  it("pathsAt (scattered paths, as an ES tail regenerates them) gives each listed path's own bits, WASM and JS", () => {
    const p = plan({ marginal: { type: "student-t", nu: 3.5 }, jumps: { common: { intensity: 30, mean: -0.04, vol: 0.02 } } });
    // Any order, repeats, odd and even counts, and a list whose length is not a multiple of four.
    for (const list of [[7], [900, 3, 3, 512, 0], [41, 40, 1_999, 2, 77, 1_000, 18, 5, 1_234]]) {
      const w = engine.pathsAt(p, list);
      const j = pathsAtReference(p, list);
      const m = list.length;
      list.forEach((path, i) => {
        const one = engine.paths(p, path, 1);
        for (let u = 0; u < names.length; u++) {
          expect(w.logMoves[u * m + i]).toBe(one.logMoves[u]);
          expect(w.volShifts[u * m + i]).toBe(one.volShifts[u]);
        }
      });
      expect(Array.from(j.logMoves)).toEqual(Array.from(w.logMoves));
      expect(Array.from(j.volShifts)).toEqual(Array.from(w.volShifts));
    }
  });

  it("pathsAt refuses a path that is not a 32-bit counter, naming it", () => {
    const p = plan({});
    for (const bad of [-1, 1.5, NaN, 2 ** 32]) expect(() => engine.pathsAt(p, [3, bad])).toThrow(/paths\[1\]/);
  });

  it("Gaussian moves have mean 0, sd σ·√h and the requested correlation (within 4 standard errors)", () => {
    const { logMoves } = engine.paths(plan({ marginal: { type: "normal" } }), 0, N);
    [0.5, 0.7, 0.9].forEach((vol, u) => {
      const x = row(logMoves, u, N);
      const s = vol * Math.sqrt(h);
      expect(Math.abs(mean(x))).toBeLessThan((4 * s) / Math.sqrt(N));
      expect(Math.abs(sd(x) / s - 1)).toBeLessThan(4 / Math.sqrt(2 * N));
    });
    for (const [a, b] of [[0, 1], [0, 2], [1, 2]] as const) {
      // SE of a sample correlation ≈ (1 − ρ²)/√N.
      expect(Math.abs(corr(row(logMoves, a, N), row(logMoves, b, N)) - RHO[a]![b]!)).toBeLessThan((4 * (1 - RHO[a]![b]! ** 2)) / Math.sqrt(N));
    }
  });

  it("Student-t moves with jumps keep the total vol and zero mean; their kurtosis is far above 3", () => {
    const p = plan({ marginal: { type: "student-t", nu: 5 }, jumps: { common: { intensity: 20, mean: -0.05, vol: 0.02 } } });
    const { logMoves } = engine.paths(p, 0, N);
    const x = row(logMoves, 0, N);
    const s = 0.5 * Math.sqrt(h);
    // Heavy tails widen the standard errors: allow 5% on the sd and 0.02·s on the mean.
    expect(Math.abs(sd(x) / s - 1)).toBeLessThan(0.05);
    expect(Math.abs(mean(x))).toBeLessThan(0.02 * s);
    const m = mean(x);
    const kurt = x.reduce((a, v) => a + (v - m) ** 4, 0) / N / sd(x) ** 4;
    expect(kurt).toBeGreaterThan(6);
  });

  it("vol shifts are lognormal with sd η·√h and spot–vol correlation ρ", () => {
    const { logMoves, volShifts } = engine.paths(plan({ marginal: { type: "normal" } }), 0, N);
    const logVol = row(volShifts, 1, N).map((v) => Math.log1p(v));
    expect(Math.abs(sd(logVol) / (0.8 * Math.sqrt(h)) - 1)).toBeLessThan(4 / Math.sqrt(2 * N));
    expect(Math.abs(corr(row(logMoves, 1, N), logVol) + 0.4)).toBeLessThan((4 * (1 - 0.16)) / Math.sqrt(N));
  });
});
