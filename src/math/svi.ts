import { InputError } from "../errors.js";
import { Pchip } from "./pchip.js";

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

/** Largest vol difference (absolute: 1e-6 is 0.0001 vol points) allowed between a sampled SVI slice's interpolant and the SVI it samples. */
export const SVI_SAMPLING_TOLERANCE = 1e-6;

/** Log-moneyness an SVI slice is sampled over when it gives no range: strikes from e^−3 ≈ 0.05 to e^3 ≈ 20 times the forward. */
export const SVI_DEFAULT_RANGE: readonly [number, number] = [-3, 3];

/** Intervals at most in a sampled SVI slice. */
const SVI_MAX_INTERVALS = 8_192;

/** Points inside each interval where a sampling is checked against the SVI. */
const PROBES = 7;

/** An SVI smile sampled on log-moneyness nodes, and the largest difference found from the SVI. */
export interface SviSampling {
  logMoneyness: number[];
  vols: number[];
  maxError: number;
}

/**
 * About `intervals` + 1 log-moneyness nodes from lo to hi, evenly spaced in
 * u = asinh((k − m)/σ) — spacing in k grows as √((k − m)² + σ²), the scale on which the
 * smile bends — and placed so that the smile's vertex k* = m − ρσ/√(1 − ρ²), where the
 * total variance is least, is a node (PCHIP puts a slope of 0 at a node between falling
 * and rising secants, which is exact there).
 */
function sviNodes(p: SviSmile, lo: number, hi: number, intervals: number): number[] {
  const u = (k: number): number => Math.asinh((k - p.m) / p.sigma);
  const vertex = u(p.m - (p.rho * p.sigma) / Math.sqrt(1 - p.rho * p.rho));
  const [u0, u1] = [u(lo), u(hi)];
  const du = (u1 - u0) / intervals;
  const nodes = [lo];
  for (let j = Math.ceil((u0 - vertex) / du); vertex + j * du < u1; j++) {
    const k = p.m + p.sigma * Math.sinh(vertex + j * du);
    if (k > nodes[nodes.length - 1]! && k < hi) nodes.push(k);
  }
  nodes.push(hi);
  return nodes;
}

/**
 * Samples an SVI smile of `t` years on log-moneyness nodes over `range` (sviNodes),
 * as a node slice reads it (PCHIP between the nodes, flat beyond them): the intervals
 * double from 16 until the interpolant is within SVI_SAMPLING_TOLERANCE of the SVI vol at
 * 7 points inside every interval. InputError at `path` when the total variance is not
 * positive somewhere in the range or no sampling of up to 8,192 intervals gets there.
 */
export function sampleSvi(p: SviSmile, t: number, range: readonly [number, number], path: string, source?: string): SviSampling {
  const [lo, hi] = range;
  const vol = (k: number): number => Math.sqrt(sviTotalVariance(p, k) / t);
  for (let intervals = 16; intervals <= SVI_MAX_INTERVALS; intervals *= 2) {
    const logMoneyness = sviNodes(p, lo, hi, intervals);
    const vols = logMoneyness.map(vol);
    const bad = vols.findIndex((x) => !(x > 0 && Number.isFinite(x)));
    if (bad >= 0) throw new InputError(path, `total variance ${sviTotalVariance(p, logMoneyness[bad]!)} at log-moneyness ${logMoneyness[bad]}: it must be positive over the range sampled`, source);
    const smile = new Pchip(logMoneyness, vols);
    let maxError = 0;
    for (let i = 0; i + 1 < logMoneyness.length; i++) {
      const a = logMoneyness[i]!;
      const h = logMoneyness[i + 1]! - a;
      for (let j = 1; j <= PROBES; j++) {
        const k = a + (h * j) / (PROBES + 1);
        maxError = Math.max(maxError, Math.abs(smile.at(k) - vol(k)));
      }
    }
    if (maxError <= SVI_SAMPLING_TOLERANCE) return { logMoneyness, vols, maxError };
  }
  throw new InputError(path, `no sampling of up to ${SVI_MAX_INTERVALS} intervals reads this SVI to within ${SVI_SAMPLING_TOLERANCE} in vol over [${lo}, ${hi}]: a sharper smile than a market gives (sigma near 0?)`, source);
}
