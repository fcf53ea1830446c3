// Scalar exp and log with the exact algorithms and operation order of
// assembly/math.ts, in plain IEEE arithmetic: every JS engine and the WASM
// kernel get the same bits. Math.exp/Math.log are not required to be
// correctly rounded and differ in the last bit between engines (Node 20's V8
// and Chromium 156 disagree on Math.log(5129 / 3690.3259695721226)), so
// everything that compiles a book — forwards, log-moneyness, scenario moves —
// uses these instead, and a book compiled in a browser equals one compiled in Node.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Word order of a double in this host's typed arrays.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

const LOG2E = 1.4426950408889634;
const LN2_HI = 6.9314718036912382e-1;
const LN2_LO = 1.9082149292705877e-10;
const SHIFTER = 6755399441055744.0;
const EXP_MAX = 709.782712893384;
const EXP_MIN = -745.1332191019412;
const C = [
  1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0, 1.0 / 40320.0, 1.0 / 362880.0,
  1.0 / 3628800.0, 1.0 / 39916800.0, 1.0 / 479001600.0, 1.0 / 6227020800.0,
] as const;

/** 2^k for an integer k in [−1022, 1023], built from its exponent bits. */
function pow2(k: number): number {
  u32[HI] = (k + 1023) << 20;
  u32[LO] = 0;
  return f64[0]!;
}

/** e^x, bit-identical to expF64x2 in assembly/math.ts. */
export function exp(x: number): number {
  if (x < EXP_MIN) return 0;
  if (x > EXP_MAX) return Infinity;
  if (x !== x) return x;
  const t = x * LOG2E + SHIFTER;
  const n = t - SHIFTER;
  const r = x - n * LN2_HI - n * LN2_LO;
  const r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const p0_3 = (C[0] + r) + r2 * (C[1] + r * C[2]);
  const p4_7 = (C[3] + r * C[4]) + r2 * (C[5] + r * C[6]);
  const p8_11 = (C[7] + r * C[8]) + r2 * (C[9] + r * C[10]);
  const p8_13 = p8_11 + r4 * (C[11] + r * C[12]);
  const p = (p0_3 + r4 * p4_7) + r8 * p8_13;
  const n1 = Math.floor(n / 2);
  return p * pow2(n1) * pow2(n - n1);
}

const LG = [6.66666666666673513e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1,
  1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1] as const;
const TWO54 = 18014398509481984.0;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Natural log, bit-identical to logF64x2 in assembly/math.ts. */
export function log(x: number): number {
  if (!(x >= 0)) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return x;
  const sub = x < MIN_NORMAL;
  f64[0] = sub ? x * TWO54 : x;
  const hi = u32[HI]! + (0x3ff00000 - 0x3fe6a09e);
  const k = (hi >>> 20) - 0x3ff - (sub ? 54 : 0);
  u32[HI] = (hi & 0x000fffff) + 0x3fe6a09e;
  const f = f64[0]! - 1.0;
  const hfsq = 0.5 * (f * f);
  const s = f / (2.0 + f);
  const z = s * s, w = z * z;
  const t1 = w * (LG[1] + w * (LG[3] + w * LG[5]));
  const t2 = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6])));
  return ((s * (hfsq + (t2 + t1)) + k * LN2_LO) - hfsq) + (f + k * LN2_HI);
}
