/* The native twin of assembly/peak.ts's simdPeakF64x2: the same six multiply and eight add chains
 * of 128-bit f64x2 (SSE2) on one constant, compiled by GCC, so that the bench can set the WASM
 * probe's figure against what the core does natively. Prints one JSON line: the fastest call in
 * SECONDS of calls (a ceiling, which interference can only lower), ns per call of ITERS iterations,
 * 28·ITERS flops. */
#include <emmintrin.h>
#include "problem.h"

enum { ITERS = 2000000 };
static const double SECONDS = 1;

__attribute__((noinline)) static double probe(long iters, double kk) {
  __m128d k = _mm_set1_pd(kk);
  __m128d m0 = _mm_set1_pd(1.0), m1 = _mm_set1_pd(1.1), m2 = _mm_set1_pd(1.2), m3 = _mm_set1_pd(1.3), m4 = _mm_set1_pd(1.4), m5 = _mm_set1_pd(1.5);
  __m128d s0 = _mm_set1_pd(0.0), s1 = _mm_set1_pd(0.1), s2 = _mm_set1_pd(0.2), s3 = _mm_set1_pd(0.3);
  __m128d s4 = _mm_set1_pd(0.4), s5 = _mm_set1_pd(0.5), s6 = _mm_set1_pd(0.6), s7 = _mm_set1_pd(0.7);
  for (long i = 0; i < iters; i++) {
    m0 = _mm_mul_pd(m0, k); m1 = _mm_mul_pd(m1, k); m2 = _mm_mul_pd(m2, k);
    m3 = _mm_mul_pd(m3, k); m4 = _mm_mul_pd(m4, k); m5 = _mm_mul_pd(m5, k);
    s0 = _mm_add_pd(s0, k); s1 = _mm_add_pd(s1, k); s2 = _mm_add_pd(s2, k); s3 = _mm_add_pd(s3, k);
    s4 = _mm_add_pd(s4, k); s5 = _mm_add_pd(s5, k); s6 = _mm_add_pd(s6, k); s7 = _mm_add_pd(s7, k);
    /* Fourteen live chains the compiler must keep as they are (no reassociation, no hoisting). */
    __asm__ volatile("" : "+x"(m0), "+x"(m1), "+x"(m2), "+x"(m3), "+x"(m4), "+x"(m5), "+x"(s0), "+x"(s1),
                          "+x"(s2), "+x"(s3), "+x"(s4), "+x"(s5), "+x"(s6), "+x"(s7));
  }
  __m128d m = _mm_add_pd(_mm_add_pd(_mm_add_pd(m0, m1), _mm_add_pd(m2, m3)), _mm_add_pd(m4, m5));
  __m128d s = _mm_add_pd(_mm_add_pd(_mm_add_pd(s0, s1), _mm_add_pd(s2, s3)), _mm_add_pd(_mm_add_pd(s4, s5), _mm_add_pd(s6, s7)));
  double r[2];
  _mm_storeu_pd(r, _mm_add_pd(m, s));
  return r[0] + r[1];
}

int main(void) {
  double sink = probe(ITERS, 1.0000000001), fastest = 1e300;
  for (double start = nowNs(); nowNs() - start < SECONDS * 1e9;) {
    double t0 = nowNs();
    sink += probe(ITERS, 1.0000000001);
    double ns = nowNs() - t0;
    if (ns < fastest) fastest = ns;
  }
  printf("{\"version\":\"gcc %s\",\"iterations\":%d,\"fastestNs\":%.1f,\"sink\":%.17g}\n", __VERSION__, ITERS, fastest, sink);
  return 0;
}
