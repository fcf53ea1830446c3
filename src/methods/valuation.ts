// Values a compiled book now: each position's value in its settlement currency
// and in USD, and its Greeks, with option prices and Greeks from the SIMD
// Black-76 kernel (or its JS twin, on the reference backend).
import type { Book } from "../engine/book.js";
import type { Position } from "../model/types.js";
import { assertBackend, type Backend } from "../engine/backend.js";
import { assertBook, futurePrice } from "../engine/book.js";
import { assertMarket, type Market } from "../market/market.js";

/**
 * Greeks are with respect to the underlying's index S with every forward moving in
 * proportion (the scenario model of the revalue kernel), in USD:
 * delta ∂V/∂S (coins), gamma ∂²V/∂S² (coins per USD), vega per +1 vol point (USD),
 * theta per calendar day (USD).
 */
export interface PositionValue {
  id: string;
  kind: "spot" | "future" | "option";
  underlying: string;
  /** Currency of `price` and `value`: USD for linear, the coin for inverse and spot. */
  currency: string;
  /** Per unit: the index (spot), the future's price, the option premium in `currency`. */
  price: number;
  /** Position value in `currency`; futures: unrealised PnL against entryPrice, else 0. */
  value: number;
  valueUsd: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  /** Options: forward of the expiry and implied vol used. */
  forward?: number;
  vol?: number;
  /** Inverse options: delta in coin terms, quantity·size·(∂B/∂F − B/F). */
  coinDelta?: number;
}

export interface UnderlyingTotals {
  underlying: string;
  index: number;
  valueUsd: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  /** Vega per option expiry (USD per vol point), earliest first: where the book's vol risk sits on the term structure. */
  vegaByExpiry: { expiry: string; vega: number }[];
}

export interface ValuationResult {
  asOf: string;
  positions: PositionValue[];
  underlyings: UnderlyingTotals[];
  /** Sum of position values in USD. */
  totalUsd: number;
}

/**
 * Each position's value and Greeks now, and totals per underlying, from a book compiled on `backend` against `market`.
 *
 * @example
 * ```ts
 * import { createEngine, prepareInputs, valueBook } from "pmargin";
 * const { portfolio, market } = prepareInputs(portfolioJson, marketJson);
 * const engine = await createEngine();
 * const valuation = valueBook(engine, engine.compile(portfolio.positions, market), market);
 * valuation.totalUsd;
 * ```
 */
export function valueBook(backend: Backend, book: Book, market: Market): ValuationResult {
  assertBackend(backend);
  assertBook(book);
  assertMarket(market);
  // Option rows' Greeks, with each option's vol now.
  const greeks = backend.bookGreeks(book);
  const { valueUsd, delta } = usdValuesAndDeltas(book, market, { price: greeks.map((g) => g.price), delta: greeks.map((g) => g.delta) });
  const O = book.layout.opt;
  const positions = book.positions.map((p, i): PositionValue => {
    const id = p.id ?? String(i);
    const s0 = market.get(p.underlying)!.index;
    // Written out field by field, not spread: V8 builds these objects ~10× faster.
    const { kind, underlying } = p;
    if (p.kind === "spot") {
      return { id, kind, underlying, currency: p.underlying, price: s0, value: p.quantity, valueUsd: valueUsd[i]!, delta: delta[i]!, gamma: 0, vega: 0, theta: 0 };
    }
    if (p.kind === "future") {
      const f0 = futurePrice(p, market);
      const value = p.settlement === "linear" ? valueUsd[i]! : futureCoinValue(p, f0);
      return { id, kind, underlying, currency: p.settlement === "linear" ? "USD" : p.underlying, price: f0, value, valueUsd: valueUsd[i]!, delta: delta[i]!, gamma: 0, vega: 0, theta: 0 };
    }
    const row = book.refs[i]!.row;
    const g = greeks[row]!;
    const forward = book.opt[O.f * book.optCap + row]!;
    const w = book.opt[O.weight * book.optCap + row]!;
    const units = p.quantity * (p.contractSize ?? 1);
    const inverse = p.settlement === "inverse";
    const dFdS = forward / s0;
    const option: PositionValue = {
      id, kind, underlying,
      currency: inverse ? p.underlying : "USD",
      price: inverse ? g.coinValue : g.price,
      value: units * (inverse ? g.coinValue : g.price),
      valueUsd: valueUsd[i]!,
      delta: delta[i]!,
      gamma: w * g.gamma * dFdS * dFdS,
      vega: (w * g.vega) / 100,
      theta: (w * g.theta) / 365,
      forward,
      vol: g.vol,
    };
    if (inverse) option.coinDelta = units * g.coinDelta;
    return option;
  });
  // One pass over the positions for every underlying's totals, each summed in position order.
  const totals = new Map(book.underlyings.map((underlying): [string, UnderlyingTotals & { byExpiry: Map<string, number> }] => [underlying, {
    underlying, index: market.get(underlying)!.index, valueUsd: 0, delta: 0, gamma: 0, vega: 0, theta: 0, vegaByExpiry: [], byExpiry: new Map(),
  }]));
  for (let i = 0; i < positions.length; i++) {
    const v = positions[i]!;
    const t = totals.get(v.underlying)!;
    t.valueUsd += v.valueUsd;
    t.delta += v.delta;
    t.gamma += v.gamma;
    t.vega += v.vega;
    t.theta += v.theta;
    const q = book.positions[i]!;
    if (q.kind === "option") t.byExpiry.set(q.expiry, (t.byExpiry.get(q.expiry) ?? 0) + v.vega);
  }
  const underlyings = [...totals.values()].map(({ byExpiry, ...t }): UnderlyingTotals => ({
    ...t,
    vegaByExpiry: [...byExpiry].map(([expiry, vega]) => ({ expiry, vega })).sort((a, b) => market.yearFraction(a.expiry) - market.yearFraction(b.expiry)),
  }));
  return {
    asOf: new Date(market.asOfMs).toISOString(),
    positions,
    underlyings,
    totalUsd: positions.reduce((a, p) => a + p.valueUsd, 0),
  };
}

/**
 * Each position's valueUsd and delta (as valueBook reports them), from its options' prices and
 * deltas now (backend.optionPricesAndDeltas): what a margin measures, without the rest of the valuation.
 */
export function usdValuesAndDeltas(book: Book, market: Market, options: { price: ArrayLike<number>; delta: ArrayLike<number> }): { valueUsd: number[]; delta: number[] } {
  const n = book.positions.length;
  const valueUsd = new Array<number>(n);
  const delta = new Array<number>(n);
  const O = book.layout.opt;
  for (let i = 0; i < n; i++) {
    const p = book.positions[i]!;
    const s0 = market.get(p.underlying)!.index;
    if (p.kind === "spot") {
      valueUsd[i] = p.quantity * s0;
      delta[i] = p.quantity;
    } else if (p.kind === "future") {
      const f0 = futurePrice(p, market);
      if (p.settlement === "linear") {
        const size = p.quantity * (p.contractSize ?? 1);
        valueUsd[i] = p.entryPrice === undefined ? 0 : size * (f0 - p.entryPrice);
        delta[i] = (size * f0) / s0;
      } else {
        const value = futureCoinValue(p, f0);
        valueUsd[i] = value * s0;
        // The coin PnL is itself worth S dollars a coin, hence the extra `value` in delta.
        delta[i] = (p.quantity * (p.faceValue ?? 1)) / f0 + value;
      }
    } else {
      const row = book.refs[i]!.row;
      const w = book.opt[O.weight * book.optCap + row]!;
      valueUsd[i] = w * options.price[row]!;
      delta[i] = w * options.delta[row]! * (book.opt[O.f * book.optCap + row]! / s0);
    }
  }
  return { valueUsd, delta };
}

/** An inverse future's unrealised PnL in coin against its entry price (0 without one). */
function futureCoinValue(p: Extract<Position, { kind: "future" }>, f0: number): number {
  const face = p.quantity * (p.faceValue ?? 1);
  return p.entryPrice === undefined ? 0 : face * (1 / p.entryPrice - 1 / f0);
}
