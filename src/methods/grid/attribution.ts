// Which positions make a grid margin: each position's share of its underlying's
// worst weighted loss (its own weighted loss in that scenario — the shares add up
// to the worst loss, and a hedge's share is negative), and its marginal margin
// (the book's initial margin less the book's without it).
import { assertBackend, type Backend } from "../../engine/backend.js";
import { assertMarket, type Market } from "../../market/market.js";
import { isCoinSettled, type Position } from "../../model/types.js";
import { coinPnl } from "../../risk/reduce.js";
import { valueBook } from "../valuation.js";
import { gridMargin, type UnderlyingGridMargin } from "./grid.js";
import type { MarginProfile } from "../../model/profile.js";
import { checkedProfile } from "../../schema/profile.js";
import { checkedPositions } from "../../market/positions.js";

export interface PositionAttribution {
  id: string;
  underlying: string;
  /** Share of the underlying's worst weighted loss, USD (in coin × index for coin-settled books). */
  worstLossShareUsd: number;
  /** Initial margin of the book less that of the book without this position, USD. */
  marginalInitialUsd: number;
}

/**
 * Each position's share of its underlying's grid margin: its share of the worst weighted loss, and its marginal initial margin.
 *
 * @example
 * ```ts
 * import { builtInProfile, gridAttribution } from "pmargin";
 * const rows = gridAttribution(engine, portfolio.positions, market, builtInProfile("deribit"));
 * rows[0]?.worstLossShareUsd; // the position's share of its underlying's worst weighted loss
 * ```
 */
export function gridAttribution(backend: Backend, positions: readonly Position[], market: Market, profile: MarginProfile): PositionAttribution[] {
  assertBackend(backend);
  assertMarket(market);
  positions = checkedPositions(positions, market);
  profile = checkedProfile(profile, "profile");
  const whole = gridMargin(backend, positions, market, { profile, perPosition: true });
  const byUnderlying = new Map(whole.underlyings.map((u) => [u.underlying, u]));
  const values = valueBook(backend, backend.compile(positions, market), market).positions;
  // Each position's book (its underlying's, or its settlement book's when those are separate)
  // and its row there: a book compiles its positions in order.
  const bookOf = (p: Position): UnderlyingGridMargin => {
    const u = byUnderlying.get(p.underlying)!;
    return u.settlements ? u.settlements[isCoinSettled([p]) ? 0 : 1]! : u;
  };
  const seen = new Map<UnderlyingGridMargin, number>();
  const rowOf = positions.map((p) => {
    const r = seen.get(bookOf(p)) ?? 0;
    seen.set(bookOf(p), r + 1);
    return r;
  });
  return positions.map((p, k) => {
    const u = bookOf(p);
    const w = u.worstScenario;
    let share = 0;
    if (w) {
      const s = u.scenarios.indexOf(w);
      const pnl = u.positions![rowOf[k]!]!.pnlUsd[s]!;
      // A coin-settled book is measured on coin PnL, linear in the positions; its share at today's index.
      share = u.reportCurrency === "USD" ? -w.weight * pnl : -w.weight * u.index * coinPnl(values[k]!.valueUsd, pnl, u.index, 1 + w.move);
    }
    const without = positions.filter((_, j) => j !== k);
    const rest = without.length > 0 ? gridMargin(backend, without, market, { profile }).initial : 0;
    return { id: p.id ?? String(k), underlying: p.underlying, worstLossShareUsd: share, marginalInitialUsd: whole.initial - rest };
  });
}
