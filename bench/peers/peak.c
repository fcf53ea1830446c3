/* The native twin of assembly/peak.ts's simdPeakF64x2: the same six multiply and six add chains
 * of 128-bit f64x2 (SSE2), compiled by GCC, so that the bench can set the WASM probe's figure
 * against what the core does natively. Prints one JSON line as the peers do; medianNs is per call
 * of ITERS iterations, 24·ITERS flops. */
#include <emmintrin.h>
#include "problem.h"

enum { ITERS = 2000000, RUNS = 41 };

__attribute__((noinline)) static double probe(long iters, double ka, double kb) {
  __m128d a = _mm_set1_pd(ka), b = _mm_set1_pd(kb);
  __m128d m0 = _mm_set1_pd(1.0), m1 = _mm_set1_pd(1.1), m2 = _mm_set1_pd(1.2), m3 = _mm_set1_pd(1.3), m4 = _mm_set1_pd(1.4), m5 = _mm_set1_pd(1.5);
  __m128d s0 = _mm_set1_pd(0.0), s1 = _mm_set1_pd(0.1), s2 = _mm_set1_pd(0.2), s3 = _mm_set1_pd(0.3), s4 = _mm_set1_pd(0.4), s5 = _mm_set1_pd(0.5);
  for (long i = 0; i < iters; i++) {
    m0 = _mm_mul_pd(m0, a); m1 = _mm_mul_pd(m1, a); m2 = _mm_mul_pd(m2, a);
    m3 = _mm_mul_pd(m3, a); m4 = _mm_mul_pd(m4, a); m5 = _mm_mul_pd(m5, a);
    s0 = _mm_add_pd(s0, b); s1 = _mm_add_pd(s1, b); s2 = _mm_add_pd(s2, b);
    s3 = _mm_add_pd(s3, b); s4 = _mm_add_pd(s4, b); s5 = _mm_add_pd(s5, b);
    /* Twelve live chains the compiler must keep as they are (no reassociation, no hoisting). */
    __asm__ volatile("" : "+x"(m0), "+x"(m1), "+x"(m2), "+x"(m3), "+x"(m4), "+x"(m5),
                          "+x"(s0), "+x"(s1), "+x"(s2), "+x"(s3), "+x"(s4), "+x"(s5));
  }
  __m128d m = _mm_add_pd(_mm_add_pd(_mm_add_pd(m0, m1), _mm_add_pd(m2, m3)), _mm_add_pd(m4, m5));
  __m128d s = _mm_add_pd(_mm_add_pd(_mm_add_pd(s0, s1), _mm_add_pd(s2, s3)), _mm_add_pd(s4, s5));
  double r[2];
  _mm_storeu_pd(r, _mm_add_pd(m, s));
  return r[0] + r[1];
}

int main(void) {
  static double ns[RUNS];
  double sink = probe(ITERS, 1.0000000001, 1e-9);
  for (int i = 0; i < RUNS; i++) {
    double t0 = nowNs();
    sink += probe(ITERS, 1.0000000001, 1e-9);
    ns[i] = nowNs() - t0;
  }
  printf("{\"variant\":\"peak\",\"version\":\"gcc %s\",\"runs\":%d,\"medianNs\":%.1f,\"iterations\":%d,\"sink\":%.17g}\n",
         __VERSION__, RUNS, medianOf(ns, RUNS), ITERS, sink);
  return 0;
}
