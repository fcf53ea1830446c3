// Price histories aligned across underlyings, and their h-step log returns.
//
// Alignment keeps the times at which every symbol has a close: a close missing for
// one symbol drops that time for all, and is reported; nothing is ever filled in. A
// missing day in every symbol is a gap between consecutive common times, reported
// too, and return windows spanning it are skipped (a 2-day return is not a 1-day one).
import { expectNames, expectObject, InputError, PmarginError } from "../errors.js";
import { DAY_MS, parseTime } from "../conventions.js";
import { formatInstant, parsePriceCsv, type PriceSeries } from "./csv.js";

export { parsePriceCsv, type PriceCsvOptions, type PriceSeries } from "./csv.js";

export interface PriceHistory {
  symbols: string[];
  /** Common observation times (ms UTC), ascending: the times at which every symbol has a close. */
  times: Float64Array;
  /** closes[k][i]: symbol k at times[i]. */
  closes: Float64Array[];
  /** The typical spacing of observations, ms (the most frequent difference between consecutive common times, e.g. 86,400,000 for daily). */
  stepMs: number;
  report: {
    /** Per symbol, its range (within from/to) and the times dropped because another symbol had no close then. */
    symbols: { symbol: string; first: string; last: string; observations: number; droppedForAlignment: number }[];
    /** Consecutive common times further apart than stepMs (missing days), from the observation before to the one after: never filled, reported. */
    gaps: { from: string; to: string; missingSteps: number }[];
    /** One-step jumps beyond OUTLIER_DEVIATIONS robust deviations (only when there are any): reported, used as they are unless `strict`. */
    outliers?: PriceOutlier[];
    notes: string[];
  };
}

export interface AlignOptions {
  /** The symbols kept, in this order (default: every series, in the order given). */
  symbols?: string[];
  /** First time kept, ISO (inclusive). */
  from?: string;
  /** Last time kept, ISO (inclusive; a bare date keeps that whole day). */
  to?: string;
  /** Refuse (InputError) a history with an outlier instead of reporting it (the CLI's --strict). */
  strict?: boolean;
}

/**
 * A one-step log return further than this many robust deviations (1.4826 × the median
 * absolute deviation from the median) is an outlier: a bad tick, not a market move. The
 * shipped history's largest move, BTC on 12 March 2020, is 22.7; a 10⁵× tick is ~500.
 */
export const OUTLIER_DEVIATIONS = 30;

/** A one-step return the screen found, in PriceHistory.report.outliers. */
export interface PriceOutlier {
  symbol: string;
  /** The close that jumped, and the one before it. */
  at: string;
  from: string;
  logReturn: number;
  deviations: number;
}

function median(sorted: Float64Array): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

/** The returns of `closes` (at `times`) beyond OUTLIER_DEVIATIONS robust deviations. */
function outliersOf(symbol: string, times: Float64Array, closes: Float64Array): PriceOutlier[] {
  const n = closes.length - 1;
  if (n < 3) return [];
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = Math.log(closes[i + 1]! / closes[i]!);
  const centre = median(r.slice().sort());
  const scale = 1.4826 * median(r.map((x) => Math.abs(x - centre)).sort());
  if (!(scale > 0)) return [];
  const out: PriceOutlier[] = [];
  r.forEach((x, i) => {
    const deviations = Math.abs(x - centre) / scale;
    if (deviations > OUTLIER_DEVIATIONS) out.push({ symbol, at: formatInstant(times[i + 1]!), from: formatInstant(times[i]!), logReturn: x, deviations });
  });
  return out;
}

/** Times listed in a note; the rest are counted. */
const LISTED = 5;
const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

function optionTime(name: "from" | "to", value: unknown): number {
  if (typeof value !== "string") throw new InputError(name, `must be an ISO date, got ${JSON.stringify(value)}`);
  try {
    // A bare `to` date means through that day, so that intraday closes on it are kept.
    return name === "to" && BARE_DATE.test(value) ? parseTime(value) + DAY_MS - 1 : parseTime(value);
  } catch (error) {
    throw new InputError(name, (error as InputError).reason);
  }
}

function validateSeries(series: PriceSeries[]): void {
  if (!Array.isArray(series) || series.length === 0) throw new InputError("series", "must be a non-empty array of price series");
  const seen = new Map<string, number>();
  series.forEach((s, i) => {
    const path = `series[${i}]`;
    if (typeof s?.symbol !== "string" || s.symbol === "") throw new InputError(`${path}.symbol`, "must be a non-empty name");
    const first = seen.get(s.symbol);
    if (first !== undefined) throw new InputError(`${path}.symbol`, `${s.symbol} is also series[${first}]: one series per symbol`);
    seen.set(s.symbol, i);
    const { times, closes } = s;
    if (!(times instanceof Float64Array) || !(closes instanceof Float64Array)) throw new InputError(path, "times and closes must be Float64Arrays (parsePriceCsv makes them)");
    if (times.length !== closes.length) throw new InputError(path, `${times.length} times but ${closes.length} closes`);
    for (let j = 0; j < times.length; j++) {
      if (!Number.isFinite(times[j]!) || (j > 0 && !(times[j]! > times[j - 1]!))) {
        throw new InputError(`${path}.times[${j}]`, "times must be finite and strictly ascending");
      }
      if (!(closes[j]! > 0 && Number.isFinite(closes[j]!))) throw new InputError(`${path}.closes[${j}]`, `must be a positive price, got ${closes[j]}`);
    }
  });
}

/**
 * Throws an InputError naming `path` unless `history` is a PriceHistory as alignHistory
 * makes it: names, ascending finite times, positive closes of the same length, a step.
 */
export function checkHistory(history: unknown, path = "history"): asserts history is PriceHistory {
  expectObject(history, path, "a PriceHistory (alignHistory(series))");
  const h = history as Partial<PriceHistory>;
  expectNames(h.symbols, `${path}.symbols`);
  const { times, closes, stepMs } = h;
  if (!(times instanceof Float64Array)) throw new InputError(`${path}.times`, "must be a Float64Array");
  if (!(typeof stepMs === "number" && stepMs > 0 && Number.isFinite(stepMs))) throw new InputError(`${path}.stepMs`, "must be a step > 0 ms");
  if (!Array.isArray(closes) || closes.length !== h.symbols!.length) throw new InputError(`${path}.closes`, "must hold one Float64Array per symbol");
  times.forEach((t, i) => {
    if (!Number.isFinite(t) || (i > 0 && !(t > times[i - 1]!))) throw new InputError(`${path}.times[${i}]`, "times must be finite and strictly ascending");
  });
  closes.forEach((c, k) => {
    if (!(c instanceof Float64Array) || c.length !== times.length) throw new InputError(`${path}.closes[${k}]`, `must be a Float64Array of ${times.length} closes`);
    const i = c.findIndex((x) => !(x > 0 && Number.isFinite(x)));
    if (i >= 0) throw new InputError(`${path}.closes[${k}][${i}]`, `must be a positive price, got ${c[i]}`);
  });
}

/** The first index with times[i] ≥ t. */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorted intersection of two ascending arrays. */
function intersect(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(Math.min(a.length, b.length));
  let n = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out[n++] = a[i]!;
      i++;
      j++;
    }
  }
  return out.slice(0, n);
}

/** The most frequent spacing, the smallest on a tie. */
function typicalStep(times: Float64Array): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const d = times[i]! - times[i - 1]!;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = Infinity;
  let bestCount = 0;
  for (const [d, c] of counts) {
    if (c > bestCount || (c === bestCount && d < best)) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}

function describeStep(ms: number): string {
  for (const [unit, size] of [["day", DAY_MS], ["hour", 3_600_000], ["minute", 60_000], ["second", 1000]] as const) {
    if (ms % size === 0) return ms === size ? `1 ${unit}` : `${ms / size} ${unit}s`;
  }
  return `${ms} ms`;
}

function listTimes(times: number[]): string {
  const listed = times.slice(0, LISTED).map(formatInstant).join(", ");
  return times.length > LISTED ? `${listed} and ${times.length - LISTED} more` : listed;
}

/**
 * Aligns series (e.g. one CSV per symbol) on their common times; `from`/`to` (ISO)
 * restrict the range; `symbols` selects and orders. Throws InputError if a requested
 * symbol is missing or fewer than 2 common observations remain.
 *
 * @example
 * ```ts
 * import { alignHistory, parsePriceCsv } from "pmargin";
 * const { series } = parsePriceCsv(csvText, { source: "prices.csv" });
 * const history = alignHistory(series); // common times, one close per symbol
 * ```
 */
export function alignHistory(series: PriceSeries[], options: AlignOptions = {}): PriceHistory {
  validateSeries(series);
  expectObject(options, "options", "an object of alignment options");
  let selected = series;
  if (options.symbols !== undefined) {
    const wanted = options.symbols;
    if (!Array.isArray(wanted) || wanted.length === 0) throw new InputError("symbols", "must name at least one symbol");
    selected = wanted.map((name, i) => {
      const found = series.find((s) => s.symbol === name);
      if (found === undefined) throw new InputError(`symbols[${i}]`, `no series for ${name}; there are ${series.map((s) => s.symbol).join(", ")}`);
      if (wanted.indexOf(name) !== i) throw new InputError(`symbols[${i}]`, `${name} is also symbols[${wanted.indexOf(name)}]`);
      return found;
    });
  }
  const fromMs = options.from === undefined ? -Infinity : optionTime("from", options.from);
  const toMs = options.to === undefined ? Infinity : optionTime("to", options.to);
  if (fromMs > toMs) throw new InputError("to", `must not be before from (${options.from}), got ${options.to}`);

  const ranged = selected.map((s) => {
    const lo = lowerBound(s.times, fromMs);
    const hi = lowerBound(s.times, toMs + 1);
    return { symbol: s.symbol, times: s.times.subarray(lo, hi), closes: s.closes.subarray(lo, hi) };
  });
  const range = (s: PriceSeries): string =>
    s.times.length === 0 ? `${s.symbol}: none` : `${s.symbol}: ${formatInstant(s.times[0]!)} to ${formatInstant(s.times[s.times.length - 1]!)}`;
  let times: Float64Array = ranged[0]!.times.slice();
  for (const s of ranged.slice(1)) times = intersect(times, s.times);
  const n = times.length;
  if (n < 2) {
    const within = options.from !== undefined || options.to !== undefined ? ` within ${options.from ?? "…"} to ${options.to ?? "…"}` : "";
    throw new InputError("", `${n} common observation${n === 1 ? "" : "s"}${within}, at least 2 are needed (${ranged.map(range).join("; ")})`);
  }

  const first = times[0]!;
  const last = times[n - 1]!;
  const notes: string[] = [];
  const closes = ranged.map((s) => {
    const out = new Float64Array(n);
    const holes: number[] = [];
    for (let i = 0, j = 0; j < s.times.length; j++) {
      const t = s.times[j]!;
      if (t === times[i]) out[i++] = s.closes[j]!;
      else if (t > first && t < last) holes.push(t);
    }
    if (holes.length > 0) {
      const missing = (t: number): string => {
        const without = ranged.filter((o) => o.times[lowerBound(o.times, t)] !== t).map((o) => o.symbol);
        return `${formatInstant(t)} (no ${without.join(", ")})`;
      };
      const listed = holes.slice(0, LISTED).map(missing).join(", ");
      const more = holes.length > LISTED ? ` and ${holes.length - LISTED} more` : "";
      notes.push(`${s.symbol}: ${holes.length} close${holes.length > 1 ? "s" : ""} inside the common range dropped for alignment: ${listed}${more}`);
    }
    return out;
  });

  const stepMs = typicalStep(times);
  const gaps: PriceHistory["report"]["gaps"] = [];
  let shorter = 0;
  for (let i = 1; i < n; i++) {
    const d = times[i]! - times[i - 1]!;
    if (d > stepMs) gaps.push({ from: formatInstant(times[i - 1]!), to: formatInstant(times[i]!), missingSteps: Math.ceil(d / stepMs) - 1 });
    else if (d < stepMs) shorter++;
  }
  notes.unshift(`common range ${formatInstant(first)} to ${formatInstant(last)}: ${n} observations, every ${describeStep(stepMs)}`);
  if (gaps.length > 0) {
    const missing = gaps.reduce((sum, g) => sum + g.missingSteps, 0);
    notes.push(`${gaps.length} gap${gaps.length > 1 ? "s" : ""} (${missing} missing step${missing > 1 ? "s" : ""}), not filled: windows spanning them are skipped`);
  }
  if (shorter > 0) notes.push(`${shorter} spacing${shorter > 1 ? "s" : ""} shorter than the step of ${describeStep(stepMs)}: windows spanning them are skipped`);
  const outliers = ranged.flatMap((s, k) => outliersOf(s.symbol, times, closes[k]!));
  if (outliers.length > 0) {
    const listed = outliers.slice(0, LISTED).map((o) => `${o.symbol} ${o.from} → ${o.at} (${o.logReturn >= 0 ? "×" : "÷"}${Math.exp(Math.abs(o.logReturn)).toPrecision(3)}, ${Math.round(o.deviations)} deviations)`).join(", ");
    const what = `${outliers.length} price jump${outliers.length > 1 ? "s" : ""} beyond ${OUTLIER_DEVIATIONS} robust deviations, likely bad ticks: ${listed}${outliers.length > LISTED ? ` and ${outliers.length - LISTED} more` : ""}`;
    if (options.strict) throw new InputError("history", `${what} (refused: --strict; fix the file or leave out --strict to use it as it is)`);
    notes.push(`warning: ${what}; used as they are (--strict refuses them)`);
  }

  return {
    symbols: ranged.map((s) => s.symbol),
    times,
    closes,
    stepMs,
    report: {
      symbols: ranged.map((s) => ({
        symbol: s.symbol,
        first: formatInstant(s.times[0]!),
        last: formatInstant(s.times[s.times.length - 1]!),
        observations: s.times.length,
        droppedForAlignment: s.times.length - n,
      })),
      gaps,
      ...(outliers.length > 0 ? { outliers } : {}),
      notes,
    },
  };
}

export interface LoadOptions extends AlignOptions {
  /** Renames of symbols as written in the files (parsePriceCsv's `symbols`). */
  rename?: Record<string, string>;
}

const NODE_FS = "node:fs/promises";

function fileName(path: string | URL): string {
  const text = path instanceof URL ? decodeURIComponent(path.pathname) : path;
  return text.split(/[/\\]/).pop() || text;
}

/** A file's text: read from disk for paths and file: URLs (Node), fetched for other URLs. */
/** A CSV file's name and text (a path, a file: URL, or a URL fetched). */
export async function readPriceFile(path: string | URL): Promise<{ name: string; text: string }> {
  return { name: fileName(path), text: await readText(path) };
}

async function readText(path: string | URL): Promise<string> {
  const name = fileName(path);
  try {
    if (path instanceof URL && path.protocol !== "file:") {
      const response = await fetch(path);
      if (!response.ok) throw new PmarginError(`HTTP ${response.status}`);
      return await response.text();
    }
    // Not analysable by bundlers on purpose: browsers never take this branch.
    const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ NODE_FS)) as typeof import("node:fs/promises");
    return await fs.readFile(path, "utf8");
  } catch (error) {
    throw new InputError("", `cannot read ${path instanceof URL ? path.href : path}: ${(error as Error).message}`, name);
  }
}

/**
 * Reads CSV files (paths, or URLs: file: URLs from disk, others fetched) into
 * their series, unaligned, with the notes of each file's parsing.
 *
 * @example
 * ```ts
 * import { alignHistory, loadPriceSeries } from "pmargin";
 * const { series, notes } = await loadPriceSeries(["btc.csv", "eth.csv"]);
 * const history = alignHistory(series);
 * ```
 */
export async function loadPriceSeries(paths: (string | URL)[], rename?: Record<string, string>): Promise<{ series: PriceSeries[]; notes: string[] }> {
  const texts = await Promise.all(paths.map(readText));
  const series: PriceSeries[] = [];
  const notes: string[] = [];
  texts.forEach((text, i) => {
    const parsed = parsePriceCsv(text, { source: fileName(paths[i]!), ...(rename ? { symbols: rename } : {}) });
    series.push(...parsed.series);
    notes.push(...parsed.notes);
  });
  return { series, notes };
}

/**
 * Reads CSV files and aligns their series; the files' notes come first in `report.notes`.
 *
 * @example
 * ```ts
 * import { historicalVaR, loadPriceHistory } from "pmargin";
 * const history = await loadPriceHistory(["BTCUSDT-1d.csv", "ETHUSDT-1d.csv"], { rename: { BTCUSDT: "BTC", ETHUSDT: "ETH" } });
 * const result = historicalVaR(engine, portfolio.positions, market, history);
 * ```
 */
export async function loadPriceHistory(paths: (string | URL)[], options: LoadOptions = {}): Promise<PriceHistory> {
  const { series, notes } = await loadPriceSeries(paths, options.rename);
  const history = alignHistory(series, { symbols: options.symbols, from: options.from, to: options.to });
  history.report.notes.unshift(...notes);
  return history;
}

export interface ReturnWindows {
  symbols: string[];
  /** Index in history.times of each window's start and end (end = start + h observations). */
  start: Int32Array;
  end: Int32Array;
  /** logReturns[k][w] = ln(close[k][end]/close[k][start]). */
  logReturns: Float64Array[];
  /** Windows skipped because they span a gap (their time span ≠ h·stepMs), reported. */
  skipped: number;
}

/**
 * h-step log-return windows, overlapping (every start, default) or not (starts h
 * apart, from the first observation). Windows spanning a gap are skipped unless
 * allowGaps.
 */
export function returnWindows(history: PriceHistory, options: { steps: number; overlapping?: boolean; allowGaps?: boolean }): ReturnWindows {
  checkHistory(history);
  expectObject(options, "options", "{ steps, overlapping?, allowGaps? }");
  const { steps, overlapping = true, allowGaps = false } = options;
  const n = history.times.length;
  if (!Number.isInteger(steps) || steps < 1) throw new InputError("steps", `must be a whole number ≥ 1, got ${steps}`);
  if (steps > n - 1) throw new InputError("steps", `must be at most ${n - 1}: the history has ${n} observations, got ${steps}`);
  const span = steps * history.stepMs;
  const starts: number[] = [];
  let skipped = 0;
  for (let s = 0; s + steps < n; s += overlapping ? 1 : steps) {
    if (allowGaps || history.times[s + steps]! - history.times[s]! === span) starts.push(s);
    else skipped++;
  }
  const start = Int32Array.from(starts);
  const end = Int32Array.from(starts, (s) => s + steps);
  const logReturns = history.closes.map((c) => {
    const r = new Float64Array(starts.length);
    for (let j = 0; j < starts.length; j++) r[j] = Math.log(c[starts[j]! + steps]! / c[starts[j]!]!);
    return r;
  });
  return { symbols: [...history.symbols], start, end, logReturns, skipped };
}
