// Streaming EWMA estimates: the same vols as the batch estimator on the shipped daily
// history (gaps included), and correlations equal to the explicit weighted sums.
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { ewmaVol } from "../../src/history/estimate.js";
import { shippedHistory } from "../../src/history/shipped.js";
import { EwmaTracker } from "../../src/live/ewma.js";
import { MS_PER_YEAR } from "../../src/conventions.js";

const history = await shippedHistory({ from: "2023-01-01", to: "2026-03-29" });
const DAY = 86_400_000;

describe("EWMA tracker", () => {
  it("streams the vols ewmaVol() computes from the same daily closes, gaps weighted alike", () => {
    expect(history.report.gaps.length).toBeGreaterThan(0);
    const tracker = new EwmaTracker(history.symbols, { lambda: 0.94, intervalMs: DAY, seed: 30 });
    const batch = history.symbols.map((s) => ewmaVol(history, s, { lambda: 0.94, seed: 30 }).vols);
    let checked = 0;
    history.times.forEach((t, i) => {
      let closed = false;
      history.symbols.forEach((_, k) => {
        closed = tracker.observe(k, history.closes[k]![i]!, t) || closed;
      });
      // Observation i closes the bar of i − 1: the return from i − 2 to i − 1 is in.
      if (closed) {
        history.symbols.forEach((_, k) => expect(tracker.vol(k)).toBeCloseTo(batch[k]![i - 2]!, 12));
        checked++;
      }
    });
    expect(checked).toBe(history.times.length - 2);
  });

  it("correlations equal the explicit weighted sums: seed returns averaged, then (1 − λ)λ^age", () => {
    const lambda = 0.97;
    const seed = 20;
    const tracker = new EwmaTracker(history.symbols, { lambda, intervalMs: DAY, seed });
    history.times.forEach((t, i) => history.symbols.forEach((_, k) => tracker.observe(k, history.closes[k]![i]!, t)));
    // Returns folded: all but the last (its bar is still open), each over its gap.
    const n = history.times.length - 2;
    const r = (k: number, i: number) => Math.log(history.closes[k]![i + 1]! / history.closes[k]![i]!);
    const gap = (i: number) => Math.round((history.times[i + 1]! - history.times[i]!) / DAY);
    const weight = (i: number) => (i < seed ? lambda ** (n - seed) / seed : (1 - lambda) * lambda ** (n - 1 - i));
    const cov = (a: number, b: number) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += (weight(i) * r(a, i) * r(b, i)) / gap(i);
      return sum;
    };
    for (let a = 0; a < 3; a++) {
      expect(tracker.vol(a)).toBeCloseTo(Math.sqrt((cov(a, a) * MS_PER_YEAR) / DAY), 10);
      for (let b = a + 1; b < 3; b++) expect(tracker.correlation(a, b)).toBeCloseTo(cov(a, b) / Math.sqrt(cov(a, a) * cov(b, b)), 10);
    }
    expect(tracker.correlation(0, 1)).toBeGreaterThan(0.5);
  });

  it("is ready after its seed returns; refuses time going backwards and bad parameters", () => {
    const tracker = new EwmaTracker(["X"], { intervalMs: 1000, seed: 3 });
    for (let s = 0; s < 4; s++) tracker.observe(0, 100 + s, s * 1000);
    expect(tracker.ready).toBe(false);
    tracker.observe(0, 99, 4000);
    expect(tracker.ready).toBe(true);
    expect(() => tracker.observe(0, 100, 2000)).toThrow(InputError);
    expect(() => new EwmaTracker(["X"], { lambda: 1 })).toThrow(/ewma.lambda/);
    expect(() => new EwmaTracker(["X"], { intervalMs: 0 })).toThrow(/ewma.intervalMs/);
    expect(() => new EwmaTracker(["X"], { seed: 0.5 })).toThrow(/ewma.seed/);
  });
});
