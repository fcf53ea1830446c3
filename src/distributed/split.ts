// A method of the registry that splits (src/runs: Monte Carlo, historical) over the
// queue, as RiskPool.run does it across threads: each stage's ranges as jobs (Monte
// Carlo: path ranges, then the ES tail's blocks), summarised here. A part depends on
// its range alone and the parts are combined in range order, so the result is the
// one-process result, bit for bit, for any split and any set of hosts.
import * as v from "valibot";
import { createEngine } from "../engine/engine.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import type { MonteCarloResult } from "../methods/montecarlo/montecarlo.js";
import type { MarketData, Position } from "../model/types.js";
import { evenRanges } from "../parallel/tasks.js";
import {
  splitMethod, type MonteCarloInput, type Range, type SendStage, type SplitInputOf, type SplitName, type SplitResultOf,
} from "../runs/registry.js";
import { ResultError, withRun, type RunOptions, type RunStats } from "./coordinator.js";
import { wholeNumber } from "./redis.js";

/** What a split run stores once for its jobs: the method's name and its plain inputs. */
export const SplitRunInputs = v.strictObject({ method: v.picklist(["monte-carlo", "historical"] satisfies SplitName[]), input: v.unknown() });

/** What a stage's job carries: its range, and whether it reads the value the stage shares. */
export const StageTask = v.strictObject({
  start: v.pipe(v.number(), v.integer(), v.minValue(0)),
  count: v.pipe(v.number(), v.integer(), v.minValue(0)),
  shared: v.boolean(),
});
export type StageTask = v.InferOutput<typeof StageTask>;

const f64 = v.instance(Float64Array);
const PartSummary = v.strictObject({
  start: v.number(),
  losses: f64,
  largest: v.strictObject({ portfolio: f64, usd: v.array(f64), coin: v.array(v.optional(f64)) }),
  worst: v.strictObject({ indices: f64, losses: f64 }),
  worstPnl: v.array(v.array(v.number())),
});

/** A part checked against its range (and the run's input); a wrong one throws, saying why. */
type PartCheck = (value: unknown, range: Range, input: unknown) => unknown;

function parsed<S extends v.GenericSchema>(schema: S, value: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (!result.success) throw new ResultError(`not ${what}: ${v.summarize(result.issues)}`);
  return result.output;
}

/** A summary of scenarios [start, start + count): exactly its range. */
const summaryPart: PartCheck = (value, range) => {
  const part = parsed(PartSummary, value, "a part summary");
  if (part.start !== range.start || part.losses.length !== range.count) {
    throw new ResultError(`it covers scenarios ${part.start}..${part.start + part.losses.length}, its range is ${range.start}..${range.start + range.count}`);
  }
  return part;
};

/** Each stage's check: what a part of that stage is. */
const PART_CHECKS = {
  "monte-carlo": {
    paths: summaryPart,
    // From its range's first block, one weighted tail loss per block and position.
    tail: (value, range, input) => {
      const part = parsed(v.strictObject({ first: v.number(), blocks: f64 }), value, "tail blocks");
      const expected = range.count * (input as MonteCarloInput).positions.length;
      if (part.first !== range.start) throw new ResultError(`tail blocks from ${part.first}, its range starts at ${range.start}`);
      if (part.blocks.length !== expected) throw new ResultError(`${part.blocks.length} tail losses, expected ${expected} (${range.count} blocks)`);
      return part;
    },
  },
  historical: { windows: summaryPart },
} satisfies Record<SplitName, Record<string, PartCheck>>;

/**
 * A split method's run through the queue: the first stage in jobs of `itemsPerJob`
 * items, each later stage in as many jobs (or one per item when it has fewer).
 */
export async function distributedRun<N extends SplitName>(
  name: N, input: SplitInputOf<N>, itemsPerJob: number, options: RunOptions,
): Promise<{ result: SplitResultOf<N>; run: RunStats }> {
  const method = splitMethod(name);
  // Set up (and validated) here first, so bad input fails before any job is queued.
  const planned = method.plan(await createEngine(), input);
  const checks: Record<string, PartCheck> = PART_CHECKS[name];
  const { value, run } = await withRun(options, { method: name, input }, { itemsPerJob }, Object.keys(method.stages), (r) => {
    let jobs: number | undefined;
    const send: SendStage = async <Part>(stage: string, items: number, shared?: unknown) => {
      jobs ??= Math.ceil(items / itemsPerJob);
      if (shared !== undefined) await r.share(stage, shared);
      const ranges = evenRanges(items, jobs);
      const tasks = ranges.map((range): StageTask => ({ ...range, shared: shared !== undefined }));
      const collect = await r.start(stage, tasks, (part, shard) => checks[stage]!(part, ranges[shard]!, input) as Part);
      return collect();
    };
    return method.coordinate(planned, send);
  });
  return { result: value, run };
}

export interface DistributedMonteCarloOptions extends RunOptions {
  positions: Position[];
  marketData: MarketData;
  model?: MonteCarloModelInput;
  /** Paths per job. Default 65,536. */
  blockPaths?: number;
}

/** Monte Carlo with its path blocks and ES-tail blocks as jobs: monteCarlo()'s bits. */
export async function distributedMonteCarlo(options: DistributedMonteCarloOptions): Promise<{ result: MonteCarloResult; run: RunStats }> {
  const { positions, marketData, model = {} } = options;
  return distributedRun("monte-carlo", { positions, marketData, model }, wholeNumber("blockPaths", options.blockPaths ?? 65_536), options);
}
