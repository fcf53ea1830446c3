// Order statistics by selection: Floyd & Rivest, "Algorithm 489: SELECT",
// CACM 18(3), 1975, in the form of the common `quickselect` implementations.
// src/reference/select.ts is the same algorithm in JS, step for step: both
// leave the array in the same arrangement, not only the same a[k].
import { expF64x2, logF64x2 } from "./math";

// Below this range size the pivot is a[k] itself; above it, a[k] is first made
// the right order statistic of a sample around k (the paper's cut-off).
const SAMPLE_ABOVE: i32 = 600;

@inline function get(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function swap(p: usize, i: i32, j: i32): void {
  const pi = p + (<usize>i << 3);
  const pj = p + (<usize>j << 3);
  const t = load<f64>(pi);
  store<f64>(pi, load<f64>(pj));
  store<f64>(pj, t);
}

// The module's own exp/log, not Math's: src/math/deterministic.ts reproduces
// them bit for bit, so the sample bounds, and hence the arrangement, match JS.
@inline function log1(x: f64): f64 {
  return f64x2.extract_lane(logF64x2(f64x2.splat(x)), 0);
}
@inline function exp1(x: f64): f64 {
  return f64x2.extract_lane(expF64x2(f64x2.splat(x)), 0);
}

/**
 * Rearranges the f64 array at `ptr` so that a[k] is the value that would be at
 * index k if a[left..right] (inclusive) were sorted ascending, a[i] ≤ a[k] for
 * left ≤ i < k and a[i] ≥ a[k] for k < i ≤ right. Requires left ≤ k ≤ right
 * and no NaN. Deterministic (the pivot comes from a sample, not a random draw),
 * O(n) expected. The recursion into the sample shrinks the range from n to
 * about n^(2/3)/2 per level: three levels for 2^29 elements, all wasm32 holds.
 */
export function selectF64(ptr: usize, left: i32, right: i32, k: i32): void {
  while (right > left) {
    if (right - left > SAMPLE_ABOVE) {
      const n = <f64>(right - left + 1);
      const m = <f64>(k - left + 1);
      const z = log1(n);
      const s = 0.5 * exp1((2.0 * z) / 3.0);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m < 0.5 * n ? -1.0 : 1.0);
      const newLeft = <i32>Math.max(<f64>left, Math.floor(<f64>k - (m * s) / n + sd));
      const newRight = <i32>Math.min(<f64>right, Math.floor(<f64>k + ((n - m) * s) / n + sd));
      selectF64(ptr, newLeft, newRight, k);
    }
    // Hoare partition around t = a[k] with a[left] and a[right] as sentinels.
    // Both scans stop on elements equal to t, so ties split evenly.
    const t = get(ptr, k);
    let i = left;
    let j = right;
    swap(ptr, left, k);
    if (get(ptr, right) > t) swap(ptr, left, right);
    while (i < j) {
      swap(ptr, i, j);
      i++;
      j--;
      while (get(ptr, i) < t) i++;
      while (get(ptr, j) > t) j--;
    }
    if (get(ptr, left) == t) swap(ptr, left, j);
    else {
      j++;
      swap(ptr, j, right);
    }
    // t is now at j, in its final place within [left, right].
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}
