// Monte Carlo over the queue, as RiskPool.monteCarlo does it across threads: path
// ranges as jobs, then the ES tail's blocks as jobs, summarised here. A path is a
// function of (seed, index) and the tail blocks are summed in block order, so the
// result is monteCarlo()'s, bit for bit, for any split and any set of hosts.
import { createEngine } from "../engine/engine.js";
import { buildMarket } from "../market/market.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import { concatBlocks, prepareMonteCarlo, TAIL_BLOCK, type MonteCarloResult } from "../methods/montecarlo/montecarlo.js";
import type { PartSummary } from "../methods/scenario-risk.js";
import type { MarketData, Position } from "../model/types.js";
import { evenRanges } from "../parallel/tasks.js";
import { withRun, type RunOptions, type RunStats } from "./coordinator.js";
import { pack, unpack, wholeNumber } from "./redis.js";

export interface DistributedMonteCarloOptions extends RunOptions {
  positions: Position[];
  marketData: MarketData;
  model?: MonteCarloModelInput;
  /** Paths per job. Default 65,536. */
  blockPaths?: number;
}

export async function distributedMonteCarlo(options: DistributedMonteCarloOptions): Promise<{ result: MonteCarloResult; run: RunStats }> {
  const { positions, marketData, model = {} } = options;
  const blockPaths = wholeNumber("blockPaths", options.blockPaths ?? 65_536);
  // Set up (and validated) here first, so bad input fails before any job is queued.
  const mc = prepareMonteCarlo(await createEngine(), positions, buildMarket(marketData), model);
  const n = mc.model.paths;
  const pathTasks = evenRanges(n, Math.ceil(n / blockPaths)).map((r) => pack(r));
  const { value, run } = await withRun(options, pack({ positions, marketData, model }), [pack({ blockPaths })], async (r) => {
    const parts = (await (await r.start("paths", pathTasks))()).map((b) => unpack<PartSummary>(b));
    const tail = mc.esTail(parts);
    await r.share("tail", pack(tail));
    // As many tail jobs as path jobs, or one per block when there are fewer blocks.
    const tailTasks = evenRanges(Math.ceil(tail.paths.length / TAIL_BLOCK), pathTasks.length).map((t) => pack(t));
    const collect = await r.start("tail", tailTasks);
    // The tail statistics, histogram and worst paths here while the workers revalue the tail.
    const finish = mc.summariseLater(parts);
    return finish(concatBlocks((await collect()).map((b) => unpack<Float64Array>(b))));
  });
  return { result: value, run };
}
