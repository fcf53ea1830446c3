// A pool worker (worker_threads in Node): its own engine and WASM instance,
// created on first use and kept for the worker's life.
import workerpool from "workerpool";
import { createEngine, type Engine } from "../engine/engine.js";
import type { MarginMethod } from "../methods/margin.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import type { PriceHistory, PriceSeries } from "../history/history.js";
import type { HistoricalOptions } from "../methods/historical/historical.js";
import type { PartSummary } from "../methods/scenario-risk.js";
import type { MarketData, Position } from "../model/types.js";
import type { EsTail } from "../methods/montecarlo/montecarlo.js";
import { historicalRange, marginAccounts, simulateRange, tailBlocksOf, type Account } from "./tasks.js";

let engine: Promise<Engine> | undefined;
const getEngine = (): Promise<Engine> => (engine ??= createEngine());

/** A part's arrays moved, not copied, back to the pool. */
function moved(part: PartSummary): InstanceType<typeof workerpool.Transfer> {
  const { losses, largest } = part;
  const arrays = [losses, largest.portfolio, ...largest.usd, ...largest.coin.filter((c): c is Float64Array => c !== undefined)];
  return new workerpool.Transfer(part, arrays.map((a) => a.buffer));
}

workerpool.worker({
  async simulate(positions: Position[], marketData: MarketData, model: MonteCarloModelInput, start: number, count: number) {
    return moved(simulateRange(await getEngine(), positions, marketData, model, start, count));
  },
  async historical(positions: Position[], marketData: MarketData, source: PriceHistory | PriceSeries[], options: HistoricalOptions, start: number, count: number) {
    return moved(historicalRange(await getEngine(), positions, marketData, source, options, start, count));
  },
  async tailBlocks(positions: Position[], marketData: MarketData, model: MonteCarloModelInput, tail: EsTail, first: number, count: number) {
    const blocks = tailBlocksOf(await getEngine(), positions, marketData, model, tail, first, count);
    return new workerpool.Transfer(blocks, [blocks.buffer]);
  },
  async margins(accounts: Account[], marketData: MarketData, spec: MarginMethod) {
    return marginAccounts(await getEngine(), accounts, marketData, spec);
  },
});
