// Accuracy of the vectorised f64x2 math in assembly/math.ts, called through the
// array exports of build/pmargin.wasm, against independent oracles: V8's
// Math.exp / Math.log (fdlibm, < 1 ulp) and @stdlib's erfc (FreeBSD, < 1 ulp).
// The bounds asserted here are the ones documented in the header of
// assembly/math.ts. Set MATH_REPORT=1 to print the measured maxima.
import erfc from "@stdlib/math-base-special-erfc";
import { prng as mulberry32 } from "./fixtures/synthetic.js";
import { afterAll, describe, expect, it } from "vitest";
import { normCdf as refNormCdf } from "../src/math/normal.js";
import { mapArray, type ArrayKernel } from "./helpers/wasm-raw.js";
import { ulpDistance } from "./helpers/ulp.js";

// ---------------------------------------------------------------- utilities

function linspace(lo: number, hi: number, n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + ((hi - lo) * i) / (n - 1);
  a[n - 1] = hi;
  return a;
}

function uniform(seed: number, lo: number, hi: number, n: number): Float64Array {
  const rnd = mulberry32(seed);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rnd();
  return a;
}

/** Positive doubles with a uniformly random biased exponent in [eLo, eHi] and a random 52-bit mantissa. */
function randomBits(seed: number, eLo: number, eHi: number, n: number): Float64Array {
  const rnd = mulberry32(seed);
  const a = new Float64Array(n);
  const w = new Uint32Array(a.buffer); // little-endian: w[2i] low word, w[2i+1] high word
  for (let i = 0; i < n; i++) {
    const e = eLo + Math.floor(rnd() * (eHi - eLo + 1));
    w[2 * i] = Math.floor(rnd() * 4294967296);
    w[2 * i + 1] = (e << 20) | Math.floor(rnd() * 1048576);
  }
  return a;
}

function concat(...parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

interface Worst {
  err: number;
  x: number;
  got: number;
  want: number;
}
function worstOf(
  xs: Float64Array, got: Float64Array, want: (x: number) => number,
  err: (got: number, want: number, x: number) => number,
): Worst {
  let w: Worst = { err: 0, x: NaN, got: NaN, want: NaN };
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const g = got[i]!;
    const r = want(x);
    const e = err(g, r, x);
    if (!(e <= w.err)) w = { err: e, x, got: g, want: r };
  }
  return w;
}
const describeWorst = (w: Worst) => `worst at x=${w.x}: got ${w.got}, want ${w.want}`;

const measured: Record<string, number> = {};
function record(name: string, w: Worst): Worst {
  measured[name] = Math.max(measured[name] ?? 0, w.err);
  return w;
}
afterAll(() => {
  if (process.env.MATH_REPORT) console.table(measured);
});

const run = (kernel: ArrayKernel, xs: Float64Array) => mapArray(kernel, xs);
const ulpErr = (g: number, r: number) => ulpDistance(g, r);
const relErr = (g: number, r: number) => (r === 0 ? (g === 0 ? 0 : Infinity) : Math.abs(g - r) / Math.abs(r));
const absErr = (g: number, r: number) => Math.abs(g - r);

// ---------------------------------------------------------------------- exp

const EXP_LO = -745.1332191019411; // smallest x with e^x ≥ 2^-1074 (rounded)
const EXP_HI = 709.782712893384; // largest x with e^x finite

describe("expF64x2", () => {
  it("exp is within 2 ulp of Math.exp on a 2,000,001-point sweep of [-745.13, 709.78]", () => {
    const xs = linspace(EXP_LO, EXP_HI, 2_000_001);
    const w = record("exp ulp [-745.13, 709.78]", worstOf(xs, run("expF64x2Array", xs), Math.exp, ulpErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(2);
  });

  it("exp is within 2 ulp of Math.exp at 1,000,000 random points of [-745.13, 709.78]", () => {
    const xs = uniform(101, EXP_LO, EXP_HI, 1_000_000);
    const w = record("exp ulp [-745.13, 709.78]", worstOf(xs, run("expF64x2Array", xs), Math.exp, ulpErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(2);
  });

  it("exp is within 2 ulp of Math.exp for random-bit arguments of every magnitude 2^-1074..745, both signs", () => {
    const pos = randomBits(102, 0, 0x408, 500_000); // magnitudes 2^-1074 .. 1024
    const xs = concat(pos, pos.map((x) => -x)).filter((x) => x >= EXP_LO && x <= EXP_HI);
    expect(xs.length).toBeGreaterThan(900_000);
    const w = record("exp ulp [-745.13, 709.78]", worstOf(xs, run("expF64x2Array", xs), Math.exp, ulpErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(2);
  });

  it("exp is within 2 ulp of Math.exp where the result is subnormal (x in [-745.13, -708.39])", () => {
    const xs = concat(linspace(EXP_LO, -708.3964185322641, 500_001), uniform(103, EXP_LO, -708.39, 200_000));
    const w = record("exp ulp subnormal results", worstOf(xs, run("expF64x2Array", xs), Math.exp, ulpErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(2);
  });

  it("exp is within 2 ulp of Math.exp just below overflow (x in [709, 709.78], where 2^n has n = 1024)", () => {
    const xs = concat(linspace(709, EXP_HI, 500_001), uniform(104, 709.08, EXP_HI, 200_000));
    const w = record("exp ulp [709, 709.78]", worstOf(xs, run("expF64x2Array", xs), Math.exp, ulpErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(2);
  });

  it("exp is exact or correctly saturated at special arguments", () => {
    const cases: [number, number][] = [
      [0, 1], [-0, 1], [NaN, NaN], [Infinity, Infinity], [-Infinity, 0],
      [EXP_HI, 1.7976931348622732e308], [709.7827128933841, Infinity], [710, Infinity], [1e308, Infinity],
      [EXP_LO, 5e-324], [-745.1332191019412, 0], [-745.14, 0], [-746, 0], [-1e308, 0],
      [5e-324, 1], [-5e-324, 1], [1e-300, 1],
    ];
    const got = run("expF64x2Array", Float64Array.from(cases, (c) => c[0]));
    cases.forEach(([x, want], i) => expect(got[i], `exp(${x})`).toStrictEqual(want));
    // Saturated results are +0, never -0.
    expect(Object.is(got[cases.findIndex((c) => c[0] === -Infinity)], 0)).toBe(true);
  });

  it("exp(1) is within 1 ulp of Math.E and exp(ln 2) within 1 ulp of 2", () => {
    const got = run("expF64x2Array", Float64Array.of(1, Math.LN2));
    expect(ulpDistance(got[0]!, Math.E)).toBeLessThanOrEqual(1);
    expect(ulpDistance(got[1]!, 2)).toBeLessThanOrEqual(1);
  });
});

// ---------------------------------------------------------------------- log

const MIN_NORMAL = 2.2250738585072014e-308;

describe("logF64x2", () => {
  it("log is within 1 ulp of Math.log for random subnormals and every power of two 2^-1074..2^-1023", () => {
    const rnd = randomBits(201, 0, 0, 300_000).filter((x) => x > 0);
    const small = Float64Array.from({ length: 4096 }, (_, i) => (i + 1) * 5e-324); // mantissa 1..4096
    const pow2 = Float64Array.from({ length: 52 }, (_, i) => 2 ** (-1074 + i));
    const xs = concat(rnd, small, pow2);
    const w = record("log ulp subnormal", worstOf(xs, run("logF64x2Array", xs), Math.log, ulpErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(1);
  });

  it("log is within 1 ulp of Math.log for 1,000,000 random-bit normal doubles 2.2e-308..1.8e308", () => {
    const xs = randomBits(202, 1, 0x7fe, 1_000_000);
    const w = record("log ulp normal", worstOf(xs, run("logF64x2Array", xs), Math.log, ulpErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(1);
  });

  it("log is within 1 ulp of Math.log on a log-spaced sweep of (0, 1.7976931348623157e308]", () => {
    const t = linspace(-1074, Math.log2(1.7976931348623157e308), 2_000_001);
    const xs = t.map((e) => Math.min(2 ** e, 1.7976931348623157e308)).filter((x) => x > 0);
    const w = record("log ulp normal", worstOf(xs, run("logF64x2Array", xs), Math.log, ulpErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(1);
  });

  it("log is within 1 ulp of Math.log near 1, where the result is small (sweeps of [0.5, 2] and 1 ± 1e-6)", () => {
    const xs = concat(linspace(0.5, 2, 1_000_001), linspace(1 - 1e-6, 1 + 1e-6, 200_001), uniform(203, 0.7, 1.42, 300_000));
    const w = record("log ulp [0.5, 2]", worstOf(xs, run("logF64x2Array", xs), Math.log, ulpErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(1);
  });

  it("log gives -Inf at ±0, NaN below 0 and for NaN, +Inf at +Inf, exact 0 at 1", () => {
    const cases: [number, number][] = [
      [0, -Infinity], [-0, -Infinity], [-5e-324, NaN], [-1, NaN], [-1.7976931348623157e308, NaN], [-Infinity, NaN],
      [NaN, NaN], [Infinity, Infinity], [1, 0],
      [5e-324, -744.4400719213812], [MIN_NORMAL, -708.3964185322641], [1.7976931348623157e308, 709.782712893384],
    ];
    const got = run("logF64x2Array", Float64Array.from(cases, (c) => c[0]));
    cases.forEach(([x, want], i) => expect(got[i], `log(${x})`).toStrictEqual(want));
    expect(Object.is(got[cases.findIndex((c) => c[0] === 1)], 0)).toBe(true);
  });
});

// --------------------------------------------------------------- normal CDF

// Oracle N(x) = erfc(-x/√2)/2. Rounding the argument -x/√2 to double perturbs
// erfc by a relative x²·2^-53 (1.9e-13 at x = -37.5), more than the errors
// under test, so the argument is carried in double-double: z + dz = -x·(1/√2)
// exactly to ~2^-106, and erfc(z + dz) = erfc(z) - (2/√π)·e^{-z²}·dz.
const SQRT1_2_LO = -4.8336466567264567e-17; // 1/√2 - Math.SQRT1_2
const TWO_OVER_SQRT_PI = 1.1283791670955126;
function twoProductError(a: number, b: number, p: number): number {
  const split = (v: number) => {
    const c = 134217729 * v;
    const hi = c - (c - v);
    return [hi, v - hi] as const;
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return ah * bh - p + ah * bl + al * bh + al * bl;
}
function normCdfOracle(x: number): number {
  const a = -x;
  const z = a * Math.SQRT1_2;
  const dz = twoProductError(a, Math.SQRT1_2, z) + a * SQRT1_2_LO;
  return 0.5 * (erfc(z) - TWO_OVER_SQRT_PI * Math.exp(-z * z) * dz);
}

const CDF_SWEEP = linspace(-40, 40, 8_000_001); // step 1e-5
const CDF_SWEEP_OUT = mapArray("normCdfF64x2Array", CDF_SWEEP);
const CDF_RANDOM = uniform(301, -40, 40, 2_000_000);
const CDF_RANDOM_OUT = mapArray("normCdfF64x2Array", CDF_RANDOM);
let cdfWant: [Float64Array, Float64Array] | undefined; // oracle on the sweep and the random points, computed once

/** Worst error over the sweep and the random points whose x satisfies `band`. */
function cdfWorst(band: (x: number) => boolean, err: (g: number, r: number) => number): Worst {
  cdfWant ??= [CDF_SWEEP.map(normCdfOracle), CDF_RANDOM.map(normCdfOracle)];
  let w: Worst = { err: 0, x: NaN, got: NaN, want: NaN };
  ([[CDF_SWEEP, CDF_SWEEP_OUT, cdfWant[0]], [CDF_RANDOM, CDF_RANDOM_OUT, cdfWant[1]]] as const).forEach(([xs, got, want]) => {
    for (let i = 0; i < xs.length; i++) {
      if (!band(xs[i]!)) continue;
      const e = err(got[i]!, want[i]!);
      if (!(e <= w.err)) w = { err: e, x: xs[i]!, got: got[i]!, want: want[i]! };
    }
  });
  return w;
}

describe("normCdfF64x2", () => {
  it("the compensated erfc oracle agrees with the naive erfc(-x/√2)/2 to 1e-15 near 0 (sanity)", () => {
    for (const x of [-2, -1, -0.3, 0.3, 1, 2]) {
      expect(relErr(normCdfOracle(x), erfc(-x / Math.SQRT2) / 2)).toBeLessThan(1e-15);
    }
  });

  it("N is within 1e-14 relative of erfc(-x/√2)/2 for |x| ≤ 5.66", () => {
    const w = record("N rel |x|≤5.66", cdfWorst((x) => Math.abs(x) <= 5.66, relErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(1e-14);
  });

  it("N is within 5e-13 relative of erfc(-x/√2)/2 for 5.66 < |x| ≤ 8", () => {
    const w = record("N rel 5.66<|x|≤8", cdfWorst((x) => Math.abs(x) > 5.66 && Math.abs(x) <= 8, relErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(5e-13);
  });

  it("N is within 1e-25 absolute of erfc(-x/√2)/2 and below 7e-16 for x in [-40, -8)", () => {
    const w = record("N abs x<-8", cdfWorst((x) => x < -8, absErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(1e-25);
    expect(CDF_SWEEP_OUT.every((y, i) => !(CDF_SWEEP[i]! < -8) || y < 7e-16)).toBe(true);
  });

  it("N is within 2.3e-16 absolute (about one ulp of 1) of erfc(-x/√2)/2 everywhere on [-40, 40]", () => {
    const w = record("N abs [-40, 40]", cdfWorst(() => true, absErr));
    expect(w.err, describeWorst(w)).toBeLessThanOrEqual(2.3e-16);
    const up = record("N abs x>8", cdfWorst((x) => x > 8, absErr));
    expect(up.err, describeWorst(up)).toBeLessThanOrEqual(2.3e-16);
  });

  it("N(0) = N(-0) = 0.5 exactly and N(NaN) is NaN", () => {
    const got = mapArray("normCdfF64x2Array", Float64Array.of(0, -0, NaN));
    expect(got[0]).toBe(0.5);
    expect(got[1]).toBe(0.5);
    expect(got[2]).toBeNaN();
  });

  it("N matches known values N(-1), N(1.96), N(-5) to 1e-15 relative", () => {
    const got = mapArray("normCdfF64x2Array", Float64Array.of(-1, 1.96, -5));
    expect(relErr(got[0]!, 0.15865525393145707)).toBeLessThanOrEqual(1e-15);
    expect(relErr(got[1]!, 0.9750021048517795)).toBeLessThanOrEqual(1e-15);
    expect(relErr(got[2]!, 2.866515718791939e-7)).toBeLessThanOrEqual(1e-15);
  });

  it("N is non-decreasing on a step-1e-5 sweep of [-40, 40] and stays in [0, 1]", () => {
    let drops = 0;
    let firstDrop = NaN;
    for (let i = 1; i < CDF_SWEEP_OUT.length; i++) {
      if (CDF_SWEEP_OUT[i]! < CDF_SWEEP_OUT[i - 1]!) {
        drops++;
        if (Number.isNaN(firstDrop)) firstDrop = CDF_SWEEP[i]!;
      }
    }
    expect(drops, `first drop at x=${firstDrop}`).toBe(0);
    expect(CDF_SWEEP_OUT.every((y) => y >= 0 && y <= 1)).toBe(true);
  });

  it("N is non-decreasing across the central/tail switch at |x| = 0.67448975 (step 1e-13)", () => {
    for (const c of [-0.67448975, 0.67448975]) {
      const xs = linspace(c - 1e-8, c + 1e-8, 200_001);
      const ys = mapArray("normCdfF64x2Array", xs);
      const drop = ys.findIndex((y, i) => i > 0 && y < ys[i - 1]!);
      expect(drop, `N drops at x=${xs[drop]}`).toBe(-1);
    }
  });

  it("N(x) + N(-x) = 1 within 1e-15 on the sweep and the random points", () => {
    let worst = 0;
    let at = NaN;
    for (const xs of [CDF_SWEEP, CDF_RANDOM]) {
      const pos = mapArray("normCdfF64x2Array", xs);
      const neg = mapArray("normCdfF64x2Array", xs.map((x) => -x));
      pos.forEach((p, i) => {
        const e = Math.abs(p + neg[i]! - 1);
        if (e > worst) [worst, at] = [e, xs[i]!];
      });
    }
    measured["N(x)+N(-x)-1"] = worst;
    expect(worst, `worst at x=${at}`).toBeLessThanOrEqual(1e-15);
  });

  // Regression: for |x| > 3.37e39 both Cody polynomials once overflowed to Inf/Inf = NaN.
  it("N(-Inf) = 0, N(+Inf) = 1, N(±1e40) = 0 / 1", () => {
    const got = mapArray("normCdfF64x2Array", Float64Array.of(-Infinity, Infinity, -1e40, 1e40));
    expect(Array.from(got)).toStrictEqual([0, 1, 0, 1]);
  });

  it("N(x) is exactly 0 / 1 for 38.5 ≤ |x| ≤ 3.37e39 (beyond the range where N(-|x|) is representable)", () => {
    const big = Float64Array.of(38.5, 40, 100, 1e10, 1e20, 1e30, 3.37e39);
    const up = mapArray("normCdfF64x2Array", big);
    const down = mapArray("normCdfF64x2Array", big.map((x) => -x));
    expect(Array.from(up)).toStrictEqual(Array.from(big, () => 1));
    expect(Array.from(down)).toStrictEqual(Array.from(big, () => 0));
  });
});

describe("both SIMD lanes", () => {
  it.each(["expF64x2Array", "logF64x2Array", "normCdfF64x2Array"] as const)(
    "%s gives bit-identical results for an input in lane 0 and in lane 1 (odd n included)",
    (kernel) => {
      const xs = concat(uniform(401, -30, 30, 10_001), randomBits(402, 0, 0x7fe, 10_000));
      const a = mapArray(kernel, xs); // xs[i] in lane i % 2
      const b = mapArray(kernel, concat(Float64Array.of(0), xs)).subarray(1); // lane (i + 1) % 2
      expect(xs.length % 2).toBe(1);
      let mismatches = 0;
      a.forEach((v, i) => {
        if (!Object.is(v, b[i])) mismatches++;
      });
      expect(mismatches).toBe(0);
    },
  );
});

// ------------------------------------------------------- scalar JS reference

describe("src/math/normal.ts normCdf (scalar oracle for the kernels)", () => {
  it("reference normCdf is within 1e-14 relative of erfc(-x/√2)/2 on [-38, 8] (normal results)", () => {
    const xs = concat(linspace(-38, 8, 2_000_001), uniform(501, -38, 8, 1_000_000));
    const want = xs.map(normCdfOracle);
    const got = xs.map(refNormCdf);
    const normal = (i: number) => want[i]! >= MIN_NORMAL;
    let rel = 0;
    let relAt = NaN;
    let sub = 0;
    for (let i = 0; i < xs.length; i++) {
      const e = Math.abs(got[i]! - want[i]!);
      if (normal(i)) {
        if (e / want[i]! > rel) [rel, relAt] = [e / want[i]!, xs[i]!];
      } else sub = Math.max(sub, e);
    }
    measured["reference N rel [-38, 8]"] = rel;
    measured["reference N abs subnormal (in 2^-1074)"] = sub / 5e-324;
    expect(rel, `worst at x=${relAt}`).toBeLessThanOrEqual(1e-14);
    // Below x ≈ -37.52, N(x) < 2^-1022 is subnormal: a relative bound is not
    // meaningful; the reference stays within 2 units of 2^-1074.
    expect(sub).toBeLessThanOrEqual(2 * 5e-324);
  });
});
