// Backtesting margin models day by day over the shipped history.
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import type { PriceSeries } from "../src/history/history.js";
import { shippedSeries } from "../src/history/shipped.js";
import { backtest, type BacktestResult } from "../src/methods/backtest/backtest.js";
import type { MarketData, Position } from "../src/model/types.js";
import { kupiec } from "../src/risk/backtest-stats.js";
import { AS_OF, expiryIn } from "./fixtures/synthetic.js";

let engine: Engine;
let series: PriceSeries[];
let result: BacktestResult;

const marketData: MarketData = {
  asOf: AS_OF,
  underlyings: {
    BTC: { index: 70_000, surface: [{ expiry: expiryIn(60), logMoneyness: [-0.2, 0, 0.2], vols: [0.6, 0.5, 0.55] }] },
    ETH: { index: 2_000, surface: [{ expiry: expiryIn(60), logMoneyness: [0], vols: [0.7] }] },
  },
};
const book: Position[] = [
  { id: "btc", kind: "spot", underlying: "BTC", quantity: 2 },
  { id: "eth", kind: "spot", underlying: "ETH", quantity: -20 },
  { id: "put", kind: "option", settlement: "inverse", underlying: "BTC", right: "put", strike: 60_000, expiry: expiryIn(30), quantity: -1 },
];

beforeAll(async () => {
  engine = await createEngine();
  series = await shippedSeries();
  result = backtest(engine, book, marketData, series, {
    from: "2023-01-01", to: "2024-12-31", lookbackDays: 250,
    models: [
      { name: "gaussian", method: "monte-carlo", model: { paths: 1_000, marginal: { type: "normal" } } },
      { name: "student-t", method: "monte-carlo", model: { paths: 1_000, marginal: { type: "student-t", nu: 5 } } },
      { name: "historical", method: "historical" },
      { name: "filtered", method: "filtered-historical" },
    ],
  });
}, 120_000);

describe("backtest", () => {
  it("tests every day of the period with a full lookback before it", () => {
    expect(result.period).toEqual({ from: "2023-01-01", to: "2024-12-31" });
    expect(result.testDays).toBe(731);
    for (const m of result.models) expect(m.days).toHaveLength(731);
  });

  it("a breach is a day whose loss exceeded that day's margin, and the statistics are of those breaches", () => {
    for (const m of result.models) {
      const breached = m.days.filter((d) => d.lossUsd > d.marginUsd);
      expect(m.breaches).toBe(breached.length);
      expect(m.breachDates).toEqual(breached.map((d) => d.date));
      expect(m.kupiec).toEqual(kupiec(m.days.map((d) => d.lossUsd > d.marginUsd), 0.99));
      expect(m.trafficLight.observations).toBe(250);
      expect(m.days.every((d) => d.marginUsd > 0)).toBe(true);
    }
  });

  it("every model sees the same realised losses: the rolled book under the move that followed", () => {
    const [a, ...rest] = result.models;
    for (const m of rest) expect(m.days.map((d) => d.lossUsd)).toEqual(a!.days.map((d) => d.lossUsd));
  });

  it("Student-t margins exceed Gaussian ones on average (fatter 1% tail at the same vol)", () => {
    const avg = (name: string): number => result.models.find((m) => m.name === name)!.averageMarginUsd;
    expect(avg("student-t")).toBeGreaterThan(avg("gaussian"));
  });

  it("the margins cover about 99% of days: breach counts are within Kupiec's acceptance or reported as rejected", () => {
    for (const m of result.models) {
      expect(m.kupiec.observations).toBe(731);
      expect(m.kupiec.reject).toBe(m.kupiec.pValue < 0.05);
      expect(m.breaches).toBeLessThan(60);
    }
  });

  it("refuses a test period with no room for the lookback", () => {
    expect(() => backtest(engine, book, marketData, series, { from: "2017-08-20", to: "2017-09-30", lookbackDays: 500 })).toThrow(InputError);
  });
});
