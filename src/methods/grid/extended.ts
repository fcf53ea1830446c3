// How each grid scenario's PnL counts toward the worst loss: a regular move at its
// PnL, an extended move at a fraction of it — weighted in the measured currency, or
// (Deribit) in USD and expressed at the price at the edge of the regular range —
// and, with a dampener, moved toward 0. Written once for the book and for each
// position alone, in USD and in coin.
import type { LossWeights } from "../../engine/backend.js";
import type { UnderlyingGridParams } from "../../model/profile.js";

export { dampen } from "../../reference/reduce.js";

/** A scenario of the grid as the weighting reads it. */
interface Cell {
  move: number;
  weight: number;
  extended: boolean;
}

/** The largest regular move: Deribit's price_range, the edge of the regular grid. */
export function priceRange(p: UnderlyingGridParams): number {
  return p.moves.reduce((a, m) => Math.max(a, Math.abs(m)), 0);
}

/** An extended move's weight: its own, or extendedTableFactor × range / |move|. */
export function extendedWeight(p: UnderlyingGridParams, e: { move: number; weight?: number }): number {
  return e.weight ?? (p.extendedTableFactor! * priceRange(p)) / Math.abs(e.move);
}

/**
 * Per scenario, its price factor 1 + move, and the multiplier of its PnL and the dampening
 * amount, in USD and in coin: weighted(x) = dampen(x · factor, amount). A regular scenario is (1, 0).
 */
export type Weighing = LossWeights;

/** The grid's weighing for an underlying at index s0. */
export function weighing(cells: readonly Cell[], p: UnderlyingGridParams, s0: number): Weighing {
  const n = cells.length;
  const w: Weighing = { priceFactor: new Float64Array(n), usdFactor: new Float64Array(n), usdDamp: new Float64Array(n), coinFactor: new Float64Array(n), coinDamp: new Float64Array(n) };
  const range = priceRange(p);
  const atEdge = p.extendedWeighting === "usdAtRangeEdge";
  cells.forEach((c, s) => {
    w.priceFactor[s] = 1 + c.move;
    w.usdFactor[s] = c.weight;
    w.coinFactor[s] = c.weight;
    if (!c.extended) return;
    // The edge of the regular range on the move's side.
    const edge = 1 + Math.sign(c.move) * range;
    // A coin PnL worth (1 + m)·S0 a coin in the scenario, expressed at edge·S0 a coin.
    if (atEdge) w.coinFactor[s] = (c.weight * (1 + c.move)) / edge;
    if (p.extendedDampener) {
      const beyond = Math.max(Math.abs(c.move) / range, 1) - 1;
      w.usdDamp[s] = beyond * p.extendedDampener.usdUsd;
      w.coinDamp[s] = (beyond * p.extendedDampener.coinUsd) / (edge * s0);
    }
  });
  return w;
}
