// Counter-based random numbers for Monte Carlo paths: Philox4x32-10 (Salmon,
// Moraes, Dror, Shaw, SC11; as in Random123) on four paths per i32x4, and the
// uniforms, Box–Muller normals and Marsaglia–Tsang gammas built on it.
//
// A draw is a pure function of (seed, stream, path, draw): the Philox key is
// the seed and the counter (path, j, stream, 0), so splitting a run into calls
// or workers changes nothing. After Philox everything is IEEE basic arithmetic
// in a fixed order (no fused multiply-add, no libm), which is what lets
// src/reference/random.ts reproduce every bit.
import { logF64x2, pooled } from "./math";

const ROUNDS = 10;
const M0: u32 = 0xD2511F53;
const M1: u32 = 0xCD9E8D57;
const W0: u32 = 0x9E3779B9;
const W1: u32 = 0xBB67AE85;

// Round keys of the current call, splatted: (k0, k1) of round r at ROUND_KEYS + 32·r.
const ROUND_KEYS = memory.data(32 * ROUNDS, 16);
// Philox output words of the current block, word w at PHILOX_OUT + 16·w.
const PHILOX_OUT = memory.data(64, 16);
// Two rows of four lanes: the last, partial block of paths lands here and
// only its valid lanes are copied out; the missing row of an odd nDraws too.
const TAIL = memory.data(64, 16);

// Integer patterns, pooled (see assembly/math.ts), index i at RAND_I + 8·i.
const RAND_I = memory.data<i64>([
  <i64>M0 | (<i64>M0 << 32), <i64>M1 | (<i64>M1 << 32),
  0x3ff000003ff00000,  // 2: exponent word of 1.0 in each i32 lane
  0xffffffff00000000,  // 3: high word mask
  0x0020000000000000,  // 4: 2 in the exponent field; subtracting it divides by 4
  1,                   // 5
  0x8000000000000000,  // 6: sign bit
  0x3fd3333300000000,  // 7: fdlibm's 0.3 threshold (high word 0x3fd33333)
  0x3fe9000100000000,  // 8: smallest |x| whose high word exceeds 0x3fe90000 (0.78125)
], 16);
@inline function ik(i: i32): v128 {
  return pooled(RAND_I + (<usize>i << 3));
}

// fdlibm __kernel_sin / __kernel_cos coefficients, then the other float constants.
const RAND_F = memory.data<f64>([
  -1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04,   // 0..2  S1..S3
  2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10,    // 3..5  S4..S6
  4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05,    // 6..8  C1..C3
  -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11,   // 9..11 C4..C6
  4.0, 6755399441055744.0, 1.5707963267948966, 0.5, 1.0, 0.28125,                          // 12..17
  -2.0, 0.99999999999999988898,                                                            // 18, 19: 1 − 2^-53
], 16);
@inline function fk(i: i32): v128 {
  return pooled(RAND_F + (<usize>i << 3));
}

/** Sets the Philox key (seedLo, seedHi) that philoxX4 uses: the Weyl schedule of all ten rounds. */
export function philoxKey(seedLo: u32, seedHi: u32): void {
  let k0 = seedLo;
  let k1 = seedHi;
  for (let r = 0; r < ROUNDS; r++) {
    v128.store(ROUND_KEYS + (<usize>r << 5), i32x4.splat(k0));
    v128.store(ROUND_KEYS + (<usize>r << 5), i32x4.splat(k1), 16);
    k0 += W0;
    k1 += W1;
  }
}

/**
 * Philox4x32-10 of four counters at once under the philoxKey key, lane l of
 * c0..c3 holding counter l; stores output word w of every lane at dst + 16·w.
 */
@inline export function philoxX4(c0: v128, c1: v128, c2: v128, c3: v128, dst: usize): void {
  const m0 = ik(0), m1 = ik(1);
  for (let r = 0; r < ROUNDS; r++) {
    const key = ROUND_KEYS + (<usize>r << 5);
    // No 32-bit mulhi in WASM: the 64-bit products of lanes 0,1 and 2,3, then their words regrouped.
    const a0 = i64x2.extmul_low_i32x4_u(c0, m0), a1 = i64x2.extmul_high_i32x4_u(c0, m0);
    const b0 = i64x2.extmul_low_i32x4_u(c2, m1), b1 = i64x2.extmul_high_i32x4_u(c2, m1);
    c0 = v128.xor(v128.xor(i32x4.shuffle(b0, b1, 1, 3, 5, 7), c1), v128.load(key));
    c1 = i32x4.shuffle(b0, b1, 0, 2, 4, 6);
    c2 = v128.xor(v128.xor(i32x4.shuffle(a0, a1, 1, 3, 5, 7), c3), v128.load(key, 16));
    c3 = i32x4.shuffle(a0, a1, 0, 2, 4, 6);
  }
  v128.store(dst, c0);
  v128.store(dst, c1, 16);
  v128.store(dst, c2, 32);
  v128.store(dst, c3, 48);
}

/**
 * Uniforms (m + 1/2)·2^-52 of the 52-bit m = (hi >>> 12)·2^32 + lo, lanes 0, 1
 * of the i32x4 words hi, lo (`upper` false) or lanes 2, 3: 1 + m·2^-52 is
 * assembled from bits, and subtracting 1 − 2^-53 is exact (Sterbenz).
 */
@inline function unitF64x2(hi: v128, lo: v128, upper: bool): v128 {
  const h = v128.or(i32x4.shr_u(hi, 12), ik(2));
  const bits = upper ? i32x4.shuffle(lo, h, 2, 6, 3, 7) : i32x4.shuffle(lo, h, 0, 4, 1, 5);
  return f64x2.sub(bits, fk(19));
}

/**
 * Stores r·cos 2πu at pc and r·sin 2πu at ps, for u an odd multiple of 2^-53
 * in (0, 1), as every uniform here is.
 *
 * 2πu = q·π/2 + x with q = round(4u): 4u is an odd multiple of 2^-51, so
 * there are no ties and 4u − q is exact; x = (π/2)(4u − q) = 2π(u − q/4) is
 * rounded once, |x| ≤ π/4. sin x and cos x are fdlibm's __kernel_sin and
 * __kernel_cos (tail y = 0), then q mod 4 swaps and signs them.
 */
@inline export function polarF64x2(r: v128, u: v128, pc: usize, ps: usize): void {
  const u4 = f64x2.mul(u, fk(12));
  const y = f64x2.add(u4, fk(13)); // q in the low mantissa bits
  const x = f64x2.mul(f64x2.sub(u4, f64x2.sub(y, fk(13))), fk(14));
  const z = f64x2.mul(x, x);
  const sr = f64x2.add(fk(1), f64x2.mul(z, f64x2.add(fk(2), f64x2.mul(z, f64x2.add(fk(3),
    f64x2.mul(z, f64x2.add(fk(4), f64x2.mul(z, fk(5)))))))));
  const s = f64x2.add(x, f64x2.mul(f64x2.mul(z, x), f64x2.add(fk(0), f64x2.mul(z, sr))));
  const cr = f64x2.mul(z, f64x2.add(fk(6), f64x2.mul(z, f64x2.add(fk(7), f64x2.mul(z, f64x2.add(fk(8),
    f64x2.mul(z, f64x2.add(fk(9), f64x2.mul(z, f64x2.add(fk(10), f64x2.mul(z, fk(11))))))))))));
  // fdlibm's qx: 0 below 0.3 (which is its first branch), |x|/4 truncated to
  // the high word up to 0.78125, 0.28125 beyond.
  const ax = f64x2.abs(x);
  const quarter = i64x2.sub(v128.and(ax, ik(3)), ik(4));
  const qx = v128.bitselect(fk(17), v128.and(quarter, f64x2.ge(ax, ik(7))), f64x2.ge(ax, ik(8)));
  const c = f64x2.sub(f64x2.sub(fk(16), qx), f64x2.sub(f64x2.sub(f64x2.mul(fk(15), z), qx), f64x2.mul(z, cr)));
  // q odd swaps sin and cos; cos is negative for q mod 4 ∈ {1, 2}, sin for {2, 3}.
  const swap = i64x2.eq(v128.and(y, ik(5)), ik(5));
  const cosSign = v128.and(i64x2.shl(i64x2.add(y, ik(5)), 62), ik(6));
  const sinSign = v128.and(i64x2.shl(y, 62), ik(6));
  v128.store(pc, v128.xor(f64x2.mul(r, v128.bitselect(s, c, swap)), cosSign));
  v128.store(ps, v128.xor(f64x2.mul(r, v128.bitselect(c, s, swap)), sinSign));
}

/** Box–Muller radius sqrt(−2 ln u). */
@inline function radiusF64x2(u: v128): v128 {
  return f64x2.sqrt(f64x2.mul(logF64x2(u), fk(18)));
}

/** Copies n f64 from src to dst. */
@inline function copyF64(dst: usize, src: usize, n: i32): void {
  for (let l = 0; l < n; l++) store<f64>(dst + (<usize>l << 3), load<f64>(src + (<usize>l << 3)));
}

/**
 * out[d·nPaths + i] = draw d of path i of the call: pair j = d >> 1 is Philox
 * of (path, j, stream, 0), the uniforms (u_a, u_b) of its words (x0, x1) and
 * (x2, x3), and draws 2j, 2j + 1 are either those or their Box–Muller normals.
 * Path i is pathStart + i, or with pathList ≠ 0 the u32 at pathList + 4i (the
 * list readable up to a multiple of four entries): an ES tail's scattered paths.
 */
@inline function fillSoa(
  normal: bool, seedLo: u32, seedHi: u32, stream: u32, pathStart: u32, nPaths: i32, nDraws: i32, out: usize, pathList: usize,
): void {
  philoxKey(seedLo, seedHi);
  const rowBytes = <usize>nPaths << 3;
  const first = i32x4.add(i32x4.splat(pathStart), i32x4(0, 1, 2, 3));
  const c2 = i32x4.splat(stream);
  const zero = i32x4.splat(0);
  const four = i32x4.splat(4);
  for (let j = 0; j << 1 < nDraws; j++) {
    const row0 = out + <usize>(j << 1) * rowBytes;
    const second = (j << 1) + 1 < nDraws;
    const c1 = i32x4.splat(j);
    let c0 = first;
    for (let i = 0; i < nPaths; i += 4) {
      const partial = nPaths - i < 4;
      const p0 = partial ? TAIL : row0 + (<usize>i << 3);
      const p1 = partial || !second ? TAIL + 32 : row0 + rowBytes + (<usize>i << 3);
      philoxX4(pathList ? v128.load(pathList + (<usize>i << 2)) : c0, c1, c2, zero, PHILOX_OUT);
      const x0 = v128.load(PHILOX_OUT), x1 = v128.load(PHILOX_OUT, 16);
      const x2 = v128.load(PHILOX_OUT, 32), x3 = v128.load(PHILOX_OUT, 48);
      const ua01 = unitF64x2(x0, x1, false), ua23 = unitF64x2(x0, x1, true);
      const ub01 = unitF64x2(x2, x3, false), ub23 = unitF64x2(x2, x3, true);
      if (normal) {
        polarF64x2(radiusF64x2(ua01), ub01, p0, p1);
        polarF64x2(radiusF64x2(ua23), ub23, p0 + 16, p1 + 16);
      } else {
        v128.store(p0, ua01);
        v128.store(p0, ua23, 16);
        v128.store(p1, ub01);
        v128.store(p1, ub23, 16);
      }
      if (partial) {
        copyF64(row0 + (<usize>i << 3), TAIL, nPaths - i);
        if (second) copyF64(row0 + rowBytes + (<usize>i << 3), TAIL + 32, nPaths - i);
      }
      c0 = i32x4.add(c0, four);
    }
  }
}

/** out[d·nPaths + i] = normal draw d (0 ≤ d < nDraws) of path pathStart + i (or pathList[i], see fillSoa), stream `stream`. */
export function normalsF64x2Soa(
  seedLo: u32, seedHi: u32, stream: u32, pathStart: u32, nPaths: i32, nDraws: i32, out: usize, pathList: usize,
): void {
  fillSoa(true, seedLo, seedHi, stream, pathStart, nPaths, nDraws, out, pathList);
}

/** out[d·nPaths + i] = uniform draw d of path pathStart + i (or pathList[i]), in (0, 1). */
export function uniformsF64x2Soa(
  seedLo: u32, seedHi: u32, stream: u32, pathStart: u32, nPaths: i32, nDraws: i32, out: usize, pathList: usize,
): void {
  fillSoa(false, seedLo, seedHi, stream, pathStart, nPaths, nDraws, out, pathList);
}

/**
 * out[i] = Gamma(shape, 1) variate of path pathStart + i, or of the u32 at
 * pathList + 4i when pathList ≠ 0 (Marsaglia–Tsang,
 * shape ≥ 1; NaN for any other shape, where the method would not terminate).
 * Attempt t uses the counters (path, 2t, stream, 0) for a Box–Muller normal x
 * and (path, 2t + 1, stream, 0) for u = u_a; it accepts with probability
 * > 0.95 and every attempt draws fresh counters, so P(more than k attempts)
 * < 0.05^k and the loop ends (t would have to reach 2^31 to repeat a counter).
 */
export function gammaF64Soa(
  seedLo: u32, seedHi: u32, stream: u32, pathStart: u32, nPaths: i32, shape: f64, out: usize, pathList: usize,
): void {
  if (!(shape >= 1.0 && shape < Infinity)) {
    for (let i = 0; i < nPaths; i++) store<f64>(out + (<usize>i << 3), NaN);
    return;
  }
  philoxKey(seedLo, seedHi);
  const d = shape - 1.0 / 3.0;
  const c = 1.0 / Math.sqrt(9.0 * d);
  const c2 = i32x4.splat(stream);
  const zero = i32x4.splat(0);
  for (let i = 0; i < nPaths; i++) {
    const c0 = i32x4.splat(pathList ? load<u32>(pathList + (<usize>i << 2)) : pathStart + <u32>i);
    for (let t: u32 = 0; ; t++) {
      // Lane 0: counter (path, 2t); lane 1: (path, 2t + 1); lanes 2, 3 unused.
      philoxX4(c0, i32x4.add(i32x4.splat(t << 1), i32x4(0, 1, 0, 1)), c2, zero, PHILOX_OUT);
      const ua = unitF64x2(v128.load(PHILOX_OUT), v128.load(PHILOX_OUT, 16), false);
      const ub = unitF64x2(v128.load(PHILOX_OUT, 32), v128.load(PHILOX_OUT, 48), false);
      polarF64x2(radiusF64x2(ua), ub, TAIL, TAIL + 16);
      const x = load<f64>(TAIL);
      const w = 1.0 + c * x;
      const v = w * w * w;
      if (v <= 0) continue;
      const lnUV = logF64x2(f64x2.replace_lane(ua, 0, v)); // lanes: ln v, ln u
      const lnU = f64x2.extract_lane(lnUV, 1);
      const lnV = f64x2.extract_lane(lnUV, 0);
      if (lnU < 0.5 * (x * x) + d - d * v + d * lnV) {
        store<f64>(out + (<usize>i << 3), d * v);
        break;
      }
    }
  }
}
