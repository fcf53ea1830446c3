// A method of the registry that splits (src/runs: Monte Carlo, historical) over the
// queue, as RiskPool.run does it across threads: each stage's ranges as jobs (Monte
// Carlo: path ranges, then the ES tail's blocks), summarised here. A part depends on
// its range alone and the parts are combined in range order, so the result is the
// one-process result, bit for bit, for any split and any set of hosts.
import { createEngine } from "../engine/engine.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import type { MonteCarloResult } from "../methods/montecarlo/montecarlo.js";
import type { MarketData, Position } from "../model/types.js";
import { evenRanges } from "../parallel/tasks.js";
import { splitMethod, type SendStage, type SplitInputOf, type SplitName, type SplitResultOf } from "../runs/registry.js";
import { withRun, type RunOptions, type RunStats } from "./coordinator.js";
import { pack, unpack, wholeNumber } from "./redis.js";

/** What a split run stores once for its jobs: the method's name and its plain inputs. */
export interface SplitRunInputs {
  method: SplitName;
  input: unknown;
}

/** What a stage's job carries: its range, and whether it reads the value the stage shares (`shared:<stage>`). */
export interface StageTask {
  start: number;
  count: number;
  shared: boolean;
}

/** The field of a run's data that holds the value a stage's jobs share (e.g. Monte Carlo's ES tail). */
export const sharedField = (stage: string): string => `shared:${stage}`;

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
  const inputs: SplitRunInputs = { method: name, input };
  const { value, run } = await withRun(options, pack(inputs), [pack({ itemsPerJob })], Object.keys(method.stages), (r) => {
    let jobs: number | undefined;
    const send: SendStage = async <Part>(stage: string, items: number, shared?: unknown) => {
      jobs ??= Math.ceil(items / itemsPerJob);
      if (shared !== undefined) await r.share(sharedField(stage), pack(shared));
      const tasks = evenRanges(items, jobs).map((range): Buffer => pack({ ...range, shared: shared !== undefined } satisfies StageTask));
      const collect = await r.start(stage, tasks);
      return (await collect()).map((b) => unpack<Part>(b));
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
