// The market the engine prices against, built once from the user's MarketData:
// times converted to year fractions from asOf, forward curves, vol surfaces.
import { InputError } from "../errors.js";
import { checked } from "../schema/checked.js";
import { parseMarket } from "../schema/market.js";
import type { MarketData, UnderlyingLiquidity, UnderlyingMarket } from "../model/types.js";
import { ForwardCurve } from "./forward-curve.js";
import { DAYS_PER_YEAR, parseTime, REFERENCE_TENOR_DAYS, yearFraction } from "../conventions.js";
import { VolSurface } from "./vol-surface.js";
import { log } from "../math/deterministic.js";

/** Curves of one underlying. */
export interface UnderlyingCurves {
  name: string;
  /** Index (spot) price, USD. */
  index: number;
  /** Continuous discount rate. */
  rate: number;
  forwards: ForwardCurve;
  /** Absent when the market data has no (unexpired) slice for this underlying. */
  surface?: VolSurface;
  /** Spread and depth, when the market data gives them. */
  liquidity?: UnderlyingLiquidity;
  /** Futures' own mark prices by instrument id (MarketData's marks). */
  marks: ReadonlyMap<string, number>;
  /** Options' own mark implied vols by instrument id (MarketData's markIvs). */
  markIvs: ReadonlyMap<string, number>;
  /** The perpetual's funding rate per 8 hours (MarketData's fundingRate8h), 0 when not given. */
  fundingRate8h: number;
  /** surface.vol(t, k), or InputError when there is no surface. */
  vol(t: number, k: number): number;
  /** The surface, or InputError when there is none. */
  volSurface(): VolSurface;
}

export interface Market {
  /** Valuation time, ms since the epoch. */
  asOfMs: number;
  /** Underlying symbols in the order of the market data. */
  names: string[];
  get(name: string): UnderlyingCurves | undefined;
  /** Position of `name` in `names`, −1 if absent. */
  index(name: string): number;
  /** ACT/365 years from asOf to an ISO-8601 expiry (negative if already past). */
  yearFraction(expiry: string): number;
}

/** parseTime, with the error naming the field it came from. */
function timeAt(iso: string, path: string): number {
  try {
    return parseTime(iso);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(path, e.reason);
    throw e;
  }
}

function buildCurves(name: string, m: UnderlyingMarket, asOfMs: number): UnderlyingCurves {
  const path = `underlyings.${name}`;
  const years = (iso: string, at: string): number => yearFraction(asOfMs, timeAt(iso, at));
  const quotes = (m.forwards ?? []).map((q, i) => ({ t: years(q.expiry, `${path}.forwards[${i}].expiry`), price: q.price }));
  const forwards = new ForwardCurve(m.index, quotes, m.basis ?? 0);
  // Slices at or before asOf have expired: they carry no information about the
  // future and total-variance interpolation needs t > 0.
  const slices = (m.surface ?? [])
    .map((s, i) => {
      const t = years(s.expiry, `${path}.surface[${i}].expiry`);
      const f = forwards.forward(t);
      const k = s.logMoneyness ?? (s.strikes ?? []).map((strike) => log(strike / f));
      return { t, k, vols: s.vols };
    })
    .filter((s) => s.t > 0);
  const surface = slices.length > 0 ? new VolSurface(slices) : undefined;
  const surfaceOf = (): VolSurface => {
    if (!surface) throw new InputError(`${path}.surface`, "no volatility surface");
    return surface;
  };
  return {
    name,
    index: m.index,
    rate: m.rate ?? 0,
    forwards,
    surface,
    ...(m.liquidity ? { liquidity: m.liquidity } : {}),
    marks: new Map(Object.entries(m.marks ?? {})),
    markIvs: new Map(Object.entries(m.markIvs ?? {})),
    fundingRate8h: m.fundingRate8h ?? 0,
    vol: (t, k) => surfaceOf().vol(t, k),
    volSurface: surfaceOf,
  };
}

/**
 * The reference implied vol of underlying `u`: its surface's at-the-money (log-moneyness 0)
 * vol at REFERENCE_TENOR_DAYS, the default wherever a method needs "the" vol of an
 * underlying. InputError at `path` when `u` has no surface; `give` says what to give instead.
 */
export function referenceVol(market: Market, u: string, path: string, give: string): number {
  const curves = market.get(u);
  if (!curves?.surface) throw new InputError(path, `${u} has no volatility surface to take a default from: give ${give}`);
  return curves.vol(REFERENCE_TENOR_DAYS / DAYS_PER_YEAR, 0);
}

/**
 * An underlying's market data after its price moved by `factor`: the index, the forward
 * quotes and a strike-noded smile's strikes all scaled, so forwards keep their carry and
 * the smile its moneyness — the sticky-moneyness scenario model every margin method uses.
 */
export function movedUnderlying(m: UnderlyingMarket, factor: number): UnderlyingMarket {
  return {
    ...m,
    index: m.index * factor,
    ...(m.forwards ? { forwards: m.forwards.map((q) => ({ ...q, price: q.price * factor })) } : {}),
    ...(m.surface ? { surface: m.surface.map((s) => (s.strikes ? { ...s, strikes: s.strikes.map((k) => k * factor) } : s)) } : {}),
    ...(m.marks ? { marks: Object.fromEntries(Object.entries(m.marks).map(([id, mark]) => [id, mark * factor])) } : {}),
  };
}

/** What a value is, for an error that says what was passed instead. */
function described(value: unknown): string {
  if (value === null || typeof value !== "object") return value === null ? "null" : typeof value;
  if ("underlyings" in value && "asOf" in value) return "raw MarketData";
  if ("names" in value && "asOfMs" in value) return "a built Market";
  return "an object that is neither";
}

/** The markets buildMarket (and withUnderlying) made: a method takes no other. */
const built = new WeakSet<object>();

/**
 * Throws an InputError naming `path` unless `market` is a Market that buildMarket made
 * (from checked data): the methods take it, not the MarketData it is built from, nor an
 * object shaped like it. Called at each public method's entry.
 */
export function assertMarket(market: unknown, path = "market"): asserts market is Market {
  if (typeof market === "object" && market !== null && built.has(market)) return;
  throw new InputError(path, `must be a built Market, got ${described(market)}: pass buildMarket(data) or prepareInputs(...).market`);
}

/**
 * `data` as checked MarketData, or an InputError naming `path`: the methods that rebuild the
 * market as it moves (backtest, accountMargin, LiveGridMargin, MarginMonitor) take the data,
 * not a built Market. parseMarket's output passes as it is; anything else is parsed (its
 * errors under `fields`).
 */
export function checkedMarketData(data: unknown, path = "market", fields = path): MarketData {
  const d = data as Partial<MarketData> | null;
  if (typeof d !== "object" || d === null || !("underlyings" in d) || "names" in d) {
    throw new InputError(path, `must be MarketData (the parsed market JSON; this method rebuilds the market as it moves), got ${described(data)}: pass parseMarket(json) or prepareInputs(...).marketData`);
  }
  return checked(data, "market", parseMarket, fields);
}

/**
 * Build the market from market data: parseMarket's output is taken as it is, anything else
 * is validated first (an InputError naming the field under `market`).
 *
 * @example
 * ```ts
 * import { buildMarket, builtInProfile, gridMargin, parseMarket } from "pmargin";
 * const market = buildMarket(parseMarket(marketJson)); // build once, pass to every method
 * const margin = gridMargin(engine, portfolio.positions, market, { profile: builtInProfile("deribit") });
 * ```
 */
export function buildMarket(data: MarketData): Market {
  // Its only argument: errors name the field as parseMarket does.
  return marketFrom(checkedMarketData(data, "market", ""));
}

/** buildMarket for data the library derived from checked data itself (a moved price, an update). */
export function marketFrom(data: MarketData): Market {
  const asOfMs = timeAt(data.asOf, "asOf");
  const names = Object.keys(data.underlyings);
  return marketOf(asOfMs, names, new Map(names.map((name) => [name, buildCurves(name, data.underlyings[name]!, asOfMs)])), new Map());
}

/**
 * The market with one underlying's data replaced (a new price, forwards or surface):
 * only its curves are rebuilt; the others, and the parsed expiries, are shared.
 * `name` must be one of the market's underlyings.
 */
export function withUnderlying(market: Market, name: string, data: UnderlyingMarket): Market {
  if (market.index(name) < 0) throw new InputError("underlying", `unknown underlying ${name} (the market has ${market.names.join(", ")})`);
  const curves = new Map(market.names.map((n) => [n, n === name ? buildCurves(name, data, market.asOfMs) : market.get(n)!]));
  return marketOf(market.asOfMs, market.names, curves, expiriesOf.get(market)!);
}

/** Each market's cache of parsed expiries, shared by the markets derived from it. */
const expiriesOf = new WeakMap<Market, Map<string, number>>();

function marketOf(asOfMs: number, names: string[], curves: Map<string, UnderlyingCurves>, expiries: Map<string, number>): Market {
  const market: Market = {
    asOfMs,
    names,
    get: (name) => curves.get(name),
    index: (name) => names.indexOf(name),
    // Books ask for the same few expiries again and again: parse each once.
    yearFraction: (expiry) => {
      let t = expiries.get(expiry);
      if (t === undefined) expiries.set(expiry, (t = yearFraction(asOfMs, parseTime(expiry))));
      return t;
    },
  };
  expiriesOf.set(market, expiries);
  built.add(market);
  return market;
}
