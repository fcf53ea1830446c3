// The kernel's multiply-adds. The portable module (built for SIMD only) rounds the
// product, then the sum: the same bits on every machine. The FMA module (built with
// relaxed SIMD, asconfig target "fma") may fuse them into one rounding where the CPU
// can (x86 FMA3, ARM): faster, but machine-dependent in the last bits. The choice is
// made at compile time: the portable module contains no relaxed instruction.

/** a·b + c. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

/** c − a·b. */
@inline export function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_nmadd(a, b, c);
  return f64x2.sub(c, f64x2.mul(a, b));
}
