/* The QuantLib peer of bench/revalue.bench.ts: the same book under the same scenarios, each
 * pair priced by QuantLib's Black-76 (the kernel's smile lookup, vol shock, floors and ageing
 * done here, as in black76.c), summed per scenario.
 *   blackFormula     QuantLib::blackFormula(type, strike, forward, stdDev, discount)
 *   BlackCalculator  QuantLib::BlackCalculator(type, strike, forward, stdDev, discount).value()
 * Built by bench/peers/peers.ts with g++ -O3 against libQuantLib when its headers are installed. */
#include <ql/pricingengines/blackcalculator.hpp>
#include <ql/pricingengines/blackformula.hpp>
#include <ql/version.hpp>
#include <algorithm>
#include <cmath>
#include <vector>
#include "problem.h"

using QuantLib::Option;

template <typename Price>
static void revalueWith(const Problem *p, double *out, Price price) {
  std::vector<double> m((size_t)p->nUnd * p->nScen);
  for (size_t i = 0; i < m.size(); i++) m[i] = std::exp(p->x[i]);
  std::fill(out, out + p->nScen, 0.0);
  for (int o = 0; o < p->nOpt; o++) {
    size_t base = (size_t)p->u[o] * p->nScen;
    Option::Type type = p->phi[o] > 0 ? Option::Call : Option::Put;
    double tLeft = p->t[o] - p->dt;
    double sqrtT = std::sqrt(tLeft > 0 ? tLeft : 0), discount = std::exp(-p->rate[o] * (tLeft > 0 ? tLeft : 0));
    for (int s = 0; s < p->nScen; s++) {
      size_t i = base + s;
      double f = p->f[o] * m[i];
      /* Expired within the step: intrinsic value, as the kernel settles it (stdDev 0, discount 1). */
      double value = tLeft > 0 ? price(type, p->k[o], f, shockedStdDev(p, o, i, sqrtT), discount) : price(type, p->k[o], f, 0.0, 1.0);
      out[s] += p->w[o] * value;
    }
  }
}

static void revalueBlackFormula(const Problem *p, double *out) {
  revalueWith(p, out, [](Option::Type type, double k, double f, double sd, double df) { return QuantLib::blackFormula(type, k, f, sd, df); });
}

static void revalueBlackCalculator(const Problem *p, double *out) {
  revalueWith(p, out, [](Option::Type type, double k, double f, double sd, double df) { return QuantLib::BlackCalculator(type, k, f, sd, df).value(); });
}

int main(int argc, char **argv) {
  static const char *const variants[] = { "blackFormula", "BlackCalculator", 0 };
  static const Revalue fns[] = { revalueBlackFormula, revalueBlackCalculator };
  return timePeer(argc, argv, "QuantLib " QL_VERSION, variants, fns);
}
