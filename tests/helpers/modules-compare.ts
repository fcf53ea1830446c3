// The portable and the FMA modules side by side on one host: the same seeded book
// revalued, margined on the Deribit grid and run through Monte Carlo by an engine of
// each, with the largest relative difference of every figure, and the revaluation timed.
// Runs in Chromium (tests/helpers/modules-chromium.ts bundles it) and in a Node child
// started with --experimental-wasm-relaxed-simd (tests/fma.test.ts), against whichever
// copy of the API it is given. Times are reported, never asserted (bench/fma.bench.ts).
import type * as Pmargin from "../../src/index.js";
import type * as PmarginEngine from "../../src/engine/index.js";
import { prng, syntheticMarket, syntheticPositions } from "../fixtures/synthetic.js";

type Api = typeof Pmargin & typeof PmarginEngine;

export interface CompareSpec {
  /** Options in the revalued book (plus 15% as many linear positions). */
  options: number;
  scenarios: number;
  /** Monte Carlo paths (0: no Monte Carlo). */
  paths: number;
  /** Timed revaluations per module, alternating between the two (0: none). */
  repeats: number;
}

export interface ModulesComparison {
  /** Which module each engine ran (engine.module), and whether this host validates relaxed SIMD. */
  modules: string[];
  relaxedSimd: boolean;
  /** max |a − b| / max(|a|, |b|, 1) over the figures: the revaluation's PnL (USD and BTC, per position), the grid margin, Monte Carlo's tail risk. */
  maxRelative: { revalue: number; grid: number; monteCarlo: number };
  /** Figures whose bits differ between the modules (0 where nothing was fused). */
  differing: number;
  /** Median milliseconds of one revaluation per module. */
  revalueMs: { portable: number; fma: number };
  /**
   * The median over the repeats of portable ÷ FMA time, each repeat timing the two back to
   * back (in turn first): what load from other processes does to both cancels in each ratio.
   */
  pairedSpeedup: number;
  /** (options × scenarios) revalued per call. */
  pairs: number;
}

/** The largest relative difference and the count of differing numbers over two results of the same shape. */
export function relativeDifference(a: unknown, b: unknown): { max: number; differing: number } {
  let max = 0;
  let differing = 0;
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (typeof x === "number" && typeof y === "number") {
      if (Object.is(x, y)) return;
      differing++;
      max = Math.max(max, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1));
    } else if (ArrayBuffer.isView(x) || Array.isArray(x)) {
      const xs = x as ArrayLike<unknown>, ys = y as ArrayLike<unknown>;
      if (xs.length !== ys.length) throw new Error(`${path}: lengths ${xs.length} and ${ys.length}`);
      for (let i = 0; i < xs.length; i++) walk(xs[i], ys[i], `${path}[${i}]`);
    } else if (x !== null && typeof x === "object") {
      for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`);
    } else if (x !== y) {
      throw new Error(`${path}: ${String(x)} and ${String(y)}`);
    }
  };
  walk(a, b, "");
  return { max, differing };
}

const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;

/** Both modules on the same inputs; `pm.relaxedSimdSupported()` must hold (the FMA engine is asked for by name). */
export async function compareModules(pm: Api, spec: CompareSpec): Promise<ModulesComparison> {
  const engines = [await pm.createEngine({ module: "portable" }), await pm.createEngine({ module: "fma" })] as const;
  const market = pm.buildMarket(syntheticMarket());
  const positions = syntheticPositions(spec.options, Math.round(0.15 * spec.options), 5);
  const books = [engines[0].compile(positions, market), engines[1].compile(positions, market)] as const;
  const set = new pm.ScenarioSet(books[0].underlyings, spec.scenarios);
  const rnd = prng(17);
  for (let i = 0; i < set.logMoves.length; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    set.logMoves[i] = 0.08 * g;
    set.volShifts[i] = 0.2 * (rnd() - 0.5);
  }
  const revalue = (i: 0 | 1) => ["USD", "BTC"].map((currency) => engines[i].revalue(books[i], set, { dt: 1 / 365, currency, reduce: "rows" }));
  const profile = pm.builtInProfile("deribit");
  const grid = (i: 0 | 1) => pm.gridMargin(engines[i], positions, market, { profile });
  const model = { paths: spec.paths, seed: 7, jumps: { common: { intensity: 3, mean: -0.1, vol: 0.05 } } };
  const tail = (i: 0 | 1) => {
    const r = pm.monteCarlo(engines[i], positions, market, model);
    return { portfolio: r.portfolio, underlyings: r.underlyings, contributions: r.contributions };
  };

  // Timed first, on a fresh heap, after a call each (the kernels' optimised tier).
  const ms: [number[], number[]] = [[], []];
  for (let r = -1; r < spec.repeats; r++) {
    for (const i of r % 2 === 0 ? [0, 1] as const : [1, 0] as const) {
      const t0 = performance.now();
      engines[i].revalue(books[i], set, { dt: 1 / 365 });
      if (r >= 0) ms[i].push(performance.now() - t0);
    }
  }
  const diffs = [
    relativeDifference(revalue(0), revalue(1)),
    relativeDifference(grid(0), grid(1)),
    spec.paths > 0 ? relativeDifference(tail(0), tail(1)) : { max: 0, differing: 0 },
  ];
  return {
    modules: engines.map((e) => e.module),
    relaxedSimd: pm.relaxedSimdSupported(),
    maxRelative: { revalue: diffs[0]!.max, grid: diffs[1]!.max, monteCarlo: diffs[2]!.max },
    differing: diffs.reduce((n, d) => n + d.differing, 0),
    revalueMs: { portable: spec.repeats > 0 ? median(ms[0]) : NaN, fma: spec.repeats > 0 ? median(ms[1]) : NaN },
    pairedSpeedup: spec.repeats > 0 ? median(ms[0].map((t, r) => t / ms[1][r]!)) : NaN,
    pairs: books[0].nOpt * spec.scenarios,
  };
}
