// Venue instrument names → what the instrument is: its underlying, kind, expiry, strike and right,
// and the contract conventions of its venue (inverse or linear, the settlement currency, the size of
// one contract). The sources of every convention are listed in docs/import.md.
import { InputError } from "../errors.js";
import type { OptionRight, Settlement } from "../model/types.js";

import type { VenueName } from "./venues.js";

/**
 * One listed instrument. `contractSize` (coins, linear and options) or `faceValue` (USD, inverse
 * futures) is the size of the unit a pmargin position of it counts.
 */
export interface Instrument {
  venue: VenueName;
  name: string;
  /** Underlying coin ("BTC"): the market's underlying key. */
  underlying: string;
  kind: "option" | "future" | "perpetual";
  /** inverse: premium, PnL and margin in the coin; linear: in the stablecoin. */
  settlement: Settlement;
  settlementCurrency: string;
  /** ISO-8601 expiry (UTC); absent for a perpetual. */
  expiry?: string;
  strike?: number;
  right?: OptionRight;
  contractSize?: number;
  faceValue?: number;
}

/** Every venue here expires its dated contracts at 08:00 UTC (docs/import.md cites each). */
const EXPIRY_UTC = "T08:00:00Z";
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/** ISO date of a (year, month 1–12, day) that exists, else undefined. */
function isoDay(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** "27FEB26" (Deribit, Bybit, Paradex) → 2026-02-27. */
const fromDayMonthYear = (code: string): string | undefined => {
  const m = /^(\d{1,2})([A-Z]{3})(\d{2})$/.exec(code);
  const month = m ? MONTHS.indexOf(m[2]!) + 1 : 0;
  return m && month > 0 ? isoDay(2000 + Number(m[3]), month, Number(m[1])) : undefined;
};
/** "260227" (OKX) → 2026-02-27. */
const fromYymmdd = (code: string): string | undefined =>
  isoDay(2000 + Number(code.slice(0, 2)), Number(code.slice(2, 4)), Number(code.slice(4, 6)));
/** "20260227" (Derive) → 2026-02-27. */
const fromYyyymmdd = (code: string): string | undefined =>
  isoDay(Number(code.slice(0, 4)), Number(code.slice(4, 6)), Number(code.slice(6, 8)));

/** Bybit's inverse futures' month codes (BTCUSDH26: March 2026); they expire on the month's last Friday. */
const FUTURES_MONTHS = "FGHJKMNQUVXZ";
function lastFriday(year: number, month: number): string {
  const last = new Date(Date.UTC(year, month, 0));
  last.setUTCDate(last.getUTCDate() - ((last.getUTCDay() + 2) % 7));
  return last.toISOString().slice(0, 10);
}

/** A strike as written in a name: digits, a decimal point, or Deribit's "d" for one (0d625). */
const STRIKE = "(\\d+(?:[.d]\\d+)?)";
const strikeOf = (text: string): number => Number(text.replace("d", "."));
const rightOf = (letter: string): OptionRight => (letter === "C" ? "call" : "put");

interface Parts {
  underlying: string;
  kind: Instrument["kind"];
  settlement: Settlement;
  settlementCurrency: string;
  expiry?: string | undefined;
  strike?: string;
  right?: string;
  contractSize?: number;
  faceValue?: number;
}

/** One name pattern of a venue and what its groups mean. */
type Rule = [RegExp, (m: string[]) => Parts | undefined];

/** Inverse futures' USD face value where the venue does not give it per instrument: Deribit's BTC 10, others 1; OKX's BTC 100, others 10. */
const deribitFace = (coin: string): number => (coin === "BTC" ? 10 : 1);
const okxFace = (coin: string): number => (coin === "BTC" ? 100 : 10);

const coinOrStable = (coin: string, stable: string | undefined): Pick<Parts, "settlement" | "settlementCurrency"> =>
  stable ? { settlement: "linear", settlementCurrency: stable } : { settlement: "inverse", settlementCurrency: coin };

const RULES: Record<VenueName, Rule[]> = {
  // BTC-27FEB26-70000-P, BTC_USDC-27FEB26-70000-P, BTC-27FEB26, BTC-PERPETUAL, BTC_USDC-PERPETUAL.
  // Options: 1 coin a contract (sizes are stated in coins); inverse futures: a USD face value.
  deribit: [
    [new RegExp(`^([A-Z0-9]+?)(?:_(USDC|USDT))?-(\\d{1,2}[A-Z]{3}\\d{2})-${STRIKE}-([CP])$`), ([, u, s, d, k, r]) =>
      ({ underlying: u!, kind: "option", ...coinOrStable(u!, s), expiry: fromDayMonthYear(d!), strike: k!, right: r!, contractSize: 1 })],
    [/^([A-Z0-9]+?)(?:_(USDC|USDT))?-(\d{1,2}[A-Z]{3}\d{2})$/, ([, u, s, d]) =>
      ({ underlying: u!, kind: "future", ...coinOrStable(u!, s), expiry: fromDayMonthYear(d!), ...(s ? { contractSize: 1 } : { faceValue: deribitFace(u!) }) })],
    [/^([A-Z0-9]+?)(?:_(USDC|USDT))?-PERPETUAL$/, ([, u, s]) =>
      ({ underlying: u!, kind: "perpetual", ...coinOrStable(u!, s), ...(s ? { contractSize: 1 } : { faceValue: deribitFace(u!) }) })],
  ],
  // BTC-USD-260227-70000-P (coin-margined), BTC-USDT-SWAP, BTC-USD-260227. Contract sizes are the
  // instruments endpoint's ctVal × ctMult; the defaults here are its published values.
  okx: [
    [new RegExp(`^([A-Z0-9]+)-(USD|USDT|USDC)-(\\d{6})-${STRIKE}-([CP])$`), ([, u, q, d, k, r]) =>
      ({ underlying: u!, kind: "option", ...coinOrStable(u!, q === "USD" ? undefined : q), expiry: fromYymmdd(d!), strike: k!, right: r! })],
    [/^([A-Z0-9]+)-(USD|USDT|USDC)-(\d{6})$/, ([, u, q, d]) =>
      ({ underlying: u!, kind: "future", ...coinOrStable(u!, q === "USD" ? undefined : q), expiry: fromYymmdd(d!), ...(q === "USD" ? { faceValue: okxFace(u!) } : {}) })],
    [/^([A-Z0-9]+)-(USD|USDT|USDC)-SWAP$/, ([, u, q]) =>
      ({ underlying: u!, kind: "perpetual", ...coinOrStable(u!, q === "USD" ? undefined : q), ...(q === "USD" ? { faceValue: okxFace(u!) } : {}) })],
  ],
  // BTC-27FEB26-70000-P (USDC-settled), BTC-27FEB26-70000-P-USDT, BTCUSDT / BTCPERP (linear),
  // BTCUSD (inverse perpetual, 1 USD a contract), BTCUSDH26 (inverse future), BTC-27FEB26 (USDC future),
  // BTCUSDT-27FEB26 (USDT future).
  bybit: [
    [new RegExp(`^([A-Z0-9]+)-(\\d{1,2}[A-Z]{3}\\d{2})-${STRIKE}-([CP])(?:-(USDT|USDC))?$`), ([, u, d, k, r, s]) =>
      ({ underlying: u!, kind: "option", settlement: "linear", settlementCurrency: s ?? "USDC", expiry: fromDayMonthYear(d!), strike: k!, right: r!, contractSize: 1 })],
    [/^([A-Z0-9]+?)(USDT)?-(\d{1,2}[A-Z]{3}\d{2})$/, ([, u, s, d]) =>
      ({ underlying: u!, kind: "future", settlement: "linear", settlementCurrency: s ?? "USDC", expiry: fromDayMonthYear(d!), contractSize: 1 })],
    [/^([A-Z0-9]+?)(USDT|USDC|PERP)$/, ([, u, s]) =>
      ({ underlying: u!, kind: "perpetual", settlement: "linear", settlementCurrency: s === "PERP" ? "USDC" : s!, contractSize: 1 })],
    [/^([A-Z0-9]+?)USD$/, ([, u]) => ({ underlying: u!, kind: "perpetual", settlement: "inverse", settlementCurrency: u!, faceValue: 1 })],
    [/^([A-Z0-9]+?)USD([FGHJKMNQUVXZ])(\d{2})$/, ([, u, m, y]) =>
      ({ underlying: u!, kind: "future", settlement: "inverse", settlementCurrency: u!, expiry: lastFriday(2000 + Number(y), FUTURES_MONTHS.indexOf(m!) + 1), faceValue: 1 })],
  ],
  // BTC-USD-27FEB26-70000-P, BTC-USD-PERP: USDC-settled, sizes in coins.
  paradex: [
    [new RegExp(`^([A-Z0-9]+)-USD-(\\d{1,2}[A-Z]{3}\\d{2})-${STRIKE}-([CP])$`), ([, u, d, k, r]) =>
      ({ underlying: u!, kind: "option", settlement: "linear", settlementCurrency: "USDC", expiry: fromDayMonthYear(d!), strike: k!, right: r!, contractSize: 1 })],
    [/^([A-Z0-9]+)-USD-PERP$/, ([, u]) => ({ underlying: u!, kind: "perpetual", settlement: "linear", settlementCurrency: "USDC", contractSize: 1 })],
  ],
  // BTC-20260227-70000-P, BTC-PERP: USDC-settled, sizes in coins.
  derive: [
    [new RegExp(`^([A-Z0-9]+)-(\\d{8})-${STRIKE}-([CP])$`), ([, u, d, k, r]) =>
      ({ underlying: u!, kind: "option", settlement: "linear", settlementCurrency: "USDC", expiry: fromYyyymmdd(d!), strike: k!, right: r!, contractSize: 1 })],
    [/^([A-Z0-9]+)-PERP$/, ([, u]) => ({ underlying: u!, kind: "perpetual", settlement: "linear", settlementCurrency: "USDC", contractSize: 1 })],
  ],
};

/** What each venue's names look like, for the error on one that matches none. */
const EXAMPLES: Record<VenueName, string> = {
  deribit: "BTC-27FEB26-70000-P, BTC_USDC-27FEB26-70000-P, BTC-27FEB26, BTC-PERPETUAL",
  okx: "BTC-USD-260227-70000-P, BTC-USD-260227, BTC-USDT-SWAP",
  bybit: "BTC-27FEB26-70000-P, BTC-27FEB26-70000-P-USDT, BTCUSDT, BTCUSD, BTCUSDH26, BTC-27FEB26, BTCUSDT-27FEB26",
  paradex: "BTC-USD-27FEB26-70000-P, BTC-USD-PERP",
  derive: "BTC-20260227-70000-P, BTC-PERP",
};

/**
 * Parses a venue's instrument name; an unknown name, or one naming an impossible date or a
 * non-positive strike, is an InputError at `path` naming it.
 *
 * @example
 * ```ts
 * parseInstrumentName("deribit", "BTC-27FEB26-70000-P");
 * // { venue: "deribit", name: "BTC-27FEB26-70000-P", underlying: "BTC", kind: "option", settlement: "inverse",
 * //   settlementCurrency: "BTC", expiry: "2026-02-27T08:00:00Z", strike: 70000, right: "put", contractSize: 1 }
 * ```
 */
export function parseInstrumentName(venue: VenueName, name: string, path = "instrument_name"): Instrument {
  for (const [pattern, read] of RULES[venue]) {
    const m = pattern.exec(name);
    const parts = m ? read([...m]) : undefined;
    if (!parts) continue;
    const { strike, right, expiry, ...rest } = parts;
    const dated = parts.kind !== "perpetual";
    if (dated && expiry === undefined) throw new InputError(path, `${name}: names an impossible expiry date`);
    const k = strike === undefined ? undefined : strikeOf(strike);
    if (k !== undefined && !(k > 0 && Number.isFinite(k))) throw new InputError(path, `${name}: the strike must be > 0`);
    return {
      venue, name, ...rest,
      ...(dated ? { expiry: `${expiry}${EXPIRY_UTC}` } : {}),
      ...(k !== undefined ? { strike: k, right: rightOf(right!) } : {}),
    };
  }
  throw new InputError(path, `unknown ${venue} instrument ${JSON.stringify(name)} (${venue} names look like ${EXAMPLES[venue]})`);
}
