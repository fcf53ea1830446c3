// Raw SVI smiles (Gatheral 2004): total implied variance w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²))
// in log-moneyness k = ln(K/F), fitted by least squares, and the no-arbitrage conditions of
// Gatheral & Jacquier, "Arbitrage-free SVI volatility surfaces" (2014): no butterfly arbitrage when
// g(k) ≥ 0 (their eq. 2.1), no calendar arbitrage when total variance does not decrease with expiry
// at any k (their Lemma 2.1).
import { sviTotalVariance, type SviSmile } from "../math/svi.js";

/**
 * Gatheral–Jacquier's g(k) = (1 − k·w′/(2w))² − (w′²/4)·(1/w + 1/4) + w″/2: the risk-neutral density
 * of the smile is g(k)/√(2πw)·e^(−d₋²/2), so g < 0 somewhere means a butterfly arbitrage there.
 */
export function sviButterflyG(p: SviSmile, k: number): number {
  const x = k - p.m;
  const root = Math.sqrt(x * x + p.sigma * p.sigma);
  const w = sviTotalVariance(p, k);
  const w1 = p.b * (p.rho + x / root);
  const w2 = (p.b * p.sigma * p.sigma) / (root * root * root);
  return (1 - (k * w1) / (2 * w)) ** 2 - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
}

/**
 * Nelder–Mead simplex minimisation (Lagarias et al.'s standard coefficients: reflect 1, expand 2,
 * contract ½, shrink ½), a fixed number of iterations or until the simplex's values agree to `tol`.
 */
export function nelderMead(f: (x: number[]) => number, start: number[], step: number[], iterations = 2000, tol = 1e-16): { x: number[]; value: number } {
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((s, j) => (i === j ? s + step[i]! : s)))].map((x) => ({ x, value: f(x) }));
  const towards = (from: number[], to: number[], t: number): number[] => from.map((a, i) => a + t * (to[i]! - a));
  const valued = (x: number[]): { x: number[]; value: number } => ({ x, value: f(x) });
  for (let it = 0; it < iterations; it++) {
    simplex.sort((p, q) => p.value - q.value);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.value - best.value) <= tol * (Math.abs(best.value) + tol)) break;
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p.x[j]!, 0) / n);
    const reflected = towards(centroid, worst.x, -1);
    const fr = f(reflected);
    if (fr < best.value) {
      const expanded = towards(centroid, worst.x, -2);
      const fe = f(expanded);
      simplex[n] = fe < fr ? { x: expanded, value: fe } : { x: reflected, value: fr };
    } else if (fr < simplex[n - 1]!.value) {
      simplex[n] = { x: reflected, value: fr };
    } else {
      const contracted = fr < worst.value ? towards(centroid, reflected, 0.5) : towards(centroid, worst.x, 0.5);
      const fc = f(contracted);
      if (fc < Math.min(fr, worst.value)) simplex[n] = { x: contracted, value: fc };
      else simplex = simplex.map((p, i) => (i === 0 ? p : valued(towards(best.x, p.x, 0.5))));
    }
  }
  simplex.sort((p, q) => p.value - q.value);
  return simplex[0]!;
}

/** Unconstrained coordinates → raw SVI parameters with b > 0, |ρ| < 1, σ > 0 (a and m free). */
const fromCoordinates = ([a, lnB, atanhRho, m, lnSigma]: number[]): SviSmile =>
  ({ a: a!, b: Math.exp(lnB!), rho: Math.tanh(atanhRho!), m: m!, sigma: Math.exp(lnSigma!) });
const toCoordinates = (p: SviSmile): number[] => [p.a, Math.log(p.b), Math.atanh(p.rho), p.m, Math.log(p.sigma)];

/** The solution of the 3×3 system A·x = r (Gaussian elimination with partial pivoting); undefined if singular. */
function solve3(a: number[][], r: number[]): number[] | undefined {
  const m = a.map((row, i) => [...row, r[i]!]);
  for (let c = 0; c < 3; c++) {
    const p = [c, c + 1, c + 2].filter((i) => i < 3).reduce((best, i) => (Math.abs(m[i]![c]!) > Math.abs(m[best]![c]!) ? i : best), c);
    [m[c], m[p]] = [m[p]!, m[c]!];
    if (Math.abs(m[c]![c]!) < 1e-300) return undefined;
    for (let i = c + 1; i < 3; i++) {
      const f = m[i]![c]! / m[c]![c]!;
      for (let j = c; j < 4; j++) m[i]![j]! -= f * m[c]![j]!;
    }
  }
  const x = [0, 0, 0];
  for (let i = 2; i >= 0; i--) x[i] = (m[i]![3]! - [0, 1, 2].filter((j) => j > i).reduce((s, j) => s + m[i]![j]! * x[j]!, 0)) / m[i]![i]!;
  return x;
}

/**
 * For fixed m and σ the raw SVI is linear in (a, bρ, b) — Zeliade's quasi-explicit reduction: the
 * weighted least-squares (a, bρ, b), then moved into the admissible set (b > 0, |ρ| < 1, minimum
 * variance a + bσ√(1 − ρ²) ≥ 0).
 */
function innerFit(m: number, sigma: number, k: readonly number[], w: readonly number[], weights: readonly number[]): SviSmile {
  const sums = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const rhs = [0, 0, 0];
  k.forEach((x, i) => {
    const row = [1, x - m, Math.sqrt((x - m) ** 2 + sigma * sigma)];
    for (let r = 0; r < 3; r++) {
      rhs[r]! += weights[i]! * row[r]! * w[i]!;
      for (let c = 0; c < 3; c++) sums[r]![c]! += weights[i]! * row[r]! * row[c]!;
    }
  });
  const [a = 0, d = 0, c = 0] = solve3(sums, rhs) ?? [];
  const b = Math.max(c, 1e-8);
  const rho = Math.max(-0.999, Math.min(0.999, d / b));
  return { a: Math.max(a, -b * sigma * Math.sqrt(1 - rho * rho)), b, rho, m, sigma };
}

export interface SviFit {
  params: SviSmile;
  /** Root-mean-square error of the fitted implied vols against the quoted ones (decimal vol). */
  rmse: number;
}

/**
 * Raw SVI fitted to one expiry's implied vols by least squares, each total-variance residual weighted
 * by 1/(2σᵢt)² so that it counts as a vol error (dw = 2σt·dσ). The (m, σ) plane is searched with the
 * other three parameters solved exactly (innerFit), then all five polished together, the minimum
 * variance kept ≥ 0 by a penalty. `t` years; `k` log-moneyness nodes; `vols` decimal; at least 5 nodes.
 */
export function fitSvi(t: number, k: readonly number[], vols: readonly number[]): SviFit {
  const w = vols.map((v) => v * v * t);
  const weights = vols.map((v) => 1 / (2 * v * t) ** 2);
  const error = (p: SviSmile): number => k.reduce((s, x, i) => s + weights[i]! * (sviTotalVariance(p, x) - w[i]!) ** 2, 0);
  const span = Math.max(k[k.length - 1]! - k[0]!, 1e-3);
  const plane = nelderMead(([m, lnSigma]) => error(innerFit(m!, Math.exp(lnSigma!), k, w, weights)), [0, Math.log(span / 4)], [span / 4, 1]);
  const start = innerFit(plane.x[0]!, Math.exp(plane.x[1]!), k, w, weights);
  const polished = nelderMead((c) => {
    const p = fromCoordinates(c);
    const floor = p.a + p.b * p.sigma * Math.sqrt(1 - p.rho * p.rho);
    return error(p) + (floor < 0 ? 1e6 * floor * floor : 0);
  }, toCoordinates(start), [Math.abs(start.a) * 0.1 + 1e-6, 0.1, 0.1, span / 20, 0.1]);
  const candidate = fromCoordinates(polished.x);
  const admissible = candidate.a + candidate.b * candidate.sigma * Math.sqrt(1 - candidate.rho * candidate.rho) >= 0;
  const params = admissible && error(candidate) < error(start) ? candidate : start;
  const squared = k.reduce((s, x, i) => s + (Math.sqrt(Math.max(sviTotalVariance(params, x), 0) / t) - vols[i]!) ** 2, 0);
  return { params, rmse: Math.sqrt(squared / k.length) };
}
