// Collateral: each balance valued (USD stables at 1 USD or their depeg price, coins at
// their index) and haircut, and coin balances turned into the spot positions that make
// every margin method revalue them with the book.
import { InputError, own } from "../errors.js";
import type { Market } from "../market/market.js";
import type { Position, SpotPosition } from "../model/types.js";
import { isStable, type Account, type Venue } from "../model/account.js";

/** One balance as held: its venue, haircut and where it sits in the account file. */
export interface HeldCollateral {
  venue: string;
  asset: string;
  quantity: number;
  haircut: number;
  /** `venues[1].collateral[0]`: for errors and for the breakdown. */
  path: string;
}

export interface CollateralValue {
  venue: string;
  asset: string;
  quantity: number;
  /** USD per unit: 1 (or the depeg price) for stables, the index for coins. */
  price: number;
  valueUsd: number;
  haircut: number;
  /** valueUsd × (1 − haircut): what counts towards equity. */
  haircutValueUsd: number;
}

/** A venue's balances with their haircuts (the venue's, else the account's, else 0); assets checked against the market by checkAccountAgainstMarket. */
export function heldCollateral(account: Account, venue: Venue, v: number): HeldCollateral[] {
  return (venue.collateral ?? []).map((c, i) => {
    const path = `venues[${v}].collateral[${i}]`;
    if (!(c.quantity >= 0 && Number.isFinite(c.quantity))) throw new InputError(`${path}.quantity`, `must be a finite number ≥ 0, got ${c.quantity}`);
    const venues = own(venue.haircuts, c.asset);
    const haircut = venues ?? own(account.haircuts, c.asset) ?? 0;
    if (!(haircut >= 0 && haircut < 1)) {
      throw new InputError(venues !== undefined ? `venues[${v}].haircuts.${c.asset}` : `haircuts.${c.asset}`, `must be within [0, 1) (a fraction of the value), got ${haircut}`);
    }
    return { venue: venue.name, asset: c.asset, quantity: c.quantity, haircut, path };
  });
}

/** Each balance's value now, or with the stables at `stablePrices` (a depeg). */
export function valueCollateral(held: readonly HeldCollateral[], market: Market, stablePrices: Record<string, number> = {}): CollateralValue[] {
  return held.map((c) => {
    const price = isStable(c.asset) ? (stablePrices[c.asset] ?? 1) : market.get(c.asset)!.index;
    const valueUsd = c.quantity * price;
    return { venue: c.venue, asset: c.asset, quantity: c.quantity, price, valueUsd, haircut: c.haircut, haircutValueUsd: valueUsd * (1 - c.haircut) };
  });
}

/**
 * Coin collateral moves with its coin exactly as a long spot position of its haircut
 * quantity does: added to the book, every scenario of every method revalues it, and its
 * loss falls in the same scenarios as the positions' (wrong-way risk).
 */
export function collateralPositions(held: readonly HeldCollateral[]): SpotPosition[] {
  return held
    .filter((c) => !isStable(c.asset) && c.quantity > 0)
    .map((c) => ({ id: `collateral ${c.asset} @ ${c.venue}`, kind: "spot", underlying: c.asset, quantity: c.quantity * (1 - c.haircut) }));
}

/** The book a margin method measures: the positions and the coin collateral. */
export const measuredBook = (positions: readonly Position[], held: readonly HeldCollateral[]): Position[] => [...positions, ...collateralPositions(held)];
