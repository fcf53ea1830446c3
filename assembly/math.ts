// Vectorised f64x2 elementary functions for the valuation kernels.
//
// Portable SIMD only (no relaxed fused multiply-add): every operation is IEEE
// round-to-nearest, so results are bit-identical on every host that runs the
// module. Maximum errors (measured against JS Math / FreeBSD erfc in
// tests/math.test.ts and assembly/__tests__/math.spec.ts):
//   expF64x2      ≤ 2 ulp on [-745, 709.78]; 0 below -745.13, +Inf above 709.78
//   logF64x2      ≤ 1 ulp on (0, +Inf) including subnormals
//   normCdfF64x2  relative ≤ 1e-14 for |x| ≤ 5.66, ≤ 5e-13 for |x| ≤ 8,
//                 absolute ≤ 1e-25 beyond (where N(-|x|) < 7e-16)

// Constants come from static pools. V8 (TurboFan, Node 20) rematerialises a
// v128.const at every use inside a loop (movabs + vmovq + vpunpcklqdq, three
// instructions), and Binaryen never hoists them; a pooled constant is one
// vmovddup load (+8% on the revalue kernel when it used these functions).
// Hot loops do better still by loading the pool into v128 locals before the
// loop (see optionPairs in assembly/revalue.ts), which is why the pools are
// exported. Same values, so results do not change.
@inline export function pooled(p: usize): v128 {
  return v128.load64_splat(p);
}

// exp: x = n·ln2 + r, |r| ≤ ln2/2, e^r by a degree-13 Taylor polynomial
// (truncation 4e-18), 2^n by building exponent bits in two halves so that
// subnormal results and n = 1024 still scale correctly.
const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 6.93147180369123816490e-01; // 32 significant bits: n·LN2_HI is exact
const LN2_LO: f64 = 1.90821492927058770002e-10;
// Adding 1.5·2^52 rounds to an integer that sits in the low mantissa bits
// (WASM SIMD has no f64x2 → i64x2 conversion).
const SHIFTER: f64 = 6755399441055744.0;
const SHIFTER_BITS: i64 = 0x4338000000000000;
const EXP_MAX: f64 = 709.782712893384;
const EXP_MIN: f64 = -745.1332191019412;

// exp's constants, pooled (see above). Index i is at EXP_K + 8·i.
export const EXP_K = memory.data<f64>([
  1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0,          // 0..6
  1.0 / 40320.0, 1.0 / 362880.0, 1.0 / 3628800.0, 1.0 / 39916800.0,                  // 7..10
  1.0 / 479001600.0, 1.0 / 6227020800.0,                                            // 11, 12
  EXP_MIN, EXP_MAX, LOG2E, SHIFTER, LN2_HI, LN2_LO, Infinity,                        // 13..19
], 16);
@inline function ek(i: i32): v128 {
  return pooled(EXP_K + (<usize>i << 3));
}
// 2^n is built as 2^h·2^(n−h), h = ⌊n/2⌋, so that subnormal results and n = 1024
// still scale. From the shifter's bits t = SHIFTER_BITS + n, a = t − EXP_SPLIT =
// n + 2046 is positive for every n in [−1075, 1024], so a >>> 1 = h + 1023 and
// a − (a >>> 1) = n − h + 1023 are both exponent fields: a logical shift (one
// instruction) where the arithmetic i64x2 shift is six in V8, with the bias folded in.
export const EXP_SPLIT = memory.data<i64>([SHIFTER_BITS - 2046], 16);

@inline function poly13Exp(r: v128): v128 {
  // Estrin's scheme over Taylor coefficients 1/k!: shallow dependency chains.
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const p01 = f64x2.add(ek(0), r);
  const p23 = f64x2.add(ek(1), f64x2.mul(r, ek(2)));
  const p45 = f64x2.add(ek(3), f64x2.mul(r, ek(4)));
  const p67 = f64x2.add(ek(5), f64x2.mul(r, ek(6)));
  const p89 = f64x2.add(ek(7), f64x2.mul(r, ek(8)));
  const p1011 = f64x2.add(ek(9), f64x2.mul(r, ek(10)));
  const p1213 = f64x2.add(ek(11), f64x2.mul(r, ek(12)));
  const p0_3 = f64x2.add(p01, f64x2.mul(r2, p23));
  const p4_7 = f64x2.add(p45, f64x2.mul(r2, p67));
  const p8_11 = f64x2.add(p89, f64x2.mul(r2, p1011));
  const p0_7 = f64x2.add(p0_3, f64x2.mul(r4, p4_7));
  const p8_13 = f64x2.add(p8_11, f64x2.mul(r4, p1213));
  return f64x2.add(p0_7, f64x2.mul(r8, p8_13));
}

/** e^x per lane. NaN in gives NaN out. */
@inline export function expF64x2(x: v128): v128 {
  // pmax/pmin keep the first operand when a comparison is false, so NaN survives.
  const xc = f64x2.pmin(f64x2.pmax(x, ek(13)), ek(14));
  const t = f64x2.add(f64x2.mul(xc, ek(15)), ek(16));
  const nf = f64x2.sub(t, ek(16));
  const r = f64x2.sub(f64x2.sub(xc, f64x2.mul(nf, ek(17))), f64x2.mul(nf, ek(18)));
  const p = poly13Exp(r);
  const a = i64x2.sub(t, v128.load64_splat(EXP_SPLIT));
  const h = i64x2.shr_u(a, 1);
  const s1 = i64x2.shl(h, 52);
  const s2 = i64x2.shl(i64x2.sub(a, h), 52);
  let y = f64x2.mul(f64x2.mul(p, s1), s2);
  y = v128.andnot(y, f64x2.lt(x, ek(13)));
  return v128.bitselect(ek(19), y, f64x2.gt(x, ek(14)));
}

// log: musl's reduction x = 2^k·(1+f) with 1+f in [√2/2, √2), then
// log(1+f) = f − f²/2 + s·(f²/2 + R(s²)) with s = f/(2+f).
const LG1: f64 = 6.666666666666735130e-01;
const LG2: f64 = 3.999999999940941908e-01;
const LG3: f64 = 2.857142874366239149e-01;
const LG4: f64 = 2.222219843214978396e-01;
const LG5: f64 = 1.818357216161805012e-01;
const LG6: f64 = 1.531383769920937332e-01;
const LG7: f64 = 1.479819860511658591e-01;
const TWO54: f64 = 18014398509481984.0;
const MIN_NORMAL: f64 = 2.2250738585072014e-308;

/** Natural log per lane: -Inf at 0, NaN below 0 and for NaN, +Inf at +Inf. */
@inline export function logF64x2(x: v128): v128 {
  const sub = f64x2.lt(x, f64x2.splat(MIN_NORMAL));
  const xs = v128.bitselect(f64x2.mul(x, f64x2.splat(TWO54)), x, sub);
  const ix = i64x2.add(xs, i64x2.splat(<i64>(0x3ff00000 - 0x3fe6a09e) << 32));
  let k = i64x2.sub(i64x2.shr_s(ix, 52), i64x2.splat(0x3ff));
  k = i64x2.sub(k, v128.and(sub, i64x2.splat(54)));
  const m = i64x2.add(v128.and(ix, i64x2.splat(0x000fffffffffffff)), i64x2.splat(<i64>0x3fe6a09e << 32));
  const f = f64x2.sub(m, f64x2.splat(1.0));
  const kf = f64x2.sub(i64x2.add(k, i64x2.splat(SHIFTER_BITS)), f64x2.splat(SHIFTER));
  const hfsq = f64x2.mul(f64x2.splat(0.5), f64x2.mul(f, f));
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(f64x2.splat(LG2), f64x2.mul(w, f64x2.add(f64x2.splat(LG4), f64x2.mul(w, f64x2.splat(LG6))))));
  const t2 = f64x2.mul(z, f64x2.add(f64x2.splat(LG1), f64x2.mul(w,
    f64x2.add(f64x2.splat(LG3), f64x2.mul(w, f64x2.add(f64x2.splat(LG5), f64x2.mul(w, f64x2.splat(LG7))))))));
  const rr = f64x2.add(t2, t1);
  let y = f64x2.add(
    f64x2.sub(f64x2.add(f64x2.mul(s, f64x2.add(hfsq, rr)), f64x2.mul(kf, f64x2.splat(LN2_LO))), hfsq),
    f64x2.add(f, f64x2.mul(kf, f64x2.splat(LN2_HI))));
  y = v128.bitselect(f64x2.splat(-Infinity), y, f64x2.eq(x, f64x2.splat(0.0)));
  y = v128.bitselect(f64x2.splat(Infinity), y, f64x2.eq(x, f64x2.splat(Infinity)));
  // x < 0 or NaN: both compare false against x >= 0.
  return v128.bitselect(y, f64x2.splat(NaN), f64x2.ge(x, f64x2.splat(0.0)));
}

// Normal CDF after W. J. Cody (1969/1993, as in R's pnorm): for |x| ≥ 0.674
// N(-|x|) = exp(-x²/2)·P8(|x|)/Q8(|x|); near zero N(x) = 1/2 + x·A(x²)/B(x²).
// Cody's third region (|x| > 5.66) is omitted: the P8/Q8 form stays within
// 5e-13 relative to |x| = 8, and beyond that N(-|x|) < 7e-16 is negligible
// against any price.
const CENTRAL_LIMIT: f64 = 0.67448975;

// Cody's coefficients, pooled (see above), highest power first.
export const TAIL_P = memory.data<f64>([
  1.0765576773720192317e-8, 0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979,
  597.27027639480026226, 2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124,
  9842.7148383839780218,
], 16);
export const TAIL_Q = memory.data<f64>([
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
  18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
], 16);
export const CENT_P = memory.data<f64>([
  0.065682337918207449113, 2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582,
  18154.981253343561249,
], 16);
export const CENT_Q = memory.data<f64>([
  47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956,
], 16);
// 0.5, 1, |x| cap, central-region limit.
export const CDF_K = memory.data<f64>([0.5, 1.0, 64.0, CENTRAL_LIMIT], 16);
@inline function tp(i: i32): v128 { return pooled(TAIL_P + (<usize>i << 3)); }
@inline function tq(i: i32): v128 { return pooled(TAIL_Q + (<usize>i << 3)); }
@inline function cp(i: i32): v128 { return pooled(CENT_P + (<usize>i << 3)); }
@inline function cq(i: i32): v128 { return pooled(CENT_Q + (<usize>i << 3)); }
@inline function ck(i: i32): v128 { return pooled(CDF_K + (<usize>i << 3)); }

@inline function tailRatioF64x2(ax: v128): v128 {
  let num = f64x2.mul(tp(0), ax);
  let den = ax;
  num = f64x2.mul(f64x2.add(num, tp(1)), ax);
  den = f64x2.mul(f64x2.add(den, tq(0)), ax);
  num = f64x2.mul(f64x2.add(num, tp(2)), ax);
  den = f64x2.mul(f64x2.add(den, tq(1)), ax);
  num = f64x2.mul(f64x2.add(num, tp(3)), ax);
  den = f64x2.mul(f64x2.add(den, tq(2)), ax);
  num = f64x2.mul(f64x2.add(num, tp(4)), ax);
  den = f64x2.mul(f64x2.add(den, tq(3)), ax);
  num = f64x2.mul(f64x2.add(num, tp(5)), ax);
  den = f64x2.mul(f64x2.add(den, tq(4)), ax);
  num = f64x2.mul(f64x2.add(num, tp(6)), ax);
  den = f64x2.mul(f64x2.add(den, tq(5)), ax);
  num = f64x2.mul(f64x2.add(num, tp(7)), ax);
  den = f64x2.mul(f64x2.add(den, tq(6)), ax);
  return f64x2.div(f64x2.add(num, tp(8)), f64x2.add(den, tq(7)));
}

@inline function centralCdfF64x2(x: v128): v128 {
  const xsq = f64x2.mul(x, x);
  let num = f64x2.mul(cp(0), xsq);
  let den = xsq;
  num = f64x2.mul(f64x2.add(num, cp(1)), xsq);
  den = f64x2.mul(f64x2.add(den, cq(0)), xsq);
  num = f64x2.mul(f64x2.add(num, cp(2)), xsq);
  den = f64x2.mul(f64x2.add(den, cq(1)), xsq);
  num = f64x2.mul(f64x2.add(num, cp(3)), xsq);
  den = f64x2.mul(f64x2.add(den, cq(2)), xsq);
  const t = f64x2.div(f64x2.mul(x, f64x2.add(num, cp(4))), f64x2.add(den, cq(3)));
  return f64x2.add(ck(0), t);
}

/**
 * N(x) given g = exp(-x²/2), so that callers who know g through an identity
 * (Black-76: φ(d2) = φ(d1)·F/K) save an exp. The central branch runs only when
 * a lane needs it.
 */
@inline export function normCdfFromGaussF64x2(x: v128, g: v128): v128 {
  // Beyond |x| = 64 the tail is 0 through g; capping keeps the rational's
  // powers of |x| finite (they overflow past 3e39 and Inf/Inf is NaN). NaN survives pmin.
  const ax = f64x2.pmin(f64x2.abs(x), ck(2));
  const tail = f64x2.mul(g, tailRatioF64x2(ax));
  let y = v128.bitselect(tail, f64x2.sub(ck(1), tail), f64x2.lt(x, f64x2.splat(0.0)));
  const central = f64x2.lt(ax, ck(3));
  if (v128.any_true(central)) y = v128.bitselect(centralCdfF64x2(x), y, central);
  return y;
}

/** Standard normal density without the 1/√(2π): exp(-x²/2). */
@inline export function gaussF64x2(x: v128): v128 {
  return expF64x2(f64x2.mul(f64x2.splat(-0.5), f64x2.mul(x, x)));
}

/** Standard normal CDF per lane. */
@inline export function normCdfF64x2(x: v128): v128 {
  return normCdfFromGaussF64x2(x, gaussF64x2(x));
}

export const INV_SQRT_2PI: f64 = 0.3989422804014327;
