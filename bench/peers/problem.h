/* The C and C++ peers' shared half: reads the problem file bench/peers/problem.ts writes,
 * times one revaluation over repeated runs with the monotonic clock, writes the last run's
 * sums and prints one JSON line: {"variant", "version", "runs", "medianNs"} (ns per run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { HEADER = 8, OPT_COLUMNS = 9, SCEN_PLANES = 5 };

typedef struct {
  int nOpt, nScen, nUnd, slots;
  double dt, volFloor;
  /* Per option: underlying index, forward, strike, years, rate, +1 call / -1 put, weight, vol-shift weight, ln(F/K). */
  const double *u, *f, *k, *t, *rate, *phi, *w, *volW, *lnFK;
  /* nOpt smile tables of `slots` vols. */
  const double *tables;
  /* Per underlying and scenario: log move, vol shift, vol floor, smile slot (its first node), weight of the next. */
  const double *x, *v, *floor, *node, *frac;
} Problem;

typedef void (*Revalue)(const Problem *p, double *out);

static inline double *readProblem(const char *path, Problem *p) {
  FILE *in = fopen(path, "rb");
  if (!in) { perror(path); exit(1); }
  fseek(in, 0, SEEK_END);
  long bytes = ftell(in);
  fseek(in, 0, SEEK_SET);
  double *d = (double *)malloc((size_t)bytes);
  if (!d || fread(d, 1, (size_t)bytes, in) != (size_t)bytes) { fprintf(stderr, "%s: short read\n", path); exit(1); }
  fclose(in);
  p->nOpt = (int)d[0]; p->nScen = (int)d[1]; p->nUnd = (int)d[2]; p->slots = (int)d[3];
  p->dt = d[4]; p->volFloor = d[5];
  const double *c = d + HEADER;
  const double **opt[OPT_COLUMNS] = { &p->u, &p->f, &p->k, &p->t, &p->rate, &p->phi, &p->w, &p->volW, &p->lnFK };
  for (int i = 0; i < OPT_COLUMNS; i++, c += p->nOpt) *opt[i] = c;
  p->tables = c;
  c += (size_t)p->nOpt * p->slots;
  const double **scen[SCEN_PLANES] = { &p->x, &p->v, &p->floor, &p->node, &p->frac };
  for (int i = 0; i < SCEN_PLANES; i++, c += (size_t)p->nUnd * p->nScen) *scen[i] = c;
  if ((long)((c - d) * sizeof(double)) != bytes) { fprintf(stderr, "%s: %ld bytes, expected %ld\n", path, bytes, (long)((c - d) * sizeof(double))); exit(1); }
  return d;
}

static inline double nowNs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline int byValue(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static inline double medianOf(double *xs, int n) {
  qsort(xs, n, sizeof(double), byValue);
  return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

/* argv: variant input output minRuns budgetSeconds. One warm-up run, then at least minRuns
 * and until the budget is spent (at most 10,000 runs); prints the median. */
static inline int timePeer(int argc, char **argv, const char *version, const char *const *variants, const Revalue *fns) {
  if (argc != 6) { fprintf(stderr, "usage: %s variant input output minRuns budgetSeconds\n", argv[0]); return 2; }
  int which = -1;
  for (int i = 0; variants[i]; i++) if (!strcmp(variants[i], argv[1])) which = i;
  if (which < 0) { fprintf(stderr, "%s: unknown variant %s\n", argv[0], argv[1]); return 2; }
  Problem p;
  double *data = readProblem(argv[2], &p);
  double *out = (double *)malloc(sizeof(double) * p.nScen);
  int minRuns = atoi(argv[4]);
  double budget = atof(argv[5]) * 1e9;
  enum { MAX_RUNS = 10000 };
  static double ns[MAX_RUNS];
  fns[which](&p, out);
  int runs = 0;
  double start = nowNs();
  while (runs < MAX_RUNS && (runs < minRuns || nowNs() - start < budget)) {
    double t0 = nowNs();
    fns[which](&p, out);
    ns[runs++] = nowNs() - t0;
  }
  double median = medianOf(ns, runs);
  FILE *o = fopen(argv[3], "wb");
  if (!o || fwrite(out, sizeof(double), p.nScen, o) != (size_t)p.nScen) { perror(argv[3]); return 1; }
  fclose(o);
  printf("{\"variant\":\"%s\",\"version\":\"%s\",\"runs\":%d,\"medianNs\":%.1f}\n", argv[1], version, runs, median);
  free(out);
  free(data);
  return 0;
}

/* σ'·√T of option o in scenario i (an index into the scenario planes): the smile read off its
 * table at the scenario's node, shocked by the vol shift and floored, as the kernel does. */
static inline double shockedStdDev(const Problem *p, int o, size_t i, double sqrtT) {
  const double *tab = p->tables + (size_t)o * p->slots;
  int j = (int)p->node[i];
  double smile = tab[j] + p->frac[i] * (tab[j + 1] - tab[j]);
  double vol = smile * (1 + p->volW[o] * p->v[i]);
  if (vol < p->floor[i]) vol = p->floor[i];
  if (vol < p->volFloor) vol = p->volFloor;
  return vol * sqrtT;
}
