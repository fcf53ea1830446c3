// Grid margin attribution: worst-loss shares that add up, hedges negative, marginal margins.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { buildMarket } from "../src/market/market.js";
import { gridAttribution } from "../src/methods/grid/attribution.js";
import { gridMargin } from "../src/methods/grid/grid.js";
import { builtInProfile } from "../src/schema/profiles.js";
import type { Position } from "../src/model/types.js";
import { syntheticMarket, syntheticPositions, expiryIn } from "./fixtures/synthetic.js";

const engine = await createEngine();
const market = buildMarket(syntheticMarket());
const deribit = builtInProfile("deribit");

describe("grid attribution", () => {
  it("each underlying's shares add up to its worst weighted loss, USD- and coin-settled books alike", () => {
    const mixed = syntheticPositions(25, 8, 5);
    const coin = syntheticPositions(25, 8, 6).filter((p) => p.kind === "spot" || p.settlement === "inverse");
    for (const book of [mixed, coin]) {
      const a = gridAttribution(engine, book, market, deribit);
      for (const u of gridMargin(engine, book, market, { profile: deribit }).underlyings) {
        const sum = a.filter((x) => x.underlying === u.underlying).reduce((s, x) => s + x.worstLossShareUsd, 0);
        expect(sum).toBeCloseTo(u.worstLoss.usd, 4);
      }
    }
  });

  it("a hedge's share is negative and its marginal margin too", () => {
    const call: Position = { id: "short call", kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: 105_000, expiry: expiryIn(30), quantity: -10 };
    const hedge: Position = { id: "long future", kind: "future", settlement: "linear", underlying: "BTC", quantity: 4, expiry: expiryIn(30) };
    const [c, h] = gridAttribution(engine, [call, hedge], market, deribit);
    expect(c!.worstLossShareUsd).toBeGreaterThan(0);
    expect(h!.worstLossShareUsd).toBeLessThan(0);
    expect(h!.marginalInitialUsd).toBeLessThan(0);
    const alone = gridMargin(engine, [call], market, { profile: deribit }).initial;
    expect(h!.marginalInitialUsd).toBeCloseTo(gridMargin(engine, [call, hedge], market, { profile: deribit }).initial - alone, 6);
  });
});
