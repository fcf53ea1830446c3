// The probe's one constant, loaded into a local before the loop: V8
// rematerialises a v128.const inside a loop at every use (movabs + vmovq +
// vpunpcklqdq), which put extra vector instructions beside the measured ones.
const PEAK_K = memory.data<f64>([1.0000000001], 16);

/**
 * Measures this core's f64x2 multiply/add throughput ceiling for the benchmarks:
 * six independent multiply chains and eight independent add chains, all on one
 * constant. Six multiply chains fill two multiply pipes at 3-cycle latency; the
 * two extra add chains are the slack a mixed stream needs on Zen 5, where six
 * and six held the same core at ~80% of what six and eight reach (its native
 * twin bench/peers/peak.c measures the same chains in SSE2, in the same run).
 * 14 chains and the constant are the 15 vector registers V8 allocates on x64,
 * so nothing spills. Performs 14·iters f64x2 operations (28·iters flops) and
 * returns a sum so the work cannot be dropped.
 */
export function simdPeakF64x2(iters: i32): f64 {
  const k = v128.load64_splat(PEAK_K);
  let m0 = f64x2.splat(1.0), m1 = f64x2.splat(1.1), m2 = f64x2.splat(1.2);
  let m3 = f64x2.splat(1.3), m4 = f64x2.splat(1.4), m5 = f64x2.splat(1.5);
  let s0 = f64x2.splat(0.0), s1 = f64x2.splat(0.1), s2 = f64x2.splat(0.2), s3 = f64x2.splat(0.3);
  let s4 = f64x2.splat(0.4), s5 = f64x2.splat(0.5), s6 = f64x2.splat(0.6), s7 = f64x2.splat(0.7);
  for (let i = 0; i < iters; i++) {
    m0 = f64x2.mul(m0, k); m1 = f64x2.mul(m1, k); m2 = f64x2.mul(m2, k);
    m3 = f64x2.mul(m3, k); m4 = f64x2.mul(m4, k); m5 = f64x2.mul(m5, k);
    s0 = f64x2.add(s0, k); s1 = f64x2.add(s1, k); s2 = f64x2.add(s2, k); s3 = f64x2.add(s3, k);
    s4 = f64x2.add(s4, k); s5 = f64x2.add(s5, k); s6 = f64x2.add(s6, k); s7 = f64x2.add(s7, k);
  }
  const m = f64x2.add(f64x2.add(f64x2.add(m0, m1), f64x2.add(m2, m3)), f64x2.add(m4, m5));
  const s = f64x2.add(f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3)), f64x2.add(f64x2.add(s4, s5), f64x2.add(s6, s7)));
  const t = f64x2.add(m, s);
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}
