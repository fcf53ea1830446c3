// The coordinator's side of a distributed run: its inputs stored once in Redis, sealed,
// each phase's shards queued as BullMQ jobs with deterministic ids, each result opened,
// checked and kept as it lands. A result that does not open (forged, another secret),
// comes from another build, or is not its shard's is refused by name and its shard
// queued again. Nothing waits unbounded: a run marker catches Redis losing the run, a
// Redis that is down or silent ends the run after `redisTimeoutSeconds`, `timeoutSeconds`
// bounds the whole run, and a run no worker takes says so every `idleSeconds`.
// Results are keyed by run and shard, so a coordinator started again with the same run
// id re-uses what is done and queues only what is missing.
import { Queue, QueueEvents, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import * as v from "valibot";
import { createEngine } from "../engine/engine.js";
import { InputError, PmarginError } from "../errors.js";
import { decode, encode } from "./codec.js";
import {
  bounded, checkName, clientOptions, fingerprintOf, jobId, openRedis, queueOf, redisError, redisTarget, runKeys, wholeNumber,
  type Phase, type QueueOptions, type RedisTarget,
} from "./redis.js";
import { buildOf, describeBuild, newNonce, queueSecret, RunSeal, sameBuild, type Build } from "./seal.js";

export interface RunOptions extends QueueOptions {
  /** The run's name; the same name resumes it. Default: derived from the inputs, so the same command resumes. */
  runId?: string;
  /** Shards done of the phase's total, as results arrive. */
  onProgress?: (done: number, total: number, phase: Phase) => void;
  /** What the run should know while it waits: no worker taking its jobs, a result refused (and why, naming the worker). */
  onNotice?: (message: string) => void;
  /** Stops waiting (the jobs stay queued and the results kept, for a later resume). */
  signal?: AbortSignal;
  /** Tries per shard: when its job throws, and when its result is refused. Default 3. */
  attempts?: number;
  /** How long an unfinished run's data stays in Redis, seconds. Default 7 days. */
  ttlSeconds?: number;
  /** Ends the run with an error after this many seconds (its finished shards are kept for a resume). Default: no limit. */
  timeoutSeconds?: number;
  /** Says so when no worker has taken a job for this many seconds (and again every as many). Default 10. */
  idleSeconds?: number;
}

/** What a run did: shards in all, found done when it started, queued by it, and computations counted by the workers. */
export interface RunStats {
  runId: string;
  shards: number;
  reused: number;
  enqueued: number;
  /** Equal to `shards` unless a job was computed twice (its second result is dropped) or a result refused. */
  computed: number;
  /** Results refused (forged, of another build, or not their shard's) and computed again. */
  refused: number;
}

/** A result's value checked against its shard (the accounts or range it was given); a wrong one throws, saying why. */
export type ResultCheck<T> = (value: unknown, shard: number) => T;

/** A check's failure: the reason a result is refused. */
export class ResultError extends PmarginError {
  override name = "ResultError";
}

/** What jobs and results both carry: the run and shard, and the build (version and WASM digest). */
const STAMPS = {
  runId: v.string(),
  shard: v.pipe(v.number(), v.integer(), v.minValue(0)),
  version: v.string(),
  wasmSha256: v.string(),
};

/** What a job carries: its stamps and the inputs it was made for (its phase is the job's name). */
export const JobData = v.strictObject({ ...STAMPS, fingerprint: v.string() });
export type JobData = v.InferOutput<typeof JobData>;

/** A result as a worker seals it: the value, its stamps, its phase and its worker. */
export const ResultBody = v.strictObject({ ...STAMPS, phase: v.string(), worker: v.string(), value: v.unknown() });
export type ResultBody = v.InferOutput<typeof ResultBody>;

/** The labels payloads are sealed under. */
export const LABELS = {
  inputs: "inputs",
  task: (phase: Phase, shard: number): string => `task:${phase}:${shard}`,
  shared: (phase: Phase): string => `shared:${phase}`,
  result: (phase: Phase, shard: number): string => `result:${phase}:${shard}`,
};

const POLL_MS = 50;
/** How often the queue's job counts are read, for the idle notice. */
const IDLE_CHECK_MS = 1_000;

export class ShardedRun {
  readonly stats: RunStats;
  private readonly keys: ReturnType<typeof runKeys>;
  private readonly phases: Phase[] = [];

  private constructor(
    private readonly options: RunOptions,
    private readonly target: RedisTarget,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly limits: { attempts: number; ttl: number; deadline: number; idleMs: number },
    private readonly fingerprint: string,
    private readonly build: Build,
    private readonly seal: RunSeal,
    private readonly nonce: string,
    runId: string,
  ) {
    this.keys = runKeys(queue.name, runId);
    this.stats = { runId, shards: 0, reused: 0, enqueued: 0, computed: 0, refused: 0 };
  }

  /**
   * Opens a run on `inputs` (what every job reads) split as `plan` says, in `phases`: a
   * new run stores them; a run under way with the same ones is resumed; with other ones, refused.
   */
  static async open(options: RunOptions, inputs: unknown, plan: unknown, phases: readonly Phase[]): Promise<ShardedRun> {
    const queueName = queueOf(options);
    const limits = {
      attempts: wholeNumber("attempts", options.attempts ?? 3),
      ttl: wholeNumber("ttlSeconds", options.ttlSeconds ?? 7 * 86_400),
      deadline: options.timeoutSeconds === undefined ? Infinity : Date.now() + seconds("timeoutSeconds", options.timeoutSeconds) * 1000,
      idleMs: seconds("idleSeconds", options.idleSeconds ?? 10) * 1000,
    };
    const secret = queueSecret(options.secret);
    const target = redisTarget(options);
    const build = buildOf(await createEngine());
    const inputsText = encode(inputs);
    const fingerprint = fingerprintOf([inputsText, encode(plan), build.version, build.wasmSha256]);
    const runId = checkName("runId", options.runId ?? `run-${fingerprint.slice(0, 16)}`);
    options.signal?.throwIfAborted();
    const redis = await openRedis(target);
    // The queue's commands share the bounded client; its event stream reads (blocking) on its own.
    const queue = new Queue(queueName, { connection: redis, defaultJobOptions: { attempts: limits.attempts } });
    const events = new QueueEvents(queueName, { connection: clientOptions(target, true) });
    // Their connection errors are the poll's to report (once, cleanly), not stack traces.
    queue.on("error", () => undefined);
    events.on("error", () => undefined);
    const keys = runKeys(queueName, runId);
    try {
      // Listening before any job is queued: no failure can slip by unseen.
      await bounded(target, "listening to the queue's events", events.waitUntilReady());
      const [stored, storedNonce] = await redis.hmget(keys.data, "fingerprint", "nonce");
      if (stored !== null && stored !== fingerprint) {
        throw new InputError("runId", `run ${runId} is under way with other inputs, another split or another build; choose another run id`);
      }
      const resumed = stored !== null && storedNonce ? storedNonce : undefined;
      const nonce = resumed ?? newNonce();
      const seal = new RunSeal(secret, queueName, runId, nonce);
      if (resumed) {
        await redis.expire(keys.data, limits.ttl);
      } else {
        // A new start: results left without their data cannot be trusted (and no longer open).
        await redis.multi()
          .del(keys.data, keys.computed, keys.refused, ...phases.map((p) => keys.results(p)))
          .hset(keys.data, { inputs: seal.seal(LABELS.inputs, inputsText), fingerprint, nonce })
          .expire(keys.data, limits.ttl)
          .exec();
      }
      return new ShardedRun(options, target, redis, queue, events, limits, fingerprint, build, seal, nonce, runId);
    } catch (error) {
      await closeAll(target, queue, events, redis);
      throw error instanceof PmarginError ? error : new PmarginError(redisError(target, error));
    }
  }

  /** Shares a value the jobs of a later phase read (e.g. the ES tail). */
  async share(phase: Phase, value: unknown): Promise<void> {
    await this.redis.hsetnx(this.keys.data, LABELS.shared(phase), this.seal.seal(LABELS.shared(phase), encode(value)));
  }

  private jobOptions(): JobsOptions {
    return { backoff: { type: "fixed", delay: 1_000 }, removeOnComplete: true, removeOnFail: { age: this.limits.ttl } };
  }

  private jobData(shard: number): JobData {
    return { runId: this.stats.runId, fingerprint: this.fingerprint, shard, ...this.build };
  }

  /**
   * Queues the phase's shards that have no result and no live job; returns the wait
   * for all of them, which gives their results, checked by `check`, in shard order.
   */
  async start<T>(phase: Phase, tasks: unknown[], check: ResultCheck<T>): Promise<() => Promise<T[]>> {
    this.phases.push(phase);
    const { redis, keys, queue, stats } = this;
    const total = tasks.length;
    const marker = `tasks:${phase}`;
    if ((await redis.hget(keys.data, marker)) === null) {
      // Tasks and their marker in one command: a marker means every task is there.
      const fields: Record<string, string> = { [marker]: String(total) };
      tasks.forEach((t, i) => (fields[LABELS.task(phase, i)] = this.seal.seal(LABELS.task(phase, i), encode(t))));
      await redis.hset(keys.data, fields);
    }
    const done = new Set((await redis.hkeys(keys.results(phase))).map(Number));
    const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !done.has(i));
    stats.shards += total;
    stats.reused += done.size;
    // A missing shard's job may be waiting or running (left alone), failed (retried), or
    // left by an earlier start under this id with other inputs (replaced); without one, it is added.
    const jobs = await Promise.all(missing.map((i) => queue.getJob(jobId(stats.runId, phase, i))));
    const add: number[] = [];
    await Promise.all(missing.map(async (shard, j) => {
      const job = jobs[j];
      if (job && (job.data as Partial<JobData>).fingerprint !== this.fingerprint) await job.remove();
      else if (job && (await job.isFailed())) return job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      else if (job) return;
      add.push(shard);
    }));
    add.sort((a, b) => a - b);
    await queue.addBulk(add.map((shard) => ({ name: phase, data: this.jobData(shard), opts: { ...this.jobOptions(), jobId: jobId(stats.runId, phase, shard) } })));
    stats.enqueued += add.length;
    return () => this.collect(phase, total, check);
  }

  /**
   * The result of a shard as stored, opened and checked; a reason to refuse it
   * otherwise (naming the worker when it is authentic).
   */
  private accept<T>(phase: Phase, shard: number, text: string, check: ResultCheck<T>): { value: T } | { refused: string } {
    let body: ResultBody;
    try {
      const parsed = v.safeParse(ResultBody, decode(this.seal.open(LABELS.result(phase, shard), text)));
      if (!parsed.success) return { refused: `not a result: ${v.summarize(parsed.issues)}` };
      body = parsed.output;
    } catch (error) {
      if (error instanceof PmarginError) return { refused: error.message };
      throw error;
    }
    const from = `worker ${body.worker} (${describeBuild(body)})`;
    if (!sameBuild(body, this.build)) return { refused: `computed by ${from}; this run needs ${describeBuild(this.build)}` };
    if (body.runId !== this.stats.runId || body.phase !== phase || body.shard !== shard) {
      return { refused: `from ${from}, labelled run ${body.runId} ${body.phase} shard ${body.shard}` };
    }
    try {
      return { value: check(body.value, shard) };
    } catch (error) {
      if (error instanceof PmarginError) return { refused: `from ${from}: ${error.message}` };
      throw error;
    }
  }

  /**
   * Waits until every shard of the phase has a result it accepts; a job failed for
   * good, Redis losing the run or going silent, the timeout or an abort end the wait.
   */
  private async collect<T>(phase: Phase, total: number, check: ResultCheck<T>): Promise<T[]> {
    const { redis, keys, events, options, stats, target } = this;
    const key = keys.results(phase);
    const ours = `${stats.runId}.${phase}.`;
    const accepted = new Map<number, T>();
    const refusals = new Map<number, number>();
    let failure: PmarginError | undefined;
    const onFailed = ({ jobId: id, failedReason }: { jobId: string; failedReason: string }): void => {
      if (!id.startsWith(ours)) return;
      const shard = Number(id.slice(ours.length).split(".")[0]);
      // A job can fail after its result was stored (e.g. its worker died completing it): that shard is done.
      if (!accepted.has(shard)) {
        failure ??= new PmarginError(`run ${stats.runId}: ${phase} shard ${shard} failed: ${target.redact(failedReason)} ` +
          "(finished shards are kept: run again with the same run id to retry it)");
      }
    };
    events.on("failed", onFailed);
    const abort = new Promise<never>((_, reject) => {
      if (options.signal?.aborted) reject(options.signal.reason);
      options.signal?.addEventListener("abort", () => reject(options.signal!.reason), { once: true });
    });
    abort.catch(() => undefined);
    const tick = (): Promise<void> => Promise.race([new Promise<void>((r) => setTimeout(r, POLL_MS)), abort]);
    let lastCount = -1;
    let busySince = Date.now();
    let idleChecked = 0;
    try {
      for (;;) {
        if (failure) throw failure;
        const [nonce, fields] = await this.ask(() => Promise.all([redis.hget(keys.data, "nonce"), redis.hkeys(key)]));
        if (nonce !== this.nonce) {
          throw new PmarginError(`run ${stats.runId}: Redis at ${target.where} lost the run's data (restarted without persistence, flushed, or expired` +
            `${nonce === null ? "" : ", or the run was started again elsewhere"}): its results cannot be trusted; start the run again`);
        }
        const fresh = fields.map(Number).filter((s) => Number.isInteger(s) && s >= 0 && s < total && !accepted.has(s));
        if (fresh.length > 0) {
          const texts = await this.ask(() => redis.hmget(key, ...fresh.map(String)));
          for (const [j, shard] of fresh.entries()) {
            const text = texts[j];
            if (text === null || text === undefined) continue;
            const result = this.accept(phase, shard, text, check);
            if ("value" in result) accepted.set(shard, result.value);
            else await this.refuse(phase, shard, result.refused, refusals);
          }
        }
        if (accepted.size !== lastCount) {
          options.onProgress?.(accepted.size, total, phase);
          lastCount = accepted.size;
          busySince = Date.now();
        }
        if (accepted.size >= total) break;
        const now = Date.now();
        if (now > this.limits.deadline) {
          throw new PmarginError(`run ${stats.runId}: not finished after ${options.timeoutSeconds} s (${accepted.size} of ${total} ${phase} shards done; ` +
            "the finished ones are kept: run again with the same run id to resume)");
        }
        if (now - idleChecked >= IDLE_CHECK_MS) {
          idleChecked = now;
          // A job taken by a worker of another build goes back to the queue: it does not count.
          const [active, refusing] = await this.ask(() => Promise.all([this.queue.getActiveCount(), this.redis.hlen(this.keys.refused)]));
          if (active > 0 && refusing === 0) busySince = now;
          else if (now - busySince >= this.limits.idleMs) {
            busySince = now;
            options.onNotice?.(await this.idleNotice(phase, accepted.size, total));
          }
        }
        await tick();
      }
    } finally {
      events.off("failed", onFailed);
    }
    return Array.from({ length: total }, (_, i) => accepted.get(i)!);
  }

  /** A Redis request of the wait: an error of Redis (down, silent) ends the run cleanly, naming where it is. */
  private async ask<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw new PmarginError(`run ${this.stats.runId}: lost ${redisError(this.target, error)} (finished shards are kept in Redis if it kept them: run again with the same run id)`);
    }
  }

  /** Drops a refused result, says why, and queues its shard again, up to `attempts` times. */
  private async refuse(phase: Phase, shard: number, reason: string, refusals: Map<number, number>): Promise<void> {
    const { redis, keys, stats } = this;
    const n = (refusals.get(shard) ?? 0) + 1;
    refusals.set(shard, n);
    stats.refused++;
    const what = `run ${stats.runId}: ${phase} shard ${shard}: result refused: ${reason}`;
    if (n >= this.limits.attempts) throw new PmarginError(`${what} (${n} times: giving up)`);
    this.options.onNotice?.(`${what}; computing it again`);
    await this.ask(() => redis.hdel(keys.results(phase), String(shard)));
    await this.ask(() => this.queue.add(phase, this.jobData(shard), { ...this.jobOptions(), jobId: jobId(stats.runId, phase, shard, n) }));
  }

  private async idleNotice(phase: Phase, done: number, total: number): Promise<string> {
    const refused = await this.ask(() => this.redis.hgetall(this.keys.refused));
    const others = Object.entries(refused).map(([worker, why]) => `${worker} (${why})`);
    return `run ${this.stats.runId}: no worker has taken a job for ${this.limits.idleMs / 1000} s (${done} of ${total} ${phase} shards done); ` +
      (others.length > 0
        ? `workers left its jobs: ${others.join("; ")}`
        : `is a \`pmargin worker\` running on queue ${this.queue.name} at ${this.target.where}?`);
  }

  /** The run is done: counts the computations, then removes its data and results. */
  async finish(): Promise<void> {
    const { redis, keys } = this;
    this.stats.computed = (await redis.hvals(keys.computed)).reduce((a, c) => a + Number(c), 0);
    await redis.del(keys.data, keys.computed, keys.refused, ...this.phases.map((p) => keys.results(p)));
  }

  close(): Promise<void> {
    return closeAll(this.target, this.queue, this.events, this.redis);
  }
}

/** Closes a run's connections; a Redis that is gone cannot hold the close up longer than its timeout. */
async function closeAll(target: RedisTarget, queue: Queue, events: QueueEvents, redis: Redis): Promise<void> {
  await bounded(target, "closing", Promise.allSettled([queue.close(), events.close()])).catch(() => undefined);
  redis.disconnect();
}

const seconds = (field: string, value: number): number => {
  if (!(Number.isFinite(value) && value > 0)) throw new InputError(field, `must be a number of seconds > 0, got ${value}`);
  return value;
};

/** Runs `body` on an opened run; the run's data goes when it succeeds, stays (for a resume) when not. */
export async function withRun<T>(
  options: RunOptions, inputs: unknown, plan: unknown, phases: readonly Phase[], body: (run: ShardedRun) => Promise<T>,
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
