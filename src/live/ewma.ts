// EWMA volatilities and correlations kept current from a price stream. Ticks come
// at irregular times and per underlying, so prices are sampled on a fixed interval
// (the last price of each underlying in each bar) and each closed bar contributes one
// synchronous log return per underlying — what a correlation needs. The recursion is
// RiskMetrics' zero-mean one, seeded like ewmaVol() (src/history/estimate.ts): the
// first `seed` returns are averaged, then C ← λ·C + (1 − λ)·r·rᵀ.
import { expectNames, expectObject, InputError } from "../errors.js";
import { DEFAULT_EWMA_LAMBDA, MS_PER_YEAR } from "../conventions.js";
import { DEFAULT_SEED } from "../history/estimate.js";

export interface EwmaOptions {
  /** Decay per bar (default 0.94). */
  lambda?: number;
  /** Bar length, ms (default 60,000: one-minute returns). */
  intervalMs?: number;
  /** Returns averaged before the recursion starts, and before estimates are reported (default 30). */
  seed?: number;
}


/**
 * EWMA vols and correlations of streamed prices, bar by bar (the batch estimator's figures on the same bars).
 *
 * @example
 * ```ts
 * import { EwmaTracker } from "pmargin";
 * const ewma = new EwmaTracker(["BTC", "ETH"], { lambda: 0.94 });
 * ewma.observe(0, 97_500, Date.parse("2026-01-05T00:00:00Z")); // BTC's price at a time
 * ewma.ready; // once enough bars have closed
 * ```
 */
export class EwmaTracker {
  readonly lambda: number;
  readonly intervalMs: number;
  readonly seed: number;
  /** Returns folded in so far. */
  returns = 0;
  private readonly cov: Float64Array;
  private readonly last: Float64Array;
  private readonly closes: Float64Array;
  private bar = -Infinity;
  /** The bar the closes are from. */
  private closedBar = -Infinity;

  constructor(readonly names: readonly string[], options: EwmaOptions = {}) {
    expectNames(names, "names");
    expectObject(options, "ewma", "an object of EWMA options");
    this.lambda = options.lambda ?? DEFAULT_EWMA_LAMBDA;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.seed = options.seed ?? DEFAULT_SEED;
    if (!(this.lambda > 0 && this.lambda < 1)) throw new InputError("ewma.lambda", `must be within (0, 1), got ${this.lambda}`);
    if (!(Number.isFinite(this.intervalMs) && this.intervalMs > 0)) throw new InputError("ewma.intervalMs", `must be a duration > 0 ms, got ${this.intervalMs}`);
    if (!(Number.isInteger(this.seed) && this.seed >= 1)) throw new InputError("ewma.seed", `must be a whole number ≥ 1, got ${this.seed}`);
    const n = names.length;
    this.cov = new Float64Array(n * n);
    this.last = new Float64Array(n).fill(NaN);
    this.closes = new Float64Array(n).fill(NaN);
  }

  /** Whether enough returns have been seen for the estimates to mean anything. */
  get ready(): boolean {
    return this.returns >= this.seed;
  }

  /**
   * A price of underlying `u` at `timeMs` (non-decreasing). Returns true when it closed
   * a bar and the estimates moved.
   */
  observe(u: number, price: number, timeMs: number): boolean {
    const bar = Math.floor(timeMs / this.intervalMs);
    if (bar < this.bar) throw new InputError("time", `updates must come in time order: ${new Date(timeMs).toISOString()} is before the current bar`);
    let closed = false;
    if (bar > this.bar && this.bar !== -Infinity) closed = this.closeBar();
    this.bar = bar;
    this.last[u] = price;
    return closed;
  }

  /** Annualised volatility of underlying u (NaN before its first return). */
  vol(u: number): number {
    if (this.returns === 0) return NaN;
    return Math.sqrt((this.cov[u * this.names.length + u]! * MS_PER_YEAR) / this.intervalMs);
  }

  /** EWMA correlation of underlyings a and b (NaN before a return of each). */
  correlation(a: number, b: number): number {
    const n = this.names.length;
    return this.cov[a * n + b]! / Math.sqrt(this.cov[a * n + a]! * this.cov[b * n + b]!);
  }

  /**
   * One return per underlying from the previous closes to this bar's. A return over
   * g bars (bars without ticks) counts as g bars' variance: r²/g, as ewmaVol weighs gaps.
   */
  private closeBar(): boolean {
    const n = this.names.length;
    const gap = this.bar - this.closedBar;
    this.closedBar = this.bar;
    const r = new Float64Array(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      // An underlying not yet priced twice contributes nothing; one without a tick this bar did not move.
      r[i] = Number.isNaN(this.closes[i]!) || Number.isNaN(this.last[i]!) ? 0 : Math.log(this.last[i]! / this.closes[i]!);
      any ||= !Number.isNaN(this.closes[i]!);
      if (!Number.isNaN(this.last[i]!)) this.closes[i] = this.last[i]!;
    }
    if (!any) return false;
    this.returns++;
    const w = this.returns <= this.seed ? 1 / this.returns : 1 - this.lambda;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) this.cov[i * n + j] = (1 - w) * this.cov[i * n + j]! + (w * r[i]! * r[j]!) / gap;
    }
    return true;
  }
}
