// Margin status: the state from the thresholds (exactly at them), figures by hand, and
// the distance to liquidation checked by re-margining at the reported move.
import { beforeAll, describe, expect, it } from "vitest";
import { accountMargin } from "../../src/account/account.js";
import { heldCollateral } from "../../src/account/collateral.js";
import { holdingsMargin, holdingsMarginMovingOne } from "../../src/account/holdings.js";
import { movedMarket } from "../../src/account/liquidation.js";
import { marginStatus } from "../../src/account/status.js";
import type { Account } from "../../src/model/account.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { InputError } from "../../src/errors.js";
import { buildMarket } from "../../src/market/market.js";
import { builtInProfile } from "../../src/schema/profiles.js";
import type { MarginMethod } from "../../src/methods/margin.js";
import type { MarketData, Position } from "../../src/model/types.js";
import { expiryIn } from "../fixtures/synthetic.js";
import { BTC, bareMarketData as bare, ETH, marketData, plainGrid, shortPut } from "./fixture.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});


/** The next double above x > 0. */
function nextUp(x: number): number {
  const b = new Float64Array([x]);
  new BigInt64Array(b.buffer)[0]! += 1n;
  return b[0]!;
}

const shortPerp: Position = { id: "short perp", kind: "future", settlement: "linear", underlying: "BTC", quantity: -1, entryPrice: BTC };
const perpAccount = (thresholds?: Account["thresholds"]): Account => ({
  venues: [{ name: "v", positions: [shortPerp], collateral: [{ asset: "USD", quantity: 20_000 }] }],
  ...(thresholds ? { thresholds } : {}),
});

describe("margin status", () => {
  it("a short perpetual against USD, by hand: IM = 20% and MM = 10% of the index, ratio MM / equity", () => {
    const r = accountMargin(engine, perpAccount(), bare(), plainGrid, { distanceToLiquidation: false });
    expect(r.equity).toBeCloseTo(20_000, 9);
    expect(r.initial).toBeCloseTo(0.2 * BTC, 6);
    expect(r.maintenance).toBeCloseTo(0.1 * BTC, 6);
    expect(r.marginRatio).toBeCloseTo(0.5, 12);
    expect(r.availableFunds).toBeCloseTo(0, 6);
    expect(r.state).toBe("healthy");
  });

  it("the state changes exactly at the configured thresholds", () => {
    const ratio = accountMargin(engine, perpAccount(), bare(), plainGrid, { distanceToLiquidation: false }).marginRatio!;
    const state = (t: Account["thresholds"]) => accountMargin(engine, perpAccount(t), bare(), plainGrid, { distanceToLiquidation: false }).state;
    expect(state({ marginCall: ratio, liquidation: 1 })).toBe("margin-call");
    expect(state({ marginCall: nextUp(ratio), liquidation: 1 })).toBe("healthy");
    expect(state({ marginCall: ratio / 2, liquidation: ratio })).toBe("liquidation");
    expect(state({ marginCall: ratio / 2, liquidation: nextUp(ratio) })).toBe("margin-call");
  });

  it("marginStatus: at 80% a margin call, at 100% liquidation, no equity is liquidation unless nothing is held", () => {
    const t = { marginCall: 0.8, liquidation: 1 };
    expect(marginStatus(10_000, 9_000, 7_999, t).state).toBe("healthy");
    expect(marginStatus(10_000, 9_000, 8_000, t)).toMatchObject({ marginRatio: 0.8, state: "margin-call", availableFunds: 1_000 });
    expect(marginStatus(10_000, 12_000, 10_000, t)).toMatchObject({ marginRatio: 1, state: "liquidation", availableFunds: -2_000 });
    expect(marginStatus(-5, 0, 0, t)).toMatchObject({ marginRatio: null, state: "liquidation" });
    expect(marginStatus(0, 0, 0, t)).toMatchObject({ marginRatio: 0, state: "healthy" });
  });

  it("thresholds out of order or not positive are InputErrors naming the field", () => {
    const bad = (t: Account["thresholds"], path: string): void => {
      expect(() => accountMargin(engine, perpAccount(t), bare(), plainGrid)).toThrow(expect.objectContaining({ path }) as InputError);
    };
    bad({ marginCall: 1.2, liquidation: 1 }, "thresholds.marginCall");
    bad({ marginCall: 0, liquidation: 1 }, "thresholds.marginCall");
    bad({ marginCall: 0.5, liquidation: -1 }, "thresholds.liquidation");
  });
});

describe("distance to liquidation", () => {
  it("a short perpetual against 20,000 USD: up 1/11, where 20,000 − 100,000·x = 10,000·(1 + x); never down", () => {
    const [d] = accountMargin(engine, perpAccount(), bare(), plainGrid).distanceToLiquidation;
    expect(d!.underlying).toBe("BTC");
    expect(d!.up!.move).toBeCloseTo(1 / 11, 7);
    expect(d!.up!.price).toBeCloseTo(BTC * (12 / 11), 2);
    expect(d!.down).toBeNull();
    expect(d!.searched).toBe(0.9);
  });

  /** The market with BTC's index moved by `move`, written out afresh (its smile is on log-moneyness: it moves along). */
  function moved(move: number): MarketData {
    const d = marketData();
    d.underlyings.BTC!.index = BTC * (1 + move);
    return d;
  }

  it.each([
    ["deribit grid", { method: "grid", profile: builtInProfile("deribit") } as MarginMethod],
    ["plain grid", plainGrid],
  ])("a short put against BTC and USDC (%s): re-margined at the reported move, equity = MM", (_, method) => {
    const account: Account = {
      venues: [{ name: "v", positions: [shortPut], collateral: [{ asset: "BTC", quantity: 1 }, { asset: "USDC", quantity: 120_000 }] }],
      haircuts: { BTC: 0.05 },
    };
    const r = accountMargin(engine, account, marketData(), method);
    const down = r.distanceToLiquidation[0]!.down!;
    expect(down.move).toBeLessThan(0);
    const at = accountMargin(engine, account, moved(down.move), method, { distanceToLiquidation: false });
    expect(Math.abs(at.equity - at.maintenance) / at.equity).toBeLessThan(1e-6);
    expect(at.state).toBe("liquidation");
    // Half way there the account is not yet liquidated.
    const half = accountMargin(engine, account, moved(down.move / 2), method, { distanceToLiquidation: false });
    expect(half.marginRatio!).toBeLessThan(1);
  });

  it.each([
    ["deribit grid", { method: "grid", profile: builtInProfile("deribit") } as MarginMethod],
    ["Monte Carlo", { method: "monte-carlo", model: { paths: 2_000, seed: 3, vols: { ETH: 0.7 } } } as MarginMethod],
  ])("each trial move re-values and re-margins only the moved underlying, with holdingsMargin's figures bit for bit (%s)", (_, method) => {
    const data = marketData();
    const m = { data, market: buildMarket(data) };
    const account: Account = {
      venues: [{
        name: "v",
        // Positions without an id are named by their index in the book, as valueBook names them.
        positions: [shortPut, { kind: "future", settlement: "linear", underlying: "ETH", quantity: 30, entryPrice: ETH }, { kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: 110_000, expiry: expiryIn(30), quantity: -10 }, shortPerp],
        collateral: [{ asset: "BTC", quantity: 2 }, { asset: "ETH", quantity: 10 }, { asset: "USDC", quantity: 50_000 }],
      }],
      haircuts: { BTC: 0.05, ETH: 0.1 },
      addOns: { liquidity: { stress: 2 }, concentration: { tiers: [{ above: 0.05, rate: 0.02 }] } },
    };
    const h = { positions: account.venues[0]!.positions!, collateral: heldCollateral(account, account.venues[0]!, 0) };
    const params = { ...(account.addOns ? { addOns: account.addOns } : {}), thresholds: { marginCall: 0.8, liquidation: 1 } };
    for (const u of ["BTC", "ETH"]) {
      const at = holdingsMarginMovingOne(engine, h, m, method, params, u);
      for (const move of [-0.3, 0, 0.25]) {
        const moved = movedMarket(m, u, move);
        expect(at(moved)).toEqual(holdingsMargin(engine, h, moved, method, params));
      }
    }
  });

  it("an account already past liquidation is at distance 0", () => {
    const r = accountMargin(engine, { venues: [{ name: "v", positions: [shortPut], collateral: [{ asset: "USD", quantity: 1_000 }] }] }, marketData(), plainGrid);
    expect(r.state).toBe("liquidation");
    expect(r.distanceToLiquidation[0]!.down!.move).toBe(0);
  });

  it("a search range outside (0, 1) is an InputError", () => {
    expect(() => accountMargin(engine, { ...perpAccount(), liquidationSearch: { maxMove: 1.5 } }, bare(), plainGrid)).toThrow(
      expect.objectContaining({ path: "liquidationSearch.maxMove" }) as InputError,
    );
  });
});
