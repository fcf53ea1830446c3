// What the scenario-based risk methods (Monte Carlo, historical) share: the
// book compiled per underlying, joint scenarios revalued per underlying (the
// portfolio PnL is their sum, and the standalone risks come free), and the
// losses reduced to VaR/ES, diversification, a histogram and the worst scenarios.
import type { Book } from "../engine/book.js";
import type { Engine } from "../engine/engine.js";
import type { PathBlock } from "../engine/path-plan.js";
import { ScenarioSet } from "../engine/scenarios.js";
import { InputError } from "../errors.js";
import { exp } from "../math/deterministic.js";
import type { Market } from "../market/market.js";
import { isCoinSettled, type Position } from "../model/types.js";
import { revalueReference } from "../reference/revalue.js";
import { histogram, jsSelector, tailRisk, worstIndices, type Selector, type TailRisk } from "../risk/tail.js";
import { valueBook } from "../valuation.js";

/** One underlying's positions, compiled alone. */
export interface UnderlyingBook {
  underlying: string;
  book: Book;
  /** Index price now and the positions' USD value now. */
  index: number;
  valueUsd: number;
  /** Every position coin-settled (inverse contracts, the coin): its risk is also measured in coin. */
  coinSettled: boolean;
}

/** The underlyings a portfolio holds, in market order. */
export function heldUnderlyings(positions: readonly Position[], market: Market): string[] {
  if (positions.length === 0) throw new InputError("portfolio.positions", "empty portfolio: nothing to measure");
  return market.names.filter((u) => positions.some((p) => p.underlying === u));
}

export interface BookOptions {
  volShiftWeight?: (days: number) => number;
  /** An underlying's log moves, when they are all known before compiling: only the smile nodes they read are filled. */
  moves?: (underlying: string) => ArrayLike<number>;
}

/** Each underlying the portfolio holds (market order), its positions compiled on their own. */
export function booksByUnderlying(engine: Engine, positions: readonly Position[], market: Market, options: BookOptions = {}): UnderlyingBook[] {
  return heldUnderlyings(positions, market).map((underlying) => {
    const mine = positions.filter((p) => p.underlying === underlying);
    const { volShiftWeight, moves } = options;
    const book = engine.compile(mine, market, { ...(volShiftWeight ? { volShiftWeight } : {}), ...(moves ? { moves: moves(underlying) } : {}) });
    const valueUsd = valueBook(engine, book, market).positions.reduce((a, p) => a + p.valueUsd, 0);
    return { underlying, book, index: book.indexPrices[0]!, valueUsd, coinSettled: isCoinSettled(mine) };
  });
}

/** The revaluation and selection kernels: WASM, or the pure-JS references. */
export interface RiskKernels {
  revalue(book: Book, set: ScenarioSet, dt: number): Float64Array;
  /** Each position's PnL per scenario, in the book's position order. */
  revaluePositions(book: Book, set: ScenarioSet, dt: number): Float64Array[];
  selector(): Selector;
}

export function riskKernels(engine: Engine, which: "wasm" | "js"): RiskKernels {
  return which === "js"
    ? {
      revalue: (book, set, dt) => revalueReference(book, set, { dt }).pnl,
      revaluePositions: (book, set, dt) => revalueReference(book, set, { dt, perPosition: true }).positions!,
      selector: jsSelector,
    }
    : {
      revalue: (book, set, dt) => engine.revalue(book, set, { dt }).pnl,
      revaluePositions: (book, set, dt) => engine.revalue(book, set, { dt, perPosition: true }).positions!,
      selector: () => engine.selector(),
    };
}

/** PnL per underlying (rows in book order) of n scenarios: USD, and coin for coin-settled books. */
export interface ScenarioPnl {
  usd: Float64Array[];
  coin: (Float64Array | undefined)[];
}

/** Revalues each underlying's book under its planes of `block` (n scenarios, horizon dt years). */
export function revalueByUnderlying(k: RiskKernels, books: UnderlyingBook[], block: PathBlock, n: number, dt: number): ScenarioPnl {
  const usd: Float64Array[] = [];
  const coin: (Float64Array | undefined)[] = [];
  books.forEach((b, u) => {
    const set = new ScenarioSet([b.underlying], n);
    set.logMoves.set(block.logMoves.subarray(u * n, (u + 1) * n));
    set.volShifts.set(block.volShifts.subarray(u * n, (u + 1) * n));
    const p = k.revalue(b.book, set, dt);
    usd.push(p);
    // Coin PnL of a book worth v0 USD now: its coin value then, (v0 + PnL)/S', less now.
    const { valueUsd: v0, index: s0 } = b;
    coin.push(b.coinSettled ? p.map((x, i) => (v0 + x) / (s0 * exp(set.logMoves[i]!)) - v0 / s0) : undefined);
  });
  return { usd, coin };
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
  /** Scenario indices of the largest portfolio losses, largest first. */
  worst: number[];
  /** Portfolio loss of every scenario, USD. */
  losses: Float64Array;
}

/** Losses (−Σ PnL) of the rows summed in order: every method adds them the same way, so the same bits. */
export function lossesOf(rows: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(rows[0]!.length);
  for (const row of rows) subtract(out, row);
  return out;
}

/**
 * out −= row. A function of its own: inlined in lossesOf, V8 optimised the million-element
 * loop on the stack (OSR) without feedback for the rest of lossesOf, and deoptimised it on
 * leaving the loop ("insufficient type feedback", --trace-deopt), so the next rows ran interpreted.
 */
function subtract(out: Float64Array, row: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = out[i]! - row[i]!;
}

/** VaR/ES of the portfolio and of each underlying alone, from every scenario's PnL (and its total losses, if at hand). */
export function summariseRisk(
  books: readonly UnderlyingBook[], pnl: ScenarioPnl, levels: Levels, output: { histogramBins: number; worst: number }, k: RiskKernels,
  total: Float64Array = lossesOf(pnl.usd),
): RiskSummary {
  const n = pnl.usd[0]!.length;
  const risk = (l: Float64Array): TailRisk => tailRisk(l, levels, k.selector());
  const portfolio = risk(total);
  const underlyings = books.map((b, u): UnderlyingTail => {
    const coin = pnl.coin[u];
    return {
      underlying: b.underlying,
      index: b.index,
      reportCurrency: b.coinSettled ? b.underlying : "USD",
      usd: risk(lossesOf([pnl.usd[u]!])),
      ...(coin ? { coin: risk(lossesOf([coin])) } : {}),
    };
  });
  return {
    portfolio,
    underlyings,
    diversification: diversification(portfolio, underlyings),
    histogram: histogram(total, output.histogramBins),
    worst: worstIndices(total, Math.min(output.worst, n), k.selector()),
    losses: total,
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
