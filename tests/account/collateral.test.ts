// Collateral: haircuts, coin collateral revalued in every method's scenarios (wrong-way
// risk), and the stablecoin depeg stress.
import { beforeAll, describe, expect, it } from "vitest";
import { accountMargin } from "../../src/account/account.js";
import type { Account } from "../../src/model/account.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { InputError } from "../../src/errors.js";
import { buildMarket } from "../../src/market/market.js";
import { builtInProfile } from "../../src/schema/profiles.js";
import { headlineMargin, type MarginMethod } from "../../src/methods/margin.js";
import { BTC, ETH, marketData, plainGrid, shortPut } from "./fixture.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

const data = marketData();
const noAddOns = { addOns: { liquidity: { stress: 1 }, concentration: { tiers: [] } } };
const one = (venue: Account["venues"][number], extra: Partial<Account> = {}): Account => ({ venues: [venue], ...noAddOns, ...extra });
const quick = { distanceToLiquidation: false };

describe("haircuts", () => {
  it("equity is each balance × price × (1 − haircut), the venue's haircut overriding the account's", () => {
    const r = accountMargin(engine, one(
      { name: "v", collateral: [{ asset: "BTC", quantity: 2 }, { asset: "ETH", quantity: 10 }, { asset: "USDT", quantity: 5_000 }], haircuts: { ETH: 0.2 } },
      { haircuts: { BTC: 0.1, ETH: 0.05 } },
    ), data, plainGrid, quick);
    const byHand = 2 * BTC * 0.9 + 10 * ETH * 0.8 + 5_000;
    expect(r.collateralValue).toBeCloseTo(byHand, 6);
    expect(r.equity).toBeCloseTo(byHand, 6);
    expect(r.collateral.map((c) => c.haircut)).toEqual([0.1, 0.2, 0]);
  });

  it("coin collateral is margined on its haircut quantity: under ±20% moves its IM is 20% of its haircut value", () => {
    const r = accountMargin(engine, one({ name: "v", collateral: [{ asset: "ETH", quantity: 10 }] }, { haircuts: { ETH: 0.3 } }), data, plainGrid, quick);
    // ETH has no position: its collateral still has a grid of its own.
    expect(r.base.initial).toBeCloseTo(0.2 * 10 * 0.7 * ETH, 6);
    expect(r.base.maintenance).toBeCloseTo(0.5 * r.base.initial, 6);
  });

  it("BTC collateral's Bybit grid margin is the grid's worst move (−10%) × its value", () => {
    const bybit = builtInProfile("bybit");
    const worst = -Math.min(...bybit.underlyings!.BTC!.moves!);
    const r = accountMargin(engine, one({ name: "v", collateral: [{ asset: "BTC", quantity: 3 }] }), data, { method: "grid", profile: bybit }, quick);
    expect(worst).toBe(0.1);
    expect(r.initial).toBeCloseTo(worst * 3 * BTC, 6);
  });

  it("a haircut of 1 or more, and a negative balance, are InputErrors naming the field", () => {
    const bad = (a: Account, path: string): void => {
      expect(() => accountMargin(engine, a, data, plainGrid, quick)).toThrow(expect.objectContaining({ path }) as InputError);
    };
    bad(one({ name: "v", collateral: [{ asset: "BTC", quantity: 1 }] }, { haircuts: { BTC: 1 } }), "haircuts.BTC");
    bad(one({ name: "v", collateral: [{ asset: "BTC", quantity: 1 }], haircuts: { BTC: -0.1 } }), "venues[0].haircuts.BTC");
    bad(one({ name: "v", collateral: [{ asset: "BTC", quantity: -1 }] }), "venues[0].collateral[0].quantity");
    bad(one({ name: "v", collateral: [{ asset: "XYZ", quantity: 1 }] }), "venues[0].collateral[0].asset");
  });
});

describe("wrong-way risk", () => {
  const against = (asset: "BTC" | "USDC", method: MarginMethod) => {
    const quantity = asset === "BTC" ? 2 : 2 * BTC;
    return accountMargin(engine, one({ name: "v", positions: [shortPut], collateral: [{ asset, quantity }] }), data, method, quick);
  };

  it.each([
    ["grid", plainGrid],
    ["Monte Carlo", { method: "monte-carlo", model: { paths: 4_000, seed: 3 } } as MarginMethod],
  ])("a short put against BTC collateral needs more margin than against USDC of equal value (%s)", (_, method) => {
    const btc = against("BTC", method);
    const usdc = against("USDC", method);
    expect(btc.equity).toBeCloseTo(usdc.equity, 6);
    expect(btc.initial).toBeGreaterThan(usdc.initial * 1.1);
  });

  it("on the grid, the extra is the collateral's own loss in the put's worst scenario (−20%), as both lose there", () => {
    const market = buildMarket(data);
    const put = headlineMargin(engine, [shortPut], market, plainGrid).initial;
    expect(against("BTC", plainGrid).base.initial).toBeCloseTo(put + 0.2 * 2 * BTC, 4);
    expect(against("USDC", plainGrid).base.initial).toBeCloseTo(put, 6);
  });
});

describe("the depeg stress", () => {
  it("USDC at 0.9 takes 10% off the USDC balance after haircut; margin is unchanged and the state follows", () => {
    const account = one({ name: "v", positions: [shortPut], collateral: [{ asset: "USDC", quantity: 100_000 }, { asset: "USD", quantity: 50_000 }] }, { haircuts: { USDC: 0.02 } });
    const r = accountMargin(engine, account, data, plainGrid, quick);
    expect(r.depeg!.prices).toEqual({ USDC: 0.9 });
    expect(r.depeg!.lossUsd).toBeCloseTo(0.1 * 100_000 * 0.98, 6);
    expect(r.depeg!.equity).toBeCloseTo(r.equity - 9_800, 6);
    expect(r.depeg!.maintenance).toBe(r.maintenance);
    expect(r.depeg!.marginRatio).toBeCloseTo(r.maintenance / (r.equity - 9_800), 12);
  });

  it("a depeg to 0 of an account held in USDC alone leaves it to liquidation", () => {
    const account = one({ name: "v", positions: [shortPut], collateral: [{ asset: "USDC", quantity: 1_000_000 }] }, { depeg: { USDC: 0 } });
    const r = accountMargin(engine, account, data, plainGrid, quick);
    expect(r.state).toBe("healthy");
    expect(r.depeg!.state).toBe("liquidation");
  });

  it("no stables held and none named: no depeg stress; USD cannot depeg", () => {
    expect(accountMargin(engine, one({ name: "v", collateral: [{ asset: "USD", quantity: 1 }] }), data, plainGrid, quick).depeg).toBeNull();
    expect(() => accountMargin(engine, one({ name: "v" }, { depeg: { USD: 0.9 } }), data, plainGrid, quick)).toThrow(InputError);
  });
});
