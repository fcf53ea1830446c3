// From raw JSON values to validated, built inputs: the one path every entry
// point (library, CLI, browser page) takes.
import { buildMarket, type Market } from "./market.js";
import type { MarketData, Portfolio } from "../model/types.js";
import { checkAgainstMarket, parseMarket, parsePortfolio } from "../schema/index.js";

export interface Inputs {
  portfolio: Portfolio;
  marketData: MarketData;
  market: Market;
}

/**
 * Validates a portfolio and a market (already parsed from JSON) against their
 * schemas and each other; throws InputError naming the source and field.
 *
 * @example
 * ```ts
 * import { createEngine, gridMargin, builtInProfile, prepareInputs } from "pmargin";
 * const { portfolio, market, marketData } = prepareInputs(portfolioJson, marketJson);
 * const margin = gridMargin(await createEngine(), portfolio.positions, market, { profile: builtInProfile("deribit") });
 * ```
 */
export function prepareInputs(
  portfolio: unknown,
  market: unknown,
  sources: { portfolio?: string; market?: string } = {},
): Inputs {
  const p = parsePortfolio(portfolio, sources.portfolio);
  const m = parseMarket(market, sources.market);
  checkAgainstMarket(p, m, sources.portfolio);
  return { portfolio: p, marketData: m, market: buildMarket(m) };
}
