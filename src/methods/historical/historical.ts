// Historical simulation: every h-day joint log return of the history, applied to
// today's market with full revaluation; optionally filtered (each return rescaled
// by EWMA volatility to today's level, as clearing houses do) and with implied
// vols moved by the realised-vol change of the window.
import { DAY_MS, DEFAULT_EWMA_LAMBDA, MS_PER_YEAR } from "../../conventions.js";
import { assertBackend, checkBudget, type Backend } from "../../engine/backend.js";
import { InputError, LimitError, refuseUnknownKeys } from "../../errors.js";
import { ewmaVol } from "../../history/estimate.js";
import { alignHistory, checkHistory, returnWindows, type PriceHistory, type PriceSeries } from "../../history/history.js";
import { exp } from "../../math/deterministic.js";
import { assertMarket, type Market } from "../../market/market.js";
import type { Position } from "../../model/types.js";
import type { PathBlock } from "../../engine/path-plan.js";
import type { TailRisk } from "../../risk/tail.js";
import {
  booksByUnderlying, checkCover, checkLevels, combineParts, heldBy, revalueInChunks, summarisePart,
  type Diversification, type PartSummary, type UnderlyingBook, type UnderlyingTail,
} from "../scenario-risk.js";
import { checkedPositions } from "../../market/positions.js";

/** How implied vols move in a window: not at all, or by the ratio of EWMA vols at its end and start. */
export type VolRule = "unchanged" | "realised";

export interface HistoricalOptions {
  /** Holding period in days (default 1): returns over this many observation steps. */
  horizonDays?: number;
  /** Every start (default) or windows h apart; overlapping windows share days, so their losses are dependent. */
  overlapping?: boolean;
  /** Restrict the history used (ISO dates, inclusive). */
  from?: string;
  to?: string;
  /** Refuse a history whose closes jump beyond OUTLIER_DEVIATIONS robust deviations (likely bad ticks) instead of reporting them in history.outliers (default false). */
  strict?: boolean;
  /** Filtered historical simulation: returns rescaled by EWMA vol to today's (default false). */
  filtered?: boolean;
  /** EWMA decay for filtering and for the realised vol rule (default 0.94, RiskMetrics). */
  lambda?: number;
  volRule?: VolRule;
  levels?: { var?: number[]; es?: number[] };
  histogramBins?: number;
  worstWindows?: number;
}

/** One historical window as applied today. */
export interface HistoricalWindow {
  start: string;
  end: string;
  lossUsd: number;
  moves: { underlying: string; move: number; volShift: number; pnlUsd: number }[];
}

export interface HistoricalResult {
  method: "historical" | "filtered-historical";
  currency: "USD";
  horizonDays: number;
  overlapping: boolean;
  volRule: VolRule;
  lambda: number;
  /** The history's common range used, and the windows taken / skipped (gaps, EWMA warm-up). */
  period: { from: string; to: string };
  windows: number;
  skipped: number;
  portfolio: TailRisk;
  underlyings: UnderlyingTail[];
  diversification: Diversification[];
  histogram: { edges: number[]; counts: number[] };
  worst: HistoricalWindow[];
  /** Alignment report of the history: ranges, dropped days, gaps. */
  history: PriceHistory["report"];
}

/** EWMA needs this many returns before its vol stands for the market; filtered windows start after. */
export const EWMA_WARM_UP = 30;

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The scenarios of a historical simulation: per window, log moves and vol shifts per underlying. */
export interface HistoricalScenarios {
  history: PriceHistory;
  steps: number;
  start: Int32Array;
  end: Int32Array;
  /** Planes [u·n + w], underlyings in `names` order. */
  logMoves: Float64Array;
  volShifts: Float64Array;
  skipped: number;
}

/** History aligned on `names` (series are aligned here; a given history must hold them). */
export function historyFor(source: PriceHistory | PriceSeries[], names: string[], range: { from?: string; to?: string; strict?: boolean } = {}): PriceHistory {
  if (Array.isArray(source)) return alignHistory(source, { symbols: names, ...range });
  checkHistory(source);
  if (range.strict && source.report.outliers) throw new InputError("history", `holds ${source.report.outliers.length} price jump(s) beyond the outlier screen (history.report.outliers): refused with strict`);
  const missing = names.filter((u) => !source.symbols.includes(u));
  if (missing.length > 0) throw new InputError("history", `no prices for ${missing.join(", ")} (the history has ${source.symbols.join(", ")})`);
  return range.from || range.to ? alignHistory(source.symbols.map((symbol, k) => ({ symbol, times: source.times, closes: source.closes[k]! })), { symbols: names, ...range }) : source;
}

/** Each h-step window's joint return (filtered to today's vol if asked) and vol shift, for `names`. */
export function historicalScenarios(
  history: PriceHistory, names: string[], o: { horizonDays: number; overlapping: boolean; filtered: boolean; lambda: number; volRule: VolRule },
): HistoricalScenarios {
  const steps = Math.round((o.horizonDays * DAY_MS) / history.stepMs);
  if (!(steps >= 1 && Math.abs(steps * history.stepMs - o.horizonDays * DAY_MS) < 1)) {
    throw new InputError("horizonDays", `must be a whole number of the history's steps (${history.stepMs / DAY_MS} days), got ${o.horizonDays}`);
  }
  if (!(o.lambda > 0 && o.lambda < 1)) throw new InputError("lambda", `must be within (0, 1), got ${o.lambda}`);
  const w = returnWindows(history, { steps, overlapping: o.overlapping });
  const ewma = o.filtered || o.volRule === "realised" ? names.map((u) => ewmaVol(history, u, { lambda: o.lambda }).vols) : [];
  // EWMA vol known at observation i (returns up to i): vols[i − 1].
  const needsWarmUp = o.filtered || o.volRule === "realised";
  const keep: number[] = [];
  for (let j = 0; j < w.start.length; j++) if (!needsWarmUp || w.start[j]! - 1 >= EWMA_WARM_UP) keep.push(j);
  const n = keep.length;
  if (n === 0) throw new InputError("history", `no ${steps}-step window left to simulate (${w.start.length} before the EWMA warm-up of ${EWMA_WARM_UP} days)`);
  const logMoves = new Float64Array(names.length * n);
  const volShifts = new Float64Array(names.length * n);
  names.forEach((_, u) => {
    const r = w.logReturns[w.symbols.indexOf(names[u]!)]!;
    const vols = ewma[u];
    const today = vols ? vols[vols.length - 1]! : 1;
    for (let i = 0; i < n; i++) {
      const j = keep[i]!;
      const s = w.start[j]!, e = w.end[j]!;
      logMoves[u * n + i] = o.filtered ? r[j]! * (today / vols![s - 1]!) : r[j]!;
      volShifts[u * n + i] = o.volRule === "realised" ? vols![e - 1]! / vols![s - 1]! - 1 : 0;
    }
  });
  return {
    history, steps,
    start: pick(w.start, keep),
    end: pick(w.end, keep),
    logMoves, volShifts,
    skipped: w.skipped + (w.start.length - n),
  };
}

/** a[keep[i]] for each i. */
function pick(a: Int32Array, keep: readonly number[]): Int32Array {
  const out = new Int32Array(keep.length);
  for (let i = 0; i < keep.length; i++) out[i] = a[keep[i]!]!;
  return out;
}

/**
 * A historical simulation set up on one engine: the windows built, each underlying's
 * book compiled for the moves they read. `part` revalues and summarises any range of
 * windows; parts computed on different engines (workers) give one run's result, bit
 * for bit.
 */
export interface HistoricalRun {
  windows: number;
  /** Windows [start, start + count) revalued and summarised. */
  part(start: number, count: number): PartSummary;
  /** The result from parts that cover every window once, in any order. */
  summarise(parts: readonly PartSummary[]): HistoricalResult;
}

const HISTORICAL_OPTIONS: readonly (keyof HistoricalOptions)[] = [
  "horizonDays", "overlapping", "from", "to", "strict", "filtered", "lambda", "volRule", "levels", "histogramBins", "worstWindows",
];

/** Windows revalued per chunk: a progress report moves within a range, scratch memory stays bounded. */
export const HISTORICAL_CHUNK = 512;

/** How a run reports: after each chunk of a range, the windows done and the range's size (for progress bars). */
export interface HistoricalProgress {
  onProgress?: (done: number, total: number) => void;
}

export function prepareHistorical(
  backend: Backend, positions: readonly Position[], market: Market, source: PriceHistory | PriceSeries[], options: HistoricalOptions = {},
  progress: HistoricalProgress = {},
): HistoricalRun {
  assertBackend(backend);
  assertMarket(market);
  refuseUnknownKeys(options, HISTORICAL_OPTIONS, "options");
  refuseUnknownKeys(progress, ["onProgress"] satisfies (keyof HistoricalProgress)[], "progress");
  if (progress.onProgress !== undefined && typeof progress.onProgress !== "function") throw new InputError("progress.onProgress", "must be a function (done, total)");
  positions = checkedPositions(positions, market);
  const o = {
    horizonDays: options.horizonDays ?? 1,
    overlapping: options.overlapping ?? true,
    filtered: options.filtered ?? false,
    lambda: options.lambda ?? DEFAULT_EWMA_LAMBDA,
    volRule: options.volRule ?? "unchanged",
  };
  if (o.volRule !== "unchanged" && o.volRule !== "realised") throw new InputError("volRule", `must be "unchanged" or "realised", got ${String(o.volRule)}`);
  const levels = { var: options.levels?.var ?? [0.99], es: options.levels?.es ?? [0.975] };
  const held = heldBy(positions, market);
  const names = held.map((h) => h.underlying);
  const history = historyFor(source, names, options);
  if (history.times.length > backend.limits.historyObservations) throw new LimitError("history observations", history.times.length, backend.limits.historyObservations);
  const sc = historicalScenarios(history, names, o);
  const n = sc.start.length;
  checkBudget(backend.limits, n * positions.length, "positions × windows");
  checkLevels(levels, n, "levels", "historical windows");
  // Compiled when a part is first revalued (a pool's main thread never does). Every
  // window is known before compiling: the smile tables need only the nodes they read.
  let compiled: UnderlyingBook[] | undefined;
  const books = (): UnderlyingBook[] =>
    (compiled ??= booksByUnderlying(backend, positions, market, { moves: (u) => sc.logMoves.subarray(names.indexOf(u) * n, (names.indexOf(u) + 1) * n) }));
  const output = { histogramBins: options.histogramBins ?? 50, worst: options.worstWindows ?? 10 };
  const listed = Math.min(output.worst, n);
  const dt = (o.horizonDays * DAY_MS) / MS_PER_YEAR;

  const part = (start: number, count: number): PartSummary => {
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(count) && start >= 0 && count >= 1 && start + count <= n)) {
      throw new InputError("windows", `a range of windows must lie within 0..${n}, got ${start}..${start + count}`);
    }
    // Windows [from, from + m) of a plane, per underlying, in one buffer the chunks reuse.
    const cells = names.length * Math.min(HISTORICAL_CHUNK, count);
    const buffers = { logMoves: new Float64Array(cells), volShifts: new Float64Array(cells) };
    const planes = (all: Float64Array, out: Float64Array, from: number, m: number): Float64Array => {
      if (m === n) return all;
      names.forEach((_, u) => out.set(all.subarray(u * n + from, u * n + from + m), u * m));
      return out.subarray(0, names.length * m);
    };
    const block = (at: number, m: number): PathBlock => ({
      logMoves: planes(sc.logMoves, buffers.logMoves, start + at, m), volShifts: planes(sc.volShifts, buffers.volShifts, start + at, m),
    });
    const pnl = revalueInChunks(backend, books, count, HISTORICAL_CHUNK, block, dt, progress.onProgress);
    return summarisePart(pnl, start, n, levels, { worst: listed, listed }, backend);
  };

  const summarise = (parts: readonly PartSummary[]): HistoricalResult => {
    checkCover(parts, n, "windows");
    const risk = combineParts(held, parts, n, levels, output);
    const t = history.times;
    return {
      method: o.filtered ? "filtered-historical" : "historical",
      currency: "USD",
      horizonDays: o.horizonDays,
      overlapping: o.overlapping,
      volRule: o.volRule,
      lambda: o.lambda,
      period: { from: iso(t[0]!), to: iso(t[t.length - 1]!) },
      windows: n,
      skipped: sc.skipped,
      portfolio: risk.portfolio,
      underlyings: risk.underlyings,
      diversification: risk.diversification,
      histogram: risk.histogram,
      worst: risk.worst.map(({ index: i, lossUsd, pnlUsd }) => ({
        start: iso(t[sc.start[i]!]!),
        end: iso(t[sc.end[i]!]!),
        lossUsd,
        moves: names.map((underlying, u) => ({
          underlying, move: exp(sc.logMoves[u * n + i]!) - 1, volShift: sc.volShifts[u * n + i]!, pnlUsd: pnlUsd[u]!,
        })),
      })),
      history: history.report,
    };
  };

  return { windows: n, part, summarise };
}

/**
 * Historical (or filtered historical) VaR/ES of a portfolio over a price history.
 *
 * @example
 * ```ts
 * import { historicalVaR } from "pmargin";
 * import { shippedHistory } from "pmargin/shipped-history";
 * const result = historicalVaR(engine, portfolio.positions, market, await shippedHistory(), { filtered: true });
 * ```
 */
export function historicalVaR(
  backend: Backend, positions: readonly Position[], market: Market, source: PriceHistory | PriceSeries[], options: HistoricalOptions = {},
  progress: HistoricalProgress = {},
): HistoricalResult {
  assertBackend(backend);
  assertMarket(market);
  const run = prepareHistorical(backend, positions, market, source, options, progress);
  return run.summarise([run.part(0, run.windows)]);
}
