// Scalar reference of the random-number kernels in assembly/random.ts, bit
// for bit: Philox4x32-10 in 32-bit integer arithmetic, then the same IEEE
// operations in the same order (ln is the deterministic log, which equals
// logF64x2). The JS baseline and test oracle for the WASM kernels.
import { log } from "../math/deterministic.js";

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const M0_HI = M0 >>> 16, M0_LO = M0 & 0xffff;
const M1_HI = M1 >>> 16, M1_LO = M1 & 0xffff;

/**
 * High 32 bits of a·m for a, m < 2^32 with m = mHi·2^16 + mLo: a·mHi and a·mLo
 * are exact doubles (< 2^48), and dropping a·mLo's low 16 bits before the
 * final division cannot change the floor.
 */
function mulhi(a: number, mHi: number, mLo: number): number {
  return Math.floor((a * mHi + Math.floor((a * mLo) / 65536)) / 65536);
}

/** Output words of the last philoxInto call. */
const words = new Uint32Array(4);

function philoxInto(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): void {
  let x0 = c0 | 0, x1 = c1 | 0, x2 = c2 | 0, x3 = c3 | 0;
  let key0 = k0 | 0, key1 = k1 | 0;
  for (let r = 0; r < 10; r++) {
    const a = x0 >>> 0, b = x2 >>> 0;
    const y0 = mulhi(b, M1_HI, M1_LO) ^ x1 ^ key0;
    const y2 = mulhi(a, M0_HI, M0_LO) ^ x3 ^ key1;
    x1 = Math.imul(b, M1);
    x3 = Math.imul(a, M0);
    x0 = y0;
    x2 = y2;
    key0 = (key0 + W0) | 0;
    key1 = (key1 + W1) | 0;
  }
  words[0] = x0;
  words[1] = x1;
  words[2] = x2;
  words[3] = x3;
}

/** Philox4x32-10 (Random123) of counter (c0, c1, c2, c3) under key (k0, k1): four u32 words. */
export function philox4x32(
  c0: number, c1: number, c2: number, c3: number, k0: number, k1: number,
): [number, number, number, number] {
  philoxInto(c0, c1, c2, c3, k0, k1);
  return [words[0]!, words[1]!, words[2]!, words[3]!];
}

const TWO_M52 = 2 ** -52;
/** (m + 1/2)·2^-52 for m = (hi >>> 12)·2^32 + lo: every step is exact. */
function unit(hi: number, lo: number): number {
  return ((hi >>> 12) * 4294967296 + lo + 0.5) * TWO_M52;
}

// fdlibm __kernel_sin / __kernel_cos coefficients.
const S1 = -1.66666666666666324348e-1, S2 = 8.33333333332248946124e-3, S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6, S5 = -2.50507602534068634195e-8, S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-2, C2 = -1.38888888888741095749e-3, C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7, C5 = 2.08757232129817482790e-9, C6 = -1.13596475577881948265e-11;
const TWO_PI = 6.283185307179586;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;
/** The double with high word hi and low word lo. */
function fromWords(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0]!;
}
// fdlibm's branches on the high word of |x|: below 0x3fd33333 (0.3), above 0x3fe90000 (0.78125).
const QX_LOW = fromWords(0x3fd33333, 0);
const QX_HIGH = fromWords(0x3fe90001, 0);

/** fdlibm's qx for 0.3 ≤ |x| ≤ 0.78125: |x|/4 with the low word zeroed. */
function quarterHigh(ax: number): number {
  f64[0] = ax;
  u32[HI] = u32[HI]! - 0x00200000;
  u32[LO] = 0;
  return f64[0]!;
}

let cosOut = 0;
let sinOut = 0;

/** cos 2πu and sin 2πu into cosOut, sinOut, for u an odd multiple of 2^-53 in (0, 1) (see polarF64x2). */
function cosSin2Pi(u: number): void {
  // u − q/4 is exact and x rounded once; the kernel's (π/2)·(4u − q) is the same product.
  const q = Math.floor(4 * u + 0.5);
  const x = TWO_PI * (u - q / 4);
  const z = x * x;
  const s = x + z * x * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
  const cr = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  const ax = Math.abs(x);
  const qx = ax >= QX_HIGH ? 0.28125 : ax >= QX_LOW ? quarterHigh(ax) : 0;
  const c = (1 - qx) - ((0.5 * z - qx) - z * cr);
  const qm = q & 3;
  const cq = qm & 1 ? s : c;
  const sq = qm & 1 ? c : s;
  cosOut = qm === 1 || qm === 2 ? -cq : cq;
  sinOut = qm >= 2 ? -sq : sq;
}

/** cos 2πu and sin 2πu exactly as the kernel computes them (u an odd multiple of 2^-53 in (0, 1)). */
export function cosSin2PiReference(u: number): { cos: number; sin: number } {
  cosSin2Pi(u);
  return { cos: cosOut, sin: sinOut };
}

/** out[d·nPaths + i] = uniform draw d of path pathStart + i (or list[i]), as uniformsF64x2Soa. */
export function uniformsReference(
  seedLo: number, seedHi: number, stream: number, pathStart: number, nPaths: number, nDraws: number, out: Float64Array, list?: ArrayLike<number>,
): void {
  for (let i = 0; i < nPaths; i++) {
    const path = list ? list[i]! : pathStart + i;
    for (let j = 0; 2 * j < nDraws; j++) {
      philoxInto(path, j, stream, 0, seedLo, seedHi);
      out[2 * j * nPaths + i] = unit(words[0]!, words[1]!);
      if (2 * j + 1 < nDraws) out[(2 * j + 1) * nPaths + i] = unit(words[2]!, words[3]!);
    }
  }
}

/** out[d·nPaths + i] = normal draw d of path pathStart + i (or list[i]), as normalsF64x2Soa. */
export function normalsReference(
  seedLo: number, seedHi: number, stream: number, pathStart: number, nPaths: number, nDraws: number, out: Float64Array, list?: ArrayLike<number>,
): void {
  for (let i = 0; i < nPaths; i++) {
    const path = list ? list[i]! : pathStart + i;
    for (let j = 0; 2 * j < nDraws; j++) {
      philoxInto(path, j, stream, 0, seedLo, seedHi);
      const r = Math.sqrt(-2 * log(unit(words[0]!, words[1]!)));
      cosSin2Pi(unit(words[2]!, words[3]!));
      out[2 * j * nPaths + i] = r * cosOut;
      if (2 * j + 1 < nDraws) out[(2 * j + 1) * nPaths + i] = r * sinOut;
    }
  }
}

/** out[i] = Gamma(shape, 1) variate of path pathStart + i (or list[i]), as gammaF64Soa (NaN unless 1 ≤ shape < ∞). */
export function gammaReference(
  seedLo: number, seedHi: number, stream: number, pathStart: number, nPaths: number, shape: number, out: Float64Array, list?: ArrayLike<number>,
): void {
  if (!(shape >= 1 && shape < Infinity)) {
    out.fill(NaN, 0, nPaths);
    return;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (let i = 0; i < nPaths; i++) {
    const path = list ? list[i]! : pathStart + i;
    for (let t = 0; ; t++) {
      philoxInto(path, 2 * t, stream, 0, seedLo, seedHi);
      const r = Math.sqrt(-2 * log(unit(words[0]!, words[1]!)));
      cosSin2Pi(unit(words[2]!, words[3]!));
      const x = r * cosOut;
      const w = 1 + c * x;
      const v = w * w * w;
      if (v <= 0) continue;
      philoxInto(path, 2 * t + 1, stream, 0, seedLo, seedHi);
      if (log(unit(words[0]!, words[1]!)) < 0.5 * (x * x) + d - d * v + d * log(v)) {
        out[i] = d * v;
        break;
      }
    }
  }
}
