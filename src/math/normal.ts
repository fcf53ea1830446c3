// Scalar standard normal CDF: W. J. Cody's rational Chebyshev approximations
// (ACM TOMS 715, as in R's pnorm), all three regions, relative error ~1e-15.
// The JS baseline and test oracle for the vectorised kernel in assembly/math.ts.

const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
  2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
  1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
  18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];
const SQRT_32 = 5.656854249492380195206754896838;
export const INV_SQRT_2PI = 0.398942280401432677939946059934;

/** Upper tail 1 − N(y) for y ≥ 0.67448975. */
function upperTail(y: number): number {
  if (y <= SQRT_32) {
    let num = C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    // y²/2 ≤ 16 here: one exp loses at most 2e-15 relative.
    return Math.exp(-0.5 * y * y) * ((num + C[7]!) / (den + D[7]!));
  }
  const inv = 1 / (y * y);
  let num = P[5]! * inv;
  let den = inv;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * inv;
    den = (den + Q[i]!) * inv;
  }
  const ratio = (INV_SQRT_2PI - (inv * (num + P[4]!)) / (den + Q[4]!)) / y;
  // Far tail: split the exp so y² loses no digits.
  const hi = Math.trunc(y * 16) / 16;
  const lo = (y - hi) * (y + hi);
  return Math.exp(-hi * hi * 0.5) * Math.exp(-lo * 0.5) * ratio;
}

/** Standard normal cumulative distribution function N(x). */
export function normCdf(x: number): number {
  const y = Math.abs(x);
  if (y < 0.67448975) {
    const xsq = x * x;
    let num = A[4]! * xsq;
    let den = xsq;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]!) * xsq;
      den = (den + B[i]!) * xsq;
    }
    return 0.5 + (x * (num + A[3]!)) / (den + B[3]!);
  }
  if (y > 38.5) return x > 0 ? 1 : 0;
  const tail = upperTail(y);
  return x > 0 ? 1 - tail : tail;
}

/** Standard normal density. */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}
