// Batch margining over the queue: the accounts in shards of `shardSize`, each shard
// one job, margined by whichever worker takes it; results in input order, the same
// lines RiskPool.marginBatch gives. A shard's result must be exactly its accounts.
import * as v from "valibot";
import type { MarginMethod } from "../methods/margin.js";
import type { MarketData } from "../model/types.js";
import type { BatchAccount, BatchAccountResult } from "../parallel/tasks.js";
import { ResultError, withRun, type RunOptions, type RunStats } from "./coordinator.js";
import { wholeNumber } from "./redis.js";

/** An object, as a type the coordinator validated before sealing it. */
const sealedObject = <T>() => v.custom<T>((x) => typeof x === "object" && x !== null && !Array.isArray(x), "must be an object");

/** What a batch run stores once for its jobs; each job carries its shard of the accounts. */
export const BatchRunInputs = v.strictObject({ marketData: sealedObject<MarketData>(), spec: sealedObject<MarginMethod>() });

/** A job's shard of the accounts (their positions are validated where they are margined). */
export const BatchTask = v.array(v.strictObject({ id: v.string(), positions: v.unknown() }));

/** A shard's result: each account's margin, or why it could not be computed. */
const BatchResult = v.array(v.union([
  v.strictObject({
    id: v.string(),
    margin: v.strictObject({
      method: v.picklist(["grid", "monte-carlo", "historical"]),
      basis: v.string(),
      currency: v.literal("USD"),
      initial: v.number(),
      maintenance: v.number(),
    }),
  }),
  v.strictObject({ id: v.string(), error: v.string() }),
]));

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
  const shards = Array.from({ length: Math.ceil(accounts.length / size) }, (_, i) => accounts.slice(i * size, (i + 1) * size).map(({ id, positions }) => ({ id, positions })));
  const check = (value: unknown, shard: number): BatchAccountResult[] => {
    const parsed = v.safeParse(BatchResult, value);
    if (!parsed.success) throw new ResultError(`not a shard of margins: ${v.summarize(parsed.issues)}`);
    const ids = parsed.output.map((r) => r.id);
    const expected = shards[shard]!.map((a) => a.id);
    if (ids.length !== expected.length || ids.some((id, i) => id !== expected[i])) {
      throw new ResultError(`its accounts are not the shard's: ${ids.length} accounts (${ids.slice(0, 3).join(", ")}…), expected ${expected.length} (${expected.slice(0, 3).join(", ")}…)`);
    }
    return parsed.output;
  };
  const { value, run } = await withRun(options, { marketData, spec }, shards, [MARGINS], async (r) => {
    const collect = await r.start(MARGINS, shards, check);
    return (await collect()).flat();
  });
  return { results: value, run };
}
