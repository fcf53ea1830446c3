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
import type { MarginMethod } from "../methods/margin.js";
import type { HistoricalOptions, HistoricalProgress, HistoricalResult } from "../methods/historical/historical.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import type { MonteCarloOptions, MonteCarloResult } from "../methods/montecarlo/montecarlo.js";
import type { MarketData, Position } from "../model/types.js";
import type { PriceHistory, PriceSeries } from "../history/history.js";
import { runSplitHere, sendHere, splitMethod, type PlanOptions, type SendStage, type SplitInputOf, type SplitName, type SplitResultOf } from "../runs/registry.js";
import { claimBoard } from "./claims.js";
import { inSharedMemory, sharesMemory } from "./shared-memory.js";
import { sameData } from "./same.js";
import { evenRanges, marginAccounts, type BatchAccount, type BatchAccountResult } from "./tasks.js";
import { buffersOf, dealBuffers } from "./recycle.js";
import { toWire } from "./wire.js";

export type { BatchAccount, BatchAccountResult } from "./tasks.js";
// Many books on one market on this thread, each with the bits it gets alone (what a worker's slice runs).
export { gridMargins } from "../methods/grid/grid.js";
export { headlineMargins } from "../methods/margin.js";

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
export const nodeWorker = (): URL => new URL(import.meta.url.endsWith(".ts") ? "../../dist/parallel/worker.js" : "./worker.js", import.meta.url);

/** Workers a pool may have per core: a few, to split a run into more ranges than cores; no more (docs/limits.md). */
export const MAX_WORKERS_PER_CORE = 4;

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
  /** Runs sent so far: each run's id, by which a worker keeps its plan between ranges and stages. */
  private runs = 0;
  /** The last run sent: its id, method and a copy of its inputs (a run with the same reuses the workers' plans). */
  private last: { id: string; name: SplitName; input: unknown } | undefined;
  /** The last run sent as planned here from the copy of its inputs, and the progress report it was planned with. */
  private kept: { id: string; run: unknown; onProgress: PlanOptions["onProgress"] } | undefined;
  /** The buffers of the last run's parts, moved back to the workers with the next run's first stage (src/parallel/recycle.ts). */
  private spare: ArrayBuffer[] = [];

  constructor(options: PoolOptions = {}) {
    const workers = options.workers ?? defaultWorkers();
    if (!(Number.isInteger(workers) && workers >= 1)) throw new InputError("workers", `must be a whole number ≥ 1, got ${workers}`);
    // Each worker holds its own kernels, book and paths: beyond the cores they add memory, not speed.
    const most = MAX_WORKERS_PER_CORE * defaultWorkers();
    if (workers > most) throw new InputError("workers", `must be at most ${most} (${MAX_WORKERS_PER_CORE} per core of this machine's ${defaultWorkers()}), got ${workers} (docs/limits.md)`);
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
   * A method of the registry that splits (Monte Carlo, historical) with its ranges
   * across the workers; the same bits as on one thread. Planned (and its inputs
   * validated) here first, so bad input fails before any worker starts; the parts are
   * summarised here. `options.market`: the market of `input.marketData`, when built already.
   */
  async run<N extends SplitName>(name: N, input: SplitInputOf<N>, options: PlanOptions = {}): Promise<SplitResultOf<N>> {
    const engine = await this.engine();
    if (!this.pool) return runSplitHere(engine, name, input, options);
    const method = splitMethod(name);
    // The same method and inputs as the last run sent (compared as data, against a copy):
    // the workers keep their plans, and this thread too, planned from its copy (which no
    // caller can change) when the market is built here and the progress report the same.
    const last = this.last?.name === name && sameData(input, this.last.input) ? this.last : undefined;
    const keeps = last !== undefined && options.market === undefined;
    if (!(keeps && this.kept?.id === last.id && this.kept.onProgress === options.onProgress)) this.kept = undefined;
    // With its progress report: the parts run here when sending them out would not repay.
    const run = (this.kept?.run ?? method.plan(engine, keeps ? last.input as SplitInputOf<N> : input, options)) as ReturnType<typeof method.plan>;
    if (!method.worthSending(run, input)) return method.coordinate(run, sendHere(method, run));
    this.last = last ?? { id: String(++this.runs), name, input: structuredClone(input) };
    const id = this.last.id;
    if (keeps) this.kept = { id, run, onProgress: options.onProgress };
    // The parts' buffers: no result keeps any of them, so the next run's parts may use them again.
    const received = new Set<ArrayBuffer>();
    let back: Iterable<ArrayBuffer> = this.spare;
    this.spare = [];
    const send: SendStage = async <Part>(stage: string, items: number, shared?: unknown) => {
      const progress = stage === method.progressStage ? options.onProgress : undefined;
      const ranges = evenRanges(items, this.workers);
      // A worker done with its range takes chunks of the others' where the stage allows.
      const chunk = method.shares?.[stage];
      const board = chunk !== undefined && ranges.length > 1 ? claimBoard(ranges, chunk) : undefined;
      // Each worker reports the items it has done as it goes; the run's progress is their sum.
      const doneIn = ranges.map(() => 0);
      const report = (i: number, done: number): void => {
        doneIn[i] = done;
        progress!(doneIn.reduce((a, b) => a + b, 0), items);
      };
      // What every range reads, copied once into shared memory rather than once per worker.
      const common = ranges.length > 1 && shared !== undefined && sharesMemory() ? inSharedMemory(shared) : shared;
      const dealt = dealBuffers(back, ranges.length);
      back = [];
      const parts = await Promise.all(ranges.map(async (range, i) => {
        const on = { ...(progress ? { on: (done: number) => report(i, done) } : {}), transfer: dealt[i]! };
        const reports = progress !== undefined;
        return board
          ? ((await this.pool!.exec("claimed", [id, name, input, stage, board, i, common, reports, dealt[i]], on)) as Part[])
          : [(await this.pool!.exec("part", [id, name, input, stage, range, common, reports, dealt[i]], on)) as Part];
      }));
      if (progress && doneIn.reduce((a, b) => a + b, 0) < items) progress(items, items);
      buffersOf(parts, received);
      return parts.flat();
    };
    const result = await method.coordinate(run, send);
    this.spare = [...received];
    return result;
  }

  /** Monte Carlo VaR/ES with the paths (and the ES tail's blocks) split across the workers: monteCarlo()'s bits. */
  monteCarlo(positions: Position[], marketData: MarketData, model: MonteCarloModelInput = {}, options: Pick<MonteCarloOptions, "onProgress"> = {}): Promise<MonteCarloResult> {
    return this.run("monte-carlo", { positions, marketData, model }, options);
  }

  /**
   * Historical (or filtered historical) VaR/ES with the windows split across the
   * workers (on this thread for small books); the same bits as historicalVaR() on one thread.
   */
  historicalVaR(
    positions: Position[], marketData: MarketData, source: PriceHistory | PriceSeries[], options: HistoricalOptions = {}, progress: HistoricalProgress = {},
  ): Promise<HistoricalResult> {
    return this.run("historical", { positions, marketData, history: source, options }, progress);
  }

  /** Headline margin of many accounts on one market, in slices across the workers, in input order. */
  async marginBatch(accounts: BatchAccount[], marketData: MarketData, spec: MarginMethod, options: { onProgress?: (done: number, total: number) => void } = {}): Promise<BatchAccountResult[]> {
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
      const r = (await this.pool!.exec("margins", [toWire(part), marketData, spec])) as BatchAccountResult[];
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

/** `work` on a pool made for it, terminated after. */
export async function withPool<T>(options: PoolOptions, work: (pool: RiskPool) => Promise<T>): Promise<T> {
  const pool = new RiskPool(options);
  try {
    return await work(pool);
  } finally {
    await pool.terminate();
  }
}
