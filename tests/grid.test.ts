import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { referenceBackend } from "../src/reference/backend.js";
import { buildMarket } from "../src/market/market.js";
import { gridMargin, termWeight, type GridScenario } from "../src/methods/grid/grid.js";
import type { MarginProfile } from "../src/model/profile.js";
import { black76, black76Price } from "../src/math/black76.js";
import type { Position } from "../src/model/types.js";
import { AS_OF, expiryIn } from "./fixtures/synthetic.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

/** A small Deribit-like profile written out in the test, so every number below is visible. */
const profile: MarginProfile = {
  name: "test",
  description: "±16% in 4 buckets, vol +50% (floor 50%) / −25%, (30/DTE)^0.3|0.13, two tails",
  sources: [],
  defaults: {
    moves: [-0.16, -0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12, 0.16],
    volStates: [{ name: "up", shift: 0.5, floor: 0.5 }, { name: "flat", shift: 0 }, { name: "down", shift: -0.25 }],
    volScaling: { refDays: 30, minDays: 1, shortPower: 0.3, longPower: 0.13 },
    extended: [{ move: -0.66, weight: 0.2 }, { move: 1, weight: 0.1 }],
  },
  mmFactor: 0.8,
  crossUnderlying: "sum",
};

const VOL = 0.45;
const market = buildMarket({
  asOf: AS_OF,
  underlyings: {
    BTC: { index: 100_000, basis: 0.05, surface: [{ expiry: expiryIn(10), logMoneyness: [0], vols: [VOL] }] },
    ETH: { index: 3_000, surface: [{ expiry: expiryIn(10), logMoneyness: [0], vols: [0.6] }] },
  },
});
const btcForward = (days: number): number => market.get("BTC")!.forwards.forward(market.yearFraction(expiryIn(days)));

/** Independent PnL of one option position in a grid scenario: Black-76 with the venue's shocked vol. */
function optionPnl(p: Extract<Position, { kind: "option" }>, sc: GridScenario, vol0: number): number {
  const t = market.yearFraction(p.expiry);
  const f0 = market.get(p.underlying)!.forwards.forward(t);
  const state = profile.defaults.volStates.find((v) => v.name === sc.vol)!;
  const vol = Math.max(vol0 * (1 + state.shift * termWeight(profile.defaults.volScaling, t * 365)), state.floor ?? 0);
  const phi = p.right === "call" ? 1 : -1;
  const size = p.quantity * (p.contractSize ?? 1);
  const usd = (f: number, v: number): number => black76Price(f, p.strike, t, v, 0, phi) * (p.settlement === "inverse" ? 100_000 / f0 : 1);
  return size * (usd(f0 * (1 + sc.move), vol) - usd(f0, vol0));
}

const call = (strike: number, quantity: number, days = 20): Extract<Position, { kind: "option" }> =>
  ({ kind: "option", settlement: "linear", right: "call", underlying: "BTC", strike, expiry: expiryIn(days), quantity });
const put = (strike: number, quantity: number, days = 20): Extract<Position, { kind: "option" }> =>
  ({ kind: "option", settlement: "linear", right: "put", underlying: "BTC", strike, expiry: expiryIn(days), quantity });

describe("hand-computed grids", () => {
  const books: [string, Position[]][] = [
    ["a linear future", [{ kind: "future", settlement: "linear", underlying: "BTC", quantity: 2, expiry: expiryIn(60) }]],
    ["a call", [call(105_000, 3)]],
    ["a bull spread", [call(100_000, 1), call(110_000, -1)]],
    ["a straddle", [call(100_000, -2, 7), put(100_000, -2, 7)]],
    ["an inverse future", [{ kind: "future", settlement: "inverse", underlying: "BTC", quantity: -5000, faceValue: 10 }]],
  ];
  for (const [name, positions] of books) {
    it(`${name}: every scenario's PnL matches an independent computation`, () => {
      const m = gridMargin(engine, positions, market, { profile }).underlyings[0]!;
      expect(m.scenarios).toHaveLength(9 * 3 + 2);
      m.scenarios.forEach((sc, s) => {
        const expected = positions.reduce((acc, p) => {
          if (p.kind === "option") return acc + optionPnl(p, sc, VOL);
          if (p.kind === "future" && p.settlement === "linear") return acc + p.quantity * btcForward(60) * sc.move;
          if (p.kind === "future" && p.settlement === "inverse") {
            // Coin PnL q·face·(1/F0 − 1/F1), worth S1 dollars a coin.
            const coin = p.quantity * (p.faceValue ?? 1) * (1 / 100_000 - 1 / (100_000 * (1 + sc.move)));
            return acc + coin * 100_000 * (1 + sc.move);
          }
          return acc;
        }, 0);
        expect(m.pnlUsd[s]).toBeCloseTo(expected, 6);
      });
      // Coin-settled books are margined on coin PnL (worth the index per coin today).
      const pnl = m.reportCurrency === "USD" ? m.pnlUsd : m.pnlCoin.map((x) => x * 100_000);
      const worst = Math.max(0, ...m.scenarios.map((sc, s) => -sc.weight * pnl[s]!));
      expect(m.worstLoss.usd).toBeCloseTo(worst, 9);
    });
  }

  it("a delta-hedged short option loses only through gamma and vega", () => {
    const short = call(100_000, -10);
    const t = market.yearFraction(short.expiry);
    const f0 = btcForward(20);
    const delta = black76({ forward: f0, strike: 100_000, time: t, vol: VOL, rate: 0, phi: 1 }).delta;
    const hedge: Position = { kind: "future", settlement: "linear", underlying: "BTC", quantity: 10 * delta, expiry: short.expiry };
    const m = gridMargin(engine, [short, hedge], market, { profile }).underlyings[0]!;
    m.scenarios.forEach((sc, s) => {
      expect(m.pnlUsd[s]).toBeCloseTo(optionPnl(short, sc, VOL) + 10 * delta * f0 * sc.move, 6);
    });
    // Flat vol, no move: hedged, nothing lost.
    expect(m.pnlUsd[m.scenarios.findIndex((sc) => sc.move === 0 && sc.vol === "flat")]).toBeCloseTo(0, 9);
  });

  it("extended moves count at their weight and only in the vol-up state", () => {
    const m = gridMargin(engine, [put(90_000, -1)], market, { profile }).underlyings[0]!;
    const crash = m.scenarios.findIndex((sc) => sc.move === -0.66);
    expect(m.scenarios[crash]).toMatchObject({ weight: 0.2, vol: "up", extended: true });
    expect(m.worstLoss.usd).toBeCloseTo(Math.max(...m.scenarios.map((sc, s) => -sc.weight * m.pnlUsd[s]!)), 9);
    expect(m.worstScenario).toEqual(m.scenarios[crash]);
  });
});

describe("the currency a book is measured in", () => {
  it("coin held alone loses nothing in coin, as the venue measures it, and its USD fall with measureIn: USD", () => {
    const coin: Position[] = [{ kind: "spot", underlying: "BTC", quantity: 2 }];
    expect(gridMargin(engine, coin, market, { profile }).initial).toBeLessThan(1e-9);
    const usd = gridMargin(engine, coin, market, { profile, measureIn: "USD" }).underlyings[0]!;
    // Worst weighted USD loss: max(−16% regular, 0.2 × −66% extended) of 2 × 100,000.
    expect(usd.reportCurrency).toBe("USD");
    expect(usd.worstLoss.usd).toBeCloseTo(2 * 100_000 * Math.max(0.16, 0.2 * 0.66), 6);
  });
});

describe("portfolio against single-position margin", () => {
  it("a bear put spread margins far below the sum of its legs alone", () => {
    const r = gridMargin(engine, [put(100_000, 1), put(90_000, -1)], market, { profile });
    expect(r.initial).toBeLessThan(0.5 * r.standalone);
    expect(r.offsetBenefit).toBeCloseTo(r.standalone - r.initial, 9);
  });

  it("a covered write (long future, short call) margins below the standalone sum", () => {
    const r = gridMargin(engine, [{ kind: "future", settlement: "linear", underlying: "BTC", quantity: 1, expiry: expiryIn(20) }, call(105_000, -1)], market, { profile });
    expect(r.initial).toBeLessThan(r.standalone);
  });

  it("a position and its exact opposite margin to zero", () => {
    const r = gridMargin(engine, [call(100_000, 4), call(100_000, -4)], market, { profile });
    expect(r.initial).toBe(0);
    expect(r.underlyings[0]!.pnlUsd.every((x) => x === 0)).toBe(true);
  });

  it("maintenance is mmFactor × initial", () => {
    const r = gridMargin(engine, [put(95_000, -3)], market, { profile });
    expect(r.maintenance).toBeCloseTo(0.8 * r.initial, 9);
    expect(r.underlyings[0]!.maintenance.usd).toBeCloseTo(0.8 * r.underlyings[0]!.initial.usd, 9);
  });
});

describe("across underlyings", () => {
  const eth: Position = { kind: "future", settlement: "linear", underlying: "ETH", quantity: -30, expiry: expiryIn(20) };
  const btc: Position = { kind: "future", settlement: "linear", underlying: "BTC", quantity: 1, expiry: expiryIn(20) };

  it("with 'sum' the portfolio requirement is the sum of the per-underlying ones, each grid moving its own underlying only", () => {
    const r = gridMargin(engine, [btc, eth], market, { profile });
    expect(r.underlyings.map((m) => m.underlying)).toEqual(["BTC", "ETH"]);
    expect(r.initial).toBeCloseTo(r.underlyings[0]!.initial.usd + r.underlyings[1]!.initial.usd, 9);
    // Each alone gives the same per-underlying requirement.
    expect(gridMargin(engine, [btc], market, { profile }).initial).toBeCloseTo(r.underlyings[0]!.initial.usd, 9);
    expect(gridMargin(engine, [eth], market, { profile }).initial).toBeCloseTo(r.underlyings[1]!.initial.usd, 9);
  });

  it("a SPAN-style credit gives back credit × the smaller requirement when the deltas offset", () => {
    const credited: MarginProfile = { ...profile, crossUnderlying: { spreadCredits: [{ underlyings: ["BTC", "ETH"], credit: 0.5 }] } };
    const r = gridMargin(engine, [btc, eth], market, { profile: credited });
    const [a, b] = r.underlyings as [typeof r.underlyings[0], typeof r.underlyings[0]];
    expect(r.spreadCredit).toBeCloseTo(0.5 * Math.min(a.initial.usd, b.initial.usd), 9);
    expect(r.initial).toBeCloseTo(a.initial.usd + b.initial.usd - r.spreadCredit, 9);
    const same = gridMargin(engine, [btc, { ...eth, quantity: 30 }], market, { profile: credited });
    expect(same.spreadCredit).toBe(0);
  });
});

describe("contingencies", () => {
  const withCharges: MarginProfile = {
    ...profile,
    defaults: { ...profile.defaults, shortOptionMinimum: 0.01, deltaShock: 0.02, rollShock: { annualisedMoveRisk: 0.075, minMove: 0.01 }, minimum: 50 },
  };

  it("short option minimum: net short contracts per strike × factor × index", () => {
    // Strike 100k: call −3 and put +1 net −2; strike 110k: −1.
    const r = gridMargin(engine, [call(100_000, -3), put(100_000, 1), call(110_000, -1)], market, { profile: withCharges }).underlyings[0]!;
    expect(r.contingencies.shortOption.usd).toBeCloseTo(3 * 0.01 * 100_000, 9);
  });

  it("delta shock: fraction × |net delta| × index; roll: offsetting futures × max(risk·√T, min move)", () => {
    const longF: Position = { kind: "future", settlement: "linear", underlying: "BTC", quantity: 3, expiry: expiryIn(90) };
    const shortF: Position = { kind: "future", settlement: "linear", underlying: "BTC", quantity: -2, expiry: expiryIn(30) };
    const r = gridMargin(engine, [longF, shortF], market, { profile: withCharges }).underlyings[0]!;
    const d = (3 * btcForward(90) - 2 * btcForward(30)) / 100_000;
    expect(r.contingencies.deltaShock.usd).toBeCloseTo(0.02 * d * 100_000, 6);
    const offset = (2 * btcForward(30)) / 100_000;
    const t = market.yearFraction(expiryIn(90));
    expect(r.contingencies.roll.usd).toBeCloseTo(offset * 100_000 * Math.max(0.075 * Math.sqrt(t), 0.01), 6);
    expect(r.initial.usd).toBeCloseTo(r.worstLoss.usd + r.contingencies.roll.usd + r.contingencies.deltaShock.usd, 6);
  });

  it("roll: positions in the same future net first; only what offsets across expiries is charged", () => {
    const longF: Position = { kind: "future", settlement: "linear", underlying: "BTC", quantity: 3, expiry: expiryIn(90) };
    const closeF: Position = { ...longF, quantity: -3 };
    const perp: Position = { kind: "future", settlement: "linear", underlying: "BTC", quantity: 2 };
    const flat = gridMargin(engine, [longF, closeF, perp, { ...perp, quantity: -2 }], market, { profile: withCharges }).underlyings[0]!;
    expect(flat.contingencies.roll.usd).toBe(0);
    const spread = gridMargin(engine, [longF, closeF, { ...longF, quantity: 1 }, { ...perp, quantity: -1 }], market, { profile: withCharges }).underlyings[0]!;
    expect(spread.contingencies.roll.usd).toBeGreaterThan(0);
  });

  it("the minimum lifts a small requirement to it", () => {
    const r = gridMargin(engine, [call(150_000, 0.001)], market, { profile: withCharges }).underlyings[0]!;
    expect(r.initial.usd).toBe(50);
    expect(r.contingencies.minimum.usd).toBeGreaterThan(0);
  });

  it("an inverse-only book reports in its coin, and coin amounts are USD over the index", () => {
    const inv: Position = { kind: "option", settlement: "inverse", right: "put", underlying: "BTC", strike: 90_000, expiry: expiryIn(20), quantity: -2 };
    const r = gridMargin(engine, [inv], market, { profile }).underlyings[0]!;
    expect(r.reportCurrency).toBe("BTC");
    expect(r.initial.coin).toBeCloseTo(r.initial.usd / 100_000, 12);
    // Margined on its coin PnL: the worst weighted coin loss, independently of the USD one.
    const coinWorst = Math.max(...r.scenarios.map((sc, s) => -sc.weight * r.pnlCoin[s]!));
    expect(r.worstLoss.coin).toBeCloseTo(coinWorst, 12);
    r.scenarios.forEach((sc, s) => {
      const f0 = btcForward(20);
      const coinValue = (f: number, vol: number): number => -2 * black76Price(f, 90_000, market.yearFraction(expiryIn(20)), vol, 0, -1) / f;
      const usd0 = coinValue(f0, VOL) * 100_000;
      expect(r.pnlCoin[s]).toBeCloseTo((usd0 + r.pnlUsd[s]!) / (100_000 * (1 + sc.move)) - usd0 / 100_000, 12);
    });
    r.scenarios.forEach((sc, s) => expect(r.pnlUsd[s]).toBeCloseTo(optionPnl(inv, sc, VOL), 6));
  });
});

describe("Paradex's minimum delta requirement", () => {
  it("floors the requirement at (2% |net δ| + 1% hedged δ) × spot: the docs' perp + short calls example gives 1,400 at spot 70,000", () => {
    // The docs' deltas: long 1 perp (+1), short 5 calls of delta 0.3 each (−1.5): net −0.5, hedged 1.
    const spot = 70_000;
    const m70 = buildMarket({
      asOf: AS_OF,
      underlyings: { BTC: { index: spot, surface: [{ expiry: expiryIn(30), logMoneyness: [0], vols: [VOL] }] } },
    });
    const t = m70.yearFraction(expiryIn(30));
    // The strike whose call delta is 0.3, so the book reproduces the docs' deltas.
    let lo = spot, hi = 3 * spot;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (black76({ forward: spot, strike: mid, time: t, vol: VOL, rate: 0, phi: 1 }).delta > 0.3) lo = mid;
      else hi = mid;
    }
    const book: Position[] = [
      { kind: "future", settlement: "linear", underlying: "BTC", quantity: 1 },
      { kind: "option", settlement: "linear", right: "call", underlying: "BTC", strike: lo, expiry: expiryIn(30), quantity: -5 },
    ];
    // A grid with no shock at all, so the floor alone sets the requirement.
    const flatOnly: MarginProfile = {
      ...profile,
      defaults: { moves: [0], volStates: [{ name: "flat", shift: 0 }], extended: [], minimumDelta: { net: 0.02, hedged: 0.01 } },
    };
    const r = gridMargin(engine, book, m70, { profile: flatOnly }).underlyings[0]!;
    expect(r.netDelta).toBeCloseTo(-0.5, 9);
    expect(r.worstLoss.usd).toBe(0);
    expect(r.initial.usd).toBeCloseTo(1_400, 6);
    expect(r.contingencies.minimum.usd).toBeCloseTo(1_400, 6);
  });
});

describe("the JS reference kernel", () => {
  it("gives the same grid margin as the WASM kernel to 1e-9", () => {
    const book: Position[] = [
      { kind: "option", settlement: "inverse", underlying: "BTC", right: "put", strike: 90_000, expiry: expiryIn(9), quantity: -4 },
      { kind: "option", settlement: "linear", underlying: "ETH", right: "call", strike: 3_200, expiry: expiryIn(9), quantity: 15 },
      { kind: "future", settlement: "linear", underlying: "BTC", quantity: 1 },
    ];
    const w = gridMargin(engine, book, market, { profile });
    const j = gridMargin(referenceBackend(engine), book, market, { profile });
    expect(Math.abs(j.initial - w.initial)).toBeLessThanOrEqual(1e-9 * w.initial);
    j.underlyings.forEach((u, i) => u.pnlUsd.forEach((x, s) => expect(x).toBeCloseTo(w.underlyings[i]!.pnlUsd[s]!, 6)));
  });
});
