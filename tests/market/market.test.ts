import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { buildMarket, marketFrom } from "../../src/market/market.js";
import { parseTime } from "../../src/conventions.js";
import type { MarketData } from "../../src/model/types.js";
import { log } from "../../src/math/deterministic.js";

const vols = [0.9, 0.65, 0.55, 0.6, 0.8];
const data: MarketData = {
  asOf: "2025-01-01T08:00:00Z",
  underlyings: {
    BTC: {
      index: 100_000,
      rate: 0.03,
      forwards: [
        { expiry: "2025-12-26T08:00:00Z", price: 108_000 },
        { expiry: "2025-03-28T08:00:00Z", price: 102_000 },
      ],
      surface: [
        { expiry: "2025-03-28T08:00:00Z", strikes: [70_000, 90_000, 100_000, 110_000, 150_000], vols },
        { expiry: "2025-12-26T08:00:00Z", logMoneyness: [-0.5, -0.1, 0, 0.1, 0.5], vols },
        { expiry: "2024-12-27T08:00:00Z", logMoneyness: [0], vols: [5] },
      ],
    },
    ETH: { index: 3_000, basis: 0.1 },
  },
};
// The builder itself (buildMarket would refuse the expired slice): it leaves expired slices out.
const market = marketFrom(data);
const btc = market.get("BTC")!;
const tMar = market.yearFraction("2025-03-28T08:00:00Z");
const tDec = market.yearFraction("2025-12-26T08:00:00Z");

describe("buildMarket", () => {
  it("lists underlyings in insertion order with their positions", () => {
    expect(market.asOfMs).toBe(parseTime(data.asOf));
    expect(market.names).toEqual(["BTC", "ETH"]);
    expect(market.index("ETH")).toBe(1);
    expect(market.index("SOL")).toBe(-1);
    expect(market.get("SOL")).toBeUndefined();
  });

  it("measures expiries in ACT/365 years from asOf", () => {
    expect(market.yearFraction("2025-01-02T08:00:00Z")).toBe(1 / 365);
    expect(tMar).toBe(86 / 365);
  });

  it("carries index, rate and the forward curve of the quotes", () => {
    expect(btc.index).toBe(100_000);
    expect(btc.rate).toBe(0.03);
    expect(btc.forwards.forward(tMar)).toBe(102_000);
    expect(btc.forwards.forward(tDec)).toBe(108_000);
    const eth = market.get("ETH")!;
    expect(eth.rate).toBe(0);
    expect(Math.abs(eth.forwards.forward(1) / (3_000 * Math.exp(0.1)) - 1)).toBeLessThan(5e-16);
  });

  it("converts strike-keyed slices to log-moneyness with the slice's forward", () => {
    const f = btc.forwards.forward(tMar);
    const strikes = data.underlyings.BTC!.surface![0]!.strikes!;
    const equivalent = buildMarket({
      asOf: data.asOf,
      underlyings: {
        BTC: {
          ...data.underlyings.BTC!,
          surface: [
            { expiry: "2025-03-28T08:00:00Z", logMoneyness: strikes.map((K) => log(K / f)), vols },
            data.underlyings.BTC!.surface![1]!,
          ],
        },
      },
    }).get("BTC")!;
    for (const t of [0.05, tMar, 0.5, tDec, 2]) {
      for (const k of [-1, -0.3, -0.05, 0, 0.02, 0.3, 1]) expect(btc.vol(t, k)).toBe(equivalent.vol(t, k));
    }
    strikes.forEach((K, i) => expect(btc.vol(tMar, log(K / f))).toBe(vols[i]));
  });

  it("is sticky-moneyness: under a shocked forward F' strike K reads vol(t, ln(K/F'))", () => {
    // The quoted strikes' smile moves with the forward: strike K·F'/F under F'
    // has the vol strike K had under F, and the ATM vol is unchanged.
    const f = btc.forwards.forward(tMar);
    const shocked = f * 1.2;
    const strikes = data.underlyings.BTC!.surface![0]!.strikes!;
    strikes.forEach((K, i) => {
      const moved = (K * shocked) / f;
      expect(Math.abs(btc.vol(tMar, log(moved / shocked)) - vols[i]!)).toBeLessThan(1e-15);
    });
    expect(btc.vol(tMar, log(shocked / shocked))).toBe(btc.vol(tMar, 0));
    expect(btc.vol(tMar, log(100_000 / shocked))).not.toBe(btc.vol(tMar, log(100_000 / f)));
  });

  it("drops slices that expired at or before asOf", () => {
    expect(btc.vol(0.01, 0)).toBe(btc.vol(tMar, 0));
    expect(btc.surface!.vol(0.01, 0)).toBeLessThan(5);
  });

  it("throws an InputError naming the surface when an underlying has none", () => {
    const eth = market.get("ETH")!;
    expect(eth.surface).toBeUndefined();
    expect(() => eth.vol(1, 0)).toThrow(InputError);
    try {
      eth.vol(1, 0);
    } catch (e) {
      expect((e as InputError).path).toBe("underlyings.ETH.surface");
    }
  });

  it("names the field of an unreadable date", () => {
    const bad = { ...data, underlyings: { BTC: { index: 1, forwards: [{ expiry: "soon", price: 1 }] } } };
    try {
      buildMarket(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).path).toBe("underlyings.BTC.forwards[0].expiry");
    }
  });
});
