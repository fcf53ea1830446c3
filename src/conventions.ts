// pmargin's conventions, each stated once: how instants and times to expiry are measured,
// and the defaults that several methods share. Base layer: imports nothing but errors.
//
// Instants are milliseconds since the Unix epoch (UTC), and times to expiry are ACT/365
// year fractions, the convention crypto venues use for Black-76 (calendar time, no
// day-count holidays).
import { InputError } from "./errors.js";

/** Milliseconds in a calendar day: instants are epoch milliseconds, horizons are given in days. */
export const DAY_MS = 86_400_000;

/** Days in an ACT/365 year: the denominator of every year fraction (tenors in days → years). */
export const DAYS_PER_YEAR = 365;

/** Milliseconds in an ACT/365 year, the year length of every year fraction. */
export const MS_PER_YEAR = DAYS_PER_YEAR * DAY_MS;

/** EWMA decay per bar when none is given: RiskMetrics' 0.94 for daily returns (J.P. Morgan, 1996). */
export const DEFAULT_EWMA_LAMBDA = 0.94;

/** The tenor of "the" implied vol of an underlying (its ATM vol at 30 days), as vol indices such as DVOL quote it. */
export const REFERENCE_TENOR_DAYS = 30;

// Calendar date, optional time (minutes, seconds, fraction optional), optional
// offset (Z, ±HH:MM or ±HHMM). Written out rather than left to Date.parse, which
// reads an offset-less date-time as local time and accepts non-ISO formats.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Milliseconds since the epoch of an ISO-8601 date or date-time
 * (`2025-06-27`, `2025-06-27T08:00`, `2025-06-27T08:00:00.5+02:00`). Without an
 * offset the time is UTC. Throws InputError with an empty path (the caller knows
 * the field) when the string is not such a date or names an impossible one.
 */
export function parseTime(iso: string): number {
  const m = ISO.exec(iso);
  if (!m) throw notIso(iso);
  const year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw notIso(iso);
  if (hour > 23 || minute > 59 || second > 59) throw notIso(iso);
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  let offsetMin = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) throw notIso(iso);
    offsetMin = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + (minute - offsetMin) * 60 + second;
  return seconds * 1000 + fraction * 1000;
}

function notIso(iso: string): InputError {
  return new InputError("", `not an ISO-8601 date: ${JSON.stringify(iso)}`);
}

/** ACT/365 years from one instant to another (negative when `toMs` is earlier). */
export function yearFraction(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / MS_PER_YEAR;
}
