// The work a pool worker does, as plain functions of plain data (portfolios, raw
// market data, models): each worker has its own engine, so its own WASM instance.
import type { Engine } from "../engine/engine.js";
import { buildMarket } from "../market/market.js";
import { headlineMargin, type HeadlineMargin, type MarginMethod } from "../methods/margin.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import { prepareHistorical, type HistoricalOptions } from "../methods/historical/historical.js";
import { prepareMonteCarlo, type EsTail } from "../methods/montecarlo/montecarlo.js";
import type { PartSummary } from "../methods/scenario-risk.js";
import type { PriceHistory, PriceSeries } from "../history/history.js";
import type { MarketData, Position } from "../model/types.js";
import { checkAgainstMarket, parsePortfolio } from "../schema/index.js";

/** A range of items [start, start + count): paths, windows or tail blocks. */
export interface Range {
  start: number;
  count: number;
}

/** 0..n in `parts` even ranges (fewer when n is small): any split of paths, windows or blocks gives the same bits. */
export function evenRanges(n: number, parts: number): Range[] {
  const per = Math.ceil(n / parts);
  return Array.from({ length: Math.ceil(n / per) }, (_, i) => ({ start: i * per, count: Math.min(per, n - i * per) }));
}

/** Paths [start, start + count) of a Monte Carlo run, summarised: its part of the result. */
export function simulateRange(
  engine: Engine, positions: Position[], marketData: MarketData, model: MonteCarloModelInput, start: number, count: number,
): PartSummary {
  return prepareMonteCarlo(engine, positions, buildMarket(marketData), model).part(start, count);
}

/** Windows [start, start + count) of a historical simulation, summarised: its part of the result. */
export function historicalRange(
  engine: Engine, positions: Position[], marketData: MarketData, source: PriceHistory | PriceSeries[], options: HistoricalOptions, start: number, count: number,
): PartSummary {
  return prepareHistorical(engine, positions, buildMarket(marketData), source, options).part(start, count);
}

/** Per-position weighted losses of blocks [first, first + count) of a run's ES tail. */
export function tailBlocksOf(
  engine: Engine, positions: Position[], marketData: MarketData, model: MonteCarloModelInput, tail: EsTail, first: number, count: number,
): Float64Array {
  return prepareMonteCarlo(engine, positions, buildMarket(marketData), model).tailBlocks(tail, first, count);
}

/** One account of a batch: its id and its positions (validated here, per account). */
export interface Account {
  id: string;
  positions: unknown;
}

/** An account's margin, or why it could not be computed; a bad account never stops the batch. */
export type AccountMargin = { id: string } & ({ margin: HeadlineMargin } | { error: string });

export function marginAccounts(engine: Engine, accounts: Account[], marketData: MarketData, spec: MarginMethod, market = buildMarket(marketData)): AccountMargin[] {
  return accounts.map((a) => {
    try {
      const portfolio = parsePortfolio({ positions: a.positions }, `account ${a.id}`);
      checkAgainstMarket(portfolio, marketData, `account ${a.id}`);
      return { id: a.id, margin: headlineMargin(engine, portfolio.positions, market, spec) };
    } catch (error) {
      return { id: a.id, error: error instanceof Error ? error.message : String(error) };
    }
  });
}
