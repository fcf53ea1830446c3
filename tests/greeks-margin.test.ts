// The delta–gamma–vega approximation of grid PnL against full revaluation.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { buildMarket } from "../src/market/market.js";
import { greeksMargin } from "../src/methods/greeks-margin.js";
import type { MarginProfile } from "../src/model/profile.js";
import type { Position } from "../src/model/types.js";
import { AS_OF, expiryIn } from "./fixtures/synthetic.js";

const engine = await createEngine();
const market = buildMarket({
  asOf: AS_OF,
  underlyings: { BTC: { index: 100_000, basis: 0.05, surface: [{ expiry: expiryIn(60), logMoneyness: [0], vols: [0.5] }] } },
});
const profile = (moves: number[], shift = 0): MarginProfile => ({
  name: "test", description: "", sources: [], mmFactor: 0.8, crossUnderlying: "sum",
  defaults: { moves, volStates: [{ name: "v", shift }], extended: [] },
});
const call: Position = { id: "c", kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: 100_000, expiry: expiryIn(30), quantity: -10 };

describe("Greeks-based grid PnL", () => {
  it("is exact for a linear book (spot and futures have no gamma or vega)", () => {
    const book: Position[] = [
      { kind: "spot", underlying: "BTC", quantity: 3 },
      { kind: "future", settlement: "linear", underlying: "BTC", quantity: -2, expiry: expiryIn(90) },
      { kind: "future", settlement: "inverse", underlying: "BTC", quantity: 50_000, faceValue: 10 },
    ];
    const [u] = greeksMargin(engine, book, market, profile([-0.1, -0.01, 0.01, 0.1]));
    // Inverse futures are linear in 1/F, so not exactly linear in S: allow their convexity.
    for (const sc of u!.scenarios) expect(Math.abs(sc.greeksPnlUsd - sc.fullPnlUsd)).toBeLessThan(0.02 * Math.abs(sc.fullPnlUsd) + 1e-6);
    const [lin] = greeksMargin(engine, book.slice(0, 2), market, profile([-0.1, 0.1]));
    for (const sc of lin!.scenarios) expect(sc.greeksPnlUsd).toBeCloseTo(sc.fullPnlUsd, 6);
  });

  it("is close for an option under a 1% move (third-order error) and far worse under ±16%", () => {
    const small = greeksMargin(engine, [call], market, profile([-0.01, 0.01]))[0]!;
    const large = greeksMargin(engine, [call], market, profile([-0.16, 0.16]))[0]!;
    for (const sc of small.scenarios) expect(Math.abs(sc.greeksPnlUsd - sc.fullPnlUsd)).toBeLessThan(0.02 * Math.abs(sc.fullPnlUsd));
    expect(large.maxErrorUsd).toBeGreaterThan(50 * small.maxErrorUsd);
  });

  it("the vega term follows the grid's vol shock: a pure vol scenario is priced by vega", () => {
    const [u] = greeksMargin(engine, [call], market, profile([0], 0.02));
    const sc = u!.scenarios[0]!;
    // 2% relative of a 50% vol = 1 vol point: PnL ≈ vega, to second order in vol.
    expect(sc.greeksPnlUsd).toBeCloseTo(u!.vega, 6);
    expect(Math.abs(sc.greeksPnlUsd - sc.fullPnlUsd)).toBeLessThan(0.01 * Math.abs(sc.fullPnlUsd));
  });

  it("reports both worst losses, and the Greeks' worst loss of a short call under ±16% misses the full one", () => {
    const [u] = greeksMargin(engine, [call], market, profile([-0.16, -0.08, 0, 0.08, 0.16], 0.3));
    expect(u!.fullWorstLossUsd).toBeGreaterThan(0);
    expect(u!.greeksWorstLossUsd).toBeGreaterThan(0);
    expect(Math.abs(u!.greeksWorstLossUsd - u!.fullWorstLossUsd)).toBeGreaterThan(0.01 * u!.fullWorstLossUsd);
    expect(u!.maxErrorUsd).toBe(Math.max(...u!.scenarios.map((s) => Math.abs(s.greeksPnlUsd - s.fullPnlUsd))));
  });
});
