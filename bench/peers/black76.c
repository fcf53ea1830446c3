/* The C peer of bench/revalue.bench.ts: the same book under the same scenarios, Black-76 with
 * the kernel's smile lookup, vol shock, floors and ageing, summed per scenario.
 *   libm    what a C programmer writes: exp and erfc from libm, one pair at a time.
 *   kernel  the WASM kernel's own algorithm (assembly/revalue.ts, assembly/math.ts): branch-free,
 *           exp by the same range reduction and degree-13 polynomial, the normal CDF by the same
 *           Cody rationals, one exp shared by both densities, one division shared by both CDFs.
 * bench/peers/peers.ts compiles this file twice, both -O3 -fno-trapping-math (which lets GCC turn
 * the selects into masks; no result changes): with -fno-tree-vectorize (scalar) and with -msse2
 * -mno-avx (GCC vectorises the kernel's scenario loop to 128-bit SSE2, two f64 lanes, the width of
 * WASM SIMD). */
#include <math.h>
#include <stdint.h>
#include "problem.h"

static double *scratch(size_t n) {
  static double *buf = 0;
  static size_t cap = 0;
  if (n > cap) { free(buf); buf = (double *)malloc(n * sizeof(double)); cap = n; }
  return buf;
}

/* e^x and e^-x of every scenario's move, per underlying: hoisted as the kernel hoists them. */
static void priceFactors(const Problem *p, double *m, double *mi) {
  size_t n = (size_t)p->nUnd * p->nScen;
  for (size_t i = 0; i < n; i++) {
    m[i] = exp(p->x[i]);
    mi[i] = exp(-p->x[i]);
  }
}

static void intrinsicRow(const Problem *p, int o, const double *m, double *out) {
  for (int s = 0; s < p->nScen; s++) {
    double payoff = p->phi[o] * (p->f[o] * m[s] - p->k[o]);
    out[s] += p->w[o] * (payoff > 0 ? payoff : 0);
  }
}

/* One live option's row: its scenarios' values added to out. m and mi are e^x and e^-x of its
 * underlying's scenarios, sv room for one row. */
typedef void (*LiveRow)(const Problem *p, int o, double sqrtT, double scale, const double *x, const double *m, const double *mi, double *sv, double *out);

/* The options' sums per scenario: the hoisting both algorithms share, then each live option's row. */
static void revalueWith(const Problem *p, double *out, LiveRow row) {
  size_t n = (size_t)p->nUnd * p->nScen;
  double *m = scratch(3 * n + p->nScen), *mi = m + n, *sv = mi + n;
  priceFactors(p, m, mi);
  memset(out, 0, sizeof(double) * p->nScen);
  for (int o = 0; o < p->nOpt; o++) {
    size_t base = (size_t)p->u[o] * p->nScen;
    double tLeft = p->t[o] - p->dt;
    if (!(tLeft > 0)) { intrinsicRow(p, o, m + base, out); continue; }
    row(p, o, sqrt(tLeft), p->phi[o] * p->w[o] * exp(-p->rate[o] * tLeft), p->x + base, m + base, mi + base, sv, out);
  }
}

static void libmRow(const Problem *p, int o, double sqrtT, double scale, const double *x, const double *m, const double *mi, double *sv, double *out) {
  (void)mi; (void)sv;
  double f = p->f[o], k = p->k[o], phi = p->phi[o], lnFK = p->lnFK[o];
  size_t base = (size_t)p->u[o] * p->nScen;
  for (int s = 0; s < p->nScen; s++) {
    double sd = shockedStdDev(p, o, base + s, sqrtT);
    double d1 = (lnFK + x[s]) / sd + 0.5 * sd;
    double n1 = 0.5 * erfc(-phi * d1 * M_SQRT1_2), n2 = 0.5 * erfc(-phi * (d1 - sd) * M_SQRT1_2);
    out[s] += scale * (f * m[s] * n1 - k * n2);
  }
}

static void revalueLibm(const Problem *p, double *out) {
  revalueWith(p, out, libmRow);
}

/* assembly/math.ts's constants. */
static const double EXP_C[13] = { 1.0, 0.5, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
  1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800 };
static const double EXP_MIN = -745.1332191019412, LOG2E = 1.4426950408889634, SHIFTER = 6755399441055744.0;
static const double LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
static const int64_t EXP_SPLIT = 0x4338000000000000LL - 2046;
static const double TP[9] = { 1.0765576773720192317e-8, 0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979,
  597.27027639480026226, 2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218 };
static const double TQ[8] = { 22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
  18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727 };
static const double CP[5] = { 0.065682337918207449113, 2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582,
  18154.981253343561249 };
static const double CQ[4] = { 47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956 };
static const double CAP = 64.0, CENTRAL_LIMIT = 0.67448975;

static inline int64_t bitsOf(double x) { int64_t b; memcpy(&b, &x, 8); return b; }
static inline double ofBits(int64_t b) { double x; memcpy(&x, &b, 8); return x; }

/* exp(ex) for ex ≤ 0: the kernel's range reduction, Estrin's polynomial and two-factor 2^n. */
static inline double expNonPositive(double ex) {
  double xc = ex < EXP_MIN ? EXP_MIN : ex;
  double t = xc * LOG2E + SHIFTER, nf = t - SHIFTER;
  double r = (xc - nf * LN2_HI) - nf * LN2_LO;
  double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  double p0_3 = (EXP_C[0] + r) + r2 * (EXP_C[1] + r * EXP_C[2]);
  double p4_7 = (EXP_C[3] + r * EXP_C[4]) + r2 * (EXP_C[5] + r * EXP_C[6]);
  double p8_11 = (EXP_C[7] + r * EXP_C[8]) + r2 * (EXP_C[9] + r * EXP_C[10]);
  double p8_13 = p8_11 + r4 * (EXP_C[11] + r * EXP_C[12]);
  double e = (p0_3 + r4 * p4_7) + r8 * p8_13;
  uint64_t a = (uint64_t)(bitsOf(t) - EXP_SPLIT), h = a >> 1;
  e = e * ofBits((int64_t)(h << 52)) * ofBits((int64_t)((a - h) << 52));
  return ex < EXP_MIN ? 0 : e;
}

/* Cody's rational for N(x), given g·exp(-x²/2) (the density's factor): numerator and denominator of the region x falls in. */
static inline void codyRatio(double x, double g, double *num, double *den, int *central) {
  double ax = fabs(x) < CAP ? fabs(x) : CAP;
  double tn = TP[0] * ax, td = ax;
  for (int i = 1; i < 8; i++) { tn = (tn + TP[i]) * ax; td = (td + TQ[i - 1]) * ax; }
  tn = g * (tn + TP[8]);
  td = td + TQ[7];
  double z = x * x, cn = CP[0] * z, cd = z;
  for (int i = 1; i < 4; i++) { cn = (cn + CP[i]) * z; cd = (cd + CQ[i - 1]) * z; }
  cn = x * (cn + CP[4]);
  cd = cd + CQ[3];
  *central = ax < CENTRAL_LIMIT;
  *num = *central ? cn : tn;
  *den = *central ? cd : td;
}

static inline double cdfOf(double q, double x, int central) {
  return central ? 0.5 + q : x < 0 ? q : 1 - q;
}

static void kernelRow(const Problem *p, int o, double sqrtT, double scale, const double *x, const double *m, const double *mi, double *sv, double *out) {
  double f = p->f[o], k = p->k[o], phi = p->phi[o], lnFK = p->lnFK[o], fk = f / k, kf = k / f;
  size_t base = (size_t)p->u[o] * p->nScen;
  /* The smile lookup gathers: a loop of its own, so that the next one is contiguous. */
  for (int s = 0; s < p->nScen; s++) sv[s] = shockedStdDev(p, o, base + s, sqrtT);
  for (int s = 0; s < p->nScen; s++) {
    /* Every load up front: GCC if-converts (and so vectorises) selects between loaded values only. */
    double sd = sv[s], mu = m[s], mui = mi[s], lnfk = lnFK + x[s];
    double d1 = lnfk / sd + 0.5 * sd, d2 = d1 - sd;
    int belowK = lnfk <= 0;
    double dNear = belowK ? d1 : d2;
    double e = expNonPositive(-0.5 * (dNear * dNear));
    double g1 = e * (belowK ? 1 : kf * mui), g2 = e * (belowK ? fk * mu : 1);
    double x1 = phi * d1, x2 = phi * d2, num1, den1, num2, den2;
    int c1, c2;
    codyRatio(x1, g1, &num1, &den1, &c1);
    codyRatio(x2, g2, &num2, &den2, &c2);
    double inv = 1 / (den1 * den2);
    double n1 = cdfOf(num1 * den2 * inv, x1, c1), n2 = cdfOf(num2 * den1 * inv, x2, c2);
    out[s] += scale * (f * mu * n1 - k * n2);
  }
}

static void revalueKernel(const Problem *p, double *out) {
  revalueWith(p, out, kernelRow);
}

int main(int argc, char **argv) {
  static const char *const variants[] = { "libm", "kernel", 0 };
  static const Revalue fns[] = { revalueLibm, revalueKernel };
  return timePeer(argc, argv, "gcc " __VERSION__, variants, fns);
}
