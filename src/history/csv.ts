// Price histories from CSV text.
//
// Three shapes are read; headers are case-insensitive, fields comma-separated and
// optionally quoted ("" inside quotes is a quote; a quoted field cannot span lines),
// lines end in LF or CRLF, blank lines are ignored:
//
// 1. Long: a date column, a symbol column and a price column, one row per (time,
//    symbol), in any order; other columns are ignored.
//      date,symbol,close
//      2024-01-01,BTCUSDT,42283.58
//      2024-01-01,ETHUSDT,2352.04
// 2. Wide: a date column and one price column per symbol, the header naming the
//    symbol. An empty cell means no close for that symbol at that time.
//      date,BTC,ETH
//      2024-01-01,42283.58,2352.04
// 3. Exchange exports such as CryptoDataDownload's (data/binance-daily): lines before
//    the header (a URL banner) are skipped, the header being the first line with a
//    recognised date column; then shape 1.
//      https://www.CryptoDataDownload.com
//      Unix,Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USDT,tradecount
//
// Recognised columns, in order of preference when several are present:
//   date:   date, datetime, timestamp, time, unix
//   symbol: symbol, ticker, underlying, asset
//   price:  close, price, last
// `Date` is preferred to `Unix` because CryptoDataDownload exports are known to mix
// seconds, milliseconds and microseconds in `Unix`.
//
// Dates: YYYY-MM-DD (00:00 UTC), ISO date-times (UTC without an offset),
// `YYYY-MM-DD HH:MM[:SS]` (UTC), or unix time in seconds, milliseconds or
// microseconds, told apart by magnitude. Times are instants, so intraday data is read
// as it is.
//
// Symbols: `options.symbols` renames symbols as written in the file
// (`{ BTCUSDT: "BTC" }`); any other symbol quoted in USDT, USDC, BUSD or USD (after an
// optional `/` or `-`) is reduced to its base (`BTCUSDT` → `BTC`, `ETH/USD` → `ETH`),
// and the reduction is reported in the notes.
import { expectObject, InputError } from "../errors.js";
import { DAY_MS, parseTime } from "../conventions.js";

/** One symbol's closes at ascending, distinct times (ms UTC). */
export interface PriceSeries {
  symbol: string;
  times: Float64Array;
  closes: Float64Array;
}

export interface PriceCsvOptions {
  /** The file name, for errors and notes. */
  source?: string;
  /** Renames of symbols as written in the file, e.g. `{ BTCUSDT: "XBT" }`; they take precedence over the quote-currency reduction. */
  symbols?: Record<string, string>;
}

const DATE_COLUMNS = ["date", "datetime", "timestamp", "time", "unix"];
const SYMBOL_COLUMNS = ["symbol", "ticker", "underlying", "asset"];
const PRICE_COLUMNS = ["close", "price", "last"];
const ACCEPTED =
  `a date column (${DATE_COLUMNS.join(", ")}) and either a symbol column (${SYMBOL_COLUMNS.join(", ")}) ` +
  `with a price column (${PRICE_COLUMNS.join(", ")}), or one price column per symbol`;

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPACED_DATE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const QUOTED = /^(.+?)[/-]?(USDT|USDC|BUSD|USD)$/i;
/** Duplicates listed by line in the notes; the rest are counted. */
const LISTED = 5;

/** An instant as a day (`2024-01-01`) when it is midnight UTC, else as an ISO date-time. */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % DAY_MS === 0 ? iso.slice(0, 10) : iso.replace(".000Z", "Z");
}

/**
 * Milliseconds since the epoch of a CSV date (see the module doc). Throws InputError
 * with an empty path.
 */
export function parseInstant(text: string): number {
  if (DECIMAL.test(text)) {
    const x = Number(text);
    // 1e11 s and 1e14 ms are both the year 5138, while 1e11 ms and 1e14 µs are 1973:
    // every plausible market date is told apart.
    const abs = Math.abs(x);
    if (abs < 1e17) return abs < 1e11 ? x * 1000 : abs < 1e14 ? x : x / 1000;
  } else {
    const spaced = SPACED_DATE_TIME.exec(text);
    try {
      return parseTime(spaced ? `${spaced[1]}T${spaced[2]}` : text);
    } catch {
      // Reported below, with the formats accepted.
    }
  }
  throw new InputError(
    "",
    `not a date: ${JSON.stringify(text)} (expected YYYY-MM-DD, an ISO date-time, YYYY-MM-DD HH:MM:SS in UTC, or unix seconds or milliseconds)`,
  );
}

/** The fields of one CSV line, unquoted and trimmed; undefined when a quote is not closed. */
function splitFields(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === " " || line[i] === "\t") i++;
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) return undefined;
        value += line.slice(i, close);
        i = close + 1;
        if (line[i] !== '"') break;
        value += '"';
        i++;
      }
      const comma = line.indexOf(",", i);
      const rest = comma < 0 ? line.slice(i) : line.slice(i, comma);
      fields.push(value + rest.trim());
      if (comma < 0) return fields;
      i = comma + 1;
    } else {
      const comma = line.indexOf(",", i);
      fields.push((comma < 0 ? line.slice(i) : line.slice(i, comma)).trim());
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

/** Where each price of a shape is read: column index and its header as written. */
interface PriceColumn {
  index: number;
  name: string;
  /** The symbol for a wide file's column; undefined in a long file (read from the symbol column). */
  symbol?: string;
}

interface Layout {
  header: string[];
  dateIndex: number;
  symbolIndex?: number;
  prices: PriceColumn[];
  description: string;
}

/** Reduces and renames symbols, reporting reductions and refusing two symbols that would share a name. */
class SymbolNamer {
  private readonly byName = new Map<string, string>();
  private readonly named = new Map<string, string>();
  readonly notes: string[] = [];

  constructor(private readonly renames: Record<string, string> = {}) {}

  name(raw: string, path: string, source: string | undefined): string {
    const known = this.named.get(raw);
    if (known !== undefined) return known;
    let name: string;
    if (Object.hasOwn(this.renames, raw)) {
      name = this.renames[raw]!;
    } else {
      const quoted = QUOTED.exec(raw);
      name = quoted ? quoted[1]! : raw;
      if (quoted) this.notes.push(`${raw} read as ${name} (quote currency ${quoted[2]} dropped)`);
    }
    const other = this.byName.get(name);
    if (other !== undefined) {
      throw new InputError(path, `${other} and ${raw} would both be named ${name}: tell them apart with the symbols option`, source);
    }
    this.byName.set(name, raw);
    this.named.set(raw, name);
    return name;
  }
}

function findColumn(names: string[], accepted: string[]): number | undefined {
  for (const wanted of accepted) {
    const index = names.indexOf(wanted);
    if (index >= 0) return index;
  }
  return undefined;
}

function layoutOf(header: string[], lineNo: number, namer: SymbolNamer, source: string | undefined): Layout {
  const lower = header.map((h) => h.toLowerCase());
  const where = `line ${lineNo}`;
  const unique = (index: number): number => {
    const again = lower.indexOf(lower[index]!, index + 1);
    if (again >= 0) throw new InputError(where, `column ${header[index]} appears twice (columns ${index + 1} and ${again + 1})`, source);
    return index;
  };
  const dateIndex = unique(findColumn(lower, DATE_COLUMNS)!);
  const symbolIndex = findColumn(lower, SYMBOL_COLUMNS);
  const priceIndex = findColumn(lower, PRICE_COLUMNS);
  if (symbolIndex !== undefined) {
    if (priceIndex === undefined) {
      throw new InputError(where, `a symbol column (${header[symbolIndex]}) but no price column: expected one of ${PRICE_COLUMNS.join(", ")}`, source);
    }
    unique(symbolIndex);
    unique(priceIndex);
    return {
      header,
      dateIndex,
      symbolIndex,
      prices: [{ index: priceIndex, name: header[priceIndex]! }],
      description: `dates from ${header[dateIndex]}, symbols from ${header[symbolIndex]}, prices from ${header[priceIndex]}`,
    };
  }
  if (priceIndex !== undefined) {
    // A per-symbol export without its symbol (date,open,high,low,close): reading it as
    // one column per symbol would make symbols of "open" and "close".
    throw new InputError(
      where,
      `a price column (${header[priceIndex]}) but no symbol column: add one (${SYMBOL_COLUMNS.join(", ")}), or name one column per symbol`,
      source,
    );
  }
  const prices: PriceColumn[] = [];
  header.forEach((name, index) => {
    if (DATE_COLUMNS.includes(lower[index]!)) return;
    const column = `line ${lineNo}, column ${index + 1}`;
    if (name === "") throw new InputError(column, "a symbol column without a name", source);
    unique(index);
    prices.push({ index, name, symbol: namer.name(name, column, source) });
  });
  if (prices.length === 0) throw new InputError(where, `a date column but no prices: expected ${ACCEPTED}`, source);
  return {
    header,
    dateIndex,
    prices,
    description: `dates from ${header[dateIndex]}, one price column per symbol (${prices.map((p) => p.symbol).join(", ")})`,
  };
}

/** A field that starts a data row rather than a banner: a date or a number. */
function looksLikeData(field: string): boolean {
  if (DECIMAL.test(field)) return true;
  try {
    parseInstant(field);
    return true;
  } catch {
    return false;
  }
}

function parsePrice(text: string, path: string, source: string | undefined): number {
  if (!DECIMAL.test(text)) throw new InputError(path, `not a price: ${JSON.stringify(text)}`, source);
  const price = Number(text);
  if (!(price > 0) || !Number.isFinite(price)) throw new InputError(path, `a price must be positive, got ${text}`, source);
  return price;
}

interface Collected {
  times: number[];
  closes: number[];
  lines: number[];
  column: string;
}

/** Sorts one symbol's rows by time, dropping identical duplicates and refusing conflicting ones. */
function toSeries(symbol: string, rows: Collected, source: string | undefined, dropped: string[]): PriceSeries {
  // By time, then by line, so that of two rows at one time the later line is the duplicate.
  const order = rows.times.map((_, i) => i).sort((a, b) => rows.times[a]! - rows.times[b]! || rows.lines[a]! - rows.lines[b]!);
  const times: number[] = [];
  const closes: number[] = [];
  let previous = -1;
  for (const i of order) {
    if (previous >= 0 && rows.times[i] === rows.times[previous]) {
      const at = `${symbol} at ${formatInstant(rows.times[i]!)}`;
      if (rows.closes[i] !== rows.closes[previous]) {
        throw new InputError(
          `line ${rows.lines[i]}, column ${rows.column}`,
          `${at} is ${rows.closes[i]} here but ${rows.closes[previous]} on line ${rows.lines[previous]}`,
          source,
        );
      }
      dropped.push(`line ${rows.lines[i]} (${at}, as line ${rows.lines[previous]})`);
      continue;
    }
    times.push(rows.times[i]!);
    closes.push(rows.closes[i]!);
    previous = i;
  }
  return { symbol, times: Float64Array.from(times), closes: Float64Array.from(closes) };
}

/**
 * Reads closes from CSV text in any of the shapes of the module doc, one series per
 * symbol in order of first appearance, sorted by time. Throws InputError (source =
 * `options.source`, path = `line N` or `line N, column Close`) on a missing header, an
 * unparseable date, a non-positive or non-numeric price, or two different prices for
 * one symbol at one time; identical duplicates are dropped and reported in `notes`.
 *
 * @example
 * ```ts
 * import { parsePriceCsv } from "pmargin";
 * const { series, notes } = parsePriceCsv("date,symbol,close\n2024-01-01,BTC,42000\n2024-01-02,BTC,44100\n");
 * ```
 */
export function parsePriceCsv(text: string, options: PriceCsvOptions = {}): { series: PriceSeries[]; notes: string[] } {
  if (typeof text !== "string") throw new InputError("text", "must be the CSV text (a string)");
  expectObject(options, "options", "an object of CSV options");
  const { source } = options;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const namer = new SymbolNamer(options.symbols);

  let headerLine = 0;
  let layout: Layout | undefined;
  let width = 0;
  let skipped = 0;
  let firstLine = 0;
  let n = 0;
  for (; n < lines.length && layout === undefined; n++) {
    const line = lines[n]!;
    if (line.trim() === "") continue;
    firstLine ||= n + 1;
    const fields = splitFields(line);
    if (fields?.some((f) => DATE_COLUMNS.includes(f.toLowerCase()))) {
      headerLine = n + 1;
      width = fields.length;
      layout = layoutOf(fields, headerLine, namer, source);
    } else if (fields !== undefined && looksLikeData(fields[0]!)) {
      throw new InputError(`line ${n + 1}`, `data before any header: expected a header line with ${ACCEPTED}`, source);
    } else {
      skipped++;
    }
  }
  if (firstLine === 0) throw new InputError("", "empty file", source);
  if (layout === undefined) throw new InputError(`line ${firstLine}`, `no header line: expected ${ACCEPTED}`, source);

  const collected = new Map<string, Collected>();
  const add = (symbol: string, time: number, close: number, lineNo: number, column: string): void => {
    let rows = collected.get(symbol);
    if (rows === undefined) collected.set(symbol, (rows = { times: [], closes: [], lines: [], column }));
    rows.times.push(time);
    rows.closes.push(close);
    rows.lines.push(lineNo);
  };
  const dateAt = (lineNo: number): string => `line ${lineNo}, column ${layout.header[layout.dateIndex]}`;
  let rowCount = 0;
  for (; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === "") continue;
    const lineNo = n + 1;
    const fields = splitFields(line);
    if (fields === undefined) throw new InputError(`line ${lineNo}`, "a quote is not closed", source);
    if (fields.length !== width) {
      throw new InputError(`line ${lineNo}`, `has ${fields.length} fields, the header (line ${headerLine}) has ${width}`, source);
    }
    rowCount++;
    let time: number;
    try {
      time = parseInstant(fields[layout.dateIndex]!);
    } catch (error) {
      throw new InputError(dateAt(lineNo), (error as InputError).reason, source);
    }
    for (const price of layout.prices) {
      const cell = fields[price.index]!;
      const at = `line ${lineNo}, column ${price.name}`;
      let symbol = price.symbol;
      if (symbol === undefined) {
        const raw = fields[layout.symbolIndex!]!;
        const symbolAt = `line ${lineNo}, column ${layout.header[layout.symbolIndex!]}`;
        if (raw === "") throw new InputError(symbolAt, "no symbol", source);
        symbol = namer.name(raw, symbolAt, source);
      } else if (cell === "") {
        continue;
      }
      add(symbol, time, parsePrice(cell, at, source), lineNo, price.name);
    }
  }
  if (rowCount === 0) throw new InputError(`line ${headerLine}`, "a header but no rows after it", source);

  const dropped: string[] = [];
  const series = [...collected].map(([symbol, rows]) => toSeries(symbol, rows, source, dropped));
  const notes = [
    `header on line ${headerLine}${skipped > 0 ? ` (${skipped} line${skipped > 1 ? "s" : ""} before it skipped)` : ""}; ${layout.description}`,
    ...namer.notes,
  ];
  if (dropped.length > 0) {
    const listed = dropped.slice(0, LISTED).join(", ");
    const more = dropped.length > LISTED ? ` and ${dropped.length - LISTED} more` : "";
    notes.push(`${dropped.length} duplicate row${dropped.length > 1 ? "s" : ""} with the same price dropped: ${listed}${more}`);
  }
  return { series, notes: source === undefined ? notes : notes.map((note) => `${source}: ${note}`) };
}
