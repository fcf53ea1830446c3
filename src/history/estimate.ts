// Volatility and correlation estimated from a price history, in the form a Monte Carlo
// model takes them (annualised vols by underlying, a CorrelationInput).
//
// Every estimator works on one-step log returns, ln(close[i+1]/close[i]). Vols are
// annualised over 365-day years, as crypto trades every day: one step is
// stepMs / (365·86,400,000) of a year. A return spanning a gap (several steps) is not
// a one-step return: the sample estimators leave it out, the EWMA takes its per-step
// variance r²/steps.
import { expectObject, InputError } from "../errors.js";
import type { CorrelationInput } from "../math/correlation.js";
import { DEFAULT_EWMA_LAMBDA, MS_PER_YEAR } from "../conventions.js";
import { checkHistory, returnWindows, type PriceHistory } from "./history.js";

/** One-step returns whose mean square starts the EWMA recursion. */
export const DEFAULT_SEED = 30;

function symbolIndex(history: PriceHistory, symbol: string, path: string): number {
  checkHistory(history);
  const k = history.symbols.indexOf(symbol);
  if (k < 0) throw new InputError(path, `no ${symbol} in the history; it has ${history.symbols.join(", ")}`);
  return k;
}

function checkLambda(lambda: number): number {
  if (typeof lambda !== "number" || !(lambda > 0 && lambda < 1)) throw new InputError("lambda", `must be in (0, 1), got ${lambda}`);
  return lambda;
}

function checkWindow(window: number, available: number): number {
  if (available < 2) throw new InputError("window", `at least 2 one-step returns are needed, the history has ${available}`);
  if (!Number.isInteger(window) || window < 2 || window > available) {
    throw new InputError("window", `must be a whole number of one-step returns in [2, ${available}], got ${window}`);
  }
  return window;
}

/** 1 / (the year fraction of one step): multiplies a per-step variance into an annual one. */
function stepsPerYear(history: PriceHistory): number {
  return MS_PER_YEAR / history.stepMs;
}

/**
 * Annualised sample standard deviation of one-step log returns. `window` is the
 * number of returns used, the last ones ending at or before observation `end`
 * (default: every return up to the last observation).
 */
export function realisedVol(history: PriceHistory, symbol: string, options: { window?: number; end?: number } = {}): number {
  const k = symbolIndex(history, symbol, "symbol");
  expectObject(options, "options", "{ window?, end? }");
  const last = history.times.length - 1;
  const end = options.end ?? last;
  if (!Number.isInteger(end) || end < 1 || end > last) throw new InputError("end", `must be an observation index in [1, ${last}], got ${end}`);
  const w = returnWindows(history, { steps: 1 });
  let available = w.end.length;
  while (available > 0 && w.end[available - 1]! > end) available--;
  const window = checkWindow(options.window ?? available, available);
  const r = w.logReturns[k]!.subarray(available - window, available);
  const mean = r.reduce((sum, x) => sum + x, 0) / window;
  const variance = r.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (window - 1);
  return Math.sqrt(variance * stepsPerYear(history));
}

/**
 * EWMA variance recursion σ²_t = λσ²_{t−1} + (1 − λ)r²_t (RiskMetrics, λ default
 * 0.94), zero-mean as RiskMetrics. `vols[t]` is the annualised vol after return t
 * (from observation t to t + 1): it uses returns up to and including t, so the vol
 * known at observation i is vols[i − 1]. The recursion starts at t = seed − 1 from the
 * mean square of the first `seed` returns (default 30, or all returns when fewer);
 * before that, vols[t] is the mean square of returns 0…t, so that every value uses
 * only returns already seen.
 */
export function ewmaVol(history: PriceHistory, symbol: string, options: { lambda?: number; seed?: number } = {}): { vols: Float64Array; last: number } {
  const k = symbolIndex(history, symbol, "symbol");
  expectObject(options, "options", "{ lambda?, seed? }");
  const lambda = checkLambda(options.lambda ?? DEFAULT_EWMA_LAMBDA);
  const m = history.times.length - 1;
  const seed = options.seed ?? Math.min(DEFAULT_SEED, m);
  if (!Number.isInteger(seed) || seed < 1 || seed > m) {
    throw new InputError("seed", `must be a whole number of one-step returns in [1, ${m}], got ${seed}`);
  }
  const closes = history.closes[k]!;
  const times = history.times;
  const annual = stepsPerYear(history);
  const vols = new Float64Array(m);
  let sum = 0;
  let variance = 0;
  for (let t = 0; t < m; t++) {
    const r = Math.log(closes[t + 1]! / closes[t]!);
    const perStep = (r * r * history.stepMs) / (times[t + 1]! - times[t]!);
    if (t < seed) {
      sum += perStep;
      variance = sum / (t + 1);
    } else {
      variance = lambda * variance + (1 - lambda) * perStep;
    }
    vols[t] = Math.sqrt(variance * annual);
  }
  return { vols, last: vols[m - 1]! };
}

/**
 * Pearson correlation matrix of one-step log returns, as a CorrelationInput. `window`
 * is the number of returns used, the last ones (default all); with `lambda`, return t
 * of the window weighs λ^(window−1−t) in the means and (co)variances (EWMA weights).
 */
export function correlationFrom(history: PriceHistory, options: { symbols?: string[]; window?: number; lambda?: number } = {}): CorrelationInput {
  checkHistory(history);
  expectObject(options, "options", "an object of options");
  const names = options.symbols ?? history.symbols;
  if (!Array.isArray(names) || names.length === 0) throw new InputError("symbols", "must name at least one symbol");
  const indices = names.map((name, i) => {
    if (names.indexOf(name) !== i) throw new InputError(`symbols[${i}]`, `${name} is also symbols[${names.indexOf(name)}]`);
    return symbolIndex(history, name, `symbols[${i}]`);
  });
  const w = returnWindows(history, { steps: 1 });
  const available = w.start.length;
  const window = checkWindow(options.window ?? available, available);
  const lambda = options.lambda === undefined ? 1 : checkLambda(options.lambda);

  const weights = new Float64Array(window);
  for (let t = window - 1, x = 1; t >= 0; t--, x *= lambda) weights[t] = x;
  const total = weights.reduce((sum, x) => sum + x, 0);
  const centred = indices.map((k) => {
    const r = w.logReturns[k]!.subarray(available - window);
    const mean = r.reduce((sum, x, t) => sum + weights[t]! * x, 0) / total;
    return r.map((x) => x - mean);
  });
  const cov = (a: Float64Array, b: Float64Array): number => a.reduce((sum, x, t) => sum + weights[t]! * x * b[t]!, 0);
  const variances = centred.map((c, i) => {
    const v = cov(c, c);
    if (!(v > 0)) throw new InputError("window", `${names[i]}'s close does not move over the window: its correlation is undefined`);
    return v;
  });
  const matrix = names.map(() => new Array<number>(names.length).fill(1));
  for (let i = 0; i < names.length; i++) {
    for (let j = 0; j < i; j++) {
      // Rounding can put a perfect correlation a hair outside [−1, 1].
      const rho = Math.max(-1, Math.min(1, cov(centred[i]!, centred[j]!) / Math.sqrt(variances[i]! * variances[j]!)));
      matrix[i]![j] = matrix[j]![i] = rho;
    }
  }
  return { underlyings: [...names], matrix };
}

export interface ModelInputOptions {
  /** The underlyings estimated (default every symbol of the history). */
  symbols?: string[];
  /** "ewma" (default): EWMA vols and EWMA-weighted correlation with `lambda`; "simple": sample vols and correlation. */
  method?: "ewma" | "simple";
  /** EWMA decay (default 0.94); "ewma" only. */
  lambda?: number;
  /** EWMA seed (see ewmaVol); "ewma" only. */
  seed?: number;
  /** One-step returns used by the sample vols and by both correlations, the last ones (default all). */
  window?: number;
}

/**
 * Everything a Monte Carlo model needs from a history: its `vols` and `correlation`.
 *
 * @example
 * ```ts
 * import { estimateModelInputs, loadPriceHistory, monteCarlo } from "pmargin";
 * const { vols, correlation } = estimateModelInputs(await loadPriceHistory(["btc.csv", "eth.csv"]));
 * const result = monteCarlo(engine, portfolio.positions, market, { vols, correlation });
 * ```
 */
export function estimateModelInputs(history: PriceHistory, options: ModelInputOptions = {}): { vols: Record<string, number>; correlation: CorrelationInput } {
  checkHistory(history);
  expectObject(options, "options", "an object of options");
  const { method = "ewma", lambda, seed, window } = options;
  if (method !== "ewma" && method !== "simple") throw new InputError("method", `must be "ewma" or "simple", got ${JSON.stringify(method)}`);
  if (method === "simple" && lambda !== undefined) throw new InputError("lambda", 'applies to the "ewma" method only');
  if (method === "simple" && seed !== undefined) throw new InputError("seed", 'applies to the "ewma" method only');
  const names = options.symbols ?? history.symbols;
  const ewma = method === "ewma";
  const correlation = correlationFrom(history, { symbols: names, window, lambda: ewma ? (lambda ?? DEFAULT_EWMA_LAMBDA) : undefined });
  const vols = Object.fromEntries(
    names.map((name) => [name, ewma ? ewmaVol(history, name, { lambda, seed }).last : realisedVol(history, name, { window })]),
  );
  return { vols, correlation };
}
