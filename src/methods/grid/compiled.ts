// What a grid compiles for a book — the book itself (the engine keeps its smile tables
// with it), its scenarios and their weights — kept while its market and positions are
// unchanged, so margining the same book again (a what-if's untouched settlement book, a
// repeated call, a dashboard's refresh) revalues it without compiling anything.
//
// Unchanged means the same objects: the underlying's curves (a market rebuilt or given a
// new price for it has new ones) at the same asOf, and the same position objects in the same
// order, each frozen — a parser's output, which nothing can change afterwards. Positions
// that are not frozen are compiled every time.
import type { Backend } from "../../engine/backend.js";
import type { Market, UnderlyingCurves } from "../../market/market.js";
import type { MarginProfile } from "../../model/profile.js";
import type { Position } from "../../model/types.js";
import { isFrozenBook } from "../../market/positions.js";

interface Entry<T> {
  asOfMs: number;
  positions: readonly Position[];
  compiled: T;
}

/** Books kept per curves object and profile: enough for an underlying's settlement books and a few what-ifs. */
const KEPT = 8;

const cache = new WeakMap<Backend, WeakMap<UnderlyingCurves, WeakMap<MarginProfile, Entry<unknown>[]>>>();

/** `make()`'s result for these positions on `u`, made once while the market's curves for `u`, its asOf, the profile and the positions are the same objects. */
export function compiledOnce<T>(backend: Backend, market: Market, u: string, profile: MarginProfile, positions: readonly Position[], make: () => T): T {
  const curves = market.get(u);
  if (!curves || !(isFrozenBook(positions) || positions.every((q) => Object.isFrozen(q)))) return make();
  let byCurves = cache.get(backend);
  if (!byCurves) cache.set(backend, (byCurves = new WeakMap()));
  let byProfile = byCurves.get(curves);
  if (!byProfile) byCurves.set(curves, (byProfile = new WeakMap()));
  let entries = byProfile.get(profile);
  if (!entries) byProfile.set(profile, (entries = []));
  // The book margined last is already where it goes.
  const last = entries.at(-1);
  if (last && isEntryOf(last, market, positions)) return last.compiled as T;
  const at = entries.findIndex((e) => isEntryOf(e, market, positions));
  // The entry used last goes to the end; the one used longest ago is dropped first.
  const entry = at >= 0 ? entries.splice(at, 1)[0]! : { asOfMs: market.asOfMs, positions: [...positions], compiled: make() };
  entries.push(entry);
  if (entries.length > KEPT) entries.shift();
  return entry.compiled as T;
}

/** Whether `e` was compiled for these positions at the market's asOf. */
function isEntryOf(e: Entry<unknown>, market: Market, positions: readonly Position[]): boolean {
  return e.asOfMs === market.asOfMs && samePositions(e.positions, positions);
}

function samePositions(a: readonly Position[], b: readonly Position[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
