// Backtesting margin models day by day over a price history: on each test day
// every model sets a margin for the next h days from what was known that day;
// the book then takes the move that actually followed; a loss above the margin
// is a breach. Breaches are judged by Kupiec's and Christoffersen's tests and
// the Basel traffic light.
//
// The book is today's, rolled: on test day t each underlying's prices are today's
// scaled by S_t/S_today (strikes and entry prices too, so every option keeps its
// moneyness and time to expiry) and its implied vols by σ_t/σ_today (EWMA vols of
// the history). So the same risk is margined every day, at that day's price and
// vol level.
import { DAY_MS, DEFAULT_EWMA_LAMBDA } from "../../conventions.js";
import { assertBackend, checkBudget, type Backend } from "../../engine/backend.js";
import { expectObject, InputError, LimitError, refuseUnknownKeys } from "../../errors.js";
import { correlationFrom, ewmaVol } from "../../history/estimate.js";
import { alignHistory, returnWindows, type PriceHistory, type PriceOutlier, type PriceSeries } from "../../history/history.js";
import { checkedMarketData, marketFrom, movedUnderlying, type Market } from "../../market/market.js";
import { log } from "../../math/deterministic.js";
import type { MarketData, Position } from "../../model/types.js";
import { christoffersen, kupiec, trafficLight, type Christoffersen, type Kupiec, type TrafficLight } from "../../risk/backtest-stats.js";
import { tailRisk } from "../../risk/tail.js";
import type { MonteCarloModelInput } from "../../model/montecarlo.js";
import { monteCarlo } from "../montecarlo/montecarlo.js";
import { booksByUnderlying, revalueByUnderlying, type UnderlyingBook } from "../scenario-risk.js";
import { historyFor, type VolRule } from "../historical/historical.js";
import { checkedPositions } from "../../market/positions.js";
import { markParsed } from "../../schema/checked.js";
import { checkedModel } from "../../schema/montecarlo.js";

/** A margin model under test: its VaR at the backtest's level is the margin. */
export type BacktestModel =
  | { name?: string; method: "historical" }
  | { name?: string; method: "filtered-historical" }
  | { name?: string; method: "monte-carlo"; model?: MonteCarloModelInput };

export interface BacktestOptions {
  /** Test period (ISO dates, inclusive; default: all days with a full lookback before them). */
  from?: string;
  to?: string;
  /** VaR level the margin is set at (default 0.99). */
  level?: number;
  /** Holding period in days (default 1). */
  horizonDays?: number;
  /** Days of history each model may use before a test day (default 500). */
  lookbackDays?: number;
  /** EWMA decay for vol levels, filtering and the realised vol move (default 0.94). */
  lambda?: number;
  /**
   * How implied vols move, in what followed each test day and in the historical models'
   * windows alike: by the ratio of EWMA vols at the window's end and start ("realised",
   * default — there is no implied-vol history to replay), or not at all ("unchanged").
   */
  volRule?: VolRule;
  /** Refuse a history with outliers (closes that jump beyond OUTLIER_DEVIATIONS robust deviations) instead of reporting them (default false). */
  strict?: boolean;
  /** Default: Gaussian and Student-t (ν 5) Monte Carlo with 2,000 paths, historical, filtered historical. */
  models?: BacktestModel[];
  /** Called after each test day with the days done and their number (for progress bars). */
  onProgress?: (done: number, total: number) => void;
}

export interface BacktestModelResult {
  name: string;
  method: BacktestModel["method"];
  breaches: number;
  breachDates: string[];
  kupiec: Kupiec;
  christoffersen: Christoffersen;
  /** Over the last 250 test days (all of them when fewer). */
  trafficLight: TrafficLight;
  averageMarginUsd: number;
  /** Per test day: the margin set and the loss that followed (USD). */
  days: { date: string; marginUsd: number; lossUsd: number }[];
}

export interface BacktestResult {
  level: number;
  volRule: VolRule;
  horizonDays: number;
  lookbackDays: number;
  period: { from: string; to: string };
  testDays: number;
  models: BacktestModelResult[];
  /** The history's closes that jumped beyond the outlier screen (likely bad ticks), used as they are: only when there are any. */
  outliers?: PriceOutlier[];
}

const BASEL_DAYS = 250;
const MC_PATHS = 2_000;
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const DEFAULT_BACKTEST_MODELS: BacktestModel[] = [
  { name: "monte-carlo gaussian", method: "monte-carlo", model: { paths: MC_PATHS, marginal: { type: "normal" } } },
  { name: "monte-carlo student-t", method: "monte-carlo", model: { paths: MC_PATHS, marginal: { type: "student-t", nu: 5 } } },
  { name: "historical", method: "historical" },
  { name: "filtered historical", method: "filtered-historical" },
];

/**
 * Backtests margin models day by day over a price history: breaches, Kupiec, Christoffersen and the Basel zone per model. Takes the MarketData (the market is rebuilt at each day's prices).
 *
 * @example
 * ```ts
 * import { backtest, prepareInputs } from "pmargin";
 * import { shippedSeries } from "pmargin/shipped-history";
 * const { portfolio, marketData } = prepareInputs(portfolioJson, marketJson);
 * const result = backtest(engine, portfolio.positions, marketData, await shippedSeries(), { from: "2025-01-01" });
 * ```
 */
export function backtest(
  backend: Backend, positions: readonly Position[], marketData: MarketData, source: PriceHistory | PriceSeries[], options: BacktestOptions = {},
): BacktestResult {
  assertBackend(backend);
  marketData = checkedMarketData(marketData, "market");
  const today = marketFrom(marketData);
  positions = checkedPositions(positions, today);
  expectObject(options, "options", "an object of backtest options");
  const level = options.level ?? 0.99;
  const horizonDays = options.horizonDays ?? 1;
  const lookback = options.lookbackDays ?? 500;
  const lambda = options.lambda ?? DEFAULT_EWMA_LAMBDA;
  const volRule = options.volRule ?? "realised";
  if (volRule !== "realised" && volRule !== "unchanged") throw new InputError("volRule", `must be "realised" or "unchanged", got ${String(volRule)}`);
  const models = checkedModels(options.models ?? DEFAULT_BACKTEST_MODELS);
  if (!(level > 0 && level < 1)) throw new InputError("level", `must be within (0, 1), got ${level}`);
  if (!(Number.isInteger(lookback) && lookback >= 30)) throw new InputError("lookbackDays", `must be a whole number ≥ 30, got ${lookback}`);
  if (models.length === 0) throw new InputError("models", "must list at least one model");
  if (positions.length === 0) throw new InputError("portfolio.positions", "empty portfolio: nothing to backtest");

  const names = today.names.filter((u) => positions.some((p) => p.underlying === u));
  const history = historyFor(source, names, options.strict ? { strict: true } : {});
  if (history.times.length > backend.limits.historyObservations) throw new LimitError("history observations", history.times.length, backend.limits.historyObservations);
  const steps = Math.round((horizonDays * DAY_MS) / history.stepMs);
  if (!(steps >= 1 && Math.abs(steps * history.stepMs - horizonDays * DAY_MS) < 1)) {
    throw new InputError("horizonDays", `must be a whole number of the history's steps (${history.stepMs / DAY_MS} days), got ${horizonDays}`);
  }
  const t = history.times;
  const closes = names.map((u) => history.closes[history.symbols.indexOf(u)]!);
  const vols = names.map((u) => ewmaVol(history, u, { lambda }).vols); // vols[i − 1]: known at observation i
  const windows = returnWindows(history, { steps, overlapping: true });
  const windowReturns = names.map((u) => windows.logReturns[windows.symbols.indexOf(u)]!);

  // Test days: a full lookback before, the horizon after, inside [from, to].
  const fromMs = options.from ? Date.parse(options.from) : -Infinity;
  const toMs = options.to ? Date.parse(options.to) : Infinity;
  const testDays: number[] = [];
  for (let i = lookback; i + steps < t.length; i++) {
    if (t[i]! >= fromMs && t[i]! <= toMs && t[i + steps]! - t[i]! === steps * history.stepMs) testDays.push(i);
  }
  if (testDays.length === 0) throw new InputError("from", `no test day in the history with ${lookback} days before it and ${horizonDays} after`);
  // Every test day revalues the book under each model's paths, or its lookback's windows.
  const perDay = models.reduce((a, m) => a + (m.method === "monte-carlo" ? (m.model?.paths ?? MC_PATHS) : lookback), 0);
  checkBudget(backend.limits, testDays.length * perDay * positions.length, "test days × paths and windows × positions");

  const dt = horizonDays / 365;
  const last = t.length - 1;
  const margins = models.map(() => new Float64Array(testDays.length));
  const losses = new Float64Array(testDays.length);

  testDays.forEach((i, d) => {
    // Today's book, rolled to day i's price and vol levels.
    const scale = names.map((_, u) => ({ price: closes[u]![i]! / closes[u]![last]!, vol: vols[u]![i - 1]! / vols[u]![last - 1]! }));
    const data = scaleMarketData(marketData, names, scale);
    const market = marketFrom(data);
    const book = scalePositions(positions, names, scale);

    // What followed: the realised moves, vols moved by the rule.
    const realised = {
      logMoves: Float64Array.from(names, (_, u) => log(closes[u]![i + steps]! / closes[u]![i]!)),
      volShifts: Float64Array.from(names, (_, u) => (volRule === "realised" ? vols[u]![i + steps - 1]! / vols[u]![i - 1]! - 1 : 0)),
    };
    // The day's books stay loaded for what followed and for every model's margin.
    backend.withResident(() => {
      const books = booksByUnderlying(backend, book, market);
      losses[d] = -revalueByUnderlying(backend, books, realised, 1, dt).usd.reduce((a, r) => a + r[0]!, 0);
      models.forEach((m, j) => {
        margins[j]![d] = marginOf(m, { backend, book, market, books, i, lookback, windows, windowReturns, vols, names, history, level, dt, horizonDays, volRule });
      });
    });
    options.onProgress?.(d + 1, testDays.length);
  });

  const dates = testDays.map((i) => iso(t[i]!));
  return {
    level, volRule, horizonDays, lookbackDays: lookback,
    period: { from: dates[0]!, to: dates[dates.length - 1]! },
    testDays: testDays.length,
    ...(history.report.outliers ? { outliers: history.report.outliers } : {}),
    models: models.map((m, j) => {
      const margin = margins[j]!;
      const breach = Uint8Array.from(losses, (l, d) => (l > margin[d]! ? 1 : 0));
      const recent = breach.subarray(Math.max(0, breach.length - BASEL_DAYS));
      return {
        name: m.name ?? m.method,
        method: m.method,
        breaches: breach.reduce((a, b) => a + b, 0),
        breachDates: dates.filter((_, d) => breach[d] === 1),
        kupiec: kupiec(breach, level),
        christoffersen: christoffersen(breach, level),
        trafficLight: trafficLight(recent.reduce((a, b) => a + b, 0), recent.length, level),
        averageMarginUsd: margin.reduce((a, x) => a + x, 0) / margin.length,
        days: dates.map((date, d) => ({ date, marginUsd: margin[d]!, lossUsd: losses[d]! })),
      };
    }),
  };
}

const METHODS = ["historical", "filtered-historical", "monte-carlo"];

/** The models under test, a Monte Carlo one's model checked (errors under `models[i]`). */
function checkedModels(models: unknown): readonly BacktestModel[] {
  if (!Array.isArray(models)) throw new InputError("models", "must be an array of models");
  return models.map((m: BacktestModel, i) => {
    const path = `models[${i}]`;
    if (typeof m !== "object" || m === null || !METHODS.includes(m.method)) throw new InputError(`${path}.method`, `must be one of ${METHODS.join(", ")}`);
    refuseUnknownKeys(m, m.method === "monte-carlo" ? ["name", "method", "model"] : ["name", "method"], path);
    return m.method === "monte-carlo" && m.model !== undefined ? { ...m, model: checkedModel(m.model, `${path}.model`) } : m;
  });
}

interface Day {
  backend: Backend;
  book: Position[];
  market: Market;
  books: UnderlyingBook[];
  i: number;
  lookback: number;
  windows: ReturnType<typeof returnWindows>;
  windowReturns: Float64Array[];
  vols: Float64Array[];
  names: string[];
  history: PriceHistory;
  level: number;
  dt: number;
  horizonDays: number;
  volRule: VolRule;
}

/** A model's margin on test day i: its VaR at the level, from the lookback before i. */
function marginOf(m: BacktestModel, c: Day): number {
  const levels = { var: [c.level], es: [] };
  if (m.method === "monte-carlo") {
    const window = alignHistory(c.history.symbols.map((symbol, k) => ({ symbol, times: c.history.times, closes: c.history.closes[k]! })), {
      symbols: c.names, from: iso(c.history.times[c.i - c.lookback]!), to: iso(c.history.times[c.i]!),
    });
    const vols = Object.fromEntries(c.names.map((u, n) => [u, c.vols[n]![c.i - 1]!]));
    const correlation = c.names.length > 1 ? correlationFrom(window, { symbols: c.names }) : undefined;
    // The library's own model (VaR only, vols and correlation estimated from the history): checked as built.
    const r = monteCarlo(c.backend, c.book, c.market, markParsed({
      paths: MC_PATHS, ...m.model, seed: (m.model?.seed ?? 1) + c.i, horizon: { days: c.horizonDays }, vols,
      ...(correlation ? { correlation } : {}), levels, output: { histogramBins: 1, worstPaths: 0 },
    }, "model"));
    return r.portfolio.var[0]!.value;
  }
  // Historical windows that ended by day i and started within the lookback.
  const js: number[] = [];
  for (let j = 0; j < c.windows.start.length; j++) {
    if (c.windows.end[j]! <= c.i && c.windows.start[j]! >= c.i - c.lookback && c.windows.start[j]! >= 1) js.push(j);
  }
  const n = js.length;
  const logMoves = new Float64Array(c.names.length * n);
  const volShifts = new Float64Array(c.names.length * n);
  c.names.forEach((_, u) => {
    const vols = c.vols[u]!;
    js.forEach((j, w) => {
      const s = c.windows.start[j]!;
      const r = c.windowReturns[u]![j]!;
      logMoves[u * n + w] = m.method === "filtered-historical" ? r * (vols[c.i - 1]! / vols[s - 1]!) : r;
      if (c.volRule === "realised") volShifts[u * n + w] = vols[c.windows.end[j]! - 1]! / vols[s - 1]! - 1;
    });
  });
  const pnl = revalueByUnderlying(c.backend, c.books, { logMoves, volShifts }, n, c.dt);
  const loss = new Float64Array(n);
  for (const row of pnl.usd) for (let w = 0; w < n; w++) loss[w] = loss[w]! - row[w]!;
  return tailRisk(loss, levels, c.backend.selector()).var[0]!.value;
}

/** Market data with each underlying's prices scaled by `price` and implied vols by `vol`. */
export function scaleMarketData(data: MarketData, names: string[], scale: { price: number; vol: number }[]): MarketData {
  const underlyings = { ...data.underlyings };
  names.forEach((u, n) => {
    const { price, vol } = scale[n]!;
    const moved = movedUnderlying(data.underlyings[u]!, price);
    underlyings[u] = moved.surface ? { ...moved, surface: moved.surface.map((s) => ({ ...s, vols: s.vols.map((v) => v * vol) })) } : moved;
  });
  return { ...data, underlyings };
}

/** Positions with strikes and entry prices scaled with their underlying's prices. */
function scalePositions(positions: readonly Position[], names: string[], scale: { price: number }[]): Position[] {
  // Checked positions with their prices scaled as the market's are: checked as built.
  return positions.map((p) => {
    const f = scale[names.indexOf(p.underlying)]!.price;
    if (p.kind === "option") return markParsed({ ...p, strike: p.strike * f }, "position");
    if (p.kind === "future" && p.entryPrice !== undefined) return markParsed({ ...p, entryPrice: p.entryPrice * f }, "position");
    return p;
  });
}
