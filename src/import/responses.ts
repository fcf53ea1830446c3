// What every venue importer shares: field schemas for the venues' JSON (numbers, or decimal strings
// as OKX, Bybit, Paradex and Derive send them), parsing a response's items one by one so that an
// error names the item's instrument and field, and the venue-neutral records they become.
import * as v from "valibot";
import { InputError } from "../errors.js";
import { PARSE, rule } from "../schema/fields.js";
import { describe, formatPath, toInputError } from "../schema/issues.js";
import { parseInstrumentName, type Instrument } from "./instruments.js";
import type { VenueName } from "./venues.js";

const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const decimalString = v.pipe(v.string(), v.regex(DECIMAL, (issue) => `must be a number or a decimal string, got ${describe(issue.input)}`));
const toNumber = (x: number | string): number => (typeof x === "number" ? x : Number(x));

/** A finite number, or a decimal string of one ("70000", "0.4512"). */
export const numeric = v.pipe(
  v.union([v.pipe(v.number(), v.finite()), decimalString], rule("must be a finite number or a decimal string")),
  v.transform(toNumber),
);
/** `numeric`, or absent: undefined, null and "" (the venues' ways of saying "no quote"). */
export const maybeNumeric = v.pipe(
  v.optional(v.nullable(v.union([v.pipe(v.number(), v.finite()), v.literal(""), decimalString], rule("must be a finite number, a decimal string or empty")))),
  v.transform((x) => (x === undefined || x === null || x === "" ? undefined : toNumber(x))),
);
/** `numeric` and > 0 (a price, a contract size). */
export const positiveNumeric = v.pipe(numeric, v.gtValue(0, (issue) => `must be > 0, got ${describe(issue.input)}`));

/** An item of a venue's response: the fields read are checked, the others (venues add fields) pass. */
export function item<const E extends v.ObjectEntries>(what: string, entries: E) {
  return v.looseObject(entries, (issue) => (issue.path ? `is required in ${what}` : `must be an object (${what}), got ${describe(issue.input)}`));
}
export const name = v.pipe(v.string(rule("must be a string")), v.nonEmpty(rule("must be a non-empty string")));
/** Epoch milliseconds, as a number or a string of digits. */
export const millis = v.pipe(numeric, v.check((x) => Number.isInteger(x) && x > 0, rule("must be a time in epoch milliseconds")));

type Path = (string | number)[];

/** Parses `input` with `schema`; an issue becomes an InputError at `path` + the issue's own path. */
export function parseAt<S extends v.GenericSchema>(schema: S, input: unknown, path: Path, source?: string): v.InferOutput<S> {
  const result = v.safeParse(schema, input, PARSE);
  if (result.success) return result.output;
  const error = toInputError(result.issues, source);
  throw new InputError(formatPath(path) + (error.path ? (error.path.startsWith("[") ? error.path : `.${error.path}`) : ""), error.reason, source);
}

/**
 * Parses each item of a response's list with `schema`; a bad item's error names its instrument
 * (the item's `key` field, when it has one) before the reason: `result[3].mark_iv: BTC-…-P: must be …`.
 */
export function parseItems<S extends v.GenericSchema>(schema: S, items: readonly unknown[], path: Path, key: string, source?: string): v.InferOutput<S>[] {
  return items.map((item, i) => {
    try {
      return parseAt(schema, item, [...path, i], source);
    } catch (e) {
      const label = item !== null && typeof item === "object" ? (item as Record<string, unknown>)[key] : undefined;
      if (!(e instanceof InputError) || typeof label !== "string") throw e;
      throw new InputError(e.path, `${label}: ${e.reason}`, source);
    }
  });
}

/** Where a record came from, for the errors found later (a stale quote, a position without one). */
export interface Origin {
  source?: string;
  /** Path of the item in its response, e.g. `result[3]`. */
  path: string;
}

/** An option's quote from a chain. Prices in USD per coin of underlying, whatever the venue quotes in. */
export interface OptionQuote extends Origin {
  instrument: Instrument;
  mark?: number;
  /** The venue's mark implied vol, decimal. */
  markIv?: number;
  bid?: number;
  ask?: number;
  /** The forward (underlying price) of the expiry the venue priced the option on, USD. */
  forward?: number;
  /** When the quote was made, epoch ms; `timestampPath` is where the response says so, for errors. */
  timestamp: number;
  timestampPath: string;
}

/** A future's or perpetual's mark, USD per coin. */
export interface FutureQuote extends Origin {
  instrument: Instrument;
  mark: number;
  timestamp: number;
  timestampPath: string;
}

/** A position or resting order, its quantity already in the units of the pmargin position (contracts of `contractSize` coins or `faceValue` USD). */
export interface VenuePosition extends Origin {
  instrument: Instrument;
  quantity: number;
  /** A future's average entry price, USD per coin. */
  entryPrice?: number;
}

/** What a venue's responses say, venue-neutral: the input of buildImport. */
export interface VenueData {
  options: OptionQuote[];
  futures: FutureQuote[];
  /** Index prices by underlying, USD, with the time they were read. */
  indices: { underlying: string; price: number; timestamp?: number }[];
  positions: VenuePosition[];
  orders: VenuePosition[];
}

export const emptyVenueData = (): VenueData => ({ options: [], futures: [], indices: [], positions: [], orders: [] });

/** A signed quantity from a side and an unsigned size (OKX "long"/"short", Bybit "Buy"/"Sell", Paradex "LONG"/"SHORT"). */
export function signed(size: number, side: string, long: string, short: string, where: string, source?: string): number {
  if (side === long) return Math.abs(size);
  if (side === short) return -Math.abs(size);
  throw new InputError(where, `must be ${long} or ${short}, got ${JSON.stringify(side)}`, source);
}

/** One venue response as read from a file or stdin. */
export interface ResponseDocument {
  json: unknown;
  /** The file it came from, named in errors. */
  source?: string;
}

const isRecord = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === "object" && !Array.isArray(x);

/** Whether `x` is an object holding every one of `keys`. */
export const has = (x: unknown, ...keys: string[]): boolean => isRecord(x) && keys.every((k) => k in x);

/**
 * Sorts a venue's responses by endpoint: each document goes to the first endpoint whose test its
 * payload (`payload(json)`: the list or object inside the envelope) passes; an empty list carries
 * nothing and is dropped; one that passes none is an InputError naming its file and the endpoints read.
 */
export function classify<K extends string>(
  venue: string,
  documents: readonly ResponseDocument[],
  endpoints: Record<K, (first: unknown) => boolean>,
  payload: (doc: ResponseDocument) => unknown,
): Record<K, { doc: ResponseDocument; payload: unknown }[]> {
  const sorted = Object.fromEntries(Object.keys(endpoints).map((k) => [k, []])) as unknown as Record<K, { doc: ResponseDocument; payload: unknown }[]>;
  for (const doc of documents) {
    const body = payload(doc);
    if (Array.isArray(body) && body.length === 0) continue;
    const first = Array.isArray(body) ? body[0] : body;
    const kind = (Object.keys(endpoints) as K[]).find((k) => endpoints[k](first));
    if (kind === undefined) {
      throw new InputError("", `not a ${venue} response pmargin reads (it reads ${Object.keys(endpoints).join(", ")})`, doc.source);
    }
    sorted[kind].push({ doc, payload: body });
  }
  return sorted;
}

/** An object's field, for the envelope checks that precede the schemas. */
export const field = (x: unknown, key: string): unknown => (isRecord(x) ? x[key] : undefined);

/** An item's origin: its path in its response and the response's file. */
export const originOf = (path: string, source?: string): Origin => ({ path, ...(source !== undefined ? { source } : {}) });

/** What a venue says of one instrument's quote (prices in its premium currency; an option's IV decimal). */
export interface QuoteFields {
  mark?: number | undefined;
  markIv?: number | undefined;
  forward?: number | undefined;
  bid?: number | undefined;
  ask?: number | undefined;
  timestamp: number;
  timestampPath: string;
}

/** Adds a quote to the chain: an option's, or a future's mark (which a future must have). */
export function addQuote(data: VenueData, instrument: Instrument, q: QuoteFields, origin: Origin, markField = "mark_price"): void {
  const defined = Object.fromEntries(Object.entries(q).filter(([, x]) => x !== undefined)) as QuoteFields;
  if (instrument.kind === "option") {
    data.options.push({ ...defined, instrument, ...origin } as OptionQuote);
    return;
  }
  if (q.mark === undefined || !(q.mark > 0)) throw new InputError(`${origin.path}.${markField}`, `${instrument.name}: a future needs a mark price > 0`, origin.source);
  data.futures.push({ instrument, mark: q.mark, timestamp: q.timestamp, timestampPath: q.timestampPath, ...origin });
}

/** Reads an instrument name, the error naming the file it came from. */
export function instrumentIn(venue: VenueName, text: string, path: string, source?: string, listed?: ReadonlyMap<string, Instrument>): Instrument {
  const known = listed?.get(text);
  if (known) return known;
  try {
    return parseInstrumentName(venue, text, path);
  } catch (e) {
    throw e instanceof InputError ? new InputError(e.path, e.reason, source) : e;
  }
}

/**
 * Checks an instruments endpoint's expiry (epoch ms) against the one the name gives: a venue that
 * moved its expiry hour, or a name read wrongly, must not pass unseen.
 */
export function checkListedExpiry(i: Instrument, expiryMs: number, path: string, source?: string): void {
  if (i.expiry !== undefined && Date.parse(i.expiry) !== expiryMs) {
    throw new InputError(path, `${i.name}: ${new Date(expiryMs).toISOString()} is not the expiry its name gives, ${i.expiry}`, source);
  }
}
