// Radix orders of doubles (src/risk/order.ts) against the built-in sorts: the
// same order as Float64Array's sort, and stable like a comparison sort, on
// values of every sign and size with ties and signed zeros.
import { describe, expect, it } from "vitest";
import { radixOrder, sortAscending } from "../src/risk/order.js";
import { prng } from "./fixtures/synthetic.js";

const rnd = prng(19);
/** Values spanning 24 orders of magnitude, both signs, many repeated, and zeros of both signs. */
const sample = (n: number): Float64Array => {
  const pool = Array.from({ length: Math.ceil(n / 3) }, () => (rnd() - 0.5) * 10 ** Math.floor(rnd() * 24 - 12));
  return Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? (i % 2 ? -0 : 0) : pool[Math.floor(rnd() * pool.length)]!));
};
const signs = (a: ArrayLike<number>): boolean[] => Array.from(a, (x) => Object.is(x, -0));

describe("radixOrder", () => {
  it.each([0, 1, 2, 50, 5_000, 60_000])("orders %i values as a stable comparison sort does, ascending and descending", (n) => {
    const values = sample(n);
    const before = values.slice();
    const stable = (sign: number): number[] => [...values.keys()].sort((i, j) => sign * (values[i]! - values[j]!) || i - j);
    expect(Array.from(radixOrder(values, false, true))).toEqual(stable(1));
    expect(Array.from(radixOrder(values, true, true))).toEqual(stable(-1));
    expect(values).toEqual(before);
  });

  it("without zeroEqual puts −0 before +0 ascending and after it descending, keeping each one's order", () => {
    const values = Float64Array.from([0, -0, 1, -0, 0, -1]);
    expect(Array.from(radixOrder(values))).toEqual([5, 1, 3, 0, 4, 2]);
    expect(Array.from(radixOrder(values, true))).toEqual([2, 0, 4, 1, 3, 5]);
  });

  it("reads a view at an offset in a larger buffer", () => {
    const all = sample(3_000);
    const view = all.subarray(1_001, 2_500);
    expect(Array.from(radixOrder(view), (j) => view[j])).toEqual(Array.from(view.slice().sort()));
  });
});

describe("sortAscending", () => {
  it.each([0, 7, 1_023, 1_024, 40_000])("sorts %i values in place exactly as Float64Array's sort does, signed zeros included", (n) => {
    const values = sample(n);
    const want = values.slice().sort();
    const sorted = sortAscending(values);
    expect(sorted).toBe(values);
    expect(sorted).toEqual(want);
    expect(signs(sorted)).toEqual(signs(want));
  });
});
