// The headline margin of a book — initial and maintenance, USD — by any method,
// and what-if (pre-trade) margin: the book plus hypothetical orders, each
// order's incremental margin, the book itself unchanged.
import { assertBackend, type Backend } from "../engine/backend.js";
import { InputError, refuseUnknownKeys } from "../errors.js";
import type { PriceHistory, PriceSeries } from "../history/history.js";
import { assertMarket, type Market } from "../market/market.js";
import type { MmpSetting, Position } from "../model/types.js";
import { combineInMarketOrder, gridHeadlines, gridMargin, heldUnderlyingMargin, type GridMarginResult, type GridOptions, type UnderlyingGridMargin } from "./grid/grid.js";
import type { MarginProfile } from "../model/profile.js";
import { historicalVaR, type HistoricalOptions } from "./historical/historical.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import { monteCarlo } from "./montecarlo/montecarlo.js";
import { checkedModel } from "../schema/montecarlo.js";
import { checkedProfile } from "../schema/profile.js";
import { checkedPositions } from "../market/positions.js";

/** Maintenance over initial margin for the VaR/ES methods unless given (Deribit's and this package's grid default). */
export const DEFAULT_MM_RATIO = 0.8;

/**
 * How margin is set: a venue's scenario grid (its IM and MM), or a risk measure —
 * IM = the first ES level of a Monte Carlo or historical simulation, MM = mmRatio × IM.
 */
export type MarginMethod =
  | { method: "grid"; profile: MarginProfile; measureIn?: "venue" | "USD"; mmp?: readonly MmpSetting[] }
  | { method: "monte-carlo"; model?: MonteCarloModelInput; mmRatio?: number }
  | { method: "historical"; history: PriceHistory | PriceSeries[]; options?: HistoricalOptions; mmRatio?: number };

export interface MarginResult {
  method: MarginMethod["method"];
  /** What the figure is: "deribit grid", "ES 97.5% Monte Carlo, 1 day", … */
  basis: string;
  currency: "USD";
  initial: number;
  maintenance: number;
}

/** The keys each kind of MarginMethod may have. */
const SPEC_KEYS: Record<MarginMethod["method"], readonly string[]> = {
  grid: ["method", "profile", "measureIn", "mmp"],
  "monte-carlo": ["method", "model", "mmRatio"],
  historical: ["method", "history", "options", "mmRatio"],
};

/** A margin method with a known `method`, only its own keys (a misspelt or removed one fails) and a checked profile or model. */
export function checkSpec(spec: MarginMethod): MarginMethod {
  const known = typeof spec?.method === "string" && Object.hasOwn(SPEC_KEYS, spec.method) ? SPEC_KEYS[spec.method] : undefined;
  if (!known) throw new InputError("spec.method", `must be ${Object.keys(SPEC_KEYS).join(", ")}, got ${String(spec?.method)}`);
  refuseUnknownKeys(spec, known, "spec");
  if (spec.method === "grid") return { ...spec, profile: checkedProfile(spec.profile, "spec.profile") };
  if (spec.method === "monte-carlo" && spec.model !== undefined) return { ...spec, model: checkedModel(spec.model, "spec.model") };
  return spec;
}

/**
 * The headline initial and maintenance margin by one method: a grid profile's IM/MM, or IM = ES 97.5% (Monte Carlo or historical) and MM = mmRatio × IM.
 *
 * @example
 * ```ts
 * import { builtInProfile, headlineMargin } from "pmargin";
 * const grid = headlineMargin(engine, portfolio.positions, market, { method: "grid", profile: builtInProfile("deribit") });
 * const mc = headlineMargin(engine, portfolio.positions, market, { method: "monte-carlo", model: { paths: 100_000 } });
 * ```
 */
export function headlineMargin(backend: Backend, positions: readonly Position[], market: Market, spec: MarginMethod): MarginResult {
  assertBackend(backend);
  assertMarket(market);
  spec = checkSpec(spec);
  positions = checkedPositions(positions, market);
  switch (spec.method) {
    case "grid":
      return gridHeadline(gridMargin(backend, positions, market, gridOptions(spec)));
    case "monte-carlo": {
      const r = monteCarlo(backend, positions, market, spec.model ?? {});
      const es = r.portfolio.es[0] ?? r.portfolio.var[0]!;
      return riskMeasure("monte-carlo", `${r.portfolio.es[0] ? "ES" : "VaR"} ${100 * es.level}% Monte Carlo, ${+r.horizonDays.toFixed(4)} day(s), ${r.paths} paths, seed ${r.seed}`, es.value, spec.mmRatio);
    }
    case "historical": {
      const r = historicalVaR(backend, positions, market, spec.history, spec.options);
      const es = r.portfolio.es[0] ?? r.portfolio.var[0]!;
      return riskMeasure("historical", `${r.portfolio.es[0] ? "ES" : "VaR"} ${100 * es.level}% ${r.method}, ${r.horizonDays} day(s), ${r.period.from} … ${r.period.to}`, es.value, spec.mmRatio);
    }
  }
}

/**
 * headlineMargin of many books on one market, in order: a grid's from one gridHeadlines call
 * (the books revalued together, each margin its book's alone, bit for bit), other methods' book by book.
 *
 * @example
 * ```ts
 * import { headlineMargins } from "pmargin/parallel";
 * const margins = headlineMargins(engine, books, market, { method: "grid", profile: builtInProfile("deribit") });
 * margins[0]!.initial; // headlineMargin(engine, books[0], market, …).initial
 * ```
 */
export function headlineMargins(backend: Backend, books: readonly (readonly Position[])[], market: Market, spec: MarginMethod): MarginResult[] {
  assertBackend(backend);
  assertMarket(market);
  spec = checkSpec(spec);
  if (spec.method !== "grid") return books.map((b) => headlineMargin(backend, b, market, spec));
  const profile = spec.profile.name;
  return gridHeadlines(backend, books, market, gridOptions(spec)).map(({ initial, maintenance }) => gridHeadline({ profile, initial, maintenance }));
}

type GridSpec = Extract<MarginMethod, { method: "grid" }>;

const gridOptions = ({ profile, measureIn, mmp }: GridSpec): GridOptions => ({ profile, ...(measureIn ? { measureIn } : {}), ...(mmp ? { mmp } : {}) });

const gridHeadline = (g: Pick<GridMarginResult, "profile" | "initial" | "maintenance">): MarginResult =>
  ({ method: "grid", basis: `${g.profile} grid`, currency: "USD", initial: g.initial, maintenance: g.maintenance });

function riskMeasure(method: "monte-carlo" | "historical", basis: string, measure: number, mmRatio = DEFAULT_MM_RATIO): MarginResult {
  if (!(mmRatio > 0 && mmRatio <= 1)) throw new InputError("mmRatio", `must be within (0, 1], got ${mmRatio}`);
  // A book that gains in the tail needs no margin: IM is never negative.
  const initial = Math.max(measure, 0);
  return { method, basis, currency: "USD", initial, maintenance: mmRatio * initial };
}

export interface WhatIfResult {
  before: MarginResult;
  /** The book with every order. */
  after: MarginResult;
  incremental: { initial: number; maintenance: number };
  /** Each order added alone: the margin of book + order and its increment over `before`. */
  orders: { id: string; initial: number; incrementalInitial: number; incrementalMaintenance: number }[];
}

/**
 * What-if margin of hypothetical `orders` on a book. Monte Carlo runs use the same
 * seed for every variant, so the increments are measured on common paths and are
 * not swamped by sampling noise.
 *
 * @example
 * ```ts
 * import { builtInProfile, parsePortfolio, whatIf } from "pmargin";
 * const orders = parsePortfolio(ordersJson, "orders.json").positions;
 * const r = whatIf(engine, portfolio.positions, market, orders, { method: "grid", profile: builtInProfile("deribit") });
 * r.orders[0]?.incrementalInitial;
 * ```
 */
export function whatIf(backend: Backend, positions: readonly Position[], market: Market, orders: readonly Position[], spec: MarginMethod): WhatIfResult {
  assertBackend(backend);
  assertMarket(market);
  spec = checkSpec(spec);
  positions = checkedPositions(positions, market);
  orders = checkedPositions(orders, market, "orders");
  if (orders.length === 0) throw new InputError("orders", "list at least one order");
  const margin = marginWithExtra(backend, positions, market, spec);
  // An empty book needs no margin; the methods refuse to measure one.
  const before = positions.length > 0 ? margin([]) : { ...headlineMargin(backend, orders, market, spec), initial: 0, maintenance: 0 };
  const after = margin(orders);
  return {
    before,
    after,
    incremental: { initial: after.initial - before.initial, maintenance: after.maintenance - before.maintenance },
    orders: orders.map((o, i) => {
      const m = margin([o]);
      return {
        id: o.id ?? `order ${i}`,
        initial: m.initial,
        incrementalInitial: m.initial - before.initial,
        incrementalMaintenance: m.maintenance - before.maintenance,
      };
    }),
  };
}

/**
 * The margin of the book with `extra` positions added, for a caller that tries many
 * extras on one book (what-if orders, hedge sizes): headlineMargin(book + extra).
 */
export function marginWithExtra(backend: Backend, positions: readonly Position[], market: Market, spec: MarginMethod): (extra: readonly Position[]) => MarginResult {
  return spec.method === "grid"
    ? gridWithExtra(backend, positions, market, spec)
    : (extra) => headlineMargin(backend, [...positions, ...extra], market, spec);
}

/**
 * Grid margin of the book plus extra positions, re-measuring only the underlyings the
 * extras touch: a grid margins each underlying alone and then combines them, so the
 * others' margins are the book's own, and the result is gridMargin()'s bit for bit.
 */
function gridWithExtra(backend: Backend, positions: readonly Position[], market: Market, spec: GridSpec): (extra: readonly Position[]) => MarginResult {
  const options = gridOptions(spec);
  const own = new Map<string, UnderlyingGridMargin | undefined>();
  return (extra) => {
    const book = [...positions, ...extra];
    return gridHeadline(combineInMarketOrder(spec.profile, market, (u) => {
      if (extra.some((p) => p.underlying === u)) return heldUnderlyingMargin(backend, book, u, market, options);
      if (!own.has(u)) own.set(u, heldUnderlyingMargin(backend, positions, u, market, options));
      return own.get(u);
    }));
  };
}

/**
 * The margin of the book at markets that differ from `market` only in underlying `u`,
 * for a search that moves one price: headlineMargin(book, moved). A grid margins each
 * underlying apart, so the others' margins are measured once, at `market`.
 */
export function marginMovingOne(backend: Backend, positions: readonly Position[], market: Market, spec: MarginMethod, u: string): (moved: Market) => MarginResult {
  if (spec.method !== "grid") return (moved) => headlineMargin(backend, positions, moved, spec);
  const options = gridOptions(spec);
  const kept = new Map(market.names.filter((v) => v !== u).map((v) => [v, heldUnderlyingMargin(backend, positions, v, market, options)]));
  return (moved) => gridHeadline(combineInMarketOrder(spec.profile, moved, (v) => (v === u ? heldUnderlyingMargin(backend, positions, u, moved, options) : kept.get(v))));
}
