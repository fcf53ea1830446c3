// What the scenario-based risk methods (Monte Carlo, historical) share: the
// book compiled per underlying, joint scenarios revalued per underlying (the
// portfolio PnL is their sum, and the standalone risks come free), and the
// losses reduced to VaR/ES, diversification, a histogram and the worst scenarios:
// first per part of the scenarios (summarisePart, where a worker revalued them),
// then over the parts (combineParts), with the same bits for any split.
import type { Book } from "../engine/book.js";
import type { Backend } from "../engine/backend.js";
import type { PathBlock } from "../engine/path-plan.js";
import { ScenarioSet } from "../engine/scenarios.js";
import { InputError } from "../errors.js";
import { exp } from "../math/deterministic.js";
import { coinPnl, lossesOf } from "../risk/reduce.js";
import type { Market } from "../market/market.js";
import { isCoinSettled, type Position } from "../model/types.js";
import {
  histogram, largest, mergeLargest, mergeWorst, tailCount, tailRiskOfLargest, worstIndices, type TailRisk, type WorstLosses,
} from "../risk/tail.js";
import { fresh, type Take } from "./scratch.js";
import { valueBook } from "./valuation.js";

/** An underlying a portfolio holds: what its risk is reported with. */
export interface HeldUnderlying {
  underlying: string;
  /** Index price now. */
  index: number;
  /** Every position coin-settled (inverse contracts, the coin): its risk is also measured in coin. */
  coinSettled: boolean;
}

/** One underlying's positions, compiled alone. */
export interface UnderlyingBook extends HeldUnderlying {
  book: Book;
  /** The positions' USD value now. */
  valueUsd: number;
}

/** The underlyings a portfolio holds, in market order, with their index and settlement: nothing compiled. */
export function heldBy(positions: readonly Position[], market: Market): HeldUnderlying[] {
  if (positions.length === 0) throw new InputError("portfolio.positions", "empty portfolio: nothing to measure");
  return market.names.filter((u) => positions.some((p) => p.underlying === u)).map((underlying) => ({
    underlying, index: market.get(underlying)!.index, coinSettled: isCoinSettled(positions.filter((p) => p.underlying === underlying)),
  }));
}

export interface BookOptions {
  volShiftWeight?: (days: number) => number;
  /** An underlying's log moves, when they are all known before compiling: only the smile nodes they read are filled. */
  moves?: (underlying: string) => ArrayLike<number>;
}

/** Each underlying the portfolio holds (market order), its positions compiled on their own. */
export function booksByUnderlying(backend: Backend, positions: readonly Position[], market: Market, options: BookOptions = {}): UnderlyingBook[] {
  return heldBy(positions, market).map((held) => {
    const mine = positions.filter((p) => p.underlying === held.underlying);
    const { volShiftWeight, moves } = options;
    const book = backend.compile(mine, market, { ...(volShiftWeight ? { volShiftWeight } : {}), ...(moves ? { moves: moves(held.underlying) } : {}) });
    const valueUsd = valueBook(backend, book, market).positions.reduce((a, p) => a + p.valueUsd, 0);
    return { ...held, book, valueUsd };
  });
}

/** PnL per underlying (rows in book order) of n scenarios: USD, and coin for coin-settled books. */
export interface ScenarioPnl {
  usd: Float64Array[];
  coin: (Float64Array | undefined)[];
}

/** Revalues each underlying's book under its planes of `block` (n scenarios, horizon dt years). */
export function revalueByUnderlying(backend: Backend, books: UnderlyingBook[], block: PathBlock, n: number, dt: number): ScenarioPnl {
  const pnl = { usd: books.map(() => new Float64Array(n)), coin: books.map((b) => (b.coinSettled ? new Float64Array(n) : undefined)) };
  revalueInto(backend, books, block, n, dt, pnl, 0, new Float64Array(n));
  return pnl;
}

/**
 * revalueByUnderlying written into rows held for a longer range, from `at`: each
 * underlying's scenarios are its planes of `block` as they lie, with `zeros` (n or
 * more) as their vol floors, so nothing is copied or allocated per chunk.
 */
function revalueInto(
  backend: Backend, books: UnderlyingBook[], block: PathBlock, n: number, dt: number, into: ScenarioPnl, at: number, zeros: Float64Array,
): void {
  const volFloors = zeros.subarray(0, n);
  books.forEach((b, u) => {
    const logMoves = block.logMoves.subarray(u * n, (u + 1) * n);
    const set = new ScenarioSet([b.underlying], n, backend.limits.scenarios, { logMoves, volShifts: block.volShifts.subarray(u * n, (u + 1) * n), volFloors });
    const usd = backend.revalue(b.book, set, { dt, into: into.usd[u]!.subarray(at, at + n) }).pnl;
    const coin = into.coin[u];
    if (coin) for (let i = 0; i < n; i++) coin[at + i] = coinPnl(b.valueUsd, usd[i]!, b.index, exp(logMoves[i]!));
  });
}

/**
 * Items [0, count) in the pieces `more` gives, asked before each (0, or less: no more), each
 * piece [from, to) to `each`; returns the items done.
 */
export function inPieces(count: number, more: () => number, each: (from: number, to: number) => void): number {
  let done = 0;
  while (done < count) {
    const piece = Math.min(more(), count - done);
    if (!(piece > 0)) break;
    each(done, done + piece);
    done += piece;
  }
  return done;
}

/**
 * revalueByUnderlying over `count` scenarios in chunks of at most `chunk` (`blockAt(at, m)`
 * gives scenarios [at, at + m)), the books held loaded throughout and each chunk written
 * into the run's rows (from `take`): the same bits as one call (each scenario is revalued
 * on its own), in bounded scratch memory, with `onProgress(done, count)` after each chunk.
 * With `more`, the scenarios go in the pieces it gives, asked before each (0: no more),
 * and the rows hold those done.
 */
export function revalueInChunks(
  backend: Backend, books: () => UnderlyingBook[], count: number, chunk: number, blockAt: (at: number, m: number) => PathBlock, dt: number,
  onProgress?: (done: number, total: number) => void, take: Take = fresh, more: () => number = () => count,
): ScenarioPnl {
  const pnl: ScenarioPnl = { usd: [], coin: [] };
  backend.withResident(() => {
    const all = books();
    for (const b of all) {
      pnl.usd.push(take(count));
      pnl.coin.push(b.coinSettled ? take(count) : undefined);
    }
    const zeros = take(Math.min(chunk, count));
    const done = inPieces(count, more, (from, to) => {
      for (let at = from; at < to;) {
        const m = Math.min(chunk, to - at);
        revalueInto(backend, all, blockAt(at, m), m, dt, pnl, at, zeros);
        at += m;
        onProgress?.(at, count);
      }
    });
    if (done < count) {
      pnl.usd = pnl.usd.map((row) => row.subarray(0, done));
      pnl.coin = pnl.coin.map((row) => row?.subarray(0, done));
    }
  });
  return pnl;
}

export interface Levels {
  var: number[];
  es: number[];
}

/** Every level within (0, 1) and leaving at least one scenario in its tail; `path` names the levels field. */
export function checkLevels(levels: Levels, n: number, path: string, what = "scenarios"): void {
  for (const [field, list] of [["var", levels.var], ["es", levels.es]] as const) {
    list.forEach((a, i) => {
      if (!(a > 0 && a < 1)) throw new InputError(`${path}.${field}[${i}]`, `must be within (0, 1), got ${a}`);
      if (n * (1 - a) < 1) throw new InputError(`${path}.${field}[${i}]`, `${n} ${what} leave no tail beyond ${a}: need at least ${Math.ceil(1 / (1 - a))}`);
    });
  }
}

export interface UnderlyingTail {
  underlying: string;
  index: number;
  /** The coin when every position here is coin-settled (an inverse book), else USD. */
  reportCurrency: string;
  /** Standalone risk of this underlying's positions, in USD. */
  usd: TailRisk;
  /** The same on the coin PnL, for coin-settled books. */
  coin?: TailRisk;
}

export interface Diversification {
  measure: "VaR" | "ES";
  level: number;
  /** Σ standalone risks of the underlyings − the portfolio's risk (USD). */
  standaloneSum: number;
  portfolio: number;
  benefit: number;
}

export interface RiskSummary {
  /** Portfolio risk: losses = −PnL, USD. */
  portfolio: TailRisk;
  underlyings: UnderlyingTail[];
  diversification: Diversification[];
  /** Portfolio losses, USD. */
  histogram: { edges: number[]; counts: number[] };
  /** The largest portfolio losses, largest first, with each underlying's USD PnL there. */
  worst: WorstScenario[];
}

export interface WorstScenario {
  index: number;
  lossUsd: number;
  /** Per underlying, in book order. */
  pnlUsd: number[];
}

/**
 * What one part of the scenarios (a worker's range of paths, or all of them)
 * contributes to the risk summary, computed where the part was revalued: every
 * statistic reads only the largest losses, so a part ships those, its portfolio
 * losses (for the histogram) and its worst scenarios, not its PnL.
 */
export interface PartSummary {
  /** Index of the part's first scenario in the whole. */
  start: number;
  /** Portfolio loss of each scenario of the part, USD. */
  losses: Float64Array;
  /** The part's tailCount largest losses, ascending: portfolio, and per underlying in USD and (coin-settled books) coin. */
  largest: { portfolio: Float64Array; usd: Float64Array[]; coin: (Float64Array | undefined)[] };
  /** The part's worst scenarios in worstIndices order, indices in the whole. */
  worst: WorstLosses;
  /** Each underlying's USD PnL at the first of them (as many as the summary lists): [j][u]. */
  worstPnl: number[][];
}

/**
 * The part of n scenarios that starts at `start`, from its PnL. `worst`: how many
 * worst scenarios to keep (at least the summary's list; a Monte Carlo run also
 * keeps its ES tail); `listed`: how many of them carry their PnL per underlying.
 * Its working arrays come from `take`, the part's losses from `keep`.
 */
export function summarisePart(
  pnl: ScenarioPnl, start: number, n: number, levels: Levels, counts: { worst: number; listed: number }, backend: Pick<Backend, "selector">,
  take: Take = fresh, keep: Take = fresh,
): PartSummary {
  const top = tailCount(n, levels);
  const losses = lossesOf(pnl.usd, keep(pnl.usd[0]!.length));
  const local = worstIndices(losses, counts.worst, backend.selector());
  // Each underlying's losses in turn, in one array.
  const scratch = take(losses.length);
  const largestOf = (rows: Float64Array[]): Float64Array => largest(lossesOf(rows, scratch), top, backend.selector());
  return {
    start,
    losses,
    largest: {
      portfolio: largest(losses, top, backend.selector()),
      usd: pnl.usd.map((row) => largestOf([row])),
      coin: pnl.coin.map((row) => (row ? largestOf([row]) : undefined)),
    },
    worst: { indices: local.map((i) => start + i), losses: local.map((i) => losses[i]!) },
    worstPnl: Array.from(local.subarray(0, counts.listed), (i) => pnl.usd.map((row) => row[i]!)),
  };
}

/** Refuses parts that do not cover scenarios 0..n once each; `what` names them (paths, windows). */
export function checkCover(parts: readonly PartSummary[], n: number, what: string): void {
  let next = 0;
  for (const p of [...parts].sort((a, b) => a.start - b.start)) {
    if (p.start !== next) throw new InputError("parts", `parts must cover ${what} 0..${n} once each: a part starts at ${p.start}, expected ${next}`);
    next += p.losses.length;
  }
  if (next !== n) throw new InputError("parts", `parts must cover ${what} 0..${n} once each: they end at ${next}`);
}

/** VaR/ES of the portfolio and of each underlying alone, the histogram and the worst scenarios, from parts that cover n scenarios once. */
export function combineParts(
  books: readonly HeldUnderlying[], parts: readonly PartSummary[], n: number, levels: Levels, output: { histogramBins: number; worst: number },
): RiskSummary {
  const top = tailCount(n, levels);
  const risk = (pick: (p: PartSummary) => Float64Array): TailRisk => tailRiskOfLargest(mergeLargest(parts.map(pick), top), n, levels);
  const portfolio = risk((p) => p.largest.portfolio);
  const underlyings = books.map((b, u): UnderlyingTail => ({
    underlying: b.underlying,
    index: b.index,
    reportCurrency: b.coinSettled ? b.underlying : "USD",
    usd: risk((p) => p.largest.usd[u]!),
    ...(b.coinSettled ? { coin: risk((p) => p.largest.coin[u]!) } : {}),
  }));
  // The worst of the whole are among each part's worst; their PnL comes with them.
  const pnlAt = new Map(parts.flatMap((p) => p.worstPnl.map((row, j) => [p.worst.indices[j]!, row] as const)));
  const worst = mergeWorst(parts.map((p) => p.worst), Math.min(output.worst, n));
  return {
    portfolio,
    underlyings,
    diversification: diversification(portfolio, underlyings),
    histogram: histogram(parts.map((p) => p.losses), output.histogramBins),
    worst: Array.from(worst.indices, (index, j) => ({ index, lossUsd: worst.losses[j]!, pnlUsd: pnlAt.get(index)! })),
  };
}

function diversification(portfolio: TailRisk, underlyings: UnderlyingTail[]): Diversification[] {
  const rows = (measure: "VaR" | "ES", pick: (r: TailRisk) => { level: number; value: number }[]): Diversification[] =>
    pick(portfolio).map((p, i) => {
      const standaloneSum = underlyings.reduce((a, u) => a + pick(u.usd)[i]!.value, 0);
      return { measure, level: p.level, standaloneSum, portfolio: p.value, benefit: standaloneSum - p.value };
    });
  return [...rows("VaR", (r) => r.var), ...rows("ES", (r) => r.es)];
}
