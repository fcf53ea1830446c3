// Several venues: each margins its own positions against its own collateral with its
// own profile; the combined book shows what cross-venue margining would net; and a
// venue's failure freezes its equity and leaves the rest of the book without the
// hedges that were there.
import type { Backend } from "../engine/backend.js";
import { InputError } from "../errors.js";
import { builtInProfile } from "../schema/profiles.js";
import type { MarginMethod } from "../methods/margin.js";
import { holdingsMargin, type Holdings, type HoldingsMargin, type HoldingsParams, type MarketPair } from "./holdings.js";
import type { MarginStatus } from "./status.js";
import type { Venue } from "../model/account.js";

export interface VenueMargin extends HoldingsMargin {
  venue: string;
}

export interface VenueFailure {
  venue: string;
  /** The venue's equity, frozen: no longer margin for anything. */
  frozenEquity: number;
  /** failureLoss × the frozen equity (if positive): what is never recovered. */
  lossUsd: number;
  /** The other venues' holdings margined together without it. */
  remaining: MarginStatus & { basis: string };
}

export interface CrossVenue {
  currency: "USD";
  /** Each venue margined on its own, summed. */
  sumOfVenues: { initial: number; maintenance: number };
  /** The book of every venue margined as one. */
  combined: { initial: number; maintenance: number };
  /** sumOfVenues.initial − combined.initial: what margining across venues would save. */
  offsetBenefit: number;
}

/** A venue's method: its own grid profile when it names one and the method is a grid. */
export function venueMethod(method: MarginMethod, venue: Venue, v: number): MarginMethod {
  if (method.method !== "grid" || venue.profile === undefined) return method;
  try {
    return { ...method, profile: builtInProfile(venue.profile) };
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`venues[${v}].profile`, e.reason);
    throw e;
  }
}

/** Holdings of several venues as one. */
export const together = (parts: readonly Holdings[]): Holdings => ({
  positions: parts.flatMap((h) => h.positions),
  collateral: parts.flatMap((h) => h.collateral),
});

export function venueFailure(
  backend: Backend, venues: readonly Venue[], holdings: readonly Holdings[], failed: number, margins: readonly VenueMargin[],
  m: MarketPair, method: MarginMethod, params: HoldingsParams,
): VenueFailure {
  const venue = venues[failed]!;
  const loss = venue.failureLoss ?? 1;
  if (!(loss >= 0 && loss <= 1)) throw new InputError(`venues[${failed}].failureLoss`, `must be within [0, 1] (a share of the venue's equity), got ${loss}`);
  const frozenEquity = margins[failed]!.equity;
  const rest = holdingsMargin(backend, together(holdings.filter((_, i) => i !== failed)), m, method, params);
  const { basis, currency, equity, initial, maintenance, marginRatio, availableFunds, state } = rest;
  return {
    venue: venue.name,
    frozenEquity,
    lossUsd: loss * Math.max(frozenEquity, 0),
    remaining: { basis, currency, equity, initial, maintenance, marginRatio, availableFunds, state },
  };
}

export function crossVenue(venues: readonly VenueMargin[], combined: HoldingsMargin): CrossVenue {
  const initial = venues.reduce((a, v) => a + v.initial, 0);
  return {
    currency: "USD",
    sumOfVenues: { initial, maintenance: venues.reduce((a, v) => a + v.maintenance, 0) },
    combined: { initial: combined.initial, maintenance: combined.maintenance },
    offsetBenefit: initial - combined.initial,
  };
}
