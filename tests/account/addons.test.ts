// The liquidity add-on (half spread + square-root impact) and the tiered concentration
// add-on, against the formulas worked out by hand.
import { beforeAll, describe, expect, it } from "vitest";
import { accountMargin } from "../../src/account/account.js";
import { addOns, tieredCharge } from "../../src/account/addons.js";
import type { Account } from "../../src/model/account.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { InputError } from "../../src/errors.js";
import { buildMarket } from "../../src/market/market.js";
import type { Position } from "../../src/model/types.js";
import { valueBook } from "../../src/methods/valuation.js";
import { BTC, marketData, plainGrid } from "./fixture.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

const data = marketData(); // BTC: spread 0.1%, adv 1,000, open interest 400, daily vol 3%
const market = buildMarket(data);
const spot = (quantity: number, id = "spot"): Position => ({ id, kind: "spot", underlying: "BTC", quantity });
const valuesOf = (positions: Position[]) => (positions.length > 0 ? valueBook(engine, engine.compile(positions, market), market).positions : []);
const charges = (positions: Position[], params: Parameters<typeof addOns>[4] = {}) => addOns(positions, valuesOf(positions), data, market, params);

describe("liquidity add-on", () => {
  it("is half the stressed spread plus Y·stress·σ·√(q / adv) of the notional, by hand", () => {
    const q = 40;
    const [p] = charges([spot(q)], { liquidity: { stress: 2 } }).liquidity.positions;
    const notional = q * BTC;
    expect(p!.spreadUsd).toBeCloseTo((notional * 2 * 0.001) / 2, 6);
    expect(p!.impactUsd).toBeCloseTo(notional * 1 * 2 * 0.03 * Math.sqrt(q / 1_000), 6);
  });

  it("is zero for zero size and grows faster than linearly: the impact as size^1.5", () => {
    const cost = (q: number) => charges([spot(q)]).liquidity;
    expect(cost(0).usd).toBe(0);
    const one = cost(10), four = cost(40);
    expect(four.usd).toBeGreaterThan(4 * one.usd);
    expect(four.positions[0]!.impactUsd / one.positions[0]!.impactUsd).toBeCloseTo(8, 9);
    expect(four.positions[0]!.spreadUsd / one.positions[0]!.spreadUsd).toBeCloseTo(4, 9);
  });

  // Four instruments with 10 coins of delta each (no basis: F = S): spot, a perpetual and two dated futures.
  const spreadOut = (): Position[] => [
    spot(10, "s"),
    { id: "perp", kind: "future", settlement: "linear", underlying: "BTC", quantity: 10 },
    ...[30, 60].map((days): Position => ({ id: `f${days}`, kind: "future", settlement: "linear", underlying: "BTC", quantity: 10, expiry: new Date(Date.parse(data.asOf) + days * 86_400_000).toISOString() })),
  ];

  it("one large position needs more margin than the same risk spread over small ones in other instruments", () => {
    const large = accountMargin(engine, { venues: [{ name: "v", positions: [spot(40)] }] }, data, plainGrid, { distanceToLiquidation: false });
    const small = accountMargin(engine, { venues: [{ name: "v", positions: spreadOut() }] }, data, plainGrid, { distanceToLiquidation: false });
    expect(small.addOns.liquidity.positions.map((p) => p.coins)).toEqual([10, 10, 10, 10].map((c) => expect.closeTo(c, 9)));
    expect(large.base.initial).toBeCloseTo(small.base.initial, 6);
    expect(large.addOns.liquidity.usd).toBeGreaterThan(small.addOns.liquidity.usd);
    expect(large.initial - small.initial).toBeCloseTo(large.addOns.liquidity.usd - small.addOns.liquidity.usd, 6);
  });

  it("splitting one instrument into several positions does not lower the charge: they are closed as one", () => {
    const one = charges([spot(40)]).liquidity;
    const split = charges([1, 2, 3, 4].map((k) => spot(10, `s${k}`))).liquidity;
    expect(split.positions).toHaveLength(1);
    expect(split.positions[0]).toMatchObject({ id: "s1, s2, s3, s4", coins: 40 });
    expect(split.usd).toBeCloseTo(one.usd, 9);
    // Long and short the same contract net to nothing to close.
    expect(charges([spot(10, "a"), spot(-10, "b")]).liquidity.usd).toBe(0);
  });

  it("an option is closed as its delta: its size is |∂V/∂S| coins", () => {
    const call: Position = { id: "call", kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: BTC, expiry: data.underlyings.BTC!.surface![0]!.expiry, quantity: -20 };
    const [v] = valueBook(engine, engine.compile([call], market), market).positions;
    expect(charges([call]).liquidity.positions[0]!.coins).toBeCloseTo(Math.abs(v!.delta), 12);
  });

  it("without a daily vol, takes the surface's 30-day ATM vol over √365", () => {
    const noVol = marketData();
    delete noVol.underlyings.BTC!.liquidity!.dailyVol;
    const [p] = addOns([spot(10)], valuesOf([spot(10)]), noVol, market, { liquidity: { stress: 1 } }).liquidity.positions;
    expect(p!.impactUsd).toBeCloseTo(10 * BTC * (0.5 / Math.sqrt(365)) * Math.sqrt(10 / 1_000), 6);
  });

  it("an underlying without liquidity data is charged nothing and listed as unpriced", () => {
    const eth: Position = { kind: "spot", underlying: "ETH", quantity: 100 };
    const r = charges([eth]);
    expect(r.liquidity.usd).toBe(0);
    expect(r.liquidity.unpriced).toEqual(["ETH"]);
    expect(r.concentration.unpriced).toEqual(["ETH"]);
  });
});

describe("concentration add-on", () => {
  it("marginal tiers by share of open interest: nothing up to 5%, then 2%, 5%, 10% of the notional beyond", () => {
    // 400 BTC open interest: 5% = 20, 10% = 40, 25% = 100 BTC.
    const at = (q: number) => charges([spot(q)]).concentration.usd;
    expect(at(20)).toBe(0);
    expect(at(30)).toBeCloseTo(0.02 * 10 * BTC, 6);
    expect(at(120)).toBeCloseTo((0.02 * 20 + 0.05 * 60 + 0.1 * 20) * BTC, 6);
    expect(charges([spot(120)]).concentration.underlyings[0]).toMatchObject({ against: "openInterest", share: 0.3 });
  });

  it("counts the gross exposure of an underlying: long and short do not net", () => {
    const both = charges([spot(30, "a"), { id: "b", kind: "future", settlement: "linear", underlying: "BTC", quantity: -30 }]).concentration;
    expect(both.underlyings[0]!.coins).toBeCloseTo(60, 9);
    expect(both.usd).toBeCloseTo(tieredCharge(60, 400, both.tiers) * BTC, 6);
  });

  it("is measured against adv when the market gives no open interest", () => {
    const noOi = marketData();
    delete noOi.underlyings.BTC!.liquidity!.openInterest;
    const r = addOns([spot(60)], valuesOf([spot(60)]), noOi, market).concentration;
    expect(r.underlyings[0]).toMatchObject({ against: "adv", share: 0.06 });
    expect(r.usd).toBeCloseTo(0.02 * 10 * BTC, 6);
  });

  it("tiers that do not rise, or a rate above 1, are InputErrors naming the tier", () => {
    const account = (tiers: { above: number; rate: number }[]): Account => ({ venues: [{ name: "v", positions: [spot(1)] }], addOns: { concentration: { tiers } } });
    const bad = (tiers: { above: number; rate: number }[], path: string): void => {
      expect(() => accountMargin(engine, account(tiers), data, plainGrid)).toThrow(expect.objectContaining({ path }) as InputError);
    };
    bad([{ above: 0.1, rate: 0.02 }, { above: 0.05, rate: 0.05 }], "addOns.concentration.tiers[1].above");
    bad([{ above: 0.1, rate: 2 }], "addOns.concentration.tiers[0].rate");
  });
});
