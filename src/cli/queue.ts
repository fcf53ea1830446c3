// The command line over the Redis job queue: `pmargin batch --queue` and `pmargin var
// --queue` as coordinators, `pmargin worker` on any number of hosts. Secrets never go
// on the command line: the queue's shared secret comes from PMARGIN_QUEUE_SECRET or
// --queue-secret-file, the Redis password from PMARGIN_REDIS_PASSWORD or
// --redis-password-file, and no message prints either.
import { readFile } from "node:fs/promises";
import type { RunOptions, RunStats } from "../distributed/coordinator.js";
import type { QueueOptions } from "../distributed/redis.js";
import { InputError } from "../errors.js";
import type { MarginMethod } from "../methods/margin.js";
import type { MonteCarloResult } from "../methods/montecarlo/montecarlo.js";
import type { MarketData } from "../model/types.js";
import type { BatchAccount, BatchAccountResult } from "../parallel/tasks.js";
import type { MonteCarloInput } from "../runs/registry.js";
import { progressBar } from "./progress.js";
import { number } from "./run.js";
import { portableOnly } from "./engine.js";

/** The flags every queue command takes. */
interface QueueFlags {
  queueName?: string;
  queueSecretFile?: string;
  redisPasswordFile?: string;
  redisTimeout?: string;
}

/** Flags of a coordinator (`batch --queue`, `var --queue`). */
interface CoordinatorFlags extends QueueFlags {
  /** The Redis URL. */
  queue?: string;
  runId?: string;
  timeout?: string;
}

/** Flags of `pmargin batch` that send the accounts through the queue. */
export interface QueueBatchOptions extends CoordinatorFlags {
  shardSize?: string;
}

/** Flags of `pmargin var` that send the path blocks through the queue. */
export interface QueueMonteCarloOptions extends CoordinatorFlags {
  blockPaths?: string;
}

export interface WorkerCommandOptions extends QueueFlags {
  queue: string;
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

/** The first line of a secret's file (a trailing newline is not part of it). */
async function secretFile(flag: string, path: string): Promise<string> {
  try {
    return (await readFile(path, "utf8")).replace(/\r?\n$/, "");
  } catch (error) {
    throw new InputError(flag, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** The library's names for the queue's settings, as the command line calls them. */
const FLAGS: Record<string, string> = {
  connection: "--queue",
  secret: "PMARGIN_QUEUE_SECRET (or --queue-secret-file)",
  redisTimeoutSeconds: "--redis-timeout",
  timeoutSeconds: "--timeout",
};

function asFlag(error: unknown): never {
  throw error instanceof InputError && Object.hasOwn(FLAGS, error.path) ? new InputError(FLAGS[error.path]!, error.reason) : error;
}

/** The queue's connection, password and secret from the flags and the environment; a plain redis:// to another host is warned about. */
async function queueOptions(url: string, opts: QueueFlags): Promise<QueueOptions> {
  portableOnly("the job queue (--queue, pmargin worker)");
  const password = opts.redisPasswordFile !== undefined ? await secretFile("--redis-password-file", opts.redisPasswordFile) : process.env.PMARGIN_REDIS_PASSWORD;
  const options: QueueOptions = {
    connection: url,
    ...(opts.queueName !== undefined ? { queue: opts.queueName } : {}),
    ...(password ? { password } : {}),
    ...(opts.queueSecretFile !== undefined ? { secret: await secretFile("--queue-secret-file", opts.queueSecretFile) } : {}),
    ...(opts.redisTimeout !== undefined ? { redisTimeoutSeconds: number("--redis-timeout", opts.redisTimeout) } : {}),
  };
  const { redisTarget } = await distributed();
  const target = (() => {
    try {
      return redisTarget(options);
    } catch (error) {
      return asFlag(error);
    }
  })();
  const host = target.options.host ?? "127.0.0.1";
  if (!target.options.tls && !["127.0.0.1", "localhost", "::1"].includes(host)) {
    console.error(`pmargin: warning: ${target.where} is plain redis://: the queue's data crosses the network unencrypted (authenticated, not hidden); use rediss://`);
  }
  return options;
}

/**
 * A run on the queue at `url` with the flags' settings, a progress bar of its shards,
 * its notices on stderr, and what it did: its id (to resume it after an interruption) and its shards.
 */
async function queued<T extends { run: RunStats }>(url: string, opts: CoordinatorFlags, unit: string, go: (options: RunOptions) => Promise<T>): Promise<T> {
  const bar = progressBar(unit);
  const r = await go({
    ...(await queueOptions(url, opts)),
    ...(opts.runId !== undefined ? { runId: opts.runId } : {}),
    ...(opts.timeout !== undefined ? { timeoutSeconds: number("--timeout", opts.timeout) } : {}),
    ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
    onNotice: (message) => console.error(`pmargin: ${message}`),
  }).catch(asFlag).finally(() => bar.stop());
  const { run } = r;
  console.error(`pmargin: run ${run.runId}: ${run.shards} shard${run.shards === 1 ? "" : "s"}, ${run.reused} done before this start, ${run.computed} computed` +
    (run.refused > 0 ? `, ${run.refused} result${run.refused === 1 ? "" : "s"} refused` : ""));
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

/** Processes jobs until SIGINT or SIGTERM (then finishes the jobs in hand), or until Redis is gone for longer than its timeout. */
export async function workerCommand(opts: WorkerCommandOptions): Promise<void> {
  const options = await queueOptions(opts.queue, opts);
  const { startWorker, describeBuild, redisTarget } = await distributed();
  const worker = await startWorker({
    ...options,
    ...(opts.concurrency !== undefined ? { concurrency: number("--concurrency", opts.concurrency) } : {}),
    ...(opts.lockDuration !== undefined ? { lockDuration: number("--lock-duration", opts.lockDuration) } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    onError: (error) => console.error(`pmargin worker: ${error.message}`),
  }).catch(asFlag);
  console.error(`pmargin worker ${worker.name} (${describeBuild(worker.build)}): waiting for jobs on queue ${options.queue ?? "pmargin"} at ${redisTarget(options).where} (SIGINT or SIGTERM to stop)`);
  let onSignal = (): void => undefined;
  const signalled = new Promise<void>((resolve) => (onSignal = resolve));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await Promise.race([signalled, worker.stopped]);
  } catch (error) {
    // Stopped on its own (Redis gone): BullMQ's worker still holds a retry timer for a while; nothing is left to finish.
    console.error(`pmargin: ${(error as Error).message}`);
    process.exit(1);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  await worker.close();
}
