// The coordinator's side of a distributed run: its inputs stored once in Redis, each
// phase's shards queued as BullMQ jobs with deterministic ids, their results read
// back in shard order. Results are keyed by run and shard, so a coordinator started
// again with the same run id re-uses what is done and queues only what is missing.
import { Queue, QueueEvents, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { InputError, PmarginError } from "../errors.js";
import {
  bullConnection, checkName, fingerprintOf, jobId, openRedis, queueOf, runKeys, wholeNumber,
  type JobData, type Phase, type QueueOptions,
} from "./redis.js";

export interface RunOptions extends QueueOptions {
  /** The run's name; the same name resumes it. Default: derived from the inputs, so the same command resumes. */
  runId?: string;
  /** Shards done of the phase's total, as results arrive. */
  onProgress?: (done: number, total: number, phase: Phase) => void;
  /** Stops waiting (the jobs stay queued and the results kept, for a later resume). */
  signal?: AbortSignal;
  /** Tries per job when it throws (a killed worker's job is retried by BullMQ's stalled-job check). Default 3. */
  attempts?: number;
  /** How long an unfinished run's data stays in Redis, seconds. Default 7 days. */
  ttlSeconds?: number;
}

/** What a run did: shards in all, found done when it started, queued by it, and computations counted by the workers. */
export interface RunStats {
  runId: string;
  shards: number;
  reused: number;
  enqueued: number;
  /** Equal to `shards` unless a job was computed twice (its second result is dropped). */
  computed: number;
}

const POLL_MS = 50;

export class ShardedRun {
  readonly stats: RunStats;
  private readonly keys: ReturnType<typeof runKeys>;
  private readonly phases: Phase[] = [];

  private constructor(
    private readonly options: RunOptions,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly fingerprint: string,
    private readonly ttl: number,
    runId: string,
  ) {
    this.keys = runKeys(queue.name, runId);
    this.stats = { runId, shards: 0, reused: 0, enqueued: 0, computed: 0 };
  }

  /**
   * Opens a run on `inputs` (what every job reads) split as `plan` says, in `phases`: a
   * new run stores them; a run under way with the same ones is resumed; with other ones, refused.
   */
  static async open(options: RunOptions, inputs: Buffer, plan: Buffer[], phases: readonly Phase[]): Promise<ShardedRun> {
    const queueName = queueOf(options);
    const attempts = wholeNumber("attempts", options.attempts ?? 3);
    const ttl = wholeNumber("ttlSeconds", options.ttlSeconds ?? 7 * 86_400);
    const fingerprint = fingerprintOf([inputs, ...plan]);
    const runId = checkName("runId", options.runId ?? `run-${fingerprint.slice(0, 16)}`);
    options.signal?.throwIfAborted();
    const redis = await openRedis(options.connection);
    const connection = bullConnection(options.connection);
    const queue = new Queue<JobData>(queueName, { connection, defaultJobOptions: { attempts } });
    const events = new QueueEvents(queueName, { connection });
    const run = new ShardedRun(options, redis, queue, events, fingerprint, ttl, runId);
    try {
      // Listening before any job is queued: no failure can slip by unseen.
      await events.waitUntilReady();
      const keys = run.keys;
      const stored = await redis.hget(keys.data, "fingerprint");
      if (stored !== null && stored !== fingerprint) {
        throw new InputError("runId", `run ${runId} is under way with other inputs or another split; choose another run id`);
      }
      if (stored === null) {
        // A new run: results left without their data cannot be trusted.
        await redis.multi()
          .del(keys.computed, ...phases.map((p) => keys.results(p)))
          .hset(keys.data, { inputs, fingerprint })
          .expire(keys.data, ttl)
          .exec();
      } else {
        await redis.expire(keys.data, ttl);
      }
      return run;
    } catch (error) {
      await run.close();
      throw error;
    }
  }

  /** Shares a value the jobs of a later phase read (e.g. the ES tail). */
  async share(field: string, value: Buffer): Promise<void> {
    await this.redis.hsetnx(this.keys.data, field, value);
  }

  /**
   * Queues the phase's shards that have no result and no live job; returns the wait
   * for all of them, which gives their results in shard order.
   */
  async start(phase: Phase, tasks: Buffer[]): Promise<() => Promise<Buffer[]>> {
    this.phases.push(phase);
    const { redis, keys, queue, stats } = this;
    const total = tasks.length;
    const marker = `tasks:${phase}`;
    if ((await redis.hget(keys.data, marker)) === null) {
      // Tasks and their marker in one transaction: a marker means every task is there.
      const fields: Record<string, Buffer | string> = { [marker]: String(total) };
      tasks.forEach((t, i) => (fields[`${phase}:${i}`] = t));
      await redis.hset(keys.data, fields);
    }
    const done = new Set((await redis.hkeys(keys.results(phase))).map(Number));
    const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !done.has(i));
    stats.shards += total;
    stats.reused += done.size;
    // A missing shard's job may be waiting or running (left alone), failed (retried), or
    // left by an earlier run under this id with other inputs (replaced); without one, it is added.
    const jobs = await Promise.all(missing.map((i) => queue.getJob(jobId(stats.runId, phase, i))));
    const add: number[] = [];
    await Promise.all(missing.map(async (shard, j) => {
      const job = jobs[j];
      if (job && (job.data as JobData).fingerprint !== this.fingerprint) await job.remove();
      else if (job && (await job.isFailed())) return job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      else if (job) return;
      add.push(shard);
    }));
    const opts: JobsOptions = {
      backoff: { type: "fixed", delay: 1_000 }, removeOnComplete: true, removeOnFail: { age: this.ttl },
    };
    add.sort((a, b) => a - b);
    await queue.addBulk(add.map((shard) => ({
      name: phase,
      data: { runId: stats.runId, fingerprint: this.fingerprint, shard },
      opts: { ...opts, jobId: jobId(stats.runId, phase, shard) },
    })));
    stats.enqueued += add.length;
    return () => this.collect(phase, total);
  }

  /** Waits until every shard of the phase has its result; a job failed for good, or an abort, ends the wait. */
  private async collect(phase: Phase, total: number): Promise<Buffer[]> {
    const { redis, keys, events, options } = this;
    const key = keys.results(phase);
    const ours = `${this.stats.runId}.${phase}.`;
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let last = -1;
      let over = false;
      const end = (error?: unknown): void => {
        if (over) return;
        over = true;
        clearTimeout(timer);
        events.off("failed", onFailed);
        options.signal?.removeEventListener("abort", onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const poll = (): void => {
        redis.hlen(key).then((done) => {
          if (done !== last) options.onProgress?.(done, total, phase);
          last = done;
          if (done >= total) end();
          else if (!over) timer = setTimeout(poll, POLL_MS);
        }, end);
      };
      const onFailed = ({ jobId: id, failedReason }: { jobId: string; failedReason: string }): void => {
        if (!id.startsWith(ours)) return;
        const shard = id.slice(ours.length);
        // A job can fail after its result was stored (e.g. its worker died completing it): that shard is done.
        redis.hexists(key, shard).then((has) => {
          if (!has) {
            end(new PmarginError(`run ${this.stats.runId}: ${phase} shard ${shard} failed: ${failedReason} ` +
              "(finished shards are kept: run again with the same run id to retry it)"));
          }
        }, end);
      };
      const onAbort = (): void => end(options.signal!.reason);
      events.on("failed", onFailed);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
      else poll();
    });
    if (total === 0) return [];
    const results = await redis.hmgetBuffer(key, ...Array.from({ length: total }, (_, i) => String(i)));
    return results.map((r, i) => {
      if (r === null) throw new PmarginError(`run ${this.stats.runId}: ${phase} shard ${i} has no result (the run's data was removed)`);
      return r;
    });
  }

  /** The run is done: counts the computations, then removes its data and results. */
  async finish(): Promise<void> {
    const { redis, keys } = this;
    this.stats.computed = (await redis.hvals(keys.computed)).reduce((a, c) => a + Number(c), 0);
    await redis.del(keys.data, keys.computed, ...this.phases.map((p) => keys.results(p)));
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.queue.close(), this.events.close()]);
    this.redis.disconnect();
  }
}

/** Runs `body` on an opened run; the run's data goes when it succeeds, stays (for a resume) when not. */
export async function withRun<T>(
  options: RunOptions, inputs: Buffer, plan: Buffer[], phases: readonly Phase[], body: (run: ShardedRun) => Promise<T>,
): Promise<{ value: T; run: RunStats }> {
  const run = await ShardedRun.open(options, inputs, plan, phases);
  try {
    const value = await body(run);
    await run.finish();
    return { value, run: run.stats };
  } finally {
    await run.close();
  }
}
