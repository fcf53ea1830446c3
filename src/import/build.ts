// What a venue's responses say (VenueData) → pmargin's portfolio, market and orders, each checked by
// pmargin's own parsers, and the report of how the market was made.
import { InputError } from "../errors.js";
import type { MarketData, Portfolio, Position, UnderlyingMarket } from "../model/types.js";
import { checkAgainstMarket, isoDateToMillis, parseMarket, parsePortfolio } from "../schema/index.js";
import type { Instrument } from "./instruments.js";
import type { VenueName } from "./venues.js";
import type { FutureQuote, Origin, VenueData, VenuePosition } from "./responses.js";
import { chainSurface, type SurfaceOptions, type SurfaceReport } from "./surface.js";

export interface ImportOptions extends SurfaceOptions {
  /** Valuation time (ISO-8601); default the latest timestamp in the responses. */
  asOf?: string;
  /** A quote older than this before asOf is stale: an InputError naming it (default 300 s). */
  maxAgeSeconds?: number;
  /** The portfolio's name (default "<venue> positions"). */
  name?: string;
}

export interface UnderlyingImportReport extends SurfaceReport {
  underlying: string;
  index: number;
  indexFrom: "index" | "perpetual mark" | "nearest forward";
}

export interface ImportReport {
  venue: VenueName;
  asOf: string;
  underlyings: UnderlyingImportReport[];
}

export interface ImportResult {
  market: MarketData;
  /** Absent when the responses held no positions. */
  portfolio?: Portfolio;
  /** Resting orders as positions (what `pmargin whatif --orders` reads); absent when none were given. */
  orders?: Portfolio;
  report: ImportReport;
}

const DEFAULT_MAX_AGE_S = 300;

const where = (o: Origin, field: string): string => `${o.path}.${field}`;

/** The pmargin position of `quantity` units of an instrument (its id the instrument's name, which the market's marks are keyed by). */
export function positionOf(instrument: Instrument, quantity: number, entryPrice?: number): Position {
  const { name: id, underlying, settlement } = instrument;
  if (instrument.kind === "option") {
    return { id, kind: "option", underlying, settlement, right: instrument.right!, strike: instrument.strike!, expiry: instrument.expiry!, quantity, contractSize: instrument.contractSize ?? 1 };
  }
  const size = settlement === "inverse" ? { faceValue: instrument.faceValue ?? 1 } : { contractSize: instrument.contractSize ?? 1 };
  return {
    id, kind: "future", underlying, settlement, quantity, ...size,
    ...(instrument.expiry ? { expiry: instrument.expiry } : {}),
    ...(entryPrice !== undefined && entryPrice > 0 ? { entryPrice } : {}),
  };
}

/** The latest of the responses' timestamps. */
function latest(data: VenueData): number {
  const times = [...data.options, ...data.futures].map((q) => q.timestamp).concat(data.indices.flatMap((i) => (i.timestamp ? [i.timestamp] : [])));
  if (times.length === 0) throw new InputError("", "no quotes: give the venue's option chain or futures marks (with their timestamps) besides the positions");
  return Math.max(...times);
}

/** Every quote made within maxAge before asOf. */
function checkFresh(data: VenueData, asOfMs: number, maxAgeMs: number): void {
  for (const q of [...data.options, ...data.futures]) {
    const age = asOfMs - q.timestamp;
    if (age > maxAgeMs) {
      throw new InputError(q.timestampPath, `${q.instrument.name}: stale quote — ${new Date(q.timestamp).toISOString()} is ${(age / 1000).toFixed(0)} s before asOf ${new Date(asOfMs).toISOString()} (at most ${maxAgeMs / 1000} s)`, q.source);
    }
  }
}

/** The index of an underlying: the venue's index price, else its perpetual's mark, else the nearest expiry's forward. */
function indexOf(data: VenueData, underlying: string, perpetual: FutureQuote | undefined, nearestForward: number | undefined): Pick<UnderlyingImportReport, "index" | "indexFrom"> {
  const quoted = data.indices.filter((i) => i.underlying === underlying).sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0))[0];
  if (quoted) return { index: quoted.price, indexFrom: "index" };
  if (perpetual) return { index: perpetual.mark, indexFrom: "perpetual mark" };
  if (nearestForward !== undefined) return { index: nearestForward, indexFrom: "nearest forward" };
  throw new InputError(`underlyings.${underlying}.index`, `no index price, perpetual or option chain of ${underlying} in the responses`);
}

/** A position's or order's instrument must be in the chain: an option quoted, a future marked. */
function checkQuoted(p: VenuePosition, data: VenueData): void {
  const quoted = p.instrument.kind === "option"
    ? data.options.some((q) => q.instrument.name === p.instrument.name)
    : data.futures.some((q) => q.instrument.name === p.instrument.name);
  if (!quoted) {
    const give = p.instrument.kind === "option" ? "its mark and mark IV" : "its mark price";
    throw new InputError(where(p, "instrument"), `${p.instrument.name} is not in the chain: the market responses give no quote for it (they must give ${give})`, p.source);
  }
}

/**
 * pmargin's market, portfolio and orders from a venue's responses, validated by parseMarket,
 * parsePortfolio and checkAgainstMarket: what `pmargin import` writes.
 */
export function buildImport(venue: VenueName, data: VenueData, options: ImportOptions = {}): ImportResult {
  const asOfMs = options.asOf !== undefined ? isoDateToMillis(options.asOf) : latest(data);
  if (asOfMs === undefined) throw new InputError("asOf", `must be an ISO-8601 date-time, got ${JSON.stringify(options.asOf)}`);
  checkFresh(data, asOfMs, (options.maxAgeSeconds ?? DEFAULT_MAX_AGE_S) * 1000);
  for (const p of [...data.positions, ...data.orders]) checkQuoted(p, data);
  const asOf = new Date(asOfMs).toISOString();

  const names = [...new Set([...data.options, ...data.futures].map((q) => q.instrument.underlying).concat(data.positions.map((p) => p.instrument.underlying)))].sort();
  if (names.length === 0) throw new InputError("", `no instruments: the ${venue} responses hold no option chain, futures marks or positions`);
  const underlyings: Record<string, UnderlyingMarket> = {};
  const reports: UnderlyingImportReport[] = [];
  for (const u of names) {
    const futures = data.futures.filter((f) => f.instrument.underlying === u);
    const chain = chainSurface(u, data.options.filter((q) => q.instrument.underlying === u), futures, asOfMs, options);
    // A future's expiry without options still gives a forward quote.
    const dated = futures.filter((f) => f.instrument.expiry && Date.parse(f.instrument.expiry) > asOfMs && !chain.forwards.some((q) => q.expiry === f.instrument.expiry));
    const forwards = [...chain.forwards, ...dated.map((f) => ({ expiry: f.instrument.expiry!, price: f.mark }))].sort((a, b) => a.expiry.localeCompare(b.expiry));
    const { index, indexFrom } = indexOf(data, u, futures.find((f) => f.instrument.kind === "perpetual"), forwards[0]?.price);
    const marks = Object.fromEntries(futures.map((f) => [f.instrument.name, f.mark]));
    // Each live option at the venue's own mark IV, as the venue margins it.
    const markIvs = Object.fromEntries(data.options
      .filter((q) => q.instrument.underlying === u && q.markIv !== undefined && q.markIv > 0 && Date.parse(q.instrument.expiry!) > asOfMs)
      .map((q) => [q.instrument.name, q.markIv!]));
    underlyings[u] = {
      index, rate: 0,
      ...(forwards.length > 0 ? { forwards } : {}),
      ...(chain.surface.length > 0 ? { surface: chain.surface } : {}),
      ...(futures.length > 0 ? { marks } : {}),
      ...(Object.keys(markIvs).length > 0 ? { markIvs } : {}),
    };
    reports.push({ underlying: u, index, indexFrom, ...chain.report });
  }
  const market = parseMarket({ asOf, underlyings }, `${venue} import: market`);
  const book = (list: VenuePosition[], name: string, what: string): Portfolio | undefined => {
    if (list.length === 0) return undefined;
    const portfolio = parsePortfolio({ name, positions: list.map((p) => positionOf(p.instrument, p.quantity, p.entryPrice)) }, `${venue} import: ${what}`);
    checkAgainstMarket(portfolio, market, `${venue} import: ${what}`);
    return portfolio;
  };
  const portfolio = book(data.positions, options.name ?? `${venue} positions`, "portfolio");
  const orders = book(data.orders, `${venue} open orders`, "orders");
  return { market, ...(portfolio ? { portfolio } : {}), ...(orders ? { orders } : {}), report: { venue, asOf, underlyings: reports } };
}
