// Forward prices by time to expiry, from the index and the quoted futures.
import { exp, log } from "../math/deterministic.js";
import { bracket } from "../math/bracket.js";

/** A quoted forward: `t` years from the valuation time, `price` in USD. */
export interface ForwardNode {
  t: number;
  price: number;
}

/**
 * Forward curve F(t) of one underlying.
 *
 * - t ≤ 0: the index (spot) price.
 * - With quotes: ln F is linear in t through the anchor (0, ln index) and the
 *   quotes sorted by t, i.e. a constant carry (d ln F / dt) on each segment, so
 *   every quote is reproduced exactly and the curve stays positive. Beyond the
 *   last quote the average carry to it, ln(F_last / index) / t_last, continues:
 *   F(t) = index·(F_last / index)^(t / t_last).
 * - Without quotes: F(t) = index·e^(basis·t).
 *
 * Quotes at t ≤ 0 (expired at the valuation time) say nothing about later
 * forwards and are ignored. `basis` applies only when no quote remains.
 */
export class ForwardCurve {
  private readonly ts: number[];
  private readonly prices: number[];
  private readonly logs: number[];

  constructor(
    readonly index: number,
    quotes: readonly ForwardNode[],
    readonly basis: number,
  ) {
    const live = quotes.filter((q) => q.t > 0).sort((a, b) => a.t - b.t);
    this.ts = [0, ...live.map((q) => q.t)];
    this.prices = [index, ...live.map((q) => q.price)];
    this.logs = this.prices.map(log);
  }

  /** Forward price for an expiry `t` years away. */
  forward(t: number): number {
    if (t <= 0) return this.index;
    const { ts, prices, logs } = this;
    const n = ts.length - 1;
    if (n === 0) return this.index * exp(this.basis * t);
    if (t >= ts[n]!) {
      if (t === ts[n]) return prices[n]!;
      return this.index * exp(((logs[n]! - logs[0]!) / ts[n]!) * t);
    }
    const lo = bracket(n, (i) => ts[i]!, t);
    const hi = lo + 1;
    if (t === ts[lo]) return prices[lo]!;
    const w = (t - ts[lo]!) / (ts[hi]! - ts[lo]!);
    return exp(logs[lo]! + w * (logs[hi]! - logs[lo]!));
  }
}
