// Margin optimisation over candidate hedges: golden-section sizes against a brute-force scan.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { buildMarket } from "../src/market/market.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { headlineMargin, type MarginMethod } from "../src/methods/margin.js";
import { optimiseMargin } from "../src/methods/optimise.js";
import type { HedgeCandidate } from "../src/model/hedge.js";
import type { Position } from "../src/model/types.js";
import { expiryIn, syntheticMarket } from "./fixtures/synthetic.js";

const engine = await createEngine();
const market = buildMarket(syntheticMarket());
const grid: MarginMethod = { method: "grid", profile: builtInProfile("deribit") };
const book: Position[] = [
  { id: "short calls", kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: 110_000, expiry: expiryIn(30), quantity: -20 },
  // USD-settled, so its ETH risk counts in USD (coin held in a coin-settled book has none).
  { id: "long ETH", kind: "future", settlement: "linear", underlying: "ETH", quantity: 100, expiry: expiryIn(60) },
];
const candidates: HedgeCandidate[] = [
  { position: { id: "BTC perp", kind: "future", settlement: "linear", underlying: "BTC", quantity: 1 }, maxSize: 30, halfSpreadUsd: 5 },
  { position: { id: "BTC 110k call", kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: 110_000, expiry: expiryIn(30), quantity: 1 }, maxSize: 40 },
  { position: { id: "ETH perp", kind: "future", settlement: "linear", underlying: "ETH", quantity: 1 }, maxSize: 200 },
];

describe("margin optimisation", () => {
  const r = optimiseMargin(engine, book, market, candidates, grid);

  it("each candidate's size is the minimum of a brute-force scan of its range, to the scan's resolution", () => {
    r.single.forEach((h, i) => {
      const c = candidates[i]!;
      const steps = 80;
      let bestScan = Infinity;
      for (let j = 0; j <= steps; j++) {
        const size = -c.maxSize + (2 * c.maxSize * j) / steps;
        bestScan = Math.min(bestScan, headlineMargin(engine, [...book, { ...c.position, quantity: size }], market, grid).initial);
      }
      expect(h.initialUsd).toBeLessThanOrEqual(bestScan + 1e-6 * r.initialUsd);
      expect(h.savedUsd).toBeCloseTo(r.initialUsd - h.initialUsd, 6);
    });
  });

  it("buying back the short calls is the best single hedge; selling ETH perps offsets the long ETH", () => {
    const call = r.single.find((h) => h.id === "BTC 110k call")!;
    expect(call.size).toBeCloseTo(20, 3);
    // −100 × F(60d)/S (synthetic basis 5%): the perpetual's delta against the dated future's.
    expect(r.single.find((h) => h.id === "ETH perp")!.size).toBeCloseTo(-100 * Math.exp(0.05 * 60 / 365), 2);
    expect(r.greedy.map((h) => h.id)).toEqual(["BTC 110k call", "ETH perp"]);
    expect(r.single.find((h) => h.id === "BTC perp")!.costUsd).toBeCloseTo(5 * Math.abs(r.single[0]!.size), 9);
  });

  it("each single hedge's margin is headlineMargin() of the book with it, bit for bit (a trial re-measures only the hedge's underlying)", () => {
    r.single.forEach((h, i) => {
      const c = candidates[i]!;
      expect(h.initialUsd).toBe(headlineMargin(engine, [...book, { ...c.position, quantity: c.position.quantity * h.size }], market, grid).initial);
    });
  });

  it("the greedy combination is at least as good as the best single hedge, and its margin is what it says", () => {
    const bestSingle = Math.min(...r.single.map((h) => h.initialUsd));
    expect(r.greedyInitialUsd).toBeLessThanOrEqual(bestSingle + 1e-9);
    const hedged = [...book, ...r.greedy.map((h) => ({ ...candidates.find((c) => c.position.id === h.id)!.position, quantity: h.size }))];
    expect(headlineMargin(engine, hedged, market, grid).initial).toBeCloseTo(r.greedyInitialUsd, 6);
  });

  it("without a given half spread, the cost is half the market's spread on the delta-equivalent notional", () => {
    const data = syntheticMarket();
    data.underlyings.ETH = { ...data.underlyings.ETH!, liquidity: { spread: 0.001, adv: 1e6 } };
    const withSpread = buildMarket(data);
    const eth = optimiseMargin(engine, book, withSpread, [candidates[2]!], grid).single[0]!;
    // A linear perpetual of 1 ETH: delta 1 coin, notional = the index 3,500.
    expect(eth.costUsd).toBeCloseTo(Math.abs(eth.size) * 0.0005 * 3_500, 9);
    const call = optimiseMargin(engine, book, withSpread, [candidates[1]!], grid).single[0]!;
    expect(call.costUsd).toBe(0);
  });

  it("bad candidates are named", () => {
    expect(() => optimiseMargin(engine, book, market, [{ ...candidates[0]!, maxSize: 0 }], grid)).toThrow(InputError);
    expect(() => optimiseMargin(engine, book, market, [], grid)).toThrow(/candidates/);
  });
});
