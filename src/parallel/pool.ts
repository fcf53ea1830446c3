// Every core: a pool of workers (workerpool: worker_threads in Node, Web Workers in
// browsers), each with its own engine and WASM instance. Monte Carlo paths and
// historical windows are split into ranges, each summarised where it was revalued
// — a path depends on (seed, index) alone and the summary on the parts' largest
// losses, so the result is the single-threaded one, bit for bit — and batches of
// accounts into slices. The package entry "pmargin/parallel"; the worker script is
// "pmargin/parallel-worker".
import workerpool from "workerpool";
import { createEngine, type Engine } from "../engine/engine.js";
import { InputError } from "../errors.js";
import { buildMarket } from "../market/market.js";
import type { MarginMethod } from "../methods/margin.js";
import { historicalVaR, prepareHistorical, type HistoricalOptions, type HistoricalResult } from "../methods/historical/historical.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import { concatBlocks, monteCarlo, prepareMonteCarlo, TAIL_BLOCK, type MonteCarloOptions, type MonteCarloResult } from "../methods/montecarlo/montecarlo.js";
import type { PartSummary } from "../methods/scenario-risk.js";
import type { MarketData, Position } from "../model/types.js";
import type { PriceHistory, PriceSeries } from "../history/history.js";
import { evenRanges, marginAccounts, type Account, type AccountMargin } from "./tasks.js";

export type { Account, AccountMargin } from "./tasks.js";

export interface PoolOptions {
  /** Worker count (default: every core). 1 runs in this thread, without workers. */
  workers?: number;
  /**
   * The worker script. In Node the package's own by default. In a browser, the bundled
   * "pmargin/parallel-worker" — with Vite: `import script from "pmargin/parallel-worker?worker&url"`.
   */
  script?: string | URL;
}

// Workers run compiled JavaScript: from dist/ the worker beside this module; from the
// TypeScript sources (tests, tsx) the build's copy, which `npm run build` refreshes.
const nodeWorker = (): URL => new URL(import.meta.url.endsWith(".ts") ? "../../dist/parallel/worker.js" : "./worker.js", import.meta.url);

/** Every core: navigator.hardwareConcurrency in browsers, the CPU count in Node. */
export function defaultWorkers(): number {
  return workerpool.cpus;
}

/**
 * A pool of risk workers. Create it once, use it for many runs, terminate() it at
 * the end. With `workers: 1` nothing is spawned and work runs on this thread.
 */
export class RiskPool {
  readonly workers: number;
  private readonly pool: workerpool.Pool | undefined;
  private local: Promise<Engine> | undefined;

  constructor(options: PoolOptions = {}) {
    const workers = options.workers ?? defaultWorkers();
    if (!(Number.isInteger(workers) && workers >= 1)) throw new InputError("workers", `must be a whole number ≥ 1, got ${workers}`);
    this.workers = workers;
    const script = options.script ?? (workerpool.platform === "node" ? nodeWorker() : undefined);
    if (workers > 1 && script === undefined) throw new InputError("script", "in a browser the pool needs the bundled worker script (pmargin/parallel-worker)");
    const path = script instanceof URL ? (script.protocol === "file:" ? script.pathname : script.href) : script;
    this.pool = workers > 1
      ? workerpool.pool(path, { maxWorkers: workers, workerType: "auto", workerOpts: { type: "module" } })
      : undefined;
  }

  private engine(): Promise<Engine> {
    return (this.local ??= createEngine());
  }

  /**
   * Monte Carlo VaR/ES with the paths split across the workers; the same bits as
   * monteCarlo() on one thread. The tail statistics and worst paths are done here.
   */
  async monteCarlo(positions: Position[], marketData: MarketData, model: MonteCarloModelInput = {}, options: Pick<MonteCarloOptions, "onProgress"> = {}): Promise<MonteCarloResult> {
    const engine = await this.engine();
    const market = buildMarket(marketData);
    if (!this.pool) return monteCarlo(engine, positions, market, model, options);
    // Set up (and validated) here first, so bad input fails before any worker starts.
    const run = prepareMonteCarlo(engine, positions, market, model);
    const n = run.model.paths;
    let done = 0;
    const parts = await Promise.all(evenRanges(n, this.workers).map(async ({ start, count }) => {
      const part = (await this.pool!.exec("simulate", [positions, marketData, model, start, count])) as PartSummary;
      done += count;
      options.onProgress?.(done, n);
      return part;
    }));
    // The ES contributions revalue the tail paths position by position: in blocks, split too.
    const tail = run.esTail(parts);
    const pending = Promise.all(evenRanges(Math.ceil(tail.paths.length / TAIL_BLOCK), this.workers).map(({ start, count }) =>
      this.pool!.exec("tailBlocks", [positions, marketData, model, tail, start, count]) as Promise<Float64Array>));
    // The tail statistics, histogram and worst paths here while the workers revalue the tail.
    const finish = run.summariseLater(parts);
    return finish(concatBlocks(await pending));
  }

  /**
   * Historical (or filtered historical) VaR/ES with the windows split across the
   * workers (on this thread for small books); the same bits as historicalVaR() on one thread.
   */
  async historicalVaR(positions: Position[], marketData: MarketData, source: PriceHistory | PriceSeries[], options: HistoricalOptions = {}): Promise<HistoricalResult> {
    const engine = await this.engine();
    const market = buildMarket(marketData);
    if (!this.pool) return historicalVaR(engine, positions, market, source, options);
    // Set up (and validated) here first, so bad input fails before any worker starts.
    const run = prepareHistorical(engine, positions, market, source, options);
    // A small book's windows cost less than sending them out (the same bits either way).
    if (positions.length * run.windows < LOCAL_HISTORICAL) return run.summarise([run.part(0, run.windows)]);
    const parts = await Promise.all(evenRanges(run.windows, this.workers).map(({ start, count }) =>
      this.pool!.exec("historical", [positions, marketData, source, options, start, count]) as Promise<PartSummary>));
    return run.summarise(parts);
  }

  /** Headline margin of many accounts on one market, in slices across the workers, in input order. */
  async marginBatch(accounts: Account[], marketData: MarketData, spec: MarginMethod, options: { onProgress?: (done: number, total: number) => void } = {}): Promise<AccountMargin[]> {
    if (!this.pool) {
      const out = marginAccounts(await this.engine(), accounts, marketData, spec);
      options.onProgress?.(accounts.length, accounts.length);
      return out;
    }
    // Small slices keep every worker busy to the end and the progress moving.
    const slice = Math.max(1, Math.min(500, Math.ceil(accounts.length / (4 * this.workers))));
    let done = 0;
    const parts = await Promise.all(Array.from({ length: Math.ceil(accounts.length / slice) }, async (_, i) => {
      const part = accounts.slice(i * slice, (i + 1) * slice);
      const r = (await this.pool!.exec("margins", [part, marketData, spec])) as AccountMargin[];
      done += part.length;
      options.onProgress?.(done, accounts.length);
      return r;
    }));
    return parts.flat();
  }

  async terminate(): Promise<void> {
    await this.pool?.terminate();
  }
}

/**
 * Position-windows below which a historical simulation runs on the calling thread:
 * measured here, 10 positions × 2,016 windows took 2.1× as long on 2 workers and 200
 * positions broke even (bench/historical.bench.ts).
 */
const LOCAL_HISTORICAL = 500_000;

/** `work` on a pool made for it, terminated after. */
export async function withPool<T>(options: PoolOptions, work: (pool: RiskPool) => Promise<T>): Promise<T> {
  const pool = new RiskPool(options);
  try {
    return await work(pool);
  } finally {
    await pool.terminate();
  }
}
