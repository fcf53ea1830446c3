// A queue worker: takes jobs of any run from the queue, computes them on this
// process's engine — a batch's accounts with the pool's task, a split method's range
// with the registry's part — and stores each result once. A
// worker killed mid-job loses nothing: its lock lapses, another worker's stalled-job
// check puts the job back, and the result is computed there.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { createEngine, type Engine } from "../engine/engine.js";
import { buildMarket } from "../market/market.js";
import { marginAccounts, type BatchAccount, type BatchAccountResult } from "../parallel/tasks.js";
import { runPart } from "../runs/registry.js";
import { MARGINS, type BatchRunInputs } from "./batch.js";
import { sharedField, type SplitRunInputs, type StageTask } from "./split.js";
import {
  bullConnection, openRedis, pack, queueOf, runKeys, STORE_RESULT, unpack, wholeNumber, type JobData, type Phase, type QueueOptions,
} from "./redis.js";

export interface WorkerOptions extends QueueOptions {
  /** Jobs at a time (the computing is synchronous: more only overlaps Redis round trips). Default 1. */
  concurrency?: number;
  /**
   * How long a job stays claimed without a sign of life, ms; a killed worker's job is
   * retried after about twice this. Default 30,000.
   */
  lockDuration?: number;
  /** Name recorded on each job it processes. Default host:pid:random. */
  name?: string;
  /** Connection and processing errors (the worker carries on). */
  onError?: (error: Error) => void;
}

export interface DistributedWorker {
  readonly name: string;
  /** Finishes the jobs in hand, then disconnects. */
  close(): Promise<void>;
}

// Accounts margined between two turns of the event loop, so the lock is renewed
// during a long shard (e.g. Monte Carlo margin on every account).
const ACCOUNTS_PER_TURN = 16;
// Runs whose inputs are kept decoded.
const CACHED_RUNS = 4;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function marginShard(engine: Engine, accounts: BatchAccount[], inputs: BatchRunInputs): Promise<BatchAccountResult[]> {
  const out: BatchAccountResult[] = [];
  const market = buildMarket(inputs.marketData);
  for (let at = 0; at < accounts.length; at += ACCOUNTS_PER_TURN) {
    out.push(...marginAccounts(engine, accounts.slice(at, at + ACCOUNTS_PER_TURN), inputs.marketData, inputs.spec, market));
    await nextTurn();
  }
  return out;
}

export async function startWorker(options: WorkerOptions): Promise<DistributedWorker> {
  const queue = queueOf(options);
  const concurrency = wholeNumber("concurrency", options.concurrency ?? 1);
  const lockDuration = wholeNumber("lockDuration", options.lockDuration ?? 30_000, 100);
  const name = options.name ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const engine = await createEngine();
  const redis = await openRedis(options.connection);
  const cache = new Map<string, unknown>();

  const inputsOf = async (dataKey: string, fingerprint: string): Promise<unknown> => {
    if (!cache.has(fingerprint)) {
      const bytes = await redis.hgetBuffer(dataKey, "inputs");
      if (bytes === null) throw new UnrecoverableError("the run's inputs are gone from Redis (finished or expired)");
      cache.set(fingerprint, unpack(bytes));
      if (cache.size > CACHED_RUNS) cache.delete(cache.keys().next().value!);
    }
    return cache.get(fingerprint);
  };

  const compute = async (phase: Phase, inputs: unknown, task: Buffer, shared: Buffer | null): Promise<unknown> => {
    if (phase === MARGINS) return marginShard(engine, unpack<BatchAccount[]>(task), inputs as BatchRunInputs);
    const { method, input } = inputs as SplitRunInputs;
    const { start, count, shared: readsShared } = unpack<StageTask>(task);
    if (readsShared && shared === null) throw new UnrecoverableError(`the run's shared value of its ${phase} phase is missing from Redis`);
    return runPart(engine, method, input, phase, { start, count }, shared === null ? undefined : unpack(shared));
  };

  const processJob = async (job: Job<JobData>): Promise<void> => {
    const { runId, fingerprint, shard } = job.data;
    const phase = job.name as Phase;
    const keys = runKeys(queue, runId);
    // Stored by an earlier attempt that died before the job was marked complete.
    if (await redis.hexists(keys.results(phase), String(shard))) return;
    const [stored, task, shared] = await redis.hmgetBuffer(keys.data, "fingerprint", `${phase}:${shard}`, sharedField(phase));
    if (!stored || stored.toString() !== fingerprint || !task) {
      throw new UnrecoverableError(`run ${runId} has no inputs for this job in Redis (finished, expired, or started again with other inputs)`);
    }
    const result = await compute(phase, await inputsOf(keys.data, fingerprint), task, shared ?? null);
    await redis.eval(STORE_RESULT, 3, keys.results(phase), keys.computed, keys.data, String(shard), pack(result), `${phase}:${shard}`);
  };

  const worker = new Worker<JobData>(queue, processJob, {
    connection: bullConnection(options.connection),
    concurrency,
    name,
    lockDuration,
    stalledInterval: lockDuration,
    // A job may outlive a few killed workers before it counts as failed.
    maxStalledCount: 3,
  });
  worker.on("error", (error) => options.onError?.(error));
  worker.on("failed", (job, error) => options.onError?.(new Error(`job ${job?.id ?? "?"}: ${error.message}`)));
  await worker.waitUntilReady();
  return {
    name,
    async close() {
      await worker.close();
      redis.disconnect();
    },
  };
}
