// Positions as a method takes them: each one checked (parsePortfolio's are already) and
// priceable with the built market it will be valued against.
import { InputError, unknownName } from "../errors.js";
import type { Position } from "../model/types.js";
import { isParsed, under } from "../schema/checked.js";
import { describe } from "../schema/issues.js";
import { parsePosition } from "../schema/portfolio.js";
import type { Market } from "./market.js";
import { Recent } from "../model/recent.js";

/**
 * `positions` checked and priceable with `market`: a parser's positions pass as they are,
 * others are parsed; every underlying must be in the market, an option's must have a vol
 * surface, and nothing may have expired. InputErrors name `path[i].field`.
 */
export function checkedPositions(positions: unknown, market: Market, path = "positions"): readonly Position[] {
  if (!Array.isArray(positions)) throw new InputError(path, `must be an array of positions, got ${describe(positions)}`);
  // A frozen list of checked positions stays checked against the market it passed (each entry point checks again).
  const known = recent.get(positions)?.checked;
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
  if (!out && isFrozenBook(positions as readonly Position[])) factsOf(positions as readonly Position[]).checked = { market, asOfMs: market.asOfMs };
  return out ?? (positions as readonly Position[]);
}

/** What is known of a frozen list of frozen positions (a parser's) seen lately. */
interface BookFacts {
  /** The market (at its asOf) every position was checked against. */
  checked?: { market: Market; asOfMs: number };
  /** The positions on each underlying, in book order (each list frozen). */
  on: Map<string, readonly Position[]>;
}
// A grid call reads a book, its lists per underlying and per settlement: a few dozen lists in all.
const recent = new Recent<readonly unknown[], BookFacts>(32);

function factsOf(positions: readonly Position[]): BookFacts {
  return recent.get(positions) ?? recent.set(positions, { on: new Map() });
}

/**
 * Whether `positions` can change no more: a frozen list of frozen positions (a parser's).
 * What is derived from such a book may be kept with it.
 */
export function isFrozenBook(positions: readonly Position[]): boolean {
  if (recent.get(positions)) return true;
  if (!Object.isFrozen(positions) || !positions.every((q) => Object.isFrozen(q))) return false;
  factsOf(positions);
  return true;
}

/** The positions on `u`, in book order: of a frozen book, found once and kept (frozen) while it is seen. */
export function positionsOn(positions: readonly Position[], u: string): readonly Position[] {
  if (!isFrozenBook(positions)) return positions.filter((p) => p.underlying === u);
  const { on } = factsOf(positions);
  let mine = on.get(u);
  if (!mine) on.set(u, (mine = Object.freeze(positions.filter((p) => p.underlying === u))));
  return mine;
}
