// The margin of an account: its positions and collateral on every venue, by any margin
// method, as an exchange reports it — equity, IM, MM (each with its add-ons), margin
// ratio, available funds, state — with the distance to liquidation per underlying, the
// depeg stress, each venue on its own and each venue's failure.
import { assertBackend, type Backend } from "../engine/backend.js";
import { expectObject } from "../errors.js";
import { checkedMarketData, marketFrom } from "../market/market.js";
import { checkSpec, type MarginMethod } from "../methods/margin.js";
import type { MarketData } from "../model/types.js";
import { checkAccountAgainstMarket, parseAccount } from "../schema/account.js";
import { heldCollateral, measuredBook } from "./collateral.js";
import { depegPrices, depegStress, type DepegStress } from "./depeg.js";
import { holdingsMargin, holdingsMarginMovingOne, type Holdings, type HoldingsMargin, type HoldingsParams, type MarketPair } from "./holdings.js";
import { checkedSearch, firstRoot, movedMarket, type LiquidationDistance } from "./liquidation.js";
import { checkedThresholds, type Account, type StatusThresholds } from "../model/account.js";
import { crossVenue, together, venueFailure, venueMethod, type CrossVenue, type VenueFailure, type VenueMargin } from "./venues.js";
import { checked } from "../schema/checked.js";

export interface AccountMarginResult extends HoldingsMargin {
  name?: string;
  method: MarginMethod["method"];
  thresholds: StatusThresholds;
  /** Per underlying held (by a position or as collateral); empty when not asked for. */
  distanceToLiquidation: LiquidationDistance[];
  /** The stables at their stress prices; null when the account holds none and names none. */
  depeg: DepegStress | null;
  /** Each venue margined on its own, with its own profile. */
  venues: VenueMargin[];
  /** With two venues or more: each one failing in turn. */
  venueFailures: VenueFailure[];
  crossVenue: CrossVenue | null;
}

export interface AccountMarginOptions {
  /** Search each underlying's distance to liquidation (default true): a re-margin per trial move. */
  distanceToLiquidation?: boolean;
}

/**
 * The combined figures use `method` as given; a venue naming a grid profile uses it for its own.
 *
 * @example
 * ```ts
 * import { accountMargin, builtInProfile, parseAccount, parseMarket } from "pmargin";
 * const r = accountMargin(engine, parseAccount(accountJson), parseMarket(marketJson), { method: "grid", profile: builtInProfile("deribit") });
 * r.state; // "healthy" | "margin-call" | "liquidation" | …
 * ```
 */
export function accountMargin(backend: Backend, account: Account, data: MarketData, method: MarginMethod, options: AccountMarginOptions = {}): AccountMarginResult {
  assertBackend(backend);
  data = checkedMarketData(data, "market");
  // An account is a document of its own: its errors name its fields, as in account.json.
  account = checked(account, "account", parseAccount, "");
  method = checkSpec(method);
  expectObject(options, "options", "an object of options");
  const thresholds = checkedThresholds(account.thresholds);
  const search = checkedSearch(account.liquidationSearch);
  checkAccountAgainstMarket(account, data);
  const m: MarketPair = { data, market: marketFrom(data) };
  const holdings: Holdings[] = account.venues.map((venue, v) => ({ positions: venue.positions ?? [], collateral: heldCollateral(account, venue, v) }));
  const params: HoldingsParams = { ...(account.addOns ? { addOns: account.addOns } : {}), thresholds };
  const all = together(holdings);
  const combined = holdingsMargin(backend, all, m, method, params);
  const venues = account.venues.map((venue, v): VenueMargin => {
    const spec = venueMethod(method, venue, v);
    // A lone venue under the account's method holds what the account does: its margin is the combined one.
    const margin = holdings.length === 1 && spec === method ? combined : holdingsMargin(backend, holdings[v]!, m, spec, params);
    return { venue: venue.name, ...margin };
  });
  const several = venues.length > 1;
  const prices = depegPrices(account.depeg, all.collateral);
  return {
    ...(account.name !== undefined ? { name: account.name } : {}),
    method: method.method,
    thresholds,
    ...combined,
    distanceToLiquidation: options.distanceToLiquidation === false ? [] : distances(backend, all, combined, m, method, params, search),
    depeg: prices ? depegStress(combined, all.collateral, m.market, prices, thresholds) : null,
    venues,
    venueFailures: several ? account.venues.map((_, v) => venueFailure(backend, account.venues, holdings, v, venues, m, method, params)) : [],
    crossVenue: several ? crossVenue(venues, combined) : null,
  };
}

/** Per underlying held, the nearest moves down and up at which MM / equity reaches the liquidation threshold. */
function distances(
  backend: Backend, all: Holdings, now: HoldingsMargin, m: MarketPair, method: MarginMethod, params: HoldingsParams, search: { maxMove: number; steps: number },
): LiquidationDistance[] {
  const book = measuredBook(all.positions, all.collateral);
  const liquidation = params.thresholds.liquidation;
  const atZero = liquidation * now.equity - now.maintenance;
  return m.market.names.filter((u) => book.some((p) => p.underlying === u)).map((u) => {
    const index = m.market.get(u)!.index;
    const at = holdingsMarginMovingOne(backend, all, m, method, params, u);
    const slack = (move: number): number => {
      const r = at(movedMarket(m, u, move));
      return liquidation * r.equity - r.maintenance;
    };
    const point = (move: number | null) => (move === null ? null : { move, price: index * (1 + move) });
    return { underlying: u, index, down: point(firstRoot(slack, -1, search, atZero)), up: point(firstRoot(slack, 1, search, atZero)), searched: search.maxMove };
  });
}
