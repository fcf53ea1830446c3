// Paradex portfolio margin (paradexMargin, the built-in paradex profile) against Paradex's own
// published figures — the portfolio-margin page's example, the fixtures and checks of Paradex's
// SDK (tradeparadex/paradex-py, tests/margin/test_margin.py) — and, on random books of perps,
// dated options and orders, against the venue's pipeline re-computed here step by step.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { black76 } from "../src/math/black76.js";
import { buildMarket, type Market } from "../src/market/market.js";
import { paradexMargin, type ParadexMarginResult } from "../src/methods/paradex/pm.js";
import type { OpenOrder } from "../src/model/orders.js";
import type { MarginProfile } from "../src/model/profile.js";
import type { MarketData, Position } from "../src/model/types.js";
import { parseOpenOrders } from "../src/schema/orders.js";
import { parseProfile } from "../src/schema/profile.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { prng } from "./fixtures/synthetic.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});
const paradex = (): MarginProfile => builtInProfile("paradex");
const march = (): MarginProfile => parseProfile(JSON.parse(readFileSync(new URL("../examples/paradex/profile-2026-03.json", import.meta.url), "utf8")));
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("the portfolio-margin page's example (docs.paradex.trade/risk/portfolio-margin)", () => {
  it("long 1 BTC-USD-PERP, short 5 BTC 70k calls of delta 0.3, spot 70,000: net −0.5, hedged 1.0, minimum delta requirement $1,400", () => {
    const asOf = "2026-08-20T08:00:00Z";
    const expiry = "2026-09-25T08:00:00Z";
    const market = buildMarket({ asOf, underlyings: { BTC: { index: 70_000, surface: [{ expiry, logMoneyness: [0], vols: [0.5] }] } } });
    const t = market.yearFraction(expiry);
    // The strike whose call delta is 0.3, so the book has the page's deltas.
    let lo = 70_000, hi = 210_000;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (black76({ forward: 70_000, strike: mid, time: t, vol: 0.5, rate: 0, phi: 1 }).delta > 0.3) lo = mid;
      else hi = mid;
    }
    const book: Position[] = [
      { id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: 1 },
      { kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: lo, expiry, quantity: -5 },
    ];
    const u = paradexMargin(engine, book, market, { profile: paradex() }).underlyings[0]!;
    expect(u.position_delta).toBeCloseTo(-0.5, 9);
    expect(u.hedged).toBeCloseTo(1, 9);
    expect(u.delta_min).toBeCloseTo(1_400, 6);
    expect(u.position_delta_min).toBeCloseTo(1_400, 6);
  });
});

// paradex-py tests/margin/test_margin.py (commit 334a7f81): "real Paradex market data" of 2026-04-22.
describe("Paradex's SDK fixtures (tradeparadex/paradex-py, tests/margin/test_margin.py)", () => {
  const SPOT = 77_939.768;
  const PERP_MARK = 77_888.84;
  const CALL = { id: "BTC-USD-8MAY26-78000-C", kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: 78_000, expiry: "2026-05-08T08:00:00Z" } as const;
  const fixture = (data: Partial<MarketData["underlyings"][string]> = {}): Market => buildMarket({
    asOf: "2026-04-22T00:00:00Z",
    underlyings: { BTC: { index: SPOT, marks: { "BTC-USD-PERP": PERP_MARK }, surface: [{ expiry: CALL.expiry, strikes: [78_000], vols: [0.42746687] }], ...data } },
  });
  const positions: Position[] = [
    { id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: -0.0005 },
    { ...CALL, quantity: 0.001 },
  ];

  it("the perpetual's delta is its mark over the spot (fixture delta 0.99934658), and an order's delta counts in the portfolio delta (test_compute_pm_portfolio_delta_includes_orders)", () => {
    const order: OpenOrder = { id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: 0.01, price: 78_000 };
    const u = paradexMargin(engine, positions, fixture(), { profile: paradex(), orders: [order] }).underlyings[0]!;
    expect(u.order_delta).toBeCloseTo(0.99934658 * 0.01, 9);
    expect(u.portfolio_delta).toBeCloseTo(u.position_delta + u.order_delta, 12);
  });

  it("a long call and a short perp lose most in a vol crush: the worst scenario has the −22% vol shock (test_compute_pm_worst_scenario_is_vol_crush)", () => {
    const u = paradexMargin(engine, positions, fixture(), { profile: paradex() }).underlyings[0]!;
    expect(u.worst_scenario.vol_shock).toBe(-0.22);
    expect(u.worst_loss).toBeGreaterThan(0);
  });

  it("adding a 0.01 BTC long perp raises IMR (test_compute_what_if_increases_imr)", () => {
    const base = paradexMargin(engine, positions, fixture(), { profile: paradex() }).IMR;
    const more = paradexMargin(engine, [...positions, { id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: 0.01 }], fixture(), { profile: paradex() }).IMR;
    expect(more).toBeGreaterThan(base);
  });

  it("fee provision: a perp's 0.0003 × 0.01 × 80,000 = 0.24 (test_fee_provision_perp); an option's min(0.0003 × spot, 12.5% × mark) × 0.001 (test_fee_provision_option_capped)", () => {
    const perp: Position = { id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: 0.01 };
    const at80k = buildMarket({ asOf: "2026-04-22T00:00:00Z", underlyings: { BTC: { index: 80_000 } } });
    expect(paradexMargin(engine, [perp], at80k, { profile: paradex(), feeRate: 0.0003 }).underlyings[0]!.fee_provision_mmr).toBeCloseTo(0.24, 12);
    const u = paradexMargin(engine, [{ ...CALL, quantity: 0.001 }], fixture(), { profile: paradex(), feeRate: 0.0003 }).underlyings[0]!;
    expect(u.fee_provision_mmr).toBeCloseTo(Math.min(0.0003 * SPOT, 0.125 * 2455.661) * 0.001, 12);
  });

  it("an open order's fee counts in IMR only, and an order never adds to MMR", () => {
    const order: OpenOrder = { id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: -0.2, price: 76_000 };
    const without = paradexMargin(engine, positions, fixture(), { profile: paradex(), feeRate: 0.0003 }).underlyings[0]!;
    const withOrder = paradexMargin(engine, positions, fixture(), { profile: paradex(), feeRate: 0.0003, orders: [order] }).underlyings[0]!;
    expect(withOrder.fee_provision_imr - without.fee_provision_imr).toBeCloseTo(0.0003 * 0.2 * PERP_MARK, 9);
    expect(withOrder.MMR).toBe(without.MMR);
  });

  it("the up-shock floor (min_vol_shock_up 0.40): a 5%-vol ATM call is worth its 40%-vol price in the vol-up scenario (test_min_vol_shock_up_floor)", () => {
    const low = fixture({ surface: [{ expiry: CALL.expiry, strikes: [78_000], vols: [0.05] }] });
    const u = paradexMargin(engine, [{ ...CALL, quantity: 1 }], low, { profile: paradex() }).underlyings[0]!;
    const t = low.yearFraction(CALL.expiry);
    const price = (vol: number): number => black76({ forward: SPOT, strike: 78_000, time: t, vol, rate: 0, phi: 1 }).price;
    const flatUp = u.scenarios.findIndex((s) => s.spot_shock === 0 && s.vol_shock === 0.4);
    expect(flatUp).toBe(7);
    expect(rel(u.position_pnl[flatUp]!, price(0.4) - price(0.05))).toBeLessThan(1e-9);
  });
});

describe("funding provision (8 h at the perpetual's 8-hour rate)", () => {
  const market = buildMarket({ asOf: "2026-04-22T00:00:00Z", underlyings: { BTC: { index: 80_000, fundingRate8h: 0.001 } } });
  const long: Position = { id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: 1 };
  const sell: OpenOrder = { id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: -1, price: 80_000 };
  const buy: OpenOrder = { ...sell, quantity: 0.5 };

  it("a long perp pays a positive rate: 0.001 × 1 × 80,000 = 80 in IMR and MMR; a short one reserves nothing", () => {
    const u = paradexMargin(engine, [long], market, { profile: paradex() }).underlyings[0]!;
    expect(u.fund_p).toBeCloseTo(80, 9);
    expect(u.MMR - 0.5 * Math.max(u.position_worst_loss, u.position_delta_min)).toBeCloseTo(80, 9);
    expect(paradexMargin(engine, [{ ...long, quantity: -1 }], market, { profile: paradex() }).underlyings[0]!.fund_p).toBe(0);
  });

  it("orders as the published pipeline (pm-pipeline.md): each order's cost on its own, so a sell never offsets the long and a buy adds 40", () => {
    const u = paradexMargin(engine, [long], market, { profile: paradex(), orders: [sell, buy] }).underlyings[0]!;
    expect(u.fund_p).toBeCloseTo(80 + 40, 9);
  });

  it("orders netted with the positions (orderFunding \"netted\"): 80 − 80 + 40", () => {
    const p = paradex();
    const netted = { ...p, paradex: { ...p.paradex!, orderFunding: "netted" as const } };
    expect(paradexMargin(engine, [long], market, { profile: netted, orders: [sell, buy] }).underlyings[0]!.fund_p).toBeCloseTo(40, 9);
  });
});

describe("orders in the scan", () => {
  it("a resting buy above every scenario price loses (price − scenario price) × size, weighted; a buy below it loses nothing", () => {
    const market = buildMarket({ asOf: "2026-04-22T00:00:00Z", underlyings: { BTC: { index: 100_000 } } });
    const order = (price: number): OpenOrder => ({ id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: 2, price });
    const u = paradexMargin(engine, [], market, { profile: paradex(), orders: [order(110_000)] }).underlyings[0]!;
    u.scenarios.forEach((s, i) => expect(u.order_pnl[i]).toBeCloseTo(-2 * Math.max(0, 110_000 - 100_000 * (1 + s.spot_shock)) * s.weight, 6));
    // Worst: scenario 16, −16% at weight 1: 2 × (110,000 − 84,000), more than −66% at 18% (27,360).
    expect(u.worst_loss).toBeCloseTo(2 * 26_000, 6);
    expect(u.worst_idx).toBe(15);
    expect(u.worst_scenario).toEqual({ spot_shock: -0.16, vol_shock: 0.4, weight: 1 });
    const cheap = paradexMargin(engine, [], market, { profile: paradex(), orders: [order(1_000)] }).underlyings[0]!;
    expect(cheap.worst_loss).toBe(0);
    // The delta floor counts the order, the MMR does not.
    expect(cheap.delta_min).toBeCloseTo(0.02 * 2 * 100_000, 6);
    expect(cheap.MMR).toBe(0);
  });
});

describe("settlement TWAP", () => {
  it("an option 10 minutes from expiry counts a third of its scenario PnL", () => {
    const asOf = "2026-05-08T07:50:00Z";
    const expiry = "2026-05-08T08:00:00Z";
    const market = buildMarket({ asOf, underlyings: { BTC: { index: 100_000, surface: [{ expiry, strikes: [100_000], vols: [0.5] }] } } });
    const call: Position = { kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: 100_000, expiry, quantity: 1 };
    const u = paradexMargin(engine, [call], market, { profile: paradex() }).underlyings[0]!;
    const untimed = paradexMargin(engine, [call], market, { profile: { ...paradex(), paradex: { ...paradex().paradex!, settlementTwapMinutes: 0 } } }).underlyings[0]!;
    u.position_pnl.forEach((x, i) => expect(x).toBeCloseTo(untimed.position_pnl[i]! / 3, 9));
  });
});

/**
 * Paradex's pipeline written out from its publications (the page, pm-pipeline.md, paradex-py's
 * compute_pm), independently of pmargin's engine: every option by Black-76 on its forward at
 * its own IV now, shocked; perps at their mark × (1 + spot shock).
 */
function pipeline(profile: MarginProfile, positions: Position[], orders: OpenOrder[], data: MarketData, market: Market, feeRate: number): { IMR: number; MMR: number; worst: number; deltaMin: number; fund: number; fee: number } {
  const u = "BTC";
  const d = data.underlyings[u]!;
  const spot = d.index;
  const rules = profile.paradex!;
  const g = profile.defaults;
  const up = g.volStates[0]!;
  const down = g.volStates[1]!;
  // The page's table: ±16 % only with vol up; tails with their weights.
  const table: [number, number, number][] = [];
  for (const m of [0.12, 0.08, 0.04, 0, -0.04, -0.08, -0.12]) table.push([m, up.shift, 1], [m, down.shift, 1]);
  for (const e of g.extended) table.push([e.move, up.shift, e.weight!]);
  const instrumentPrice = (q: Position, s: number, v: number): number => {
    if (q.kind === "future") return (d.marks?.[q.id!] ?? spot) * (1 + s);
    if (q.kind !== "option") throw new Error("no spot here");
    const t = market.yearFraction(q.expiry);
    const dte = t * 365;
    const f = market.get(u)!.forwards.forward(t);
    const iv = market.get(u)!.vol(t, Math.log(q.strike / f));
    let shocked = iv * (1 + v * (30 / Math.max(1, dte)) ** (dte < 30 ? 0.3 : 0.13));
    if (v > 0) shocked = Math.max(shocked, up.floor!);
    return black76({ forward: f * (1 + s), strike: q.strike, time: t, vol: shocked, rate: 0, phi: q.right === "call" ? 1 : -1 }).price;
  };
  const live = (q: Position): number => {
    if (q.kind !== "option") return 1;
    const minutes = market.yearFraction(q.expiry) * 365 * 1440;
    return minutes >= rules.settlementTwapMinutes ? 1 : minutes / rules.settlementTwapMinutes;
  };
  const units = (q: Position): number => q.quantity * (q.kind === "spot" ? 1 : (q.contractSize ?? 1));
  const posPnl = table.map(([s, v, w]) => positions.reduce((a, q) => a + live(q) * (instrumentPrice(q, s, v) - instrumentPrice(q, 0, 0)) * w * units(q), 0));
  const ordPnl = table.map(([s, v, w]) => orders.reduce((a, o) => {
    const gap = units(o) > 0 ? o.price - instrumentPrice(o, s, v) : instrumentPrice(o, s, v) - o.price;
    return a - Math.abs(units(o)) * live(o) * Math.max(0, gap) * w;
  }, 0));
  const delta = (q: Position): number => {
    if (q.kind === "future") return (units(q) * (d.marks?.[q.id!] ?? spot)) / spot;
    if (q.kind !== "option") throw new Error("no spot here");
    const t = market.yearFraction(q.expiry);
    const f = market.get(u)!.forwards.forward(t);
    const iv = market.get(u)!.vol(t, Math.log(q.strike / f));
    return units(q) * black76({ forward: f, strike: q.strike, time: t, vol: iv, rate: 0, phi: q.right === "call" ? 1 : -1 }).delta * (f / spot);
  };
  const pd = positions.map(delta);
  const od = orders.map(delta);
  const sumPos = (xs: number[]): number => xs.reduce((a, x) => a + Math.max(x, 0), 0);
  const sumNeg = (xs: number[]): number => xs.reduce((a, x) => a + Math.max(-x, 0), 0);
  const mL = sumPos(pd), mS = sumNeg(pd);
  const maxL = mL + sumPos(od), maxS = mS + sumNeg(od);
  const maxU = Math.max(0, Math.max(maxL - mS, maxS - mL));
  const hedged = Math.max(0, Math.max(maxL, maxS) - maxU);
  const { net, hedged: hf } = g.minimumDelta!;
  const deltaMin = (hedged * hf + maxU * net) * spot;
  const worst = Math.max(0, ...posPnl.map((x, i) => -(x + ordPnl[i]!)));
  const posWorst = Math.max(0, ...posPnl.map((x) => -x));
  const nd = pd.reduce((a, x) => a + x, 0);
  const gd = pd.reduce((a, x) => a + Math.abs(x), 0);
  const pDm = (net * Math.abs(nd) + hf * ((gd - Math.abs(nd)) / 2)) * spot;
  const fr = (d.fundingRate8h ?? 0) * (rules.fundingProvisionHours / 8);
  const perp = (q: Position): boolean => q.kind === "future" && q.expiry === undefined;
  const pF = Math.max(0, positions.filter(perp).reduce((a, q) => a + fr * units(q) * spot, 0));
  const oF = orders.filter(perp).reduce((a, o) => a + Math.max(0, fr * units(o) * spot), 0);
  const fee = (q: Position): number => Math.abs(units(q)) * (q.kind === "option" ? Math.min(feeRate * spot, rules.optionFeeCap * instrumentPrice(q, 0, 0)) : feeRate * instrumentPrice(q, 0, 0));
  const feeMmr = positions.reduce((a, q) => a + fee(q), 0);
  const feeImr = feeMmr + orders.reduce((a, o) => a + fee(o), 0);
  return {
    IMR: Math.max(worst, deltaMin) + pF + oF + feeImr,
    MMR: profile.mmFactor * Math.max(posWorst, pDm) + pF + feeMmr,
    worst, deltaMin, fund: pF + oF, fee: feeImr,
  };
}

describe("random books of perps, dated options and orders: pmargin against the pipeline re-computed from Paradex's publications", () => {
  const asOf = "2026-04-22T07:45:00Z";
  // Expiries from 20 minutes (inside the settlement TWAP) to 4 months.
  const expiries = ["2026-04-22T08:05:00Z", "2026-04-24T08:00:00Z", "2026-05-08T08:00:00Z", "2026-06-26T08:00:00Z", "2026-08-28T08:00:00Z"];

  function randomCase(seed: number): { positions: Position[]; orders: OpenOrder[]; data: MarketData } {
    const r = prng(seed);
    const spot = 60_000 + 40_000 * r();
    const strikes = [0.7, 0.85, 0.95, 1, 1.05, 1.15, 1.4].map((x) => Math.round(spot * x));
    const data: MarketData = {
      asOf,
      underlyings: {
        BTC: {
          index: spot,
          basis: 0.1 * r() - 0.02,
          fundingRate8h: 0.0004 * r() - 0.0001,
          marks: { "BTC-USD-PERP": spot * (1 + 0.002 * (r() - 0.5)) },
          // A smile per expiry on strikes: low vols too, so the 40 % up-shock floor binds.
          surface: expiries.map((expiry) => ({ expiry, strikes, vols: strikes.map((k) => 0.25 + 0.3 * r() + 0.2 * Math.abs(Math.log(k / spot))) })),
        },
      },
    };
    const option = (): Omit<Position & { kind: "option" }, "quantity"> & { settlement: "linear" } => ({
      kind: "option", settlement: "linear", underlying: "BTC", right: r() < 0.5 ? "call" : "put",
      strike: strikes[Math.floor(r() * strikes.length)]!, expiry: expiries[Math.floor(r() * expiries.length)]!,
    });
    const size = (): number => Math.round((r() - 0.5) * 40) / 4 || 0.25;
    const positions: Position[] = [{ id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: size() }];
    for (let i = 0; i < 6; i++) positions.push({ ...option(), quantity: size() });
    const orders: OpenOrder[] = [{ id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: size(), price: spot * (0.9 + 0.2 * r()) }];
    for (let i = 0; i < 3; i++) {
      const o = option();
      const t = (Date.parse(o.expiry) - Date.parse(asOf)) / (365 * 86_400_000);
      orders.push({ ...o, quantity: size(), price: black76({ forward: spot, strike: o.strike, time: t, vol: 0.5, rate: 0, phi: o.right === "call" ? 1 : -1 }).price * (0.5 + r()) + 1 });
    }
    return { positions, orders, data };
  }

  for (const [name, profileOf] of [["the page's table in force (tails 18 % … 2.4 %)", paradex], ["the March 2026 table (tails 24 % … 3.2 %)", march]] as const) {
    it(`${name}: IMR, MMR, SCAN risk, delta floor, funding and fee provisions agree to 1e-9 relative on 20 books`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const { positions, orders, data } = randomCase(seed);
        const market = buildMarket(data);
        const profile = profileOf();
        const mine: ParadexMarginResult = paradexMargin(engine, positions, market, { profile, orders, feeRate: 0.0003 });
        const u = mine.underlyings[0]!;
        const theirs = pipeline(profile, positions, orders, data, market, 0.0003);
        const at = `seed ${seed}`;
        expect(rel(mine.IMR, theirs.IMR), `${at} IMR ${mine.IMR} vs ${theirs.IMR}`).toBeLessThan(1e-9);
        expect(rel(mine.MMR, theirs.MMR), `${at} MMR`).toBeLessThan(1e-9);
        expect(rel(u.worst_loss, theirs.worst), `${at} worst`).toBeLessThan(1e-9);
        expect(rel(u.delta_min, theirs.deltaMin), `${at} delta_min`).toBeLessThan(1e-9);
        expect(Math.abs(u.fund_p - theirs.fund) <= 1e-9 * Math.max(1, theirs.fund), `${at} fund_p`).toBe(true);
        expect(rel(u.fee_provision_imr, theirs.fee), `${at} fee`).toBeLessThan(1e-9);
      }
    });
  }

  it("the March table asks more: its tails are 4/3 of today's", () => {
    const now = paradex().defaults.extended.filter((e) => e.weight! < 1).map((e) => e.weight!);
    const then = march().defaults.extended.filter((e) => e.weight! < 1).map((e) => e.weight!);
    then.forEach((w, i) => expect(w / now[i]!).toBeCloseTo(4 / 3, 2));
  });
});

describe("bad input is a typed error naming the field", () => {
  const market = buildMarket({ asOf: "2026-04-22T00:00:00Z", underlyings: { BTC: { index: 80_000 } } });
  const perp: Position = { id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: 1 };

  it("an inverse position, a profile without its paradex section, a bad fee rate, an unknown option", () => {
    expect(() => paradexMargin(engine, [{ ...perp, settlement: "inverse" }], market, { profile: paradex() })).toThrow(/positions\[0\]\.settlement/);
    expect(() => paradexMargin(engine, [perp], market, { profile: builtInProfile("deribit") })).toThrow(/options\.profile\.paradex/);
    expect(() => paradexMargin(engine, [perp], market, { profile: paradex(), feeRate: Number.NaN })).toThrow(/options\.feeRate/);
    expect(() => paradexMargin(engine, [perp], market, { profile: paradex(), fees: 1 } as never)).toThrow(InputError);
  });

  it("an orders file: an inverse order, a missing price, an order on spot", () => {
    const order = { kind: "future", settlement: "linear", underlying: "BTC", quantity: 1, price: 80_000 };
    expect(parseOpenOrders({ orders: [order] })).toHaveLength(1);
    expect(() => parseOpenOrders({ orders: [{ ...order, settlement: "inverse" }] }, "orders.json")).toThrow(/orders\[0\]\.settlement/);
    expect(() => parseOpenOrders({ orders: [{ ...order, price: undefined }] }, "orders.json")).toThrow(/orders\[0\]\.price/);
    expect(() => parseOpenOrders({ orders: [{ ...order, kind: "spot" }] }, "orders.json")).toThrow(/orders\[0\]\.kind/);
    expect(() => parseOpenOrders({ orders: [order], extra: 1 }, "orders.json")).toThrow(/extra/);
  });
});
