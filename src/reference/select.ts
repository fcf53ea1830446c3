// Floyd–Rivest selection in plain JS: the reference for the WASM kernel
// selectF64 in assembly/select.ts, written step for step like it. Same
// floating-point operations in the same order, and exp/log from
// src/math/deterministic.ts (bit-identical to the module's), so both leave the
// array in the same arrangement.
import { checkSelectRange, type Selector } from "../engine/select.js";
import { exp, log } from "../math/deterministic.js";

const SAMPLE_ABOVE = 600;

function select(a: Float64Array, left: number, right: number, k: number): void {
  while (right > left) {
    if (right - left > SAMPLE_ABOVE) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = log(n);
      const s = 0.5 * exp((2.0 * z) / 3.0);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m < 0.5 * n ? -1.0 : 1.0);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      select(a, newLeft, newRight, k);
    }
    const t = a[k]!;
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right]! > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i]! < t) i++;
      while (a[j]! > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * selectF64 on a Float64Array: afterwards a[k] is the value that would be at
 * index k if a[left..right] (inclusive) were sorted ascending, with nothing
 * larger before it and nothing smaller after it within the range. No NaN.
 */
export function selectReference(a: Float64Array, left: number, right: number, k: number): void {
  checkSelectRange(a.length, left, right, k);
  select(a, left, right, k);
}

/** Selection by this reference on a private copy: the Selector twin of the WASM kernel's. */
export function jsSelector(): Selector {
  let work = new Float64Array(0);
  return {
    load(losses) {
      work = losses.slice();
      return work;
    },
    select(left, right, k) {
      selectReference(work, left, right, k);
    },
    view: () => work,
  };
}
