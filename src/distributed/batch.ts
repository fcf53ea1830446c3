// Batch margining over the queue: the accounts in shards of `shardSize`, each shard
// one job, margined by whichever worker takes it; results in input order, the same
// lines RiskPool.marginBatch gives.
import type { MarginMethod } from "../methods/margin.js";
import type { MarketData } from "../model/types.js";
import type { BatchAccount, BatchAccountResult } from "../parallel/tasks.js";
import { withRun, type RunOptions, type RunStats } from "./coordinator.js";
import { pack, unpack, wholeNumber } from "./redis.js";

/** What a batch run stores once for its jobs; each job carries its shard of the accounts. */
export interface BatchRunInputs {
  marketData: MarketData;
  spec: MarginMethod;
}

/** The phase of a batch's jobs. */
export const MARGINS = "margins";

export interface DistributedBatchOptions extends RunOptions {
  accounts: BatchAccount[];
  marketData: MarketData;
  spec: MarginMethod;
  /** Accounts per job. Default 500. */
  shardSize?: number;
}

export async function distributedBatch(options: DistributedBatchOptions): Promise<{ results: BatchAccountResult[]; run: RunStats }> {
  const { accounts, marketData, spec } = options;
  const size = wholeNumber("shardSize", options.shardSize ?? 500);
  const tasks = Array.from({ length: Math.ceil(accounts.length / size) }, (_, i) => pack(accounts.slice(i * size, (i + 1) * size)));
  const { value, run } = await withRun(options, pack({ marketData, spec } satisfies BatchRunInputs), tasks, [MARGINS], async (r) => {
    const collect = await r.start(MARGINS, tasks);
    return (await collect()).flatMap((shard) => unpack<BatchAccountResult[]>(shard));
  });
  return { results: value, run };
}
