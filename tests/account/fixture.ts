// A small market and a plain grid profile whose margins can be worked out by hand.
import type { MarginProfile } from "../../src/model/profile.js";
import type { MarginMethod } from "../../src/methods/margin.js";
import type { MarketData, Position } from "../../src/model/types.js";
import { AS_OF, expiryIn } from "../fixtures/synthetic.js";

export const BTC = 100_000;
export const ETH = 4_000;

/** BTC with a flat 50% smile and liquidity data; ETH with an index only. */
export function marketData(): MarketData {
  return {
    asOf: AS_OF,
    underlyings: {
      BTC: { index: BTC, surface: [{ expiry: expiryIn(90), logMoneyness: [-1, 0, 1], vols: [0.5, 0.5, 0.5] }], liquidity: { spread: 0.001, adv: 1_000, openInterest: 400, dailyVol: 0.03 } },
      ETH: { index: ETH },
    },
  };
}

/** The market without liquidity data, so the add-ons are 0 and margins are the grid's alone. */
export function bareMarketData(): MarketData {
  const d = marketData();
  delete d.underlyings.BTC!.liquidity;
  return d;
}

/** Moves of ±20% in one vol state, no tails or contingencies, MM = 0.5 × IM: a spot's IM is 20% of its value. */
export const plain: MarginProfile = {
  name: "plain",
  description: "±20%, one vol state",
  sources: [],
  defaults: { moves: [-0.2, 0, 0.2], volStates: [{ name: "same", shift: 0 }], extended: [] },
  mmFactor: 0.5,
  crossUnderlying: "sum",
};
export const plainGrid: MarginMethod = { method: "grid", profile: plain };

export const shortPut: Position = { id: "short put", kind: "option", settlement: "linear", underlying: "BTC", right: "put", strike: 90_000, expiry: expiryIn(30), quantity: -10 };
