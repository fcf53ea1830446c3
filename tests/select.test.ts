// Floyd–Rivest selection: the WASM kernel selectF64 (build/pmargin.wasm, own
// instance) against the JS reference selectReference and against a full sort.
// Same algorithm and same floating-point steps, so beyond a[k] the two must
// leave the array in the same arrangement.
import { describe, expect, it } from "vitest";
import type { Kernels } from "../src/engine/wasm.js";
import { InputError } from "../src/errors.js";
import { selectReference } from "../src/reference/select.js";
import { prng } from "./fixtures/synthetic.js";
import { heap, reserve, wasm } from "./helpers/wasm-raw.js";

// The raw instance of build/pmargin.wasm: the kernel alone, no engine.
const kernels = wasm as unknown as Pick<Kernels, "memory" | "selectF64">;

/** Runs the kernel on a copy of `data` in WASM memory and returns the result. */
function wasmSelect(data: Float64Array, left: number, right: number, k: number): Float64Array {
  reserve(data.length * 8).set(data, heap / 8);
  kernels.selectF64(heap, left, right, k);
  return new Float64Array(kernels.memory.buffer, heap, data.length).slice();
}

function jsSelect(data: Float64Array, left: number, right: number, k: number): Float64Array {
  const a = data.slice();
  selectReference(a, left, right, k);
  return a;
}

/** Indices in [left, right] on the wrong side of a[k]. */
function partitionViolations(a: Float64Array, left: number, right: number, k: number): number[] {
  const bad: number[] = [];
  for (let i = left; i <= right; i++) if ((i < k && a[i]! > a[k]!) || (i > k && a[i]! < a[k]!)) bad.push(i);
  return bad;
}

/** First index where a and b differ (Object.is), −1 when equal; vitest's deep toEqual is slow on 10^5 elements. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Checks WASM == JS (whole arrangement), a[k] == sorted[k], the partition, and nothing moved outside the range. */
function checkAll(data: Float64Array, left: number, right: number, k: number): void {
  const sorted = data.slice(left, right + 1).sort();
  const w = wasmSelect(data, left, right, k);
  const j = jsSelect(data, left, right, k);
  expect(w[k], `a[${k}] of ${data.length}`).toBe(sorted[k - left]);
  expect(j[k]).toBe(sorted[k - left]);
  expect(partitionViolations(w, left, right, k)).toEqual([]);
  expect(firstDifference(w, j), "WASM and JS arrangements").toBe(-1);
  expect(firstDifference(w.subarray(0, left), data.subarray(0, left)), "left of the range").toBe(-1);
  expect(firstDifference(w.subarray(right + 1), data.subarray(right + 1)), "right of the range").toBe(-1);
  // A permutation of the range: same multiset.
  expect(firstDifference(w.slice(left, right + 1).sort(), sorted), "multiset").toBe(-1);
}

function uniform(seed: number, n: number): Float64Array {
  const rnd = prng(seed);
  return Float64Array.from({ length: n }, () => 2 * rnd() - 1);
}

/** Mostly zero PnL, the rest on a few values: the shape of a book that is flat in most paths. */
function manyTies(seed: number, n: number): Float64Array {
  const rnd = prng(seed);
  return Float64Array.from({ length: n }, () => (rnd() < 0.9 ? 0 : Math.floor(rnd() * 7) - 3));
}

const ranks = (n: number): number[] =>
  [...new Set([0, 1, Math.floor(n / 3), Math.floor(n / 2), Math.ceil(0.975 * n) - 1, Math.ceil(0.99 * n) - 1, n - 2, n - 1])]
    .filter((k) => k >= 0 && k < n);

describe("selectF64 (WASM) and selectReference (JS)", () => {
  it("agree with each other and with a full sort on random data, below and above the sampling cut-off", () => {
    for (const n of [10, 601, 602, 5_000, 100_000]) {
      const data = uniform(n, n);
      for (const k of ranks(n)) checkAll(data, 0, n - 1, k);
    }
  });

  it("are exact with 90% zeros and seven distinct values", () => {
    for (const n of [700, 50_000]) {
      const data = manyTies(n + 1, n);
      for (const k of ranks(n)) checkAll(data, 0, n - 1, k);
    }
  });

  it("are exact when every value is equal", () => {
    const data = new Float64Array(20_000).fill(-2.5);
    for (const k of ranks(data.length)) checkAll(data, 0, data.length - 1, k);
  });

  it("are exact on sorted and on reversed input", () => {
    const n = 30_000;
    const up = Float64Array.from({ length: n }, (_, i) => i * 0.5);
    const down = up.slice().reverse();
    for (const k of ranks(n)) {
      checkAll(up, 0, n - 1, k);
      checkAll(down, 0, n - 1, k);
    }
  });

  it("handle one, two and three elements in every order", () => {
    checkAll(new Float64Array([7]), 0, 0, 0);
    for (const d of [[1, 2], [2, 1], [3, 3]]) for (const k of [0, 1]) checkAll(new Float64Array(d), 0, 1, k);
    const perms = [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1], [2, 2, 1], [1, 2, 2]];
    for (const d of perms) for (const k of [0, 1, 2]) checkAll(new Float64Array(d), 0, 2, k);
  });

  it("work on a sub-range and leave everything outside it untouched", () => {
    const data = uniform(3, 20_000);
    for (const k of [1_000, 9_999, 18_999]) checkAll(data, 1_000, 18_999, k);
    checkAll(data, 500, 500, 500);
  });

  it("reference refuses bounds outside 0 ≤ left ≤ k ≤ right < length", () => {
    const a = new Float64Array(4);
    expect(() => selectReference(a, 0, 4, 1)).toThrow(InputError);
    expect(() => selectReference(a, 2, 3, 1)).toThrow(InputError);
    expect(() => selectReference(a, 0, 3, 1.5)).toThrow(InputError);
  });
});
