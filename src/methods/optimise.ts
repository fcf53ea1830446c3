// Margin optimisation: from candidate hedge instruments, the size of each that
// minimises the book's margin (one at a time), and a greedy combination.
//
// A grid margin is a maximum of scenario losses, each linear in the size of an added
// position, plus contingencies that are convex in it (|net delta|, net short
// options), so margin(size) is convex along a line and a golden-section search
// over a bracket finds its minimum.
import { assertBackend, type Backend } from "../engine/backend.js";
import { InputError } from "../errors.js";
import { assertMarket, type Market } from "../market/market.js";
import type { HedgeCandidate } from "../model/hedge.js";
import type { Position } from "../model/types.js";
import { valueBook } from "./valuation.js";
import { checkSpec, headlineMargin, marginWithExtra, type MarginMethod } from "./margin.js";
import { checkedCandidates } from "../schema/candidates.js";
import { checkedPositions } from "../market/positions.js";

export interface SizedHedge {
  id: string;
  /** Units of the candidate to add (negative: sell). */
  size: number;
  /** Initial margin with this hedge, USD, and the margin it saves. */
  initialUsd: number;
  savedUsd: number;
  costUsd: number;
}

export interface MarginOptimisationResult {
  initialUsd: number;
  /** Each candidate alone at its best size. */
  single: SizedHedge[];
  /** Candidates added one after another, each at its best size given the ones before, while margin falls. */
  greedy: SizedHedge[];
  greedyInitialUsd: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;
/** Golden-section steps: the bracket shrinks to 0.618^40 ≈ 4e-9 of its width. */
const STEPS = 40;

/**
 * Sizes candidate hedges to lower the margin (greedy, one candidate at a time, net of their spread cost).
 *
 * @example
 * ```ts
 * import { builtInProfile, optimiseMargin } from "pmargin";
 * const perp = { id: "BTC-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: 1 } as const;
 * const best = optimiseMargin(engine, portfolio.positions, market, [{ position: perp, maxSize: 100 }], { method: "grid", profile: builtInProfile("deribit") });
 * ```
 */
export function optimiseMargin(
  backend: Backend, positions: readonly Position[], market: Market, candidates: readonly HedgeCandidate[], spec: MarginMethod,
): MarginOptimisationResult {
  assertBackend(backend);
  assertMarket(market);
  spec = checkSpec(spec);
  positions = checkedPositions(positions, market);
  candidates = checkedCandidates(candidates);
  if (candidates.length === 0) throw new InputError("candidates", "list at least one candidate hedge");
  candidates.forEach((c, i) => {
    if (!(c.maxSize > 0 && Number.isFinite(c.maxSize))) throw new InputError(`candidates[${i}].maxSize`, `must be > 0, got ${c.maxSize}`);
    if (c.halfSpreadUsd !== undefined && !(c.halfSpreadUsd >= 0)) throw new InputError(`candidates[${i}].halfSpreadUsd`, `must be ≥ 0, got ${c.halfSpreadUsd}`);
  });
  const scaled = (c: HedgeCandidate, size: number): Position => ({ ...c.position, quantity: c.position.quantity * size });

  /** The size in [−maxSize, maxSize] minimising margin(book + size·candidate); `halfSpread` its cost per unit. */
  const best = (book: readonly Position[], c: HedgeCandidate, id: string, base: number, halfSpread: number): SizedHedge => {
    // Every trial adds one position to the same book: a grid re-measures only its underlying.
    const withHedge = marginWithExtra(backend, book, market, spec);
    const m = (size: number): number => withHedge([scaled(c, size)]).initial;
    let lo = -c.maxSize, hi = c.maxSize;
    let a = hi - GOLDEN * (hi - lo), b = lo + GOLDEN * (hi - lo);
    let ma = m(a), mb = m(b);
    for (let i = 0; i < STEPS; i++) {
      if (ma <= mb) {
        hi = b; b = a; mb = ma; a = hi - GOLDEN * (hi - lo); ma = m(a);
      } else {
        lo = a; a = b; ma = mb; b = lo + GOLDEN * (hi - lo); mb = m(b);
      }
    }
    const size = (lo + hi) / 2;
    const initialUsd = m(size);
    return { id, size, initialUsd, savedUsd: base - initialUsd, costUsd: Math.abs(size) * halfSpread };
  };
  const halfSpreadOf = (c: HedgeCandidate): number => {
    if (c.halfSpreadUsd !== undefined) return c.halfSpreadUsd;
    const curves = market.get(c.position.underlying)!;
    const spread = curves.liquidity?.spread ?? 0;
    if (spread === 0) return 0;
    const [unit] = valueBook(backend, backend.compile([c.position], market), market).positions;
    return (spread / 2) * Math.abs(unit!.delta) * curves.index;
  };

  const initialUsd = positions.length === 0 ? 0 : headlineMargin(backend, positions, market, spec).initial;
  const ids = candidates.map((c, i) => c.position.id ?? `candidate ${i}`);
  // Each candidate's cost per unit, once: the greedy rounds size them again and again.
  const halfSpreads = candidates.map(halfSpreadOf);
  const single = candidates.map((c, i) => best(positions, c, ids[i]!, initialUsd, halfSpreads[i]!));

  // Greedy: the best remaining candidate at its best size, while it lowers the margin.
  const book = [...positions];
  const greedy: SizedHedge[] = [];
  let current = initialUsd;
  const left = new Set(candidates.map((_, i) => i));
  while (left.size > 0) {
    const tries = [...left].map((i) => ({ i, h: best(book, candidates[i]!, ids[i]!, current, halfSpreads[i]!) }));
    const pick = tries.reduce((x, y) => (y.h.initialUsd < x.h.initialUsd ? y : x));
    // Savings below a millionth of the margin are the search's tolerance, not a hedge.
    if (!(pick.h.savedUsd > 1e-6 * Math.max(1, current))) break;
    greedy.push(pick.h);
    book.push(scaled(candidates[pick.i]!, pick.h.size));
    current = pick.h.initialUsd;
    left.delete(pick.i);
  }
  return { initialUsd, single, greedy, greedyInitialUsd: current };
}
