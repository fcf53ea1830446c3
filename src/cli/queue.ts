// The command line over the Redis job queue: `pmargin batch --queue` as coordinator,
// `pmargin worker` on any number of hosts.
import type { RunOptions, RunStats } from "../distributed/coordinator.js";
import { InputError } from "../errors.js";
import type { MarginMethod } from "../methods/margin.js";
import type { MonteCarloResult } from "../methods/montecarlo/montecarlo.js";
import type { MarketData } from "../model/types.js";
import type { BatchAccount, BatchAccountResult } from "../parallel/tasks.js";
import type { MonteCarloInput } from "../runs/registry.js";
import { progressBar } from "./progress.js";
import { number } from "./run.js";

/** Flags of `pmargin batch` that send the accounts through the queue. */
export interface QueueBatchOptions {
  /** The Redis URL. */
  queue?: string;
  queueName?: string;
  runId?: string;
  shardSize?: string;
}

export interface WorkerCommandOptions {
  queue: string;
  queueName?: string;
  concurrency?: string;
  lockDuration?: string;
  name?: string;
}

/**
 * The queue's code, loaded on first use: BullMQ and ioredis are optional peer dependencies,
 * which a library or a page never installs, so only a queue command may ask for them.
 */
async function distributed(): Promise<typeof import("../distributed/index.js")> {
  try {
    return await import("../distributed/index.js");
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === "ERR_MODULE_NOT_FOUND" && /'(bullmq|ioredis)'/.test(message)) {
      throw new InputError("--queue", "needs the optional packages bullmq and ioredis: npm install bullmq ioredis");
    }
    throw error;
  }
}

/** The library names the Redis server "connection"; here it is the --queue flag. */
function asFlag(error: unknown): never {
  throw error instanceof InputError && error.path === "connection" ? new InputError("--queue", error.reason) : error;
}

/** Flags of `pmargin var` that send the path blocks through the queue. */
export interface QueueMonteCarloOptions {
  queue?: string;
  queueName?: string;
  runId?: string;
  blockPaths?: string;
}

/**
 * A run on the queue at `url` with the flags' queue and run id, a progress bar of its
 * shards, and on stderr what it did: its id (to resume it after an interruption) and its shards.
 */
async function queued<T extends { run: RunStats }>(url: string, opts: { queueName?: string; runId?: string }, unit: string, go: (options: RunOptions) => Promise<T>): Promise<T> {
  const bar = progressBar(unit);
  const r = await go({
    connection: url,
    ...(opts.queueName !== undefined ? { queue: opts.queueName } : {}),
    ...(opts.runId !== undefined ? { runId: opts.runId } : {}),
    ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
  }).catch(asFlag);
  bar.stop();
  const { run } = r;
  console.error(`pmargin: run ${run.runId}: ${run.shards} shard${run.shards === 1 ? "" : "s"}, ${run.reused} done before this start, ${run.computed} computed`);
  return r;
}

/** The batch's results through the queue at `url`. */
export async function queueBatch(accounts: BatchAccount[], marketData: MarketData, spec: MarginMethod, url: string, opts: QueueBatchOptions): Promise<BatchAccountResult[]> {
  const shardSize = opts.shardSize !== undefined ? { shardSize: number("--shard-size", opts.shardSize) } : {};
  const { distributedBatch } = await distributed();
  return (await queued(url, opts, "shards", (o) => distributedBatch({ ...o, accounts, marketData, spec, ...shardSize }))).results;
}

/** Monte Carlo with its path blocks and ES-tail blocks as jobs on the queue at `url`: monteCarlo()'s bits. */
export async function queueMonteCarlo(input: MonteCarloInput, url: string, opts: QueueMonteCarloOptions): Promise<MonteCarloResult> {
  const blockPaths = opts.blockPaths !== undefined ? { blockPaths: number("--block-paths", opts.blockPaths) } : {};
  const { distributedMonteCarlo } = await distributed();
  return (await queued(url, opts, "path and tail blocks", (o) => distributedMonteCarlo({ ...o, ...input, ...blockPaths }))).result;
}

/** Processes jobs until SIGINT or SIGTERM, then finishes the jobs in hand and exits. */
export async function workerCommand(opts: WorkerCommandOptions): Promise<void> {
  const { startWorker } = await distributed();
  const worker = await startWorker({
    connection: opts.queue,
    ...(opts.queueName !== undefined ? { queue: opts.queueName } : {}),
    ...(opts.concurrency !== undefined ? { concurrency: number("--concurrency", opts.concurrency) } : {}),
    ...(opts.lockDuration !== undefined ? { lockDuration: number("--lock-duration", opts.lockDuration) } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    onError: (error) => console.error(`pmargin worker: ${error.message}`),
  }).catch(asFlag);
  console.error(`pmargin worker ${worker.name}: waiting for jobs at ${opts.queue} (SIGINT or SIGTERM to stop)`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await worker.close();
}
