// A queue worker: takes jobs of any run from the queue, opens the run's sealed inputs
// and its task, computes them on a thread of its own — a batch's accounts with the
// pool's task, a split method's range with the registry's part — and stores each
// result sealed, with its build. The main thread only talks to Redis, so its job
// locks are renewed however long a shard takes: a killed or frozen worker's job is
// taken by another within about lockDuration + 1 s. A job it cannot take — made for
// another build, or sealed under another secret — is left in the queue for the other
// workers, and the reason noted for the run.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { UnrecoverableError, WaitingError, Worker, type Job } from "bullmq";
import * as v from "valibot";
import workerpool from "workerpool";
import { createEngine } from "../engine/engine.js";
import { PmarginError } from "../errors.js";
import { nodeWorker } from "../parallel/pool.js";
import { BatchRunInputs, BatchTask, MARGINS } from "./batch.js";
import { decode, encode } from "./codec.js";
import { JobData, LABELS, type ResultBody } from "./coordinator.js";
import {
  clientOptions, openRedis, queueOf, redisError, redisTarget, runKeys, STORE_RESULT, wholeNumber, type Phase, type QueueOptions,
} from "./redis.js";
import { buildOf, describeBuild, queueSecret, RunSeal, sameBuild, SealError, type Build } from "./seal.js";
import { SplitRunInputs, StageTask } from "./split.js";
import { toWire } from "../parallel/wire.js";

export interface WorkerOptions extends QueueOptions {
  /** Jobs at a time, each computed on a thread of its own. Default 1. */
  concurrency?: number;
  /**
   * How long a job stays claimed without a sign of life, ms (renewed at half of it); a
   * killed worker's job is taken again within about this + 1 s. Default 3,000.
   */
  lockDuration?: number;
  /** Name recorded on each job it processes and each result it stores. Default host:pid:random. */
  name?: string;
  /** Connection errors (each once until it changes), and jobs refused or failed; the worker carries on. */
  onError?: (error: Error) => void;
}

export interface DistributedWorker {
  readonly name: string;
  readonly build: Build;
  /** Rejects when the worker stops on its own: Redis unreachable for longer than `redisTimeoutSeconds`. */
  readonly stopped: Promise<never>;
  /** Finishes the jobs in hand, then disconnects. */
  close(): Promise<void>;
}

// Runs whose inputs are kept decoded.
const CACHED_RUNS = 4;
// After leaving a job of another build back in the queue, this worker waits this long before its next job.
const REFUSED_PAUSE_MS = 200;
// How often the stalled-job check runs: a dead worker's job waits at most its lock plus this.
const STALLED_CHECK_MS = 1_000;

/** A payload sealed as `label`, opened and validated; one that does not open is a SealError. */
function opened<S extends v.GenericSchema>(seal: RunSeal, label: string, text: string, schema: S): v.InferOutput<S> {
  const parsed = v.safeParse(schema, decode(seal.open(label, text)));
  if (!parsed.success) throw new SealError(`${label}: ${v.summarize(parsed.issues)}`);
  return parsed.output;
}

export async function startWorker(options: WorkerOptions): Promise<DistributedWorker> {
  const queue = queueOf(options);
  const concurrency = wholeNumber("concurrency", options.concurrency ?? 1);
  const lockDuration = wholeNumber("lockDuration", options.lockDuration ?? 3_000, 100);
  const name = options.name ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const secret = queueSecret(options.secret);
  const target = redisTarget(options);
  const build = buildOf(await createEngine());
  const redis = await openRedis(target);
  const threads = workerpool.pool(nodeWorker().pathname, { maxWorkers: concurrency, workerType: "thread", workerOpts: { type: "module" } });
  const cache = new Map<string, unknown>();
  const refusedRuns = new Set<string>();

  let last = "";
  const report = (error: Error): void => {
    const message = target.redact(error.message);
    if (message === last) return;
    last = message;
    options.onError?.(new Error(message));
  };

  /** The run's inputs, opened and validated once per start of a run. */
  const inputsOf = async <S extends v.GenericSchema>(dataKey: string, seal: RunSeal, run: string, schema: S): Promise<v.InferOutput<S>> => {
    if (!cache.has(run)) {
      const text = await redis.hget(dataKey, "inputs");
      if (text === null) throw new UnrecoverableError("the run's inputs are gone from Redis (finished or expired)");
      cache.set(run, opened(seal, LABELS.inputs, text, schema));
      if (cache.size > CACHED_RUNS) cache.delete(cache.keys().next().value!);
    }
    return cache.get(run) as v.InferOutput<S>;
  };

  /** The job's work, opened (a payload that does not open throws before anything is computed), to run on a thread. */
  const work = async (phase: Phase, seal: RunSeal, dataKey: string, run: string, task: string, shared: string | null, shard: number): Promise<() => Promise<unknown>> => {
    const label = LABELS.task(phase, shard);
    if (phase === MARGINS) {
      const { marketData, spec } = await inputsOf(dataKey, seal, run, BatchRunInputs);
      const accounts = opened(seal, label, task, BatchTask);
      return () => threads.exec("margins", [toWire(accounts), marketData, spec]);
    }
    const { method, input } = await inputsOf(dataKey, seal, run, SplitRunInputs);
    const { start, count, shared: readsShared } = opened(seal, label, task, StageTask);
    if (readsShared && shared === null) throw new UnrecoverableError(`the run's shared value of its ${phase} phase is missing from Redis`);
    const sharedValue = shared === null ? undefined : opened(seal, LABELS.shared(phase), shared, v.unknown());
    // The run's key: a thread keeps the run it planned for the run's next jobs.
    return () => threads.exec("part", [run, method, input, phase, { start, count }, sharedValue, false]);
  };

  /**
   * Leaves a job this worker cannot take (another build, or another secret) to the other
   * workers, and tells its run why; once per run on this worker's stderr.
   */
  const leave = async (job: Job, runId: string, why: string, token: string | undefined): Promise<never> => {
    const keys = runKeys(queue, runId);
    await redis.multi().hset(keys.refused, name, why).expire(keys.refused, 86_400).exec();
    if (!refusedRuns.has(keys.refused)) {
      refusedRuns.add(keys.refused);
      report(new Error(`job ${job.id}: ${why}: left for another worker`));
    }
    await job.moveToWait(token);
    await new Promise((resolve) => setTimeout(resolve, REFUSED_PAUSE_MS));
    throw new WaitingError();
  };

  const processJob = async (job: Job, token?: string): Promise<void> => {
    const data = v.safeParse(JobData, job.data);
    if (!data.success) throw new UnrecoverableError(`not a pmargin job: ${v.summarize(data.issues)}`);
    const { runId, shard, fingerprint } = data.output;
    if (!sameBuild(data.output, build)) return leave(job, runId, `made for ${describeBuild(data.output)}, this worker is ${describeBuild(build)}`, token);
    const phase = job.name as Phase;
    const keys = runKeys(queue, runId);
    const [nonce, stored, task, shared] = await redis.hmget(keys.data, "nonce", "fingerprint", LABELS.task(phase, shard), LABELS.shared(phase));
    if (!nonce || stored !== fingerprint || !task) {
      throw new UnrecoverableError(`run ${runId} has no inputs for this job in Redis (finished, expired, or started again with other inputs)`);
    }
    // Stored by an earlier attempt that died before the job was marked complete.
    if (await redis.hexists(keys.results(phase), String(shard))) return;
    const seal = new RunSeal(secret, queue, runId, nonce);
    let compute: () => Promise<unknown>;
    try {
      compute = await work(phase, seal, keys.data, `${runId}:${nonce}`, task, shared ?? null, shard);
    } catch (error) {
      if (!(error instanceof PmarginError)) throw error;
      return leave(job, runId, `${error.message} (another PMARGIN_QUEUE_SECRET than the coordinator's, or altered in Redis)`, token);
    }
    const value = await compute();
    const body = encode({ runId, phase, shard, ...build, worker: name, value } satisfies ResultBody);
    await redis.eval(STORE_RESULT, 3, keys.results(phase), keys.computed, keys.data, String(shard), seal.seal(LABELS.result(phase, shard), body), `${phase}:${shard}`);
  };

  const worker = new Worker(queue, processJob, {
    connection: clientOptions(target, true),
    concurrency,
    name,
    lockDuration,
    stalledInterval: Math.min(lockDuration, STALLED_CHECK_MS),
    // A job may outlive a few killed workers before it counts as failed.
    maxStalledCount: 3,
  });
  worker.on("error", report);
  worker.on("failed", (job, error) => {
    if (!(error instanceof WaitingError)) report(new Error(`job ${job?.id ?? "?"}: ${error.message}`));
  });
  let closing = false;
  const stop = async (): Promise<void> => {
    closing = true;
    await worker.close();
    await threads.terminate();
    redis.disconnect();
  };
  // The worker's own client gives up once Redis has been unreachable for the timeout: so does the worker.
  const stopped = new Promise<never>((_, reject) => {
    redis.once("end", () => {
      if (closing) return;
      const lost = new PmarginError(`lost ${redisError(target, new Error(`unreachable for ${target.timeoutMs / 1000} s`))}`);
      void worker.close(true).finally(() => threads.terminate()).finally(() => reject(lost));
    });
  });
  stopped.catch(() => undefined);
  try {
    await worker.waitUntilReady();
  } catch (error) {
    await stop();
    throw new PmarginError(redisError(target, error));
  }
  return { name, build, stopped, close: stop };
}
