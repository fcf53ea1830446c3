// Distances between doubles in units in the last place, for accuracy tests.
const bitsF = new Float64Array(1);
const bitsI = new BigInt64Array(bitsF.buffer);

/** Position of x on the number line of doubles (-0 and +0 both map to 0). */
function ordinal(x: number): bigint {
  bitsF[0] = x;
  const b = bitsI[0]!;
  return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
}

/** Number of doubles between a and b: the ulp error when b is the correctly rounded value (NaN vs NaN is 0). */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}
