/**
 * The segment of a sorted grid that holds x: the largest i with at(i) ≤ x, given
 * at(0) ≤ x < at(n) (so i < n and the segment [i, i + 1] has positive length).
 */
export function bracket(n: number, at: (i: number) => number, x: number): number {
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (at(mid) <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}
