// Field schemas shared by the portfolio and market schemas. Every schema carries its own
// message so that a reason states the rule and the offending value, never valibot's wording.
import * as v from "valibot";
import { RESERVED_NAMES } from "../errors.js";
import { isoDateToMillis } from "./dates.js";
import { describe } from "./issues.js";

/** A message stating `rule` and the value that broke it. */
export function rule(requirement: string) {
  return (issue: v.BaseIssue<unknown>) => `${requirement}, got ${describe(issue.input)}`;
}

const FINITE = rule("must be a finite number");
const POSITIVE = rule("must be a finite number > 0");
const VOL = rule("must be a finite number > 0 and ≤ 10 (a decimal: 0.55 means 55%)");
const DATE = rule("must be an ISO-8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ)");

// Magnitudes beyond these are mistakes, and their products would overflow a double:
// every bound is far outside any real book or market.
/** Largest |quantity| of a position (contracts or coins). */
export const MAX_QUANTITY = 1e12;
/** Prices (index, strikes, forwards, entry prices) lie within [MIN_PRICE, MAX_PRICE] USD. */
export const MIN_PRICE = 1e-12;
export const MAX_PRICE = 1e12;
/** Expiries and dates before this year. */
export const MAX_YEAR = 2200;

/** v.number already rejects NaN; v.finite adds ±Infinity, which API callers can pass. */
export const finite = v.pipe(v.number(FINITE), v.finite(FINITE));
export const positive = v.pipe(v.number(POSITIVE), v.finite(POSITIVE), v.gtValue(0, POSITIVE));
export const volatility = v.pipe(v.number(VOL), v.finite(VOL), v.gtValue(0, VOL), v.maxValue(10, VOL));

/**
 * How every parser runs: a pipe stops at its first failed rule, so a value gets the one
 * reason that applies (−5 for a price: "must be > 0", not also "within [1e-12, 1e12]").
 */
export const PARSE = { abortPipeEarly: true } as const;

/** A finite number within [min, max]: NaN and ±Infinity get the plain rule, a value out of range the bounds. */
export function within(min: number, max: number, what = "") {
  const range = rule(`must be within [${min}, ${max}]${what}`);
  return v.pipe(v.number(FINITE), v.finite(FINITE), v.minValue(min, range), v.maxValue(max, range));
}

const PRICE_RANGE = rule(`must be a price within [${MIN_PRICE}, ${MAX_PRICE}]`);
export const price = v.pipe(v.number(POSITIVE), v.finite(POSITIVE), v.gtValue(0, POSITIVE), v.minValue(MIN_PRICE, PRICE_RANGE), v.maxValue(MAX_PRICE, PRICE_RANGE));
export const quantity = within(-MAX_QUANTITY, MAX_QUANTITY);
export const size = v.pipe(v.number(POSITIVE), v.finite(POSITIVE), v.gtValue(0, POSITIVE), v.maxValue(1e9, rule("must be ≤ 1e9")));

export const text = v.string(rule("must be a string"));

/** A document may name its JSON Schema ("$schema": "…/portfolio.schema.json") for editor support. */
export const schemaRef = { $schema: v.optional(v.string(rule("must be a string (the URL of this file's JSON Schema)"))) };
export const symbol = v.pipe(v.string(rule("must be a non-empty string")), v.nonEmpty(rule("must be a non-empty string")));
export const isoDate = v.pipe(v.string(DATE), v.check((s) => isoDateToMillis(s) !== undefined, DATE),
  v.check((s) => { const y = Number(s.slice(0, 4)); return y >= 1970 && y <= MAX_YEAR; }, rule(`must be a date in 1970–${MAX_YEAR}`)));

export function oneOf<const T extends readonly [string, ...string[]]>(options: T) {
  return v.picklist(options, rule(`expected one of ${options.join(", ")}`));
}

/**
 * An object that rejects unknown keys, so a typo (`strik`) fails instead of being ignored;
 * `what` names it in the reason ("unknown field; an option takes ...").
 */
export function strict<const E extends v.ObjectEntries>(what: string, entries: E) {
  return v.strictObject(entries, (issue) => {
    if (issue.expected === "never") return `unknown field; ${what} takes ${Object.keys(entries).join(", ")}`;
    // valibot sets a path only on key issues: a missing key here, since unknown keys are handled above.
    if (issue.path) return `is required for ${what}`;
    return `must be an object (${what}), got ${describe(issue.input)}`;
  });
}

/**
 * `strict`, refusing arrays first: valibot's object schemas take an array as an object
 * with no keys, so `[]` would pass for a model of defaults. (Variant members need the
 * bare object schema; their discriminator already refuses arrays.)
 */
export function group<const E extends v.ObjectEntries>(what: string, entries: E) {
  const notArray = v.custom<unknown>((x) => !Array.isArray(x), (issue) => `must be an object (${what}), got ${describe(issue.input)}`);
  return v.pipe(notArray, strict(what, entries));
}

/** Path items for rawCheck issues, which point below the checked value. */
export function atKey(input: Record<string, unknown>, key: string): v.ObjectPathItem {
  return { type: "object", origin: "value", input, key, value: input[key] };
}

export function atIndex(input: readonly unknown[], key: number): v.ArrayPathItem {
  return { type: "array", origin: "value", input, key, value: input[key] };
}

const reservedKey = (x: unknown): string | undefined =>
  x !== null && typeof x === "object" ? Object.keys(x).find((k) => RESERVED_NAMES.includes(k)) : undefined;

/**
 * An object keyed by names (underlyings, assets, instrument ids): valibot's records drop the
 * keys `__proto__`, `constructor` and `prototype` silently, so they are refused here first.
 */
export function keyed<T extends v.GenericSchema>(value: T, message: v.ErrorMessage<v.RecordIssue>) {
  return v.pipe(
    v.custom<unknown>(() => true),
    v.rawCheck(({ dataset, addIssue }) => {
      const x = dataset.value as Record<string, unknown>;
      const key = reservedKey(x);
      if (key !== undefined) addIssue({ message: `${JSON.stringify(key)} is a reserved name (${RESERVED_NAMES.join(", ")}), not a key this object may have`, path: [atKey(x, key)] });
    }),
    v.record(symbol, value, message),
  );
}

/**
 * How a vol shock scales with an option's days to expiry, (refDays / max(days, minDays))^power:
 * days and powers bounded (docs/limits.md) so that every weight is a finite number.
 */
export function termScaling(what: string) {
  const days = within(1e-3, 36_500, " (days)");
  const power = within(-4, 4, " (a power of a ratio of days)");
  return group(what, { refDays: days, minDays: days, shortPower: power, longPower: power });
}
