// sameData (src/parallel/same.ts): when a pool treats a run's inputs as the last run's.
import { describe, expect, it } from "vitest";
import { sameData } from "../src/parallel/same.js";

describe("sameData", () => {
  it("is true for equal plain data, copies included, whatever the key order", () => {
    const a = { positions: [{ id: "p", quantity: 2, strike: 100 }], model: { paths: 10, levels: { var: [0.99] } }, note: null, f: new Float64Array([1, NaN]) };
    expect(sameData(a, structuredClone(a))).toBe(true);
    expect(sameData({ x: 1, y: [2, 3] }, { y: [2, 3], x: 1 })).toBe(true);
    expect(sameData(NaN, NaN)).toBe(true);
  });

  it("tells every difference a run could see: −0 from 0, a missing key from undefined, an array from a typed array", () => {
    expect(sameData({ q: -0 }, { q: 0 })).toBe(false);
    expect(sameData({ q: undefined }, {})).toBe(false);
    expect(sameData({ q: 1 }, { q: 1, r: 2 })).toBe(false);
    expect(sameData([1, 2], new Float64Array([1, 2]))).toBe(false);
    expect(sameData(new Float64Array([1, 2]), new Float32Array([1, 2]))).toBe(false);
    expect(sameData([1, [2, 3]], [1, [2, 4]])).toBe(false);
    expect(sameData({ a: "1" }, { a: 1 })).toBe(false);
  });

  it("takes anything but plain data as the same only as itself", () => {
    const d = new Date(0);
    expect(sameData(d, d)).toBe(true);
    expect(sameData(d, new Date(0))).toBe(false);
    expect(sameData(new Map([[1, 2]]), new Map([[1, 2]]))).toBe(false);
  });
});
