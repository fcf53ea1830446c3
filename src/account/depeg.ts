// The stablecoin depeg stress: stables at their stress prices (USDC at 0.9), margin
// unchanged — stables are in no scenario of the methods — so equity falls by the
// haircut value the depeg takes off, and the state follows.
import { InputError } from "../errors.js";
import type { Market } from "../market/market.js";
import { valueCollateral, type HeldCollateral } from "./collateral.js";
import type { HoldingsMargin } from "./holdings.js";
import { marginStatus, type MarginStatus } from "./status.js";
import { DEFAULT_DEPEG_PRICE, isStable, type StatusThresholds } from "../model/account.js";

export interface DepegStress extends MarginStatus {
  /** USD per unit of each stable in the stress. */
  prices: Record<string, number>;
  /** Equity lost to the depeg, USD. */
  lossUsd: number;
}

/** The prices given, checked, or every non-USD stable held at DEFAULT_DEPEG_PRICE; null when there is nothing to depeg. */
export function depegPrices(given: Partial<Record<string, number>> | undefined, held: readonly HeldCollateral[]): Record<string, number> | null {
  const named = Object.entries(given ?? {}).filter((e): e is [string, number] => e[1] !== undefined);
  for (const [asset, price] of named) {
    if (!isStable(asset) || asset === "USD") throw new InputError(`depeg.${asset}`, `${asset} is not a USD stablecoin (USD itself cannot depeg)`);
    if (!(price >= 0 && price <= 2)) throw new InputError(`depeg.${asset}`, `must be a price within [0, 2] USD, got ${price}`);
  }
  const prices = given ? Object.fromEntries(named) : Object.fromEntries(held.filter((c) => isStable(c.asset) && c.asset !== "USD").map((c) => [c.asset, DEFAULT_DEPEG_PRICE]));
  return Object.keys(prices).length > 0 ? prices : null;
}

export function depegStress(now: HoldingsMargin, held: readonly HeldCollateral[], market: Market, prices: Record<string, number>, thresholds: StatusThresholds): DepegStress {
  const after = valueCollateral(held, market, prices).reduce((a, c) => a + c.haircutValueUsd, 0);
  const lossUsd = now.collateralValue - after;
  return { ...marginStatus(now.equity - lossUsd, now.initial, now.maintenance, thresholds), prices, lossUsd };
}
