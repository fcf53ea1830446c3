// A vol surface's packed slices (VolSurface.packed) read in JavaScript, with the
// smile-table kernel's arithmetic in its order (assembly/smile.ts): the same bits.

/** The PCHIP smile of the packed slice at `at` at log-moneyness k0 − xs[i] (xs increasing), flat beyond its end nodes. */
export function sliceVols(slices: Float64Array, at: number, k0: number, xs: ArrayLike<number>, out: Float64Array): void {
  const count = slices[at + 1]!;
  const k = at + 2, vols = k + count, slopes = vols + count;
  const n = count - 1;
  let lo = Math.max(n - 1, 0);
  for (let i = 0; i < xs.length; i++) {
    const x = k0 - xs[i]!;
    if (x <= slices[k]!) out[i] = slices[vols]!;
    else if (x >= slices[k + n]!) out[i] = slices[vols + n]!;
    else {
      // The largest lo with k[lo] ≤ x: the k fall as i rises, so walk down.
      while (lo > 0 && slices[k + lo]! > x) lo--;
      const h = slices[k + lo + 1]! - slices[k + lo]!;
      const s = (x - slices[k + lo]!) / h;
      const s2 = s * s;
      const s3 = s2 * s;
      out[i] =
        (2 * s3 - 3 * s2 + 1) * slices[vols + lo]! +
        (s3 - 2 * s2 + s) * h * slices[slopes + lo]! +
        (-2 * s3 + 3 * s2) * slices[vols + lo + 1]! +
        (s3 - s2) * h * slices[slopes + lo + 1]!;
    }
  }
}

/** Total-variance interpolation between slice a (vol va, time ta) and b with b's weight w, at t. */
export const betweenSlices = (va: number, vb: number, w: number, ta: number, tb: number, t: number): number =>
  Math.sqrt(((1 - w) * va * va * ta + w * vb * vb * tb) / t);

const ZERO_MOVE = new Float64Array(1);
const va = new Float64Array(1);
const vb = new Float64Array(1);

/** The vol at log-moneyness k of the smile at t read from slice a, or a and b with b's weight w (b < 0: a alone). */
export function smileVol(slices: Float64Array, a: number, b: number, w: number, t: number, k: number): number {
  sliceVols(slices, a, k, ZERO_MOVE, va);
  if (b < 0) return va[0]!;
  sliceVols(slices, b, k, ZERO_MOVE, vb);
  return betweenSlices(va[0]!, vb[0]!, w, slices[a]!, slices[b]!, t);
}
