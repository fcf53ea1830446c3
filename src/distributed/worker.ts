// A queue worker: takes jobs of any run from the queue, computes them on this
// process's engine with the pool's task functions, and stores each result once. A
// worker killed mid-job loses nothing: its lock lapses, another worker's stalled-job
// check puts the job back, and the result is computed there.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { createEngine, type Engine } from "../engine/engine.js";
import { buildMarket } from "../market/market.js";
import type { MarginMethod } from "../methods/margin.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import type { EsTail } from "../methods/montecarlo/montecarlo.js";
import type { MarketData, Position } from "../model/types.js";
import { marginAccounts, simulateRange, tailBlocksOf, type Account, type AccountMargin, type Range } from "../parallel/tasks.js";
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

type BatchInputs = { marketData: MarketData; spec: MarginMethod };
type MonteCarloInputs = { positions: Position[]; marketData: MarketData; model: MonteCarloModelInput };

// Accounts margined between two turns of the event loop, so the lock is renewed
// during a long shard (e.g. Monte Carlo margin on every account).
const ACCOUNTS_PER_TURN = 16;
// Runs whose inputs are kept decoded.
const CACHED_RUNS = 4;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function marginShard(engine: Engine, accounts: Account[], inputs: BatchInputs): Promise<AccountMargin[]> {
  const out: AccountMargin[] = [];
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

  const compute = async (phase: Phase, inputs: unknown, task: Buffer, tail: Buffer | null): Promise<unknown> => {
    if (phase === "margins") return marginShard(engine, unpack<Account[]>(task), inputs as BatchInputs);
    const { positions, marketData, model } = inputs as MonteCarloInputs;
    const { start, count } = unpack<Range>(task);
    if (phase === "paths") return simulateRange(engine, positions, marketData, model, start, count);
    if (tail === null) throw new UnrecoverableError("the run's ES tail is missing from Redis");
    return tailBlocksOf(engine, positions, marketData, model, unpack<EsTail>(tail), start, count);
  };

  const processJob = async (job: Job<JobData>): Promise<void> => {
    const { runId, fingerprint, shard } = job.data;
    const phase = job.name as Phase;
    const keys = runKeys(queue, runId);
    // Stored by an earlier attempt that died before the job was marked complete.
    if (await redis.hexists(keys.results(phase), String(shard))) return;
    const [stored, task, tail] = await redis.hmgetBuffer(keys.data, "fingerprint", `${phase}:${shard}`, "tail");
    if (!stored || stored.toString() !== fingerprint || !task) {
      throw new UnrecoverableError(`run ${runId} has no inputs for this job in Redis (finished, expired, or started again with other inputs)`);
    }
    const result = await compute(phase, await inputsOf(keys.data, fingerprint), task, tail ?? null);
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
