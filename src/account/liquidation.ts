// Distance to liquidation: per underlying, the nearest move of its price, down and up,
// at which the account's margin ratio reaches the liquidation threshold — the whole
// account re-margined (every position, the collateral, the add-ons) at each trial move
// (holdingsMarginMovingOne: with the same bits, only the moved underlying's part is redone).
import { InputError } from "../errors.js";
import { movedUnderlying, withUnderlying } from "../market/market.js";
import type { MarketPair } from "./holdings.js";
import { DEFAULT_LIQUIDATION_SEARCH } from "../model/account.js";

/** Where the ratio reaches the threshold: the move (−0.25 = −25%) and the index there. */
export interface LiquidationPoint {
  move: number;
  price: number;
}

export interface LiquidationDistance {
  underlying: string;
  index: number;
  /** The nearest such move below and above today's price; null: none within ±searched. */
  down: LiquidationPoint | null;
  up: LiquidationPoint | null;
  searched: number;
}

/** The market with `u` moved by the simple return `move` (movedUnderlying: sticky moneyness); only u's curves are rebuilt. */
export function movedMarket(m: MarketPair, u: string, move: number): MarketPair {
  const moved = movedUnderlying(m.data.underlyings[u]!, 1 + move);
  return { data: { ...m.data, underlyings: { ...m.data.underlyings, [u]: moved } }, market: withUnderlying(m.market, u, moved) };
}

/** The search range and resolution, checked. */
export function checkedSearch(search: { maxMove?: number; steps?: number } = {}): { maxMove: number; steps: number } {
  const { maxMove, steps } = { ...DEFAULT_LIQUIDATION_SEARCH, ...search };
  if (!(maxMove > 0 && maxMove < 1)) throw new InputError("liquidationSearch.maxMove", `must be within (0, 1) (a move of the index), got ${maxMove}`);
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= 1000)) throw new InputError("liquidationSearch.steps", `must be a whole number within [1, 1000], got ${steps}`);
  return { maxMove, steps };
}

/** Bracket width, in moves, at which the search stops: far below any price tick. */
const TOLERANCE = 1e-9;
const MAX_ITERATIONS = 200;

/**
 * The first root of `slack` (liquidation threshold × equity − MM, positive while the account is
 * safe) going out from 0 in `direction`: scanned in `steps` steps to ±maxMove, then narrowed
 * within the first step that crosses by the Illinois method (regula falsi that halves the
 * weight of a stale end, so it keeps the bracket and converges superlinearly). A root between
 * two scan points that cross back is not seen: more steps find it.
 */
export function firstRoot(slack: (move: number) => number, direction: 1 | -1, search: { maxMove: number; steps: number }, atZero = slack(0)): number | null {
  if (atZero <= 0) return 0;
  let a = 0, fa = atZero;
  for (let k = 1; k <= search.steps; k++) {
    const b = (direction * k * search.maxMove) / search.steps;
    const fb = slack(b);
    if (fb <= 0) return illinois(slack, a, fa, b, fb);
    a = b;
    fa = fb;
  }
  return null;
}

/** Given fa > 0 ≥ fb, the point in [a, b] where f crosses to ≤ 0. */
function illinois(f: (x: number) => number, a: number, fa: number, b: number, fb: number): number {
  let side = 0;
  for (let i = 0; i < MAX_ITERATIONS && Math.abs(b - a) > TOLERANCE; i++) {
    const c = (a * fb - b * fa) / (fb - fa);
    const fc = f(c);
    if (fc === 0) return c;
    if (fc > 0) {
      a = c;
      fa = fc;
      if (side === 1) fb /= 2;
      side = 1;
    } else {
      b = c;
      fb = fc;
      if (side === -1) fa /= 2;
      side = -1;
    }
  }
  // The end where the ratio has reached the threshold: liquidation at that move.
  return b;
}
