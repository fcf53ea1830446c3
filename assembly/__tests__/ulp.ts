// Distance between doubles in units in the last place, shared by the specs.

/** Number of doubles between a and b (NaN vs NaN is 0, NaN vs number is huge). */
export function ulpDiff(a: f64, b: f64): i64 {
  if (isNaN(a) || isNaN(b)) return isNaN(a) && isNaN(b) ? 0 : i64.MAX_VALUE;
  let ia = reinterpret<i64>(a);
  let ib = reinterpret<i64>(b);
  if (ia < 0) ia = -(ia & 0x7fffffffffffffff);
  if (ib < 0) ib = -(ib & 0x7fffffffffffffff);
  const d = ia - ib;
  return d < 0 ? -d : d;
}
