// The command line over the Redis job queue: `pmargin batch --queue` as coordinator,
// `pmargin worker` on any number of hosts.
import { distributedBatch } from "../distributed/batch.js";
import { InputError } from "../errors.js";
import { startWorker } from "../distributed/worker.js";
import type { MarginMethod } from "../methods/margin.js";
import type { MarketData } from "../model/types.js";
import type { Account, AccountMargin } from "../parallel/tasks.js";
import { number } from "./historical.js";
import { progressBar } from "./progress.js";

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

/** The library names the Redis server "connection"; here it is the --queue flag. */
function asFlag(error: unknown): never {
  throw error instanceof InputError && error.path === "connection" ? new InputError("--queue", error.reason) : error;
}

/** The batch's results through the queue at `url`; the run id on stderr, to resume it after an interruption. */
export async function queueBatch(accounts: Account[], marketData: MarketData, spec: MarginMethod, url: string, opts: QueueBatchOptions): Promise<AccountMargin[]> {
  const bar = progressBar("shards");
  const { results, run } = await distributedBatch({
    connection: url, accounts, marketData, spec,
    ...(opts.queueName !== undefined ? { queue: opts.queueName } : {}),
    ...(opts.runId !== undefined ? { runId: opts.runId } : {}),
    ...(opts.shardSize !== undefined ? { shardSize: number("--shard-size", opts.shardSize) } : {}),
    ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
  }).catch(asFlag);
  bar.stop();
  console.error(`pmargin: run ${run.runId}: ${run.shards} shard${run.shards === 1 ? "" : "s"}, ${run.reused} done before this start, ${run.computed} computed`);
  return results;
}

/** Processes jobs until SIGINT or SIGTERM, then finishes the jobs in hand and exits. */
export async function workerCommand(opts: WorkerCommandOptions): Promise<void> {
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
