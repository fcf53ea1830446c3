// Black-76 implied volatility, robust from an hour to years and deep in or out
// of the money.
import { InputError } from "../errors.js";
import { black76 } from "../math/black76.js";

export interface ImpliedVolInputs {
  /** Option premium (discounted), USD. */
  price: number;
  /** Forward price (> 0). */
  forward: number;
  /** Strike (> 0). */
  strike: number;
  /** Years to expiry (≥ 0). */
  time: number;
  /** Continuous discount rate. */
  rate: number;
  /** +1 call, −1 put. */
  phi: 1 | -1;
}

/** Search range of the solver; a price needing more than VOL_MAX is rejected. */
export const VOL_MAX = 20;
const MAX_ITERATIONS = 100;
/** Stop when ln(Black) matches ln(target) to this (a relative price error). */
const PRICE_TOL = 1e-14;
/** Or when the step in ln σ is below this (a relative vol error). */
const VOL_TOL = 1e-15;
/**
 * Far out of the money Black's price carries relative rounding of up to ~1e-12
 * (F·N(d1) − K·N(d2) cancels), so Newton steps in ln σ stall around
 * 1e-15…1e-14 instead of vanishing: a step this small that did not halve is
 * accepted (a relative vol change far below any use of the result).
 */
const NOISE_STEP = 1e-12;
const EPS = Number.EPSILON;

/**
 * The Black-76 volatility that reproduces `price`.
 *
 * 1. Undiscount (u = price·e^(rT)) and keep only the time value c = u − intrinsic,
 *    which by put-call parity is the price of the out-of-the-money option (call
 *    for K > F, put for K < F). Out of the money the price has full relative
 *    precision; in the money it is a small difference of large numbers.
 * 2. No-arbitrage: 0 ≤ c < min(F, K) (i.e. intrinsic ≤ u < F for a call, < K for
 *    a put), else InputError("price"). A time value within rounding of zero
 *    (a few ulps of max(F, K) when it came from an in-the-money price) gives 0;
 *    at zero time any other time value is an error.
 * 3. Solve ln Black(σ) = ln c for the OTM option, a safeguarded Newton iteration
 *    in y = ln σ (Numerical Recipes' rtsafe: bisect when Newton leaves the
 *    bracket or does not halve the step). In ln σ the log price is almost
 *    linear near the money and, far from it, ≈ −x²/(2σ²T) with x = ln(K/F):
 *    concave, so Newton converges in a few steps where Newton on the price
 *    itself would crawl or overshoot.
 *    The bracket's lower end is the Brenner–Subrahmanyam value
 *    sqrt(2π/T)·c/F, a true lower bound (the OTM time value at any strike is
 *    at most F·σ·sqrt(T/2π)); its upper end is VOL_MAX.
 *
 * Never returns NaN: the iteration count is bounded and every step stays in
 * the bracket.
 */
export function impliedVol(o: ImpliedVolInputs): number {
  const { forward: f, strike: k, time: t, rate, phi } = o;
  const u = o.price * Math.exp(rate * t);
  const intrinsic = Math.max(phi * (f - k), 0);
  const c = u - intrinsic;
  // In the money, c inherits the rounding of F·N(d1) − K·N(d2): ulps of max(F, K).
  const tol = intrinsic > 0 ? 8 * EPS * Math.max(f, k) : 0;
  if (c < -tol) throw new InputError("price", `${o.price} is below the intrinsic value ${intrinsic * Math.exp(-rate * t)}`);
  const upper = phi === 1 ? f : k;
  if (u >= upper) {
    throw new InputError("price", `${o.price} reaches the no-arbitrage bound ${upper * Math.exp(-rate * t)} (undiscounted ${phi === 1 ? "forward" : "strike"})`);
  }
  if (c <= tol) return 0;
  if (!(t > 0)) throw new InputError("price", `${o.price} exceeds the intrinsic value at zero time to expiry`);

  const otm: 1 | -1 = k >= f ? 1 : -1;
  const lnTarget = Math.log(c);
  // g(y) = ln Black(e^y) − ln c and its derivative σ·vega / Black (the price's elasticity).
  const evaluate = (y: number): { g: number; dg: number } => {
    const { price, vega } = black76({ forward: f, strike: k, time: t, vol: Math.exp(y), rate: 0, phi: otm });
    return price > 0 ? { g: Math.log(price) - lnTarget, dg: (vega * Math.exp(y)) / price } : { g: -Infinity, dg: 0 };
  };

  const yMax = Math.log(VOL_MAX);
  if (evaluate(yMax).g < 0) throw new InputError("price", `${o.price} implies a volatility above ${VOL_MAX}`);
  let lo = Math.log(Math.max(Math.sqrt((2 * Math.PI) / t) * (c / f), Number.MIN_VALUE));
  let hi = yMax;
  // Only rounding can put the lower bound at VOL_MAX once B(VOL_MAX) ≥ c.
  if (lo >= hi) return VOL_MAX;
  let y = initialGuess(lo, hi, c, f, k, t);
  let step = hi - lo;
  let prevStep = step;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const { g, dg } = evaluate(y);
    if (Math.abs(g) <= PRICE_TOL) return Math.exp(y);
    // A Newton step below the tolerance, or a small one that no longer shrinks
    // (ln Black has reached its rounding floor), ends the search. Checked before
    // the bracket update because such a step may round onto the end moved to y.
    const dy = g / dg;
    if (Math.abs(dy) <= VOL_TOL || (Math.abs(dy) <= NOISE_STEP && Math.abs(dy) > 0.5 * Math.abs(step))) {
      return Math.exp(y - dy);
    }
    if (g < 0) lo = y;
    else hi = y;
    const newton = y - dy;
    const useNewton = newton > lo && newton < hi && Math.abs(2 * (newton - y)) <= Math.abs(prevStep);
    prevStep = step;
    const next = useNewton ? newton : 0.5 * (lo + hi);
    step = next - y;
    y = next;
    if (Math.abs(step) <= VOL_TOL || hi - lo <= VOL_TOL) return Math.exp(y);
  }
  return Math.exp(y);
}

/**
 * Starting point in ln σ: the larger of Brenner–Subrahmanyam (accurate near the
 * money) and the deep-OTM asymptote ln(c / sqrt(FK)) ≈ −ln(K/F)²/(2σ²T), clamped
 * inside the bracket.
 */
function initialGuess(lo: number, hi: number, c: number, f: number, k: number, t: number): number {
  const x = Math.log(k / f);
  const lnNormalised = Math.log(c / Math.sqrt(f * k));
  const tail = lnNormalised < 0 ? Math.log(Math.abs(x) / Math.sqrt(-2 * lnNormalised * t)) : -Infinity;
  const y = Math.max(lo, tail);
  return y < hi ? y : 0.5 * (lo + hi);
}
