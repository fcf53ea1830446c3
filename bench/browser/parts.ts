// The Monte Carlo run that bench/browser.bench.ts times in Node and in Chromium, against
// whichever copy of the public API it is given (Node: dist/; the page: the bundled
// package), so that both sides run the same code. Its parts are timed by wrapping the
// engine's own methods on the instance: path generation (paths, pathsAt), revaluation
// (revalue), compiling books (compile); the summary is the rest (losses, selection,
// tail statistics, histogram, worst paths, ES contributions).
import type * as Pmargin from "pmargin";

export interface McParts {
  totalMs: number;
  pathsMs: number;
  revalueMs: number;
  compileMs: number;
  summaryMs: number;
  /** VaR 99% and ES 97.5% of the run, to check that both sides computed the same. */
  var99: number;
  es975: number;
}

const PARTS = { paths: "pathsMs", pathsAt: "pathsMs", revalue: "revalueMs", compile: "compileMs" } as const;

/** One timed monteCarlo() run on `engine`, its parts measured by the engine's methods wrapped with timers. */
export function timedRun(pm: typeof Pmargin, engine: Pmargin.Engine, positions: Pmargin.Position[], market: Pmargin.Market, model: Pmargin.MonteCarloModelInput): McParts {
  const spent = { pathsMs: 0, revalueMs: 0, compileMs: 0 };
  const host = engine as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, part] of Object.entries(PARTS)) {
    const f = host[name]!;
    host[name] = (...args: unknown[]): unknown => {
      const t0 = performance.now();
      try {
        return f.apply(engine, args);
      } finally {
        spent[part] += performance.now() - t0;
      }
    };
  }
  try {
    const t0 = performance.now();
    const r = pm.monteCarlo(engine, positions, market, model);
    const totalMs = performance.now() - t0;
    return {
      totalMs, ...spent, summaryMs: totalMs - spent.pathsMs - spent.revalueMs - spent.compileMs,
      var99: r.portfolio.var[0]!.value, es975: r.portfolio.es[0]!.value,
    };
  } finally {
    for (const name of Object.keys(PARTS)) delete host[name];
  }
}

/** Each part's median over runs. */
export function medianParts(all: readonly McParts[]): McParts {
  const mid = (pick: (p: McParts) => number): number => {
    const s = all.map(pick).sort((a, b) => a - b);
    return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  return {
    totalMs: mid((p) => p.totalMs), pathsMs: mid((p) => p.pathsMs), revalueMs: mid((p) => p.revalueMs), compileMs: mid((p) => p.compileMs),
    summaryMs: mid((p) => p.summaryMs), var99: all[0]!.var99, es975: all[0]!.es975,
  };
}
