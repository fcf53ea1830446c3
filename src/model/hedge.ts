// A candidate hedge as a user writes it (candidates.json): what the margin optimiser may add to a book.
import type { Position } from "./types.js";

/** An instrument the optimiser may add, and how much of it. */
export interface HedgeCandidate {
  /** The instrument, its quantity the unit the size counts in (e.g. 1 contract). */
  position: Position;
  /** Largest size to consider, either way (in units of `position.quantity`). */
  maxSize: number;
  /**
   * Half the bid–ask spread per unit, USD: trading `size` units costs |size| × this.
   * Default: half the underlying's `liquidity.spread` in the market data × the unit's
   * delta-equivalent notional |Δ|·S (0 without spread data).
   */
  halfSpreadUsd?: number;
}
