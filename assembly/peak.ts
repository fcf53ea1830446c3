/**
 * Measures this core's f64x2 throughput ceiling for the benchmarks: six
 * independent multiply chains and six independent add chains, enough to fill
 * two multiply and two add pipes at 3-cycle latency. Performs 12·iters f64x2
 * operations (24·iters flops) and returns a sum so the work cannot be dropped.
 */
export function simdPeakF64x2(iters: i32): f64 {
  const a = f64x2.splat(1.0000000001);
  const b = f64x2.splat(1e-9);
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
