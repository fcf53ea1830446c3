// OKX portfolio margin (okxMargin, the built-in okx profile) against OKX's published figures:
// the position-builder response example of the API v5 reference and the MR7 scaling example
// of OKX's support centre; and, where OKX publishes no example, hand-computed cases.
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { buildMarket, type Market } from "../src/market/market.js";
import { okxMargin, okxTieredCharge, type OkxRiskUnit } from "../src/methods/okx/pm.js";
import type { MarginProfile } from "../src/model/profile.js";
import type { Position } from "../src/model/types.js";
import { builtInProfile } from "../src/schema/profiles.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});
const okx = (): MarginProfile => builtInProfile("okx");
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const close = (a: number, b: number, tol = 1e-9): void => {
  expect(rel(a, b), `${a} vs ${b}`).toBeLessThan(tol);
};

// OKX API v5 reference, "Position builder (new)", POST /api/v5/account/position-builder,
// https://www.okx.com/docs-v5/en/#trading-account-rest-api-position-builder-new, response
// example (ts 1736936801642 = 2025-01-15 10:26:41 UTC; read from a stored copy of the page
// dated 2026-06-29): short 10 BTC-USDT-SWAP (0.01 BTC each) and long 10 LTC-USDT-SWAP (1 LTC
// each). The indices are the response's cash deltas over the sizes (BTC 9,704.9036898 / 0.1,
// LTC 1,019.5308 / 10); the perpetuals' marks in USD are what the response's MR1 scenarios
// give per unit of price change (BTC 388.1369748240002 / 0.04 / 0.1, LTC 61.168909352399936 /
// 0.06 / 10), the response's USDT marks (97,093.7, 102) at its USDT–USD rate.
const PUBLISHED = {
  BTC: {
    mmr: 1183.8207318516002, imr: 1538.9669514070802, mr1: 1164.4109244719994, mr4: 19.4098073796, mr6: 1164.4109244720003, mr7: 43.67206660410001,
    mr1FinalResult: { pnl: -1164.4109244719994, spotShock: 0.12, volShock: "up" }, mr6FinalResult: { pnl: -2328.8218489440005, spotShock: 0.24 },
    delta: -9704.903689800001,
    scenarios: { "0": 0, "0.08": -776.2739496480004, "-0.08": 776.2739496480004, "0.04": -388.1369748240002, "0.12": -1164.4109244719994, "-0.12": 1164.4109244719994, "-0.04": 388.1369748240002 },
  },
  LTC: {
    mmr: 191.6629744572, imr: 249.16186679436, mr1: 183.50672805719995, mr4: 8.1562464, mr6: 183.5067280572, mr7: 7.1367156,
    mr1FinalResult: { pnl: -183.50672805719995, spotShock: -0.18, volShock: "up" }, mr6FinalResult: { pnl: -367.0134561144, spotShock: -0.36 },
    delta: 1019.5308,
    scenarios: { "0": 0, "-0.06": -61.168909352399936, "0.06": 61.168909352399936, "-0.18": -183.50672805719995, "0.18": 183.50672805719995, "0.12": 122.33781870480001, "-0.12": -122.33781870480001 },
  },
} as const;
const DERIV_MMR = 1375.4837063088003; // the response's derivMmr

function positionBuilderExample(): { positions: Position[]; market: Market } {
  const market = buildMarket({
    asOf: "2025-01-15T10:26:41Z",
    underlyings: {
      BTC: { index: 9704.903689800001 / 0.1, marks: { "BTC-USDT-SWAP": 388.1369748240002 / 0.04 / 0.1 } },
      LTC: { index: 1019.5308 / 10, marks: { "LTC-USDT-SWAP": 61.168909352399936 / 0.06 / 10 } },
    },
  });
  const positions: Position[] = [
    { id: "BTC-USDT-SWAP", kind: "future", underlying: "BTC", settlement: "linear", quantity: -10, contractSize: 0.01 },
    { id: "LTC-USDT-SWAP", kind: "future", underlying: "LTC", settlement: "linear", quantity: 10, contractSize: 1 },
  ];
  return { positions, market };
}

describe("OKX's position-builder response example (API v5 reference, 2025-01-15)", () => {
  it("reproduces every riskUnitData figure of both risk units and the derivatives MMR", () => {
    const { positions, market } = positionBuilderExample();
    const r = okxMargin(engine, positions, market, { profile: okx() });
    expect(r.riskUnitData.map((u) => u.riskUnit)).toEqual(["BTC", "LTC"]);
    for (const u of r.riskUnitData) {
      const want = PUBLISHED[u.riskUnit as "BTC" | "LTC"];
      for (const k of ["mmr", "imr", "mr1", "mr4", "mr6", "mr7", "delta"] as const) close(u[k], want[k]);
      for (const k of ["mr2", "mr3", "mr5", "mr9"] as const) expect(u[k]).toBe(0);
      // Perpetuals have no vega: the three vol states give the same PnL.
      for (const state of ["volShockUp", "volSame", "volShockDown"] as const) {
        const got = u.mr1Scenarios[state];
        expect(Object.keys(got).sort()).toEqual(Object.keys(want.scenarios).sort());
        for (const [move, pnl] of Object.entries(want.scenarios)) expect(Math.abs(got[move]! - pnl)).toBeLessThan(1e-9 * Math.max(1, Math.abs(pnl)));
      }
      expect(u.mr1FinalResult.spotShock).toBe(want.mr1FinalResult.spotShock);
      expect(u.mr1FinalResult.volShock).toBe(want.mr1FinalResult.volShock);
      close(u.mr1FinalResult.pnl, want.mr1FinalResult.pnl);
      expect(u.mr6FinalResult.spotShock).toBe(want.mr6FinalResult.spotShock);
      close(u.mr6FinalResult.pnl, want.mr6FinalResult.pnl);
    }
    close(r.derivMmr, DERIV_MMR);
    close(r.derivImr, 1.3 * DERIV_MMR);
  });

  it("its rules, read off the response: mmr = max(mr1, mr6) + mr4 above mr7, imr = 1.3 × mmr, mr6 = ½ × the ±24 % (BTC) / ±36 % (LTC) loss", () => {
    for (const want of Object.values(PUBLISHED)) {
      close(want.mmr, Math.max(want.mr1, want.mr6) + want.mr4);
      close(want.imr, 1.3 * want.mmr);
      close(want.mr6, -0.5 * want.mr6FinalResult.pnl);
      expect(want.mr7).toBeLessThan(want.mmr);
    }
    close(PUBLISHED.BTC.mr4, 0.002 * Math.abs(PUBLISHED.BTC.delta));
    close(PUBLISHED.BTC.mr7, 0.0045 * Math.abs(PUBLISHED.BTC.delta));
    close(PUBLISHED.LTC.mr4, 0.008 * Math.abs(PUBLISHED.LTC.delta));
    close(PUBLISHED.LTC.mr7, 0.007 * Math.abs(PUBLISHED.LTC.delta));
  });
});

describe("MR7 scaling (OKX support, 'OKEx adjusts scaling-factor logic in Portfolio Margin mode', article 4417291853837)", () => {
  const tiers = (): MarginProfile["okx"] => okx().okx;
  it("raw MR7 30,000 becomes 10,000 + 20,000 × 2 = 50,000, above MR 40,000: the risk unit's MMR is 50,000", () => {
    const mr7 = okxTieredCharge(30_000, tiers()!.mr7Tiers);
    expect(mr7).toBe(50_000);
    expect(Math.max(40_000, mr7)).toBe(50_000);
  });
  it("hand-computed across the BTC/ETH tiers: 10,000 × 1 + 60,000 × 2 + 100,000 × 4 + 30,000 × 6 at 200,000; 0 at 0", () => {
    expect(okxTieredCharge(200_000, tiers()!.mr7Tiers)).toBe(10_000 + 120_000 + 400_000 + 180_000);
    expect(okxTieredCharge(10_000, tiers()!.mr7Tiers)).toBe(10_000);
    expect(okxTieredCharge(0, tiers()!.mr7Tiers)).toBe(0);
    expect(okxTieredCharge(800_000, tiers()!.mr7Tiers)).toBe(10_000 + 120_000 + 400_000 + 780_000 + 1_360_000 + 2_300_000 + 1_200_000);
  });
  it("a book whose raw MR7 passes 10,000 is charged the scaled MR7 when it exceeds the scan (hand-computed)", () => {
    // Long 30 BTC perp and short 30 of a future: the scan nets to nearly 0, MR7 counts both legs.
    const market = buildMarket({ asOf: "2025-01-15T00:00:00Z", underlyings: { BTC: { index: 100_000 } } });
    const positions: Position[] = [
      { id: "perp", kind: "future", underlying: "BTC", settlement: "linear", quantity: 30 },
      { id: "fut", kind: "future", underlying: "BTC", settlement: "linear", quantity: -30, expiry: "2025-01-16T00:00:00Z" },
    ];
    const u = okxMargin(engine, positions, market, { profile: okx() }).riskUnitData[0]!;
    close(u.mr7Raw, 0.0045 * 60 * 100_000);
    close(u.mr7, 10_000 + (27_000 - 10_000) * 2);
    // MR4: each leg gross, max(5 % × T, 0.2 %) × 30 × index; T of one day is below the floor.
    close(u.mr4, 2 * 0.002 * 30 * 100_000);
    expect(u.mmr).toBe(Math.max(Math.max(u.mr1, u.mr6) + u.mr4, u.mr7));
    expect(u.mmr).toBe(u.mr7);
  });
});

describe("okxMargin's inputs", () => {
  it("refuses a profile without an okx section, naming it", () => {
    const { positions, market } = positionBuilderExample();
    expect(() => okxMargin(engine, positions, market, { profile: builtInProfile("deribit") })).toThrow(InputError);
    expect(() => okxMargin(engine, positions, market, { profile: builtInProfile("deribit") })).toThrow(/options\.profile\.okx/);
  });
  it("refuses unknown option keys and a grid whose vol states are not OKX's three", () => {
    const { positions, market } = positionBuilderExample();
    expect(() => okxMargin(engine, positions, market, { profile: okx(), extra: 1 } as never)).toThrow(/options/);
    const p = okx();
    const two = { ...p, defaults: { ...p.defaults, volStates: p.defaults.volStates.slice(0, 2) } };
    expect(() => okxMargin(engine, positions, market, { profile: two })).toThrow(/vol states/);
  });
  it("an empty book has no risk units and a margin of 0", () => {
    const { market } = positionBuilderExample();
    const r = okxMargin(engine, [], market, { profile: okx() });
    expect(r).toMatchObject({ derivMmr: 0, derivImr: 0, riskUnitData: [] });
  });
  it("a short call's MR1 is its worst scan loss in the vol-up state; MR6 half its worst extreme loss (hand-checked against the grid)", () => {
    const expiry = "2025-02-28T08:00:00Z";
    const market = buildMarket({ asOf: "2025-01-15T08:00:00Z", underlyings: { BTC: { index: 100_000, surface: [{ expiry, strikes: [100_000], vols: [0.5] }] } } });
    const call: Position = { id: "c", kind: "option", underlying: "BTC", settlement: "linear", right: "call", strike: 100_000, expiry, quantity: -1 };
    const u: OkxRiskUnit = okxMargin(engine, [call], market, { profile: okx() }).riskUnitData[0]!;
    expect(u.mr1FinalResult).toMatchObject({ spotShock: 0.12, volShock: "up" });
    close(u.mr1, -u.mr1Scenarios.volShockUp["0.12"]!);
    expect(u.mr6FinalResult.spotShock).toBe(0.24);
    close(u.mr6, -0.5 * u.mr6FinalResult.pnl);
    expect(u.mr4).toBe(0);
    close(u.mmr, Math.max(Math.max(u.mr1, u.mr6) + u.mr4, u.mr7));
  });
});
