// ISO-8601 dates as the model accepts them: the extended format only (no ±HHMM
// offsets, no comma fractions), checked here; their instant is the conventions module's
// parseTime, so a date means the same millisecond to the schema and to the market.
import { parseTime } from "../conventions.js";

const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?)?$/;

/**
 * Milliseconds since the epoch of `YYYY-MM-DD` (00:00 UTC) or `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]`
 * (UTC when no offset is given); undefined for anything else, including impossible calendar days.
 */
export function isoDateToMillis(text: string): number | undefined {
  // A live feed re-validates the same few expiries on every update: parse each once.
  if (parsed.has(text)) return parsed.get(text);
  if (parsed.size >= PARSED_MAX) parsed.clear();
  const millis = parseIsoDate(text);
  parsed.set(text, millis);
  return millis;
}

const parsed = new Map<string, number | undefined>();
const PARSED_MAX = 10_000;

function parseIsoDate(text: string): number | undefined {
  if (!ISO_DATE.test(text)) return undefined;
  try {
    return parseTime(text); // throws on an impossible calendar day
  } catch {
    return undefined;
  }
}

/** For dates the schemas have accepted; NaN otherwise, which no "is after" test passes. */
export function toMillis(date: string): number {
  return isoDateToMillis(date) ?? Number.NaN;
}

/** The reason given for anything dated at or before the valuation time. */
export function expiredReason(expiry: string, asOf: string): string {
  return `expired: ${expiry} is not after asOf ${asOf}`;
}
