// Monte Carlo VaR/ES against independent math: closed forms for linear books
// under Gaussian moves, the option value at the price quantile for a monotone
// payoff, fatter tails under Student-t and jumps; determinism across chunkings
// and between the WASM kernels and their JS twins.
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { referenceBackend } from "../src/reference/backend.js";
import { InputError } from "../src/errors.js";
import { buildMarket } from "../src/market/market.js";
import type { MonteCarloModelInput } from "../src/model/montecarlo.js";
import { monteCarlo, prepareMonteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import type { Position } from "../src/model/types.js";
import { black76Price } from "../src/math/black76.js";
import { AS_OF, expiryIn, syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

const SPOT = { BTC: 100_000, ETH: 3_000, SOL: 150 };
const VOLS = { BTC: 0.5, ETH: 0.7, SOL: 0.9 };
const flat = (vol: number) => [{ expiry: expiryIn(60), logMoneyness: [0], vols: [vol] }];
const market = buildMarket({
  asOf: AS_OF,
  underlyings: {
    BTC: { index: SPOT.BTC, surface: flat(VOLS.BTC) },
    ETH: { index: SPOT.ETH, surface: flat(VOLS.ETH) },
    SOL: { index: SPOT.SOL, surface: flat(VOLS.SOL) },
  },
});
const RHO = [[1, 0.8, 0.6], [0.8, 1, 0.7], [0.6, 0.7, 1]];
const correlation = { underlyings: ["BTC", "ETH", "SOL"], matrix: RHO };

// Standard normal quantiles and density (independent constants).
const Z99 = 2.3263478740408408;
const Z975 = 1.959963984540054;
const phi = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/** Long BTC spot, long ETH linear future, short SOL spot: USD exposures a_u (no basis, F = S). */
const linearBook: Position[] = [
  { id: "btc", kind: "spot", underlying: "BTC", quantity: 3 },
  { id: "eth", kind: "future", settlement: "linear", underlying: "ETH", quantity: 80, expiry: expiryIn(30) },
  { id: "sol", kind: "spot", underlying: "SOL", quantity: -1_000 },
];
const exposures = [3 * SPOT.BTC, 80 * SPOT.ETH, -1_000 * SPOT.SOL];

describe("Monte Carlo VaR/ES of a linear book under Gaussian moves", () => {
  const hours = 0.25;
  const h = hours / (365 * 24);
  const model: MonteCarloModelInput = {
    paths: 400_000, seed: 11, horizon: { hours }, marginal: { type: "normal" }, vols: VOLS, correlation,
    volDynamics: { volOfVol: 0 },
  };
  const sd = [VOLS.BTC, VOLS.ETH, VOLS.SOL].map((v) => v * Math.sqrt(h));
  let sigmaP = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) sigmaP += exposures[i]! * exposures[j]! * RHO[i]![j]! * sd[i]! * sd[j]!;
  sigmaP = Math.sqrt(sigmaP);
  // PnL is Σ a_u(e^x − 1) ≈ Σ a_u·(x + x²/2), not Σ a_u·x. At the tail's most likely point
  // x*_u = −z·(Σ_v ρ_uv·sd_u·sd_v·a_v)/σ_p the x²/2 term shifts the loss by Σ a_u·x*_u²/2;
  // twice that is allowed for it.
  const designPoint = (z: number): number[] =>
    [0, 1, 2].map((u) => (-z * [0, 1, 2].reduce((acc, v) => acc + RHO[u]![v]! * sd[u]! * sd[v]! * exposures[v]!, 0)) / sigmaP);
  const convexityAt = (z: number): number => 2 * Math.abs(designPoint(z).reduce((acc, x, u) => acc + (exposures[u]! * x * x) / 2, 0));
  const convexity = convexityAt(2.5);

  it("99% VaR converges to z·σ_p and 97.5% ES to σ_p·φ(z)/(1 − α), within 4 standard errors", () => {
    const r = monteCarlo(engine, linearBook, market, model);
    const v = r.portfolio.var[0]!;
    const es = r.portfolio.es[0]!;
    expect(Math.abs(v.value - Z99 * sigmaP)).toBeLessThan(4 * v.standardError + convexity);
    expect(Math.abs(es.value - (sigmaP * phi(Z975)) / 0.025)).toBeLessThan(4 * es.standardError + convexity);
    // The check has teeth: the standard errors are well under 1% of the figures.
    expect(v.standardError / v.value).toBeLessThan(0.01);
    expect(convexity / v.value).toBeLessThan(0.01);
  });

  it("each underlying's standalone VaR is z·|a_u|·σ_u·√h, and diversification is the gap to the portfolio", () => {
    const r = monteCarlo(engine, linearBook, market, { ...model, paths: 200_000 });
    r.underlyings.forEach((u, i) => {
      const e = u.usd.var[0]!;
      // Alone, the loss is monotone in the move: the exact lognormal quantile.
      const a = Math.abs(exposures[i]!);
      const exact = exposures[i]! > 0 ? a * (1 - Math.exp(-Z99 * sd[i]!)) : a * (Math.exp(Z99 * sd[i]!) - 1);
      expect(Math.abs(e.value - exact)).toBeLessThan(4 * e.standardError);
    });
    const d = r.diversification.find((x) => x.measure === "VaR")!;
    expect(d.standaloneSum).toBeCloseTo(r.underlyings.reduce((a, u) => a + u.usd.var[0]!.value, 0), 6);
    expect(d.benefit).toBeCloseTo(d.standaloneSum - r.portfolio.var[0]!.value, 6);
    expect(d.benefit).toBeGreaterThan(0);
  });

  it("a one-day long spot position's VaR is the exact lognormal quantile S·(1 − e^{−z·σ·√h})", () => {
    const r = monteCarlo(engine, [linearBook[0]!], market, { ...model, horizon: { days: 1 }, paths: 200_000 });
    const v = r.portfolio.var[0]!;
    const exact = exposures[0]! * (1 - Math.exp(-Z99 * VOLS.BTC * Math.sqrt(1 / 365)));
    expect(Math.abs(v.value - exact)).toBeLessThan(4 * v.standardError);
    expect(v.ci95[0]).toBeLessThan(exact * 1.02);
    expect(v.ci95[1]).toBeGreaterThan(exact * 0.98);
  });
});

describe("Monte Carlo VaR of a single long option (monotone payoff)", () => {
  it("equals the option's value change at the price quantile, aged by the horizon, within Monte Carlo error", () => {
    const expiry = expiryIn(20);
    const call: Position = { id: "c", kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: 105_000, expiry, quantity: 10 };
    const days = 1;
    const r = monteCarlo(engine, [call], market, {
      paths: 200_000, seed: 5, horizon: { days }, marginal: { type: "normal" }, vols: { BTC: 0.6 }, volDynamics: { volOfVol: 0 },
    });
    const t = market.yearFraction(expiry);
    const h = days / 365;
    const value = (x: number, tau: number): number => 10 * black76Price(SPOT.BTC * Math.exp(x), 105_000, tau, VOLS.BTC, 0, 1);
    // Loss is decreasing in the move, so the 99% loss quantile is at the 1% move quantile.
    const lossAt = (z: number): number => value(0, t) - value(-z * 0.6 * Math.sqrt(h), t - h);
    const v = r.portfolio.var[0]!;
    expect(Math.abs(v.value - lossAt(Z99))).toBeLessThan(4 * v.standardError);
    // Its interval from order statistics brackets the exact figure.
    expect(v.ci95[0]).toBeLessThanOrEqual(lossAt(Z99) * 1.001);
    expect(v.ci95[1]).toBeGreaterThanOrEqual(lossAt(Z99) * 0.999);
  });
});

describe("fat tails", () => {
  const base: MonteCarloModelInput = { paths: 200_000, seed: 3, vols: { BTC: 0.6 }, volDynamics: { volOfVol: 0 } };
  const s = 0.6 * Math.sqrt(1 / 365);
  const sigma = exposures[0]! * s;
  const ratio = (model: MonteCarloModelInput): { r: number; se: number } => {
    const res = monteCarlo(engine, [linearBook[0]!], market, { ...base, ...model });
    return { r: res.portfolio.var[0]!.value / sigma, se: res.portfolio.var[0]!.standardError / sigma };
  };
  /** VaR/σ of long spot when the log move's 1% quantile is −q·s: (1 − e^{−q·s})/s. */
  const lognormalRatio = (q: number): number => (1 - Math.exp(-q * s)) / s;

  it("Student-t (ν = 4) and Merton jumps give a larger VaR99/σ than Gaussian moves of the same vol", () => {
    const gauss = ratio({ marginal: { type: "normal" } });
    const t4 = ratio({ marginal: { type: "student-t", nu: 4 } });
    const jumps = ratio({ marginal: { type: "normal" }, jumps: { common: { intensity: 10, mean: -0.08, vol: 0.04 } } });
    expect(Math.abs(gauss.r - lognormalRatio(Z99))).toBeLessThan(4 * gauss.se);
    // A unit-variance t4's 1% quantile is t_{4,0.99}·√(1/2) = 3.7469·0.7071 = 2.6495 (Gaussian 2.3263).
    expect(Math.abs(t4.r - lognormalRatio(3.746947 * Math.SQRT1_2))).toBeLessThan(4 * t4.se);
    expect(t4.r).toBeGreaterThan(gauss.r + 4 * (gauss.se + t4.se));
    expect(jumps.r).toBeGreaterThan(gauss.r + 4 * (gauss.se + jumps.se));
  });

  it("jumps are compensated and carried inside the total vol: the diffusion vol is what remains", () => {
    const r = monteCarlo(engine, [linearBook[0]!], market, {
      ...base, paths: 1_000, jumps: { idiosyncratic: { intensity: 4, mean: -0.1, vol: 0.05 } },
    });
    const d = r.underlyings[0]!.dynamics;
    expect(d.diffusionVol).toBeCloseTo(Math.sqrt(0.36 - 4 * (0.01 + 0.0025)), 12);
  });
});

describe("reproducibility", () => {
  const positions = syntheticPositions(40, 10, 7);
  const synth = buildMarket(syntheticMarket());
  const model: MonteCarloModelInput = { paths: 5_001, seed: 2026, jumps: { common: { intensity: 3, mean: -0.1, vol: 0.05 } } };

  it("the same seed gives identical results, whatever the chunking of the paths", () => {
    const a = monteCarlo(engine, positions, synth, model);
    const b = monteCarlo(engine, positions, synth, model, { chunkPaths: 1_000 });
    const c = monteCarlo(engine, positions, synth, model, { chunkPaths: 333 });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it("an engine's reused working arrays change no bit: runs of other sizes in between, and simulate()'s rows stay the caller's", async () => {
    const fresh = monteCarlo(await createEngine(), positions, synth, model);
    const run = prepareMonteCarlo(engine, positions, synth, model);
    const rows = run.simulate(0, 2_000);
    const kept = rows.usd.map((r) => r.slice());
    monteCarlo(engine, positions, synth, { ...model, paths: 12_345 });
    expect(monteCarlo(engine, positions, synth, model)).toEqual(fresh);
    run.part(0, 3_000);
    expect(rows.usd).toEqual(kept);
  });

  it("paths split across separate engines (as workers would each hold one) give the single-engine result, bit for bit", async () => {
    const single = monteCarlo(engine, positions, synth, model);
    for (const workers of [2, 3]) {
      const engines = await Promise.all(Array.from({ length: workers }, () => createEngine()));
      const runs = engines.map((e) => prepareMonteCarlo(e, positions, synth, model));
      const size = Math.ceil(model.paths! / workers);
      const parts = runs.map((run, w) => run.part(w * size, Math.min(size, model.paths! - w * size)));
      const split = runs[0]!.summarise(parts.reverse());
      expect(split).toEqual(single);
    }
  });

  it("a different seed gives different paths", () => {
    const a = monteCarlo(engine, positions, synth, model);
    const b = monteCarlo(engine, positions, synth, { ...model, seed: 2027 });
    expect(b.portfolio.var[0]!.value).not.toEqual(a.portfolio.var[0]!.value);
  });

  it("the JS reference kernels generate the same worst paths and agree on every figure to 1e-9", () => {
    const w = monteCarlo(engine, positions, synth, model);
    const j = monteCarlo(referenceBackend(engine), positions, synth, model);
    expect(j.worst.map((p) => p.path)).toEqual(w.worst.map((p) => p.path));
    j.worst.forEach((p, i) => p.moves.forEach((m, u) => expect(m.move).toBe(w.worst[i]!.moves[u]!.move)));
    const close = (a: number, b: number): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
    close(j.portfolio.var[0]!.value, w.portfolio.var[0]!.value);
    close(j.portfolio.es[0]!.value, w.portfolio.es[0]!.value);
    j.underlyings.forEach((u, i) => close(u.usd.es[0]!.value, w.underlyings[i]!.usd.es[0]!.value));
  });
});

describe("outputs", () => {
  const positions = syntheticPositions(30, 10, 3);
  const synth = buildMarket(syntheticMarket());
  const r = () => monteCarlo(engine, positions, synth, { paths: 20_000, levels: { var: [0.95, 0.99], es: [0.975, 0.99] } });

  it("reports every requested level, in USD, with standard errors and the path count", () => {
    const res = r();
    expect(res.paths).toBe(20_000);
    expect(res.portfolio.var.map((e) => e.level)).toEqual([0.95, 0.99]);
    expect(res.portfolio.es.map((e) => e.level)).toEqual([0.975, 0.99]);
    expect(res.portfolio.var[1]!.value).toBeGreaterThan(res.portfolio.var[0]!.value);
    expect(res.portfolio.es[1]!.value).toBeGreaterThanOrEqual(res.portfolio.var[1]!.value);
    for (const e of [...res.portfolio.var, ...res.portfolio.es]) {
      expect(e.standardError).toBeGreaterThan(0);
      expect(e.ci95[0]).toBeLessThanOrEqual(e.value);
      expect(e.ci95[1]).toBeGreaterThanOrEqual(e.value);
    }
  });

  it("coin-settled underlyings also report risk in coin; the histogram counts every path; worst paths are sorted", () => {
    const res = r();
    const inverseOnly = monteCarlo(engine, positions.filter((p) => p.kind !== "spot" && p.settlement === "inverse" && p.underlying === "BTC"), synth, { paths: 5_000 });
    expect(inverseOnly.underlyings[0]!.reportCurrency).toBe("BTC");
    expect(inverseOnly.underlyings[0]!.coin!.var[0]!.value).toBeGreaterThan(0);
    expect(res.histogram.counts.reduce((a, c) => a + c, 0)).toBe(20_000);
    const losses = res.worst.map((w) => w.lossUsd);
    expect(losses).toEqual([...losses].sort((a, b) => b - a));
    expect(losses[0]).toBeGreaterThanOrEqual(res.portfolio.es[1]!.value);
    // A worst path's loss is minus the sum of its underlyings' PnL.
    for (const w of res.worst) expect(w.lossUsd).toBeCloseTo(-w.moves.reduce((a, m) => a + m.pnlUsd, 0), 6);
  });

  it("ES contributions of the positions sum to the portfolio ES; a position and its hedge contribute with opposite signs", () => {
    const res = r();
    const sum = res.contributions.positions.reduce((a, c) => a + c.esUsd, 0);
    expect(res.contributions.level).toBe(0.975);
    expect(sum).toBeCloseTo(res.portfolio.es[0]!.value, 6);
    const hedged = monteCarlo(engine, [linearBook[0]!, { id: "hedge", kind: "spot", underlying: "BTC", quantity: -1 }], market,
      { paths: 5_000, vols: VOLS, correlation, marginal: { type: "normal" } });
    const [long, hedge] = hedged.contributions.positions;
    expect(long!.esUsd).toBeGreaterThan(0);
    expect(hedge!.esUsd).toBeLessThan(0);
    expect(long!.esUsd + hedge!.esUsd).toBeCloseTo(hedged.portfolio.es[0]!.value, 6);
  });

  it("reports its progress chunk by chunk up to the number of paths", () => {
    const seen: [number, number][] = [];
    monteCarlo(engine, positions, synth, { paths: 10_000 }, { chunkPaths: 4_096, onProgress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual([[4_096, 10_000], [8_192, 10_000], [10_000, 10_000]]);
  });

  it("a correlation that is not positive semi-definite is repaired and the repair reported", () => {
    const res = monteCarlo(engine, positions, synth, {
      paths: 2_000,
      correlation: { underlyings: ["BTC", "ETH", "SOL"], matrix: [[1, 0.9, 0.9], [0.9, 1, -0.5], [0.9, -0.5, 1]] },
    });
    expect(res.correlation.repair!.minEigenvalueBefore).toBeLessThan(0);
    expect(res.correlation.repair!.frobeniusChange).toBeGreaterThan(0.1);
  });
});

describe("bad input gets a typed error naming the field", () => {
  const book = [linearBook[0]!];
  const cases: [string, MonteCarloModelInput, string][] = [
    ["ν ≤ 2", { marginal: { type: "student-t", nu: 2 } }, "model.marginal.nu"],
    ["a level of 1", { levels: { var: [1] } }, "model.levels.var[0]"],
    ["too few paths for the level", { paths: 50 }, "model.levels.var[0]"],
    ["jumps with more variance than the vol", { vols: { BTC: 0.2 }, jumps: { common: { intensity: 5, mean: -0.2, vol: 0.1 } } }, "model.jumps"],
    ["a negative vol", { vols: { BTC: -0.1 } }, "model.vols.BTC"],
    ["a correlation without a held underlying", { correlation: { underlyings: ["ETH", "SOL"], matrix: [[1, 0.5], [0.5, 1]] } }, "model.correlation.underlyings"],
  ];
  it.each(cases)("%s", (_, model, path) => {
    expect(() => monteCarlo(engine, book, market, model)).toThrow(InputError);
    try {
      monteCarlo(engine, book, market, model);
    } catch (e) {
      expect((e as InputError).path).toBe(path);
    }
  });

  it("an oversized run is refused up front with a LimitError naming paths × underlyings", async () => {
    const small = await createEngine({ limits: { pathCells: 1_000 } });
    expect(() => monteCarlo(small, linearBook, market, { paths: 500, vols: VOLS, correlation })).toThrow(/model\.paths × underlyings: 1500 requested, limit 1000/);
  });

  it("an empty portfolio", () => {
    expect(() => monteCarlo(engine, [], market, {})).toThrow(/empty portfolio/);
  });
});
