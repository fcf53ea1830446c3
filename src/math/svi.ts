import { InputError } from "../errors.js";

// Raw SVI (Gatheral): the total implied variance of one expiry as a function of log-moneyness,
// w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)); the vol at k is √(w(k)/τ).

/** A raw SVI smile: total variance in log-moneyness. */
export interface SviSmile {
  a: number;
  b: number;
  rho: number;
  m: number;
  sigma: number;
}

/** A raw SVI smile of one expiry, with the forward and the year fraction it was fitted on. */
export interface SviParams extends SviSmile {
  /** The forward k = ln(K/F) is measured from. */
  forward: number;
  /** Years the total variance is spread over (vol = √(w/τ)). */
  tau: number;
}

/**
 * Guards a venue applies when it reads a vol off SVI: log-moneyness clipped to
 * ±kScale·√(a + b·σ) and total variance capped (Derive's vol feed: 4 and 144).
 */
export interface SviGuards {
  kScale: number;
  maxTotalVariance: number;
}

/** Total variance at log-moneyness k. */
export function sviTotalVariance(p: SviSmile, k: number): number {
  const x = k - p.m;
  return p.a + p.b * (Math.sqrt(x * x + p.sigma * p.sigma) + p.rho * x);
}

function finiteField(value: unknown, path: string, positive = false): void {
  if (typeof value !== "number" || !Number.isFinite(value) || (positive && !(value > 0))) {
    throw new InputError(path, `must be a finite number${positive ? " > 0" : ""}, got ${String(value)}`);
  }
}

/** Implied vol at a strike; with guards, as the venue reads it. A negative total variance there is an InputError. */
export function sviVol(p: SviParams, strike: number, guards?: SviGuards): number {
  if (p === null || typeof p !== "object") throw new InputError("", `must be SVI parameters { a, b, rho, m, sigma, forward, tau }, got ${String(p)}`);
  for (const f of ["a", "b", "rho", "m", "sigma"] as const) finiteField(p[f], f);
  finiteField(p.forward, "forward", true);
  finiteField(p.tau, "tau", true);
  finiteField(strike, "strike", true);
  if (guards !== undefined) {
    if (guards === null || typeof guards !== "object") throw new InputError("guards", `must be { kScale, maxTotalVariance }, got ${String(guards)}`);
    finiteField(guards.kScale, "guards.kScale");
    finiteField(guards.maxTotalVariance, "guards.maxTotalVariance");
  }
  let k = Math.log(strike / p.forward);
  let w: number;
  if (guards) {
    const bound = guards.kScale * Math.sqrt(p.a + p.b * p.sigma);
    k = Math.min(bound, Math.max(-bound, k));
    w = Math.min(sviTotalVariance(p, k), guards.maxTotalVariance);
  } else {
    w = sviTotalVariance(p, k);
  }
  if (!(w >= 0)) throw new InputError("", `the smile's total variance at strike ${strike} is ${w} < 0: no vol (an arbitrage)`);
  return Math.sqrt(w / p.tau);
}
