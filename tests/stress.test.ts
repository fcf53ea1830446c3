// Stress tests: named crashes replayed from the shipped history, given shocks and
// correlation-to-one shocks, each PnL checked against a direct computation.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import type { PriceSeries } from "../src/history/history.js";
import { shippedSeries } from "../src/history/shipped.js";
import { buildMarket } from "../src/market/market.js";
import { builtInStressScenarios, stressTest } from "../src/methods/stress/stress.js";
import type { Position } from "../src/model/types.js";
import { black76Price } from "../src/math/black76.js";
import { AS_OF, expiryIn } from "./fixtures/synthetic.js";

// Top-level await: vitest runs test files as ES modules.
const engine: Engine = await createEngine();
const series: PriceSeries[] = await shippedSeries();

const S = { BTC: 70_000, ETH: 2_000, SOL: 90 };
const VOL = { BTC: 0.5, ETH: 0.7, SOL: 0.9 };
const flat = (v: number) => [{ expiry: expiryIn(90), logMoneyness: [0], vols: [v] }];
const market = buildMarket({
  asOf: AS_OF,
  underlyings: {
    BTC: { index: S.BTC, surface: flat(VOL.BTC) },
    ETH: { index: S.ETH, surface: flat(VOL.ETH) },
    SOL: { index: S.SOL, surface: flat(VOL.SOL) },
  },
});

const closes = (file: string): Map<string, number> =>
  new Map(readFileSync(new URL(`../data/binance-daily/${file}`, import.meta.url), "utf8").trim().split(/\r?\n/).slice(2)
    .map((line) => line.split(",")).map((c) => [c[1]!.slice(0, 10), Number(c[6])]));
const raw = { BTC: closes("Binance_BTCUSDT_d.csv"), ETH: closes("Binance_ETHUSDT_d.csv"), SOL: closes("Binance_SOLUSDT_d.csv") };

const spots: Position[] = [
  { id: "btc", kind: "spot", underlying: "BTC", quantity: 1 },
  { id: "eth", kind: "spot", underlying: "ETH", quantity: 10 },
  { id: "sol", kind: "spot", underlying: "SOL", quantity: -100 },
];

describe("named historical crashes", () => {
  it("replay each underlying's close-to-close move from the CSV, and the descriptions quote the data", () => {
    const results = stressTest(engine, spots, market, builtInStressScenarios(), { history: series });
    const events = builtInStressScenarios();
    results.forEach((r, i) => {
      const e = events[i]!;
      for (const m of r.underlyings) {
        const c = raw[m.underlying as keyof typeof raw];
        if (!c.has(e.from)) continue; // SOL before 2020-08: proxied, below
        const move = c.get(e.to)! / c.get(e.from)! - 1;
        expect(m.move).toBeCloseTo(move, 12);
        // "BTC −39.5%" in the description, when quoted, is this move rounded.
        const quoted = e.description!.match(new RegExp(`${m.underlying} −(\\d+\\.\\d)%`));
        if (quoted) expect(Number(quoted[1])).toBeCloseTo(-100 * move, 1);
      }
      const spotPnl = r.underlyings.reduce((a, m) => a + spots.find((p) => p.underlying === m.underlying)!.quantity * S[m.underlying as keyof typeof S] * m.move, 0);
      expect(r.pnlUsd).toBeCloseTo(spotPnl, 6);
      expect(r.positions.reduce((a, p) => a + p.pnlUsd, 0)).toBeCloseTo(r.pnlUsd, 6);
    });
  });

  it("an underlying without prices in the window moves like its proxy, and says so", () => {
    const [covid] = stressTest(engine, spots, market, [builtInStressScenarios()[0]!], { history: series });
    const sol = covid!.underlyings.find((m) => m.underlying === "SOL")!;
    const btc = covid!.underlyings.find((m) => m.underlying === "BTC")!;
    expect(sol.source).toMatch(/proxy BTC/);
    expect(sol.move).toBe(btc.move);
    expect(btc.move).toBeCloseTo(-0.395, 3);
  });

  it("implied vols move by the EWMA vol ratio by default, or not at all, or by a given shift", () => {
    const e = builtInStressScenarios()[0]!;
    const [realised, unchanged, given] = stressTest(engine, spots, market,
      [e, { ...e, volRule: "unchanged" }, { ...e, volRule: 0.8 }], { history: series });
    // A −40% day multiplies the EWMA vol: σ²' = 0.94σ² + 0.06r² ≫ σ².
    expect(realised!.underlyings[0]!.volShift).toBeGreaterThan(1);
    expect(unchanged!.underlyings[0]!.volShift).toBe(0);
    expect(given!.underlyings[0]!.volShift).toBe(0.8);
  });
});

describe("synthetic shocks", () => {
  const call: Position = { id: "call", kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: 80_000, expiry: expiryIn(90), quantity: -3 };
  const fut: Position = { id: "fut", kind: "future", settlement: "linear", underlying: "ETH", quantity: 50, expiry: expiryIn(30) };

  it("given moves and vol shifts: a future's PnL is q·F·move, an option's the Black-76 difference at the shocked vol", () => {
    const [r] = stressTest(engine, [call, fut], market, [
      { type: "shock", name: "btc −25% vol +60%, eth −30%", moves: { BTC: -0.25, ETH: -0.3 }, volShifts: { BTC: 0.6 } },
    ]);
    const t = market.yearFraction(call.expiry);
    const v = (f: number, vol: number): number => -3 * black76Price(f, 80_000, t, vol, 0, 1);
    expect(r!.positions[0]!.pnlUsd).toBeCloseTo(v(S.BTC * 0.75, 0.5 * 1.6) - v(S.BTC, 0.5), 6);
    expect(r!.positions[1]!.pnlUsd).toBeCloseTo(50 * S.ETH * -0.3, 6);
    expect(r!.pnlUsd).toBeCloseTo(r!.positions[0]!.pnlUsd + r!.positions[1]!.pnlUsd, 6);
  });

  it("correlation to one: every underlying falls k of its own sigmas over the horizon, together", () => {
    const [r] = stressTest(engine, spots, market, [{ type: "correlation-to-one", name: "−4σ", sigmas: -4, horizonDays: 2 }]);
    for (const m of r!.underlyings) {
      expect(m.move).toBeCloseTo(Math.exp(-4 * VOL[m.underlying as keyof typeof VOL] * Math.sqrt(2 / 365)) - 1, 12);
    }
    expect(r!.horizonDays).toBe(2);
  });

  it("bad scenarios are named", () => {
    expect(() => stressTest(engine, spots, market, [{ type: "shock", name: "x", moves: { BTC: -1.2 } }])).toThrow(/scenarios\[0\]\.moves\.BTC/);
    expect(() => stressTest(engine, spots, market, [builtInStressScenarios()[0]!])).toThrow(InputError);
    expect(() => stressTest(engine, spots, market, [{ type: "historical", name: "x", from: "2024-01-02", to: "2024-01-01" }], { history: series }))
      .toThrow(/scenarios\[0\]\.to/);
  });
});
