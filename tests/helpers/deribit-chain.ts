// A real Deribit BTC option chain (a CSV snapshot of ../shared/data/deribit_options/, read at
// test time and never copied here: the data has no licence) turned into pmargin's market JSON,
// and the four books of docs/deribit.md picked from it by rule, not by hand-typed strikes.
import type { MarketData, OptionPosition } from "../../src/model/types.js";

/** One BTC row of the snapshot, the columns used here. */
export interface ChainRow {
  timestamp: string;
  instrument: string;
  right: "call" | "put";
  strike: number;
  expiry: string;
  /** Mark price, BTC. */
  mark: number;
  /** Best bid and ask, BTC; 0 when the book has none. */
  bid: number;
  ask: number;
  futuresInstrument: string;
  futures: number;
  /** Mark IV, decimal; NaN when empty. */
  iv: number;
  /** Deribit's delta (coin, premium-adjusted). */
  delta: number;
  index: number;
}

/** The snapshot's rows of one currency. */
export function readChain(csv: string, currency = "BTC"): ChainRow[] {
  const [header, ...lines] = csv.trim().split(/\r?\n/);
  const col = new Map(header!.split(",").map((name, i) => [name, i]));
  const at = (cells: string[], name: string): string => cells[col.get(name)!] ?? "";
  return lines
    .map((line) => line.split(","))
    .filter((cells) => at(cells, "currency") === currency)
    .map((cells) => ({
      timestamp: at(cells, "timestamp"),
      instrument: at(cells, "instrument_name"),
      right: at(cells, "option_type") === "call" ? "call" as const : "put" as const,
      strike: Number(at(cells, "strike")),
      expiry: iso(at(cells, "expiry_datetime")),
      mark: Number(at(cells, "mark_price")),
      bid: Number(at(cells, "bid_price")),
      ask: Number(at(cells, "ask_price")),
      futuresInstrument: at(cells, "futures_instrument_name"),
      futures: Number(at(cells, "futures_price")),
      iv: at(cells, "implied_volatility") === "" ? Number.NaN : Number(at(cells, "implied_volatility")),
      delta: Number(at(cells, "delta")),
      index: Number(at(cells, "index_price")),
    }));
}

/** "2026-08-22T15:33:51.683630+00:00" → "2026-08-22T15:33:51.683Z" (pmargin's dates carry milliseconds at most). */
function iso(s: string): string {
  return new Date(s.replace(/(\.\d{3})\d+/, "$1")).toISOString();
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};

/**
 * The chain as market JSON: asOf the snapshot time, index the median index_price, per expiry its
 * futures price as the forward and a slice of mark IVs on strikes within 0.5×–2× that forward
 * (rows without an IV left out; a call and a put at one strike: the mean of their IVs).
 */
export function chainMarket(rows: ChainRow[], underlying = "BTC"): MarketData {
  const expiries = [...new Set(rows.map((r) => r.expiry))].sort();
  const forwards = expiries.map((expiry) => ({ expiry, price: rows.find((r) => r.expiry === expiry)!.futures }));
  const surface = forwards.map(({ expiry, price }) => {
    const byStrike = new Map<number, number[]>();
    for (const r of rows) {
      if (r.expiry !== expiry || !(r.iv > 0) || r.strike < 0.5 * price || r.strike > 2 * price) continue;
      byStrike.set(r.strike, [...(byStrike.get(r.strike) ?? []), r.iv]);
    }
    const strikes = [...byStrike.keys()].sort((a, b) => a - b);
    return { expiry, strikes, vols: strikes.map((k) => byStrike.get(k)!.reduce((a, x) => a + x, 0) / byStrike.get(k)!.length) };
  }).filter((s) => s.strikes.length > 0);
  return {
    asOf: iso(rows[0]!.timestamp),
    underlyings: { [underlying]: { index: median(rows.map((r) => r.index)), rate: 0, forwards, surface } },
  };
}

const DAY = 86_400_000;

/** The listed expiry closest to `days` after asOf. */
export function expiryNear(rows: ChainRow[], asOf: string, days: number): string {
  const t0 = Date.parse(asOf);
  return [...new Set(rows.map((r) => r.expiry))].reduce((best, e) =>
    Math.abs((Date.parse(e) - t0) / DAY - days) < Math.abs((Date.parse(best) - t0) / DAY - days) ? e : best);
}

/** The row of `right` on `expiry` minimising score. */
function pick(rows: ChainRow[], expiry: string, right: "call" | "put", score: (r: ChainRow) => number): ChainRow {
  const listed = rows.filter((r) => r.expiry === expiry && r.right === right && r.iv > 0);
  return listed.reduce((best, r) => (score(r) < score(best) ? r : best));
}

/** The strike nearest the expiry's forward (at the money). */
export const atm = (rows: ChainRow[], expiry: string, right: "call" | "put"): ChainRow =>
  pick(rows, expiry, right, (r) => Math.abs(r.strike - r.futures));

/** The option whose Deribit delta is nearest ±target (a 25-delta call or put). */
export const byDelta = (rows: ChainRow[], expiry: string, right: "call" | "put", target: number): ChainRow =>
  pick(rows, expiry, right, (r) => Math.abs(Math.abs(r.delta) - target));

/** A Deribit inverse BTC option: contract size 1 BTC, premium and PnL in BTC. */
export function option(r: ChainRow, quantity: number, underlying = "BTC"): OptionPosition {
  return { id: r.instrument, kind: "option", underlying, settlement: "inverse", right: r.right, strike: r.strike, expiry: r.expiry, quantity, contractSize: 1 };
}

export interface ChainBook {
  name: string;
  positions: OptionPosition[];
}

/**
 * The four books: (a) a short 25-delta strangle on the expiry nearest 30 days; (b) a put spread
 * on it, long the at-the-money put, short the 25-delta put; (c) a calendar, short the near
 * expiry's at-the-money call, long the same strike on the next listed expiry; (d) a short
 * at-the-money put on the expiry nearest 23 days. One contract (1 BTC) a leg.
 */
export function chainBooks(rows: ChainRow[], asOf: string): Record<"strangle" | "putSpread" | "calendar" | "shortPut", ChainBook> {
  const month = expiryNear(rows, asOf, 30);
  const next = [...new Set(rows.map((r) => r.expiry))].sort().find((e) => e > month)!;
  const near = atm(rows, month, "call");
  const far = rows.find((r) => r.expiry === next && r.right === "call" && r.strike === near.strike)!;
  const put25 = byDelta(rows, month, "put", 0.25);
  return {
    strangle: { name: "short 25-delta strangle", positions: [option(byDelta(rows, month, "call", 0.25), -1), option(put25, -1)] },
    putSpread: { name: "put spread", positions: [option(atm(rows, month, "put"), 1), option(put25, -1)] },
    calendar: { name: "call calendar", positions: [option(near, -1), option(far, 1)] },
    shortPut: { name: "short ATM put", positions: [option(atm(rows, expiryNear(rows, asOf, 23), "put"), -1)] },
  };
}
