// The probe's multiplier and addend, loaded into locals before the loop: V8
// rematerialises a v128.const inside a loop at every use (movabs + vmovq +
// vpunpcklqdq), which put 4 extra vector instructions beside the 12 measured
// ones and held the probe at 17 GFLOP/s on a core that does 29 (Zen 4 at
// 3.65 GHz: 2 multiplies + 2 adds of f64x2 a cycle; the same 12 chains in
// native x86 assembly measure 28–29 GFLOP/s, and so does this probe).
const PEAK_K = memory.data<f64>([1.0000000001, 1e-9], 16);

/**
 * Measures this core's f64x2 throughput ceiling for the benchmarks: six
 * independent multiply chains and six independent add chains, enough to fill
 * two multiply and two add pipes at 3-cycle latency. Performs 12·iters f64x2
 * operations (24·iters flops) and returns a sum so the work cannot be dropped.
 */
export function simdPeakF64x2(iters: i32): f64 {
  const a = v128.load64_splat(PEAK_K);
  const b = v128.load64_splat(PEAK_K, 8);
  let m0 = f64x2.splat(1.0), m1 = f64x2.splat(1.1), m2 = f64x2.splat(1.2);
  let m3 = f64x2.splat(1.3), m4 = f64x2.splat(1.4), m5 = f64x2.splat(1.5);
  let s0 = f64x2.splat(0.0), s1 = f64x2.splat(0.1), s2 = f64x2.splat(0.2);
  let s3 = f64x2.splat(0.3), s4 = f64x2.splat(0.4), s5 = f64x2.splat(0.5);
  for (let i = 0; i < iters; i++) {
    m0 = f64x2.mul(m0, a); m1 = f64x2.mul(m1, a); m2 = f64x2.mul(m2, a);
    m3 = f64x2.mul(m3, a); m4 = f64x2.mul(m4, a); m5 = f64x2.mul(m5, a);
    s0 = f64x2.add(s0, b); s1 = f64x2.add(s1, b); s2 = f64x2.add(s2, b);
    s3 = f64x2.add(s3, b); s4 = f64x2.add(s4, b); s5 = f64x2.add(s5, b);
  }
  const m = f64x2.add(f64x2.add(f64x2.add(m0, m1), f64x2.add(m2, m3)), f64x2.add(m4, m5));
  const s = f64x2.add(f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3)), f64x2.add(s4, s5));
  const t = f64x2.add(m, s);
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}
