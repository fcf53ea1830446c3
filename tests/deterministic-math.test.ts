import { describe, expect, it } from "vitest";
import { exp, log } from "../src/math/deterministic.js";
import { prng } from "./fixtures/synthetic.js";
import { mapArray } from "./helpers/wasm-raw.js";

const bits = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");

describe("deterministic scalar exp and log", () => {
  const rnd = prng(2026);
  const n = 200_000;

  it("exp gives the WASM kernel's bits on [−750, 715] and the special values", () => {
    const xs = Float64Array.from({ length: n }, (_, i) => (i < 8 ? [NaN, Infinity, -Infinity, 0, -0, 709.78, -745.13, 1e-300][i]! : -750 + 1465 * rnd()));
    expect(bits(Float64Array.from(xs, exp))).toBe(bits(mapArray("expF64x2Array", xs)));
  });

  it("log gives the WASM kernel's bits from subnormals to the largest double and the special values", () => {
    const xs = Float64Array.from({ length: n }, (_, i) =>
      i < 8 ? [NaN, Infinity, 0, -1, 5e-324, 1.7976931348623157e308, 1, 2][i]! : Math.exp(-744 + 1453 * rnd()));
    expect(bits(Float64Array.from(xs, log))).toBe(bits(mapArray("logF64x2Array", xs)));
  });

  it("stays within 2 ulp of Math.exp and 1 ulp of Math.log on ordinary arguments", () => {
    for (let i = 0; i < 20_000; i++) {
      const x = -50 + 100 * rnd();
      expect(Math.abs(exp(x) - Math.exp(x))).toBeLessThanOrEqual(4.5e-16 * Math.exp(x));
      const y = Math.exp(x);
      expect(Math.abs(log(y) - Math.log(y))).toBeLessThanOrEqual(2.3e-16 * Math.max(Math.abs(Math.log(y)), 1e-300) + 5e-324);
    }
  });
});
