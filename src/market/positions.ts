// Positions as a method takes them: each one checked (parsePortfolio's are already) and
// priceable with the built market it will be valued against.
import { InputError, unknownName } from "../errors.js";
import type { Position } from "../model/types.js";
import { isParsed, under } from "../schema/checked.js";
import { describe } from "../schema/issues.js";
import { parsePosition } from "../schema/portfolio.js";
import type { Market } from "./market.js";

/**
 * `positions` checked and priceable with `market`: a parser's positions pass as they are,
 * others are parsed; every underlying must be in the market, an option's must have a vol
 * surface, and nothing may have expired. InputErrors name `path[i].field`.
 */
export function checkedPositions(positions: unknown, market: Market, path = "positions"): readonly Position[] {
  if (!Array.isArray(positions)) throw new InputError(path, `must be an array of positions, got ${describe(positions)}`);
  // A frozen list of checked positions stays checked against the market it passed (each entry point checks again).
  const known = checkedAgainst.get(positions);
  if (known?.market === market && known.asOfMs === market.asOfMs) return positions as readonly Position[];
  let out: Position[] | undefined;
  positions.forEach((item: unknown, i) => {
    const p = isParsed(item, "position") ? (item as Position) : under(`${path}[${i}]`, () => parsePosition(item));
    if (p !== item) (out ??= positions.slice(0, i))[i] = p;
    else if (out) out[i] = p;
    const curves = market.get(p.underlying);
    if (!curves) throw new InputError(`${path}[${i}].underlying`, unknownName(p.underlying, market.names));
    if (p.kind === "option" && !curves.surface) {
      throw new InputError(`${path}[${i}]`, `an option needs an implied-vol surface, but the market has none for ${p.underlying}`);
    }
    if (p.kind !== "spot" && p.expiry !== undefined && !(market.yearFraction(p.expiry) > 0)) {
      throw new InputError(`${path}[${i}].expiry`, `expired: ${p.expiry} is not after the market's asOf ${new Date(market.asOfMs).toISOString()}`);
    }
  });
  if (!out && Object.isFrozen(positions)) checkedAgainst.set(positions, { market, asOfMs: market.asOfMs });
  return out ?? (positions as readonly Position[]);
}
const checkedAgainst = new WeakMap<readonly unknown[], { market: Market; asOfMs: number }>();

/**
 * Whether `positions` can change no more: a frozen list of frozen positions (a parser's).
 * What is derived from such a book may be kept with it; the verdict is kept too.
 */
export function isFrozenBook(positions: readonly Position[]): boolean {
  if (frozenBooks.has(positions)) return true;
  if (!Object.isFrozen(positions) || !positions.every((q) => Object.isFrozen(q))) return false;
  frozenBooks.add(positions);
  return true;
}
const frozenBooks = new WeakSet<readonly Position[]>();

/** The positions on `u`, in book order: of a frozen book, found once and kept (frozen). */
export function positionsOn(positions: readonly Position[], u: string): readonly Position[] {
  if (!isFrozenBook(positions)) return positions.filter((p) => p.underlying === u);
  let byUnderlying = split.get(positions);
  if (!byUnderlying) split.set(positions, (byUnderlying = new Map()));
  let mine = byUnderlying.get(u);
  if (!mine) {
    byUnderlying.set(u, (mine = Object.freeze(positions.filter((p) => p.underlying === u))));
    frozenBooks.add(mine);
  }
  return mine;
}
const split = new WeakMap<readonly Position[], Map<string, readonly Position[]>>();
