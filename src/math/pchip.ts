// Monotone piecewise-cubic interpolation (PCHIP): what a vol surface's smiles are
// read with, in JS here and in the smile-table kernel (assembly/smile.ts).
import { bracket } from "./bracket.js";

/**
 * A monotone cubic Hermite interpolant (PCHIP, Fritsch–Carlson
 * monotonicity with the Fritsch–Butland weighted-harmonic slopes, as in SciPy's
 * PchipInterpolator). It is C1, and on each interval stays between the two node
 * values, so it neither overshoots a steep wing nor turns negative. Outside the
 * first/last node the vol is flat; a single node gives a flat smile.
 */
export class Pchip {
  /** Derivative dσ/dk at each node, computed once. */
  readonly slopes: number[];

  constructor(
    readonly k: readonly number[],
    readonly vols: readonly number[],
  ) {
    this.slopes = pchipSlopes(k, vols);
  }

  /** The interpolant at x. */
  at(x: number): number {
    const { k, vols } = this;
    const n = k.length - 1;
    if (x <= k[0]!) return vols[0]!;
    if (x >= k[n]!) return vols[n]!;
    return this.hermite(bracket(n, (i) => k[i]!, x), x);
  }

  /** The cubic Hermite interpolant on segment [lo, lo + 1] at x. */
  private hermite(lo: number, x: number): number {
    const { k, vols, slopes } = this;
    const hi = lo + 1;
    const h = k[hi]! - k[lo]!;
    const s = (x - k[lo]!) / h;
    const s2 = s * s;
    const s3 = s2 * s;
    return (
      (2 * s3 - 3 * s2 + 1) * vols[lo]! +
      (s3 - 2 * s2 + s) * h * slopes[lo]! +
      (-2 * s3 + 3 * s2) * vols[hi]! +
      (s3 - s2) * h * slopes[hi]!
    );
  }
}

/**
 * Node slopes of the PCHIP interpolant. Interior: 0 at a local extremum or flat
 * neighbour (which is what prevents overshoot), otherwise the weighted harmonic
 * mean of the neighbouring secants. Ends: the one-sided three-point estimate,
 * set to 0 if its sign disagrees with the end secant and limited to 3× that
 * secant when the data turn, the Fritsch–Carlson bound for monotonicity.
 */
function pchipSlopes(k: readonly number[], v: readonly number[]): number[] {
  const n = k.length;
  if (n === 1) return [0];
  const h = Array.from({ length: n - 1 }, (_, i) => k[i + 1]! - k[i]!);
  const d = h.map((hi, i) => (v[i + 1]! - v[i]!) / hi);
  if (n === 2) return [d[0]!, d[0]!];
  const m = new Array<number>(n).fill(0);
  for (let i = 1; i < n - 1; i++) {
    const a = d[i - 1]!;
    const b = d[i]!;
    if (a * b <= 0) continue;
    const w1 = 2 * h[i]! + h[i - 1]!;
    const w2 = h[i]! + 2 * h[i - 1]!;
    m[i] = (w1 + w2) / (w1 / a + w2 / b);
  }
  m[0] = endSlope(h[0]!, h[1]!, d[0]!, d[1]!);
  m[n - 1] = endSlope(h[n - 2]!, h[n - 3]!, d[n - 2]!, d[n - 3]!);
  return m;
}

/** End slope from the end interval (h0, d0) and its neighbour (h1, d1). */
function endSlope(h0: number, h1: number, d0: number, d1: number): number {
  const m = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1);
  if (Math.sign(m) !== Math.sign(d0)) return 0;
  if (Math.sign(d0) !== Math.sign(d1) && Math.abs(m) > Math.abs(3 * d0)) return 3 * d0;
  return m;
}
