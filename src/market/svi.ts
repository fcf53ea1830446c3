// Raw SVI smiles (Gatheral 2004): total implied variance w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²))
// in log-moneyness k = ln(K/F), fitted by least squares, and the no-arbitrage conditions of
// Gatheral & Jacquier, "Arbitrage-free SVI volatility surfaces" (2014): no butterfly arbitrage when
// g(k) ≥ 0 (their eq. 2.1), no calendar arbitrage when total variance does not decrease with expiry
// at any k (their Lemma 2.1).

export interface SviParams {
  a: number;
  b: number;
  rho: number;
  m: number;
  sigma: number;
}

/** Total variance w(k) of a raw SVI smile. */
export function sviVariance(p: SviParams, k: number): number {
  const x = k - p.m;
  return p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
}

/**
 * Gatheral–Jacquier's g(k) = (1 − k·w′/(2w))² − (w′²/4)·(1/w + 1/4) + w″/2: the risk-neutral density
 * of the smile is g(k)/√(2πw)·e^(−d₋²/2), so g < 0 somewhere means a butterfly arbitrage there.
 */
export function sviButterflyG(p: SviParams, k: number): number {
  const x = k - p.m;
  const root = Math.sqrt(x * x + p.sigma * p.sigma);
  const w = sviVariance(p, k);
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
const fromCoordinates = ([a, lnB, atanhRho, m, lnSigma]: number[]): SviParams =>
  ({ a: a!, b: Math.exp(lnB!), rho: Math.tanh(atanhRho!), m: m!, sigma: Math.exp(lnSigma!) });

export interface SviFit {
  params: SviParams;
  /** Root-mean-square error of the fitted implied vols against the quoted ones (decimal vol). */
  rmse: number;
}

/**
 * Raw SVI fitted to one expiry's implied vols by least squares in total variance, with w ≥ 0 at its
 * minimum (a + b·σ·√(1 − ρ²) ≥ 0) enforced by a penalty. `t` years; `k` log-moneyness nodes; `vols` decimal.
 * Needs at least 5 nodes (5 parameters).
 */
export function fitSvi(t: number, k: readonly number[], vols: readonly number[]): SviFit {
  const w = vols.map((v) => v * v * t);
  const minW = Math.min(...w);
  const atm = k.reduce((best, x, i) => (Math.abs(x) < Math.abs(k[best]!) ? i : best), 0);
  const span = Math.max(k[k.length - 1]! - k[0]!, 1e-3);
  const objective = (c: number[]): number => {
    const p = fromCoordinates(c);
    const floor = p.a + p.b * p.sigma * Math.sqrt(1 - p.rho * p.rho);
    let sum = floor < 0 ? 1e3 * floor * floor : 0;
    for (let i = 0; i < k.length; i++) sum += (sviVariance(p, k[i]!) - w[i]!) ** 2;
    return sum;
  };
  // A start near a flat smile at the ATM variance, then a restart from the first optimum.
  const start = [minW * 0.5, Math.log(Math.max(w[atm]!, 1e-8) / span), 0, k[atm]!, Math.log(span / 4)];
  const first = nelderMead(objective, start, [minW * 0.5 + 1e-6, 1, 0.5, span / 4, 1]);
  const best = nelderMead(objective, first.x, [Math.abs(first.x[0]!) * 0.1 + 1e-6, 0.2, 0.2, span / 10, 0.2]);
  const params = fromCoordinates(best.x);
  const squared = k.reduce((s, x, i) => s + (Math.sqrt(Math.max(sviVariance(params, x), 0) / t) - vols[i]!) ** 2, 0);
  return { params, rmse: Math.sqrt(squared / k.length) };
}
