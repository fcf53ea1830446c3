// Several venues: each on its own with its own profile, the combined book, and each
// venue failing in turn.
import { beforeAll, describe, expect, it } from "vitest";
import { accountMargin } from "../../src/account/account.js";
import type { Account } from "../../src/model/account.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { InputError } from "../../src/errors.js";
import type { MarketData, Position } from "../../src/model/types.js";
import { BTC, bareMarketData as bare, marketData, plainGrid } from "./fixture.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});


const perp = (quantity: number): Position => ({ id: quantity > 0 ? "long perp" : "short perp", kind: "future", settlement: "linear", underlying: "BTC", quantity, entryPrice: BTC });
// A long perpetual on one venue hedged by a short one on another, 30,000 USD on each.
const hedged: Account = {
  venues: [
    { name: "a", positions: [perp(1)], collateral: [{ asset: "USD", quantity: 30_000 }] },
    { name: "b", profile: "bybit", positions: [perp(-1)], collateral: [{ asset: "USD", quantity: 30_000 }], failureLoss: 0.5 },
  ],
};
const run = (account: Account) => accountMargin(engine, account, bare(), plainGrid, { distanceToLiquidation: false });

describe("venues", () => {
  it("each venue margins its own book with its own profile: ±20% on a (the method's), ±10% on b (Bybit's)", () => {
    const r = run(hedged);
    expect(r.venues.map((v) => v.venue)).toEqual(["a", "b"]);
    expect(r.venues[0]!.initial).toBeCloseTo(0.2 * BTC, 6);
    expect(r.venues[1]!.initial).toBeCloseTo(0.1 * BTC, 6);
    expect(r.venues[1]!.basis).toBe("bybit grid");
    expect(r.venues.map((v) => v.equity)).toEqual([30_000, 30_000]);
  });

  it("the combined book nets the hedge across venues: no margin, and the offset benefit is the venues' sum", () => {
    const r = run(hedged);
    expect(r.initial).toBeCloseTo(0, 6);
    expect(r.equity).toBe(60_000);
    expect(r.crossVenue!.sumOfVenues.initial).toBeCloseTo(0.3 * BTC, 6);
    expect(r.crossVenue!.offsetBenefit).toBeCloseTo(0.3 * BTC, 6);
  });

  it("a venue's failure freezes its equity and leaves the other venue's book without its hedge", () => {
    const [aFails, bFails] = run(hedged).venueFailures;
    expect(aFails).toMatchObject({ venue: "a", frozenEquity: 30_000, lossUsd: 30_000 });
    // What is left is b's short alone, margined by the method (±20%): IM 20,000, MM 10,000 against 30,000.
    expect(aFails!.remaining.equity).toBe(30_000);
    expect(aFails!.remaining.initial).toBeCloseTo(0.2 * BTC, 6);
    expect(aFails!.remaining.marginRatio).toBeCloseTo((0.1 * BTC) / 30_000, 9);
    expect(bFails).toMatchObject({ venue: "b", frozenEquity: 30_000, lossUsd: 15_000 });
  });

  it("one venue: the venue is the combined account, with no failure stress", () => {
    const r = run({ venues: [hedged.venues[0]!] });
    expect(r.venues[0]!.initial).toBe(r.initial);
    expect(r.venues[0]!.equity).toBe(r.equity);
    expect(r.venueFailures).toEqual([]);
    expect(r.crossVenue).toBeNull();
  });

  it("an unknown profile or a failure loss above 1 is an InputError naming the venue's field", () => {
    const bad = (account: Account, path: string): void => {
      expect(() => run(account)).toThrow(expect.objectContaining({ path }) as InputError);
    };
    bad({ venues: [hedged.venues[0]!, { ...hedged.venues[1]!, profile: "nowhere" as never }] }, "venues[1].profile");
    bad({ venues: [hedged.venues[0]!, { ...hedged.venues[1]!, failureLoss: 1.5 }] }, "venues[1].failureLoss");
    bad({ venues: [{ ...hedged.venues[0]!, positions: [{ ...perp(1), underlying: "DOGE" }] }] }, "venues[0].positions[0].underlying");
  });
});
