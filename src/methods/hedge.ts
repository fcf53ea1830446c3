// Delta hedging: for each underlying, the perpetual that brings the book's delta to
// a target (0 by default), and the margin of the book with those hedges.
import { assertBackend, type Backend } from "../engine/backend.js";
import { expectObject, InputError, own } from "../errors.js";
import { assertMarket, type Market } from "../market/market.js";
import type { Position } from "../model/types.js";
import { valueBook } from "./valuation.js";
import { checkSpec, headlineMargin, type MarginResult, type MarginMethod } from "./margin.js";
import { checkedPositions } from "../market/positions.js";

export interface DeltaHedgeOptions {
  /** Target delta per underlying, coins (default 0 for every underlying held). */
  target?: Record<string, number>;
  /** Hedge with a linear (USD) perpetual, or an inverse one of `faceValue` USD a contract (default linear). */
  settlement?: "linear" | "inverse";
  faceValue?: number;
}

export interface DeltaHedge {
  underlying: string;
  deltaBefore: number;
  /** The perpetual to add (none when the delta is already on target). */
  hedge?: Position;
  deltaAfter: number;
}

export interface DeltaHedgeResult {
  hedges: DeltaHedge[];
  before: MarginResult;
  after: MarginResult;
}

/**
 * Per underlying, the perpetual that takes the book's delta to its target (default 0), and the margin before and after.
 *
 * @example
 * ```ts
 * import { builtInProfile, deltaHedge } from "pmargin";
 * const hedge = deltaHedge(engine, portfolio.positions, market, { method: "grid", profile: builtInProfile("deribit") }, { settlement: "inverse" });
 * ```
 */
export function deltaHedge(
  backend: Backend, positions: readonly Position[], market: Market, spec: MarginMethod, options: DeltaHedgeOptions = {},
): DeltaHedgeResult {
  assertBackend(backend);
  assertMarket(market);
  spec = checkSpec(spec);
  positions = checkedPositions(positions, market);
  expectObject(options, "options", "an object of options");
  const settlement = options.settlement ?? "linear";
  const faceValue = options.faceValue ?? 10;
  if (!(faceValue > 0 && Number.isFinite(faceValue))) throw new InputError("faceValue", `must be > 0, got ${faceValue}`);
  const deltas = valueBook(backend, backend.compile(positions, market), market).underlyings;
  for (const name of Object.keys(options.target ?? {})) {
    if (!deltas.some((u) => u.underlying === name)) throw new InputError(`target.${name}`, `the book holds nothing on ${name}`);
  }
  const hedges = deltas.map((u): DeltaHedge => {
    const want = own(options.target, u.underlying) ?? 0;
    if (!Number.isFinite(want)) throw new InputError(`target.${u.underlying}`, `must be finite, got ${want}`);
    const need = want - u.delta;
    if (need === 0) return { underlying: u.underlying, deltaBefore: u.delta, deltaAfter: u.delta };
    // A perpetual is valued at the index: a linear one's delta is its coins, an inverse
    // one's (no entry price) its face value over the index.
    const hedge: Position = settlement === "linear"
      ? { id: `hedge ${u.underlying}-PERPETUAL`, kind: "future", settlement: "linear", underlying: u.underlying, quantity: need }
      : { id: `hedge ${u.underlying}-PERPETUAL`, kind: "future", settlement: "inverse", underlying: u.underlying, quantity: (need * u.index) / faceValue, faceValue };
    return { underlying: u.underlying, deltaBefore: u.delta, hedge, deltaAfter: want };
  });
  const added = hedges.flatMap((h) => (h.hedge ? [h.hedge] : []));
  return {
    hedges,
    before: headlineMargin(backend, positions, market, spec),
    after: headlineMargin(backend, [...positions, ...added], market, spec),
  };
}
