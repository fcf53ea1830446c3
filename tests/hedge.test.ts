// Delta hedging with perpetuals: the hedged book's delta is on target, checked by revaluation.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { buildMarket } from "../src/market/market.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { deltaHedge } from "../src/methods/hedge.js";
import type { MarginMethod } from "../src/methods/margin.js";
import { valueBook } from "../src/methods/valuation.js";
import { syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

const engine = await createEngine();
const market = buildMarket(syntheticMarket());
const grid: MarginMethod = { method: "grid", profile: builtInProfile("deribit") };
const book = syntheticPositions(30, 6, 14);
const deltasOf = (positions: typeof book) => valueBook(engine, engine.compile(positions, market), market).underlyings.map((u) => u.delta);

describe("delta hedge", () => {
  it.each(["linear", "inverse"] as const)("with %s perpetuals the book's delta becomes 0 per underlying (revalued)", (settlement) => {
    const r = deltaHedge(engine, book, market, grid, { settlement });
    const hedged = [...book, ...r.hedges.flatMap((h) => (h.hedge ? [h.hedge] : []))];
    for (const d of deltasOf(hedged)) expect(Math.abs(d)).toBeLessThan(1e-9);
    expect(r.after.initial).toBeGreaterThanOrEqual(0);
    expect(r.before.initial).toBeGreaterThan(0);
  });

  it("reaches a given target and reports the margin before and after", () => {
    const r = deltaHedge(engine, book, market, grid, { target: { BTC: 2 } });
    const hedged = [...book, ...r.hedges.flatMap((h) => (h.hedge ? [h.hedge] : []))];
    const after = valueBook(engine, engine.compile(hedged, market), market).underlyings;
    expect(after.find((u) => u.underlying === "BTC")!.delta).toBeCloseTo(2, 9);
    expect(r.hedges.find((h) => h.underlying === "BTC")!.deltaAfter).toBe(2);
  });

  it("a target for an underlying the book does not hold is named", () => {
    expect(() => deltaHedge(engine, book.filter((p) => p.underlying !== "SOL"), market, grid, { target: { SOL: 1 } })).toThrow(InputError);
  });
});
