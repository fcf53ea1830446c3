/**
 * VaR backtest statistics on a breach sequence (true / 1 where the realised
 * loss exceeded the VaR forecast): Kupiec's proportion-of-failures test,
 * Christoffersen's independence and conditional-coverage tests, and the Basel
 * traffic light.
 *
 * Conventions. `level` is the VaR coverage level (0.99 for a 99% VaR); the
 * breach probability under a correct model is p = 1 − level. Likelihoods use
 * 0·ln 0 = 0, so no breaches, all breaches and empty Markov states give finite
 * statistics. Statistics that rounding could push just below zero are clamped
 * at 0. p-values are computed from the upper tail directly (not 1 − cdf), so
 * they keep their relative accuracy when tiny.
 *
 * References: P. Kupiec, "Techniques for verifying the accuracy of risk
 * measurement models", J. Derivatives 3 (1995); P. Christoffersen,
 * "Evaluating interval forecasts", Int. Econ. Rev. 39 (1998); Basel Committee,
 * "Supervisory framework for the use of backtesting in conjunction with the
 * internal models approach to market risk capital requirements" (1996).
 */
import { InputError } from "../errors.js";
import { normCdf } from "../math/normal.js";

export interface Kupiec {
  breaches: number;
  observations: number;
  /** p = 1 − level. */
  expectedRate: number;
  /** breaches / observations. */
  observedRate: number;
  lr: number;
  pValue: number;
  /** pValue < significance. */
  reject: boolean;
}

export interface Christoffersen {
  /** Transition counts over the n − 1 consecutive pairs: n_ij = days in state j after a day in state i (1 = breach). */
  n00: number;
  n01: number;
  n10: number;
  n11: number;
  /** P(breach | no breach yesterday) = n01 / (n00 + n01); null when no pair starts without a breach. */
  pi0: number | null;
  /** P(breach | breach yesterday) = n11 / (n10 + n11); null when no pair starts with a breach. */
  pi1: number | null;
  /** Unconditional breach rate over the pairs, (n01 + n11) / (n − 1); null when n = 1. */
  pi: number | null;
  lrInd: number;
  pValueInd: number;
  /** LR_POF (over all n observations) + LR_ind, χ²(2). */
  lrCc: number;
  pValueCc: number;
  /** The conditional-coverage test rejects: pValueCc < significance. */
  reject: boolean;
}

export interface TrafficLight {
  zone: "green" | "yellow" | "red";
  breaches: number;
  observations: number;
  /** P(X ≤ breaches) for X ~ Binomial(observations, 1 − level). */
  cumulativeProbability: number;
  /** Basel's plus factor (added to the multiplier 3); only for 250 observations at level 0.99. */
  plusFactor?: number;
}

/**
 * Kupiec's (1995) proportion-of-failures likelihood ratio, χ²(1) under H0:
 *   LR_POF = −2 ln[(1−p)^{n−x} p^x] + 2 ln[(1−x/n)^{n−x} (x/n)^x],
 * computed as 2[(n−x) ln((n−x)/(n(1−p))) + x ln(x/(n p))].
 */
export function kupiec(breaches: boolean[] | Uint8Array, level: number, significance = 0.05): Kupiec {
  const seq = breachSequence(breaches, level, significance);
  const n = seq.length;
  const x = seq.reduce((a, b) => a + b, 0);
  const lr = lrPof(x, n, level);
  const pValue = chiSquareSf(lr, 1);
  return { breaches: x, observations: n, expectedRate: 1 - level, observedRate: x / n, lr, pValue, reject: pValue < significance };
}

/**
 * Christoffersen's (1998) test of independence (first-order Markov chain
 * against independent breaches, χ²(1)) and of conditional coverage
 * (LR_cc = LR_POF + LR_ind, χ²(2)).
 *
 *   LR_ind = 2 [ Σ_ij n_ij ln(n_ij / (n_i0 + n_i1)) − Σ_j c_j ln(c_j / (n − 1)) ],
 *   c_j = n_0j + n_1j.
 *
 * A state never left (no breach before the last day, or no non-breach) has no
 * transitions: its π is null and its likelihood factor is 1, so the Markov and
 * the independent likelihood coincide and LR_ind = 0. The same holds with no
 * breaches at all, and for n = 1 (no pairs). LR_POF counts all n observations
 * while LR_ind counts the n − 1 pairs, the usual decomposition, which drops
 * the first observation's term from Christoffersen's joint ratio.
 */
export function christoffersen(breaches: boolean[] | Uint8Array, level: number, significance = 0.05): Christoffersen {
  const seq = breachSequence(breaches, level, significance);
  const n = seq.length;
  const x = seq.reduce((a, b) => a + b, 0);
  let n00 = 0;
  let n01 = 0;
  let n10 = 0;
  let n11 = 0;
  let prev = seq[0] === 1;
  for (let i = 1; i < n; i++) {
    const cur = seq[i] === 1;
    if (prev) {
      if (cur) n11++;
      else n10++;
    } else if (cur) n01++;
    else n00++;
    prev = cur;
  }
  const r0 = n00 + n01;
  const r1 = n10 + n11;
  const pairs = r0 + r1;
  const c1 = n01 + n11;
  const logMarkov = xLogRatio(n00, r0) + xLogRatio(n01, r0) + xLogRatio(n10, r1) + xLogRatio(n11, r1);
  const logIndependent = xLogRatio(pairs - c1, pairs) + xLogRatio(c1, pairs);
  const lrInd = Math.max(0, 2 * (logMarkov - logIndependent));
  const lrCc = lrPof(x, n, level) + lrInd;
  const pValueCc = chiSquareSf(lrCc, 2);
  return {
    n00,
    n01,
    n10,
    n11,
    pi0: r0 > 0 ? n01 / r0 : null,
    pi1: r1 > 0 ? n11 / r1 : null,
    pi: pairs > 0 ? c1 / pairs : null,
    lrInd,
    pValueInd: chiSquareSf(lrInd, 1),
    lrCc,
    pValueCc,
    reject: pValueCc < significance,
  };
}

// Basel (1996) Table 2: plus factor by number of exceptions in 250 days at 99%, green and yellow zones.
const BASEL_PLUS_FACTOR = [0, 0, 0, 0, 0, 0.4, 0.5, 0.65, 0.75, 0.85];

/**
 * Basel (1996) traffic light: green while P(X ≤ breaches) < 95%, yellow while
 * it is < 99.99%, red from there on, X ~ Binomial(observations, 1 − level).
 * For 250 observations at 99% this is green 0–4, yellow 5–9, red ≥ 10.
 */
export function trafficLight(breaches: number, observations: number, level: number): TrafficLight {
  checkLevel(level);
  if (!Number.isInteger(observations) || observations < 1) {
    throw new InputError("observations", `must be a whole number ≥ 1, got ${observations}`);
  }
  if (!Number.isInteger(breaches) || breaches < 0 || breaches > observations) {
    throw new InputError("breaches", `must be a whole number in [0, observations = ${observations}], got ${breaches}`);
  }
  const cumulativeProbability = binomialCdfPQ(breaches, observations, 1 - level, level);
  const zone = cumulativeProbability < 0.95 ? "green" : cumulativeProbability < 0.9999 ? "yellow" : "red";
  const result: TrafficLight = { zone, breaches, observations, cumulativeProbability };
  if (observations === 250 && level === 0.99) result.plusFactor = zone === "red" ? 1 : BASEL_PLUS_FACTOR[breaches]!;
  return result;
}

/**
 * χ² cumulative distribution for 1 or 2 degrees of freedom:
 * dof 1: 2Φ(√x) − 1 (= erf(√(x/2))), dof 2: 1 − e^{−x/2}. 0 for x ≤ 0.
 */
export function chiSquareCdf(x: number, dof: 1 | 2): number {
  checkChiSquare(x, dof);
  if (x <= 0) return 0;
  return dof === 1 ? 1 - 2 * normCdf(-Math.sqrt(x)) : -Math.expm1(-x / 2);
}

/**
 * P(X ≤ k) for X ~ Binomial(n, p); k is floored. Sums exact terms from k
 * towards the far tail, or takes 1 − the upper tail when k is at or above the
 * mean, so the sum runs over terms that shrink monotonically and stops once
 * they no longer change it. Each term is computed on its own by Loader's
 * saddle-point formula, accurate to a few ulps for any n (no (1−p)^n underflow,
 * no accumulated recurrence error).
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new InputError("n", `must be a whole number ≥ 0, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new InputError("p", `must be in [0, 1], got ${p}`);
  if (Number.isNaN(k)) throw new InputError("k", "must be a number, got NaN");
  return binomialCdfPQ(Math.floor(k), n, p, 1 - p);
}

/** binomialCdf with q = 1 − p supplied, so a level close to 1 loses no digits in q. */
function binomialCdfPQ(k: number, n: number, p: number, q: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (k < n * p) {
    // Terms increase up to k here, since k < np < (n + 1)p.
    let sum = 0;
    for (let i = k; i >= 0; i--) {
      const term = binomialPmf(i, n, p, q);
      if (sum + term === sum) break;
      sum += term;
    }
    return sum;
  }
  // Terms decrease from k + 1 on, since k + 1 > np > np + p − 1.
  let upper = 0;
  for (let i = k + 1; i <= n; i++) {
    const term = binomialPmf(i, n, p, q);
    if (upper + term === upper) break;
    upper += term;
  }
  return Math.max(0, 1 - upper);
}

// stirlerr(m) = ln m! − ln(√(2πm) (m/e)^m) for m = 0..15, to 22 digits.
const STIRLERR = [
  0, 0.08106146679532725821967, 0.04134069595540929409382, 0.02767792568499833914879, 0.02079067210376509311152,
  0.01664469118982119216319, 0.01387612882307074799875, 0.01189670994589177009506, 0.01041126526197209649748,
  0.009255462182712732917729, 0.008330563433362871256469, 0.007573675487951840794972, 0.006942840107209529865664,
  0.00640899418800420706844, 0.005951370112758847735624, 0.005554733551962801371039,
];
const S0 = 1 / 12;
const S1 = 1 / 360;
const S2 = 1 / 1260;
const S3 = 1 / 1680;
const S4 = 1 / 1188;
const LN_2PI = 1.8378770664093454836;

/** Stirling-series error term for whole m (Loader 2000, as in R's stirlerr). */
function stirlerr(m: number): number {
  if (m <= 15) return STIRLERR[m]!;
  const mm = m * m;
  if (m > 500) return (S0 - S1 / mm) / m;
  if (m > 80) return (S0 - (S1 - S2 / mm) / mm) / m;
  if (m > 35) return (S0 - (S1 - (S2 - S3 / mm) / mm) / mm) / m;
  return (S0 - (S1 - (S2 - (S3 - S4 / mm) / mm) / mm) / mm) / m;
}

/** bd0(x, m) = x ln(x/m) + m − x without cancellation when x ≈ m (Loader 2000). */
function bd0(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
  }
  return x * Math.log(x / m) + m - x;
}

/** P(X = x), X ~ Binomial(n, p), q = 1 − p: Loader's saddle-point form (R's dbinom_raw). */
function binomialPmf(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 1 : 0;
  if (q === 0) return x === n ? 1 : 0;
  if (x === 0) return Math.exp(p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q));
  if (x === n) return Math.exp(q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p));
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  const lf = LN_2PI + Math.log(x) + Math.log1p(-x / n);
  return Math.exp(lc - 0.5 * lf);
}

/** Upper tail P(χ² > x): dof 1: 2Φ(−√x), dof 2: e^{−x/2}. */
function chiSquareSf(x: number, dof: 1 | 2): number {
  if (x <= 0) return 1;
  return dof === 1 ? 2 * normCdf(-Math.sqrt(x)) : Math.exp(-x / 2);
}

function checkChiSquare(x: number, dof: number): void {
  if (dof !== 1 && dof !== 2) throw new InputError("dof", `must be 1 or 2, got ${dof}`);
  if (Number.isNaN(x)) throw new InputError("x", "must be a number, got NaN");
}

/** LR_POF for x breaches in n observations at coverage `level`. */
function lrPof(x: number, n: number, level: number): number {
  return Math.max(0, 2 * (xLogRatio(n - x, n * level) + xLogRatio(x, n * (1 - level))));
}

/** c · ln(c / d), 0 when c = 0 (the 0·ln 0 = 0 convention). */
function xLogRatio(c: number, d: number): number {
  return c === 0 ? 0 : c * Math.log(c / d);
}

function isBreach(breaches: boolean[] | Uint8Array, i: number): boolean {
  const b: unknown = breaches[i];
  if (b === true || b === 1) return true;
  if (b === false || b === 0) return false;
  throw new InputError(`breaches[${i}]`, `must be true/false or 1/0, got ${String(b)}`);
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new InputError("level", `must be in (0, 1), got ${level}`);
}

function checkSignificance(significance: number): void {
  if (!(significance > 0 && significance < 1)) {
    throw new InputError("significance", `must be in (0, 1), got ${significance}`);
  }
}

/** The breach flags as 0/1 after checking the arguments every test takes. */
function breachSequence(breaches: boolean[] | Uint8Array, level: number, significance: number): Uint8Array {
  checkLevel(level);
  checkSignificance(significance);
  if (!Array.isArray(breaches) && !(breaches instanceof Uint8Array)) throw new InputError("breaches", "must be an array of booleans or a Uint8Array");
  if (breaches.length < 1) throw new InputError("breaches", "must hold at least one observation");
  return Uint8Array.from({ length: breaches.length }, (_, i) => (isBreach(breaches, i) ? 1 : 0));
}
