// Unit tests of the vectorised math in assembly/math.ts, run inside
// AssemblyScript (as-pect): each lane of expF64x2 / logF64x2 / normCdfF64x2
// against AssemblyScript's scalar Math.exp / Math.log (musl, < 1 ulp) and,
// for the normal CDF, against an independent scalar evaluation (Taylor series
// near 0, Laplace's continued fraction in the tails). The two lanes always
// carry different arguments and are checked separately.
import { expF64x2, logF64x2, normCdfF64x2 } from "../math";
import { ulpDiff } from "./ulp";

// ------------------------------------------------------------------ helpers

function pair(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

function relErr(got: f64, want: f64): f64 {
  if (want == 0) return got == 0 ? 0 : Infinity;
  return Math.abs(got - want) / Math.abs(want);
}

// Worst error seen by the last sweep, per lane, and where.
let worstUlp0: i64 = 0;
let worstUlp1: i64 = 0;
let worstErr0: f64 = 0;
let worstErr1: f64 = 0;
let worstAt: f64 = NaN;

function resetWorst(): void {
  worstUlp0 = 0;
  worstUlp1 = 0;
  worstErr0 = 0;
  worstErr1 = 0;
  worstAt = NaN;
}

/**
 * Sweeps [lo, hi] with n points: lane 0 walks upwards, lane 1 downwards, so
 * the lanes never hold the same argument (except at the midpoint).
 */
function sweepExp(lo: f64, hi: f64, n: i32): void {
  resetWorst();
  for (let i = 0; i < n; i++) {
    const a = lo + ((hi - lo) * <f64>i) / <f64>(n - 1);
    const b = hi - ((hi - lo) * <f64>i) / <f64>(n - 1);
    const y = expF64x2(pair(a, b));
    const e0 = ulpDiff(f64x2.extract_lane(y, 0), Math.exp(a));
    const e1 = ulpDiff(f64x2.extract_lane(y, 1), Math.exp(b));
    if (e0 > worstUlp0) { worstUlp0 = e0; worstAt = a; }
    if (e1 > worstUlp1) { worstUlp1 = e1; worstAt = b; }
  }
}

/** Log-spaced sweep of 2^lo2 .. 2^hi2: lane 0 upwards, lane 1 downwards. */
function sweepLog(lo2: f64, hi2: f64, n: i32): void {
  resetWorst();
  for (let i = 0; i < n; i++) {
    const a = Math.pow(2.0, lo2 + ((hi2 - lo2) * <f64>i) / <f64>(n - 1));
    const b = Math.pow(2.0, hi2 - ((hi2 - lo2) * <f64>i) / <f64>(n - 1));
    const y = logF64x2(pair(a, b));
    const e0 = ulpDiff(f64x2.extract_lane(y, 0), Math.log(a));
    const e1 = ulpDiff(f64x2.extract_lane(y, 1), Math.log(b));
    if (e0 > worstUlp0) { worstUlp0 = e0; worstAt = a; }
    if (e1 > worstUlp1) { worstUlp1 = e1; worstAt = b; }
  }
}

// --------------------------------------------- scalar normal CDF for checks

const INV_SQRT_2PI: f64 = 0.3989422804014327;

/** exp(-x²/2) with x² split as Cody does, so that no digits of x² are lost. */
function gauss(x: f64): f64 {
  const hi = Math.trunc(x * 16.0) / 16.0;
  const lo = (x - hi) * (x + hi);
  return Math.exp(-hi * hi * 0.5) * Math.exp(-lo * 0.5);
}

/** N(x) = 1/2 + φ(x)·(x + x³/3 + x⁵/15 + …): all terms one sign, used for |x| < 1. */
function cdfTaylor(x: f64): f64 {
  let term = x;
  let sum = x;
  for (let k = 1; k < 200; k++) {
    term *= (x * x) / <f64>(2 * k + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return 0.5 + INV_SQRT_2PI * gauss(Math.abs(x)) * sum;
}

/** Upper tail 1 − N(a), a ≥ 1: φ(a)/(a + 1/(a + 2/(a + 3/(a + …)))), evaluated backwards. */
function upperTail(a: f64): f64 {
  const terms = a < 1.5 ? 800 : 300;
  let t = a;
  for (let k = terms; k >= 1; k--) t = a + <f64>k / t;
  return (INV_SQRT_2PI * gauss(a)) / t;
}

/**
 * Independent scalar N(x): within 1.6e-15 relative and 3.4e-16 absolute of
 * erfc(-x/√2)/2 on [-40, 40] (checked in JS against @stdlib's erfc).
 */
function cdfCheck(x: f64): f64 {
  const a = Math.abs(x);
  if (a < 1.0) return cdfTaylor(x);
  const tail = upperTail(a);
  return x < 0 ? tail : 1.0 - tail;
}

/** Relative (or, with absolute = true, absolute) error of normCdfF64x2 over a sweep of [lo, hi]. */
function sweepCdf(lo: f64, hi: f64, n: i32, absolute: bool): void {
  resetWorst();
  for (let i = 0; i < n; i++) {
    const a = lo + ((hi - lo) * <f64>i) / <f64>(n - 1);
    const b = hi - ((hi - lo) * <f64>i) / <f64>(n - 1);
    const y = normCdfF64x2(pair(a, b));
    const y0 = f64x2.extract_lane(y, 0);
    const y1 = f64x2.extract_lane(y, 1);
    const w0 = cdfCheck(a);
    const w1 = cdfCheck(b);
    const e0 = absolute ? Math.abs(y0 - w0) : relErr(y0, w0);
    const e1 = absolute ? Math.abs(y1 - w1) : relErr(y1, w1);
    if (!(e0 <= worstErr0)) { worstErr0 = e0; worstAt = a; }
    if (!(e1 <= worstErr1)) { worstErr1 = e1; worstAt = b; }
  }
}

// -------------------------------------------------------------------- exp

describe("expF64x2", () => {
  it("exp is within 2 ulp of Math.exp on [-745.13, 709.78] in each lane", () => {
    sweepExp(-745.1332191019411, 709.782712893384, 300001);
    expect(worstUlp0).toBeLessThanOrEqual(2, "lane 0, worst at x = " + worstAt.toString());
    expect(worstUlp1).toBeLessThanOrEqual(2, "lane 1, worst at x = " + worstAt.toString());
  });

  it("exp is within 2 ulp of Math.exp on [-1, 1] in each lane", () => {
    sweepExp(-1.0, 1.0, 100001);
    expect(worstUlp0).toBeLessThanOrEqual(2, "lane 0, worst at x = " + worstAt.toString());
    expect(worstUlp1).toBeLessThanOrEqual(2, "lane 1, worst at x = " + worstAt.toString());
  });

  it("exp is within 2 ulp of Math.exp where the result is subnormal and just below overflow", () => {
    sweepExp(-745.1332191019411, -708.3964185322641, 100001);
    expect(worstUlp0).toBeLessThanOrEqual(2, "subnormal lane 0, worst at x = " + worstAt.toString());
    expect(worstUlp1).toBeLessThanOrEqual(2, "subnormal lane 1, worst at x = " + worstAt.toString());
    sweepExp(709.0, 709.782712893384, 100001);
    expect(worstUlp0).toBeLessThanOrEqual(2, "overflow edge lane 0, worst at x = " + worstAt.toString());
    expect(worstUlp1).toBeLessThanOrEqual(2, "overflow edge lane 1, worst at x = " + worstAt.toString());
  });

  it("exp saturates to 0 / +Inf outside [-745.13, 709.78] and maps NaN to NaN, in either lane", () => {
    let y = expF64x2(pair(-745.1332191019412, 709.7827128933841));
    expect(f64x2.extract_lane(y, 0)).toBe(0.0);
    expect(f64x2.extract_lane(y, 1)).toBe(Infinity);
    y = expF64x2(pair(Infinity, -Infinity));
    expect(f64x2.extract_lane(y, 0)).toBe(Infinity);
    expect(f64x2.extract_lane(y, 1)).toBe(0.0);
    y = expF64x2(pair(-1e308, 1e308));
    expect(f64x2.extract_lane(y, 0)).toBe(0.0);
    expect(f64x2.extract_lane(y, 1)).toBe(Infinity);
    y = expF64x2(pair(NaN, 1.0));
    expect(f64x2.extract_lane(y, 0)).toBeNaN();
    expect(ulpDiff(f64x2.extract_lane(y, 1), Math.exp(1.0))).toBeLessThanOrEqual(2);
    y = expF64x2(pair(2.0, NaN));
    expect(ulpDiff(f64x2.extract_lane(y, 0), Math.exp(2.0))).toBeLessThanOrEqual(2);
    expect(f64x2.extract_lane(y, 1)).toBeNaN();
  });

  it("exp(0) = exp(-0) = 1 exactly, exp at the range ends matches Math.exp exactly", () => {
    let y = expF64x2(pair(0.0, -0.0));
    expect(f64x2.extract_lane(y, 0)).toBe(1.0);
    expect(f64x2.extract_lane(y, 1)).toBe(1.0);
    y = expF64x2(pair(709.782712893384, -745.1332191019411));
    expect(f64x2.extract_lane(y, 0)).toBe(1.7976931348622732e308);
    expect(f64x2.extract_lane(y, 1)).toBe(5e-324);
  });
});

// -------------------------------------------------------------------- log

describe("logF64x2", () => {
  it("log is within 1 ulp of Math.log on a log-spaced sweep of 2^-1074 .. 2^1024 in each lane", () => {
    sweepLog(-1074.0, 1023.9999999999, 300001);
    expect(worstUlp0).toBeLessThanOrEqual(1, "lane 0, worst at x = " + worstAt.toString());
    expect(worstUlp1).toBeLessThanOrEqual(1, "lane 1, worst at x = " + worstAt.toString());
  });

  it("log is within 1 ulp of Math.log for subnormals with small and large mantissas", () => {
    resetWorst();
    for (let m: i64 = 1; m <= 200000; m++) {
      const a = reinterpret<f64>(m); // mantissa m: 4.9e-324 · m
      const b = reinterpret<f64>(0x000fffffffffffff - m * 22517998136); // spread over the upper subnormals
      const y = logF64x2(pair(a, b));
      const e0 = ulpDiff(f64x2.extract_lane(y, 0), Math.log(a));
      const e1 = ulpDiff(f64x2.extract_lane(y, 1), Math.log(b));
      if (e0 > worstUlp0) { worstUlp0 = e0; worstAt = a; }
      if (e1 > worstUlp1) { worstUlp1 = e1; worstAt = b; }
    }
    expect(worstUlp0).toBeLessThanOrEqual(1, "lane 0, worst at x = " + worstAt.toString());
    expect(worstUlp1).toBeLessThanOrEqual(1, "lane 1, worst at x = " + worstAt.toString());
  });

  it("log is within 1 ulp of Math.log on [0.5, 2] where the result is small", () => {
    sweepLog(-1.0, 1.0, 200001);
    expect(worstUlp0).toBeLessThanOrEqual(1, "lane 0, worst at x = " + worstAt.toString());
    expect(worstUlp1).toBeLessThanOrEqual(1, "lane 1, worst at x = " + worstAt.toString());
  });

  it("log(±0) = -Inf, log(x < 0) = NaN, log(NaN) = NaN, log(+Inf) = +Inf, log(1) = 0, in either lane", () => {
    let y = logF64x2(pair(0.0, -0.0));
    expect(f64x2.extract_lane(y, 0)).toBe(-Infinity);
    expect(f64x2.extract_lane(y, 1)).toBe(-Infinity);
    y = logF64x2(pair(-1.0, Infinity));
    expect(f64x2.extract_lane(y, 0)).toBeNaN();
    expect(f64x2.extract_lane(y, 1)).toBe(Infinity);
    y = logF64x2(pair(Infinity, -5e-324));
    expect(f64x2.extract_lane(y, 0)).toBe(Infinity);
    expect(f64x2.extract_lane(y, 1)).toBeNaN();
    y = logF64x2(pair(NaN, -Infinity));
    expect(f64x2.extract_lane(y, 0)).toBeNaN();
    expect(f64x2.extract_lane(y, 1)).toBeNaN();
    y = logF64x2(pair(1.0, 5e-324));
    expect(f64x2.extract_lane(y, 0)).toBe(0.0);
    expect(f64x2.extract_lane(y, 1)).toBe(-744.4400719213812);
    y = logF64x2(pair(1.7976931348623157e308, 2.2250738585072014e-308));
    expect(f64x2.extract_lane(y, 0)).toBe(709.782712893384);
    expect(f64x2.extract_lane(y, 1)).toBe(-708.3964185322641);
  });
});

// ------------------------------------------------------------- normal CDF

describe("normCdfF64x2", () => {
  it("the scalar check reproduces N(-1), N(1.96), N(-5) to 2e-15 relative", () => {
    expect(relErr(cdfCheck(-1.0), 0.15865525393145707)).toBeLessThanOrEqual(2e-15);
    expect(relErr(cdfCheck(1.96), 0.9750021048517795)).toBeLessThanOrEqual(2e-15);
    expect(relErr(cdfCheck(-5.0), 2.866515718791939e-7)).toBeLessThanOrEqual(2e-15);
  });

  it("N is within 1e-14 relative of the scalar check for |x| ≤ 5.66 in each lane", () => {
    sweepCdf(-5.66, 5.66, 200001, false);
    expect(worstErr0).toBeLessThanOrEqual(1e-14, "lane 0, worst at x = " + worstAt.toString());
    expect(worstErr1).toBeLessThanOrEqual(1e-14, "lane 1, worst at x = " + worstAt.toString());
  });

  it("N is within 5e-13 relative of the scalar check for 5.66 < |x| ≤ 8 in each lane", () => {
    sweepCdf(-8.0, -5.66, 50001, false);
    expect(worstErr0).toBeLessThanOrEqual(5e-13, "lane 0, worst at x = " + worstAt.toString());
    expect(worstErr1).toBeLessThanOrEqual(5e-13, "lane 1, worst at x = " + worstAt.toString());
    sweepCdf(5.66, 8.0, 50001, false);
    expect(worstErr0).toBeLessThanOrEqual(5e-13, "lane 0, worst at x = " + worstAt.toString());
    expect(worstErr1).toBeLessThanOrEqual(5e-13, "lane 1, worst at x = " + worstAt.toString());
  });

  it("N is within 1e-25 absolute of the scalar check for x in [-40, -8]", () => {
    sweepCdf(-40.0, -8.0, 100001, true);
    expect(worstErr0).toBeLessThanOrEqual(1e-25, "lane 0, worst at x = " + worstAt.toString());
    expect(worstErr1).toBeLessThanOrEqual(1e-25, "lane 1, worst at x = " + worstAt.toString());
  });

  // The kernel is within 2.3e-16 of @stdlib's erfc (tests/math.test.ts); the
  // scalar check itself is off by up to 3.4e-16 near |x| = 1 (the Taylor sum),
  // hence 6e-16 here.
  it("N is within 6e-16 absolute of the scalar check everywhere on [-40, 40]", () => {
    sweepCdf(-40.0, 40.0, 400001, true);
    expect(worstErr0).toBeLessThanOrEqual(6e-16, "lane 0, worst at x = " + worstAt.toString());
    expect(worstErr1).toBeLessThanOrEqual(6e-16, "lane 1, worst at x = " + worstAt.toString());
  });

  it("N(-1), N(1.96), N(-5) match their known values to 1e-15 relative in either lane", () => {
    let y = normCdfF64x2(pair(-1.0, 1.96));
    expect(relErr(f64x2.extract_lane(y, 0), 0.15865525393145707)).toBeLessThanOrEqual(1e-15);
    expect(relErr(f64x2.extract_lane(y, 1), 0.9750021048517795)).toBeLessThanOrEqual(1e-15);
    y = normCdfF64x2(pair(1.96, -5.0));
    expect(relErr(f64x2.extract_lane(y, 0), 0.9750021048517795)).toBeLessThanOrEqual(1e-15);
    expect(relErr(f64x2.extract_lane(y, 1), 2.866515718791939e-7)).toBeLessThanOrEqual(1e-15);
    y = normCdfF64x2(pair(-5.0, -1.0));
    expect(relErr(f64x2.extract_lane(y, 0), 2.866515718791939e-7)).toBeLessThanOrEqual(1e-15);
    expect(relErr(f64x2.extract_lane(y, 1), 0.15865525393145707)).toBeLessThanOrEqual(1e-15);
  });

  it("N(0) = N(-0) = 0.5 exactly and N(NaN) = NaN, in either lane", () => {
    let y = normCdfF64x2(pair(0.0, -0.0));
    expect(f64x2.extract_lane(y, 0)).toBe(0.5);
    expect(f64x2.extract_lane(y, 1)).toBe(0.5);
    y = normCdfF64x2(pair(NaN, 0.0));
    expect(f64x2.extract_lane(y, 0)).toBeNaN();
    expect(f64x2.extract_lane(y, 1)).toBe(0.5);
    y = normCdfF64x2(pair(0.0, NaN));
    expect(f64x2.extract_lane(y, 0)).toBe(0.5);
    expect(f64x2.extract_lane(y, 1)).toBeNaN();
  });

  it("N(x) + N(-x) = 1 within 1e-15 with x and -x in opposite lanes", () => {
    let worst: f64 = 0;
    let at: f64 = NaN;
    for (let i = 0; i <= 400000; i++) {
      const x = -40.0 + <f64>i * 2e-4;
      const y = normCdfF64x2(pair(x, -x));
      const e = Math.abs(f64x2.extract_lane(y, 0) + f64x2.extract_lane(y, 1) - 1.0);
      if (e > worst) { worst = e; at = x; }
    }
    expect(worst).toBeLessThanOrEqual(1e-15, "worst at x = " + at.toString());
  });

  it("N is non-decreasing on a step-1e-4 sweep of [-40, 40] in each lane", () => {
    let prev0: f64 = 0;
    let prev1: f64 = 0;
    let drops = 0;
    for (let i = 0; i <= 800000; i++) {
      const x = -40.0 + <f64>i * 1e-4;
      const y = normCdfF64x2(pair(x, x + 0.5e-4));
      const y0 = f64x2.extract_lane(y, 0);
      const y1 = f64x2.extract_lane(y, 1);
      if (y0 < prev0 || y1 < prev1 || y1 < y0) drops++;
      prev0 = y0;
      prev1 = y1;
    }
    expect(drops).toBe(0);
  });

  it("N is 0 / 1 in the far tails, 38.5 ≤ |x| ≤ 1e30", () => {
    let y = normCdfF64x2(pair(-38.5, 38.5));
    expect(f64x2.extract_lane(y, 0)).toBe(0.0);
    expect(f64x2.extract_lane(y, 1)).toBe(1.0);
    y = normCdfF64x2(pair(1e30, -1e30));
    expect(f64x2.extract_lane(y, 0)).toBe(1.0);
    expect(f64x2.extract_lane(y, 1)).toBe(0.0);
  });
});
