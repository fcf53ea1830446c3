// An option's own mark IV (market data's markIvs, by the position's id): valued at that IV and
// shocked from it, as Deribit and Paradex reprice each instrument at its mark_iv; options
// without one read the surface.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { buildMarket } from "../src/market/market.js";
import { black76 } from "../src/math/black76.js";
import { gridMargin } from "../src/methods/grid/grid.js";
import { valueBook } from "../src/methods/valuation.js";
import type { MarketData, Position } from "../src/model/types.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { parseMarket } from "../src/schema/market.js";

const engine = await createEngine();
const EXPIRY = "2026-09-25T08:00:00Z";
const base = {
  asOf: "2026-08-22T15:33:51Z",
  underlyings: {
    BTC: {
      index: 77_000,
      forwards: [{ expiry: EXPIRY, price: 77_400 }],
      surface: [{ expiry: EXPIRY, strikes: [60_000, 70_000, 77_000, 85_000, 100_000], vols: [0.53, 0.42, 0.4, 0.42, 0.5] }],
    },
  },
};
const withMarkIvs = (markIvs: Record<string, number>): MarketData => parseMarket({ ...base, underlyings: { BTC: { ...base.underlyings.BTC, markIvs } } });
const put: Position = { id: "BTC-25SEP26-70000-P", kind: "option", underlying: "BTC", settlement: "inverse", right: "put", strike: 70_000, expiry: EXPIRY, quantity: -1 };
const call: Position = { id: "BTC-25SEP26-90000-C", kind: "option", underlying: "BTC", settlement: "inverse", right: "call", strike: 90_000, expiry: EXPIRY, quantity: -1 };

describe("an option's mark IV", () => {
  const market = buildMarket(withMarkIvs({ [put.id!]: 0.61 }));

  it("values the option at its mark IV; an option without one reads the surface", () => {
    const [p, c] = valueBook(engine, engine.compile([put, call], market), market).positions;
    expect(p!.vol).toBe(0.61);
    const t = market.yearFraction(EXPIRY);
    const exact = black76({ forward: 77_400, strike: 70_000, time: t, vol: 0.61, rate: 0, phi: -1 });
    expect(p!.price).toBeCloseTo(exact.price / 77_400, 12);
    expect(c!.vol).toBe(market.get("BTC")!.vol(t, Math.log(90_000 / 77_400)));
  });

  it("is the vol the grid shocks: the same margin as a surface flat at that IV, under sticky strike", () => {
    const flat = buildMarket(parseMarket({ ...base, underlyings: { BTC: { ...base.underlyings.BTC, surface: [{ expiry: EXPIRY, logMoneyness: [0], vols: [0.61] }] } } }));
    const profile = builtInProfile("deribit");
    const own = gridMargin(engine, [put], market, { profile });
    const onFlat = gridMargin(engine, [put], flat, { profile });
    expect(own.initial).toBe(onFlat.initial);
    expect(own.underlyings[0]!.pnlUsd).toEqual(onFlat.underlyings[0]!.pnlUsd);
    // And not the surface's vol at the strike (0.42).
    expect(gridMargin(engine, [put], buildMarket(parseMarket(base)), { profile }).initial).not.toBe(own.initial);
  });

  it("a position without an id, or an id not listed, reads the surface", () => {
    const plain = buildMarket(parseMarket(base));
    const { id: _, ...anonymous } = put;
    const [a] = valueBook(engine, engine.compile([anonymous as Position], market), market).positions;
    const [b] = valueBook(engine, engine.compile([anonymous as Position], plain), plain).positions;
    expect(a!.vol).toBe(b!.vol);
  });

  it("a mark IV that is not a vol is refused by name", () => {
    for (const bad of [-0.2, 12, "0.5"]) {
      const error = (() => {
        try {
          withMarkIvs({ [put.id!]: bad as number });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).path).toBe(`underlyings.BTC.markIvs["${put.id}"]`);
    }
  });
});
