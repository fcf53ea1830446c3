// Checks that need both files: every position must be priceable with the market given.
import { InputError } from "../errors.js";
import type { MarketData, Portfolio } from "../model/types.js";
import { expiredReason, toMillis } from "./dates.js";
import { formatPath } from "./issues.js";
import { checked } from "./checked.js";
import { parseMarket } from "./market.js";
import { parsePortfolio } from "./portfolio.js";

/**
 * Throws InputError (paths into the portfolio) for a position whose underlying the market
 * lacks, an option without a vol surface, or a dated position that expires at or before asOf.
 *
 * @example
 * ```ts
 * import { checkAgainstMarket, parseMarket, parsePortfolio } from "pmargin";
 * const portfolio = parsePortfolio(portfolioJson);
 * checkAgainstMarket(portfolio, parseMarket(marketJson)); // every underlying priced, every option with a surface
 * ```
 */
export function checkAgainstMarket(portfolio: Portfolio, market: MarketData, source?: string): void {
  checkPriceable(checked(portfolio, "portfolio", parsePortfolio, "portfolio"), checked(market, "market", parseMarket, "market"), source);
}

/** checkAgainstMarket's checks, on a checked portfolio (or a venue's positions) and market. */
export function checkPriceable(portfolio: Pick<Portfolio, "positions" | "mmp">, market: MarketData, source?: string): void {
  const asOf = toMillis(market.asOf);
  const names = Object.keys(market.underlyings);
  portfolio.positions.forEach((position, i) => {
    // hasOwn: a name like "toString" must not find Object.prototype's member.
    const u = Object.hasOwn(market.underlyings, position.underlying) ? market.underlyings[position.underlying] : undefined;
    if (!u) {
      throw new InputError(
        formatPath(["positions", i, "underlying"]),
        `unknown underlying ${position.underlying} (market has ${names.join(", ")})`,
        source,
      );
    }
    if (position.kind === "spot") return;
    if (position.kind === "option" && !u.surface?.length) {
      throw new InputError(
        formatPath(["positions", i]),
        `an option needs an implied-vol surface, but the market has no ${formatPath(["underlyings", position.underlying, "surface"])}`,
        source,
      );
    }
    if (position.expiry !== undefined && !(toMillis(position.expiry) > asOf)) {
      throw new InputError(formatPath(["positions", i, "expiry"]), expiredReason(position.expiry, market.asOf), source);
    }
  });
  portfolio.mmp?.forEach((m, i) => {
    if (!Object.hasOwn(market.underlyings, m.underlying)) {
      throw new InputError(formatPath(["mmp", i, "underlying"]), `unknown underlying ${m.underlying} (market has ${names.join(", ")})`, source);
    }
  });
}
