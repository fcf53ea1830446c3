// Real books on a real Deribit BTC chain (issue 21, "must show"): the 2026-08-22 snapshot of
// ../shared/data/deribit_options/, read from there at test time (the data has no licence and is
// not shipped; without it these tests skip). The books are picked by rule (tests/helpers/
// deribit-chain.ts); the figures they give are in docs/deribit.md. Only what holds by reasoning,
// whatever the chain, is asserted here — no computed figure is typed in.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { prepareInputs } from "../src/market/inputs.js";
import { gridMargin, type GridMarginResult } from "../src/methods/grid/grid.js";
import type { DeribitRiskMatrix } from "../src/methods/grid/risk-matrix.js";
import type { MarginProfile } from "../src/model/profile.js";
import type { MarketData, Position } from "../src/model/types.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { chainBooks, chainMarket, readChain, type ChainRow } from "./helpers/deribit-chain.js";

const SNAPSHOT = fileURLToPath(new URL("../../shared/data/deribit_options/deribit_options_snapshot_20260822T153351Z.csv", import.meta.url));
const present = existsSync(SNAPSHOT);

const deribit = builtInProfile("deribit");
const variant = (defaults: Partial<MarginProfile["defaults"]>, drop?: "extendedDampener"): MarginProfile => {
  const d: MarginProfile["defaults"] = { ...deribit.defaults, ...defaults };
  if (drop) delete d[drop];
  return { ...deribit, defaults: d };
};
const stickyMoneyness = variant({ smile: "stickyMoneyness" });
const undampened = variant({}, "extendedDampener");

describe.skipIf(!present)("Deribit portfolio margin on the real BTC chain of 2026-08-22 (../shared, not shipped)", () => {
  let engine: Engine;
  let rows: ChainRow[];
  let marketData: MarketData;
  let books: ReturnType<typeof chainBooks>;
  beforeAll(async () => {
    engine = await createEngine();
    rows = readChain(readFileSync(SNAPSHOT, "utf8"));
    marketData = chainMarket(rows);
    books = chainBooks(rows, marketData.asOf);
  });

  const run = (positions: Position[], profile: MarginProfile = deribit): { g: GridMarginResult; d: DeribitRiskMatrix; index: number; valueCoin: number } => {
    const { portfolio, market } = prepareInputs({ positions }, marketData);
    const g = gridMargin(engine, portfolio.positions, market, { profile });
    const u = g.underlyings[0]!;
    return { g, d: u.deribit!, index: u.index, valueCoin: u.valueUsd / u.index };
  };

  it("the chain becomes a valid market: asOf the snapshot time, index the median index_price, a forward and a slice per expiry", () => {
    const btc = marketData.underlyings.BTC!;
    expect(marketData.asOf).toBe(new Date(Date.parse(rows[0]!.timestamp.slice(0, 23) + "Z")).toISOString());
    const indices = rows.map((r) => r.index);
    expect(btc.index).toBeGreaterThanOrEqual(Math.min(...indices));
    expect(btc.index).toBeLessThanOrEqual(Math.max(...indices));
    expect(btc.forwards!.length).toBe(new Set(rows.map((r) => r.expiry)).size);
    for (const s of btc.surface!) {
      const f = btc.forwards!.find((q) => q.expiry === s.expiry)!.price;
      for (const k of s.strikes!) expect(k >= 0.5 * f && k <= 2 * f).toBe(true);
      for (const v of s.vols) expect(v).toBeGreaterThan(0);
    }
  });

  it("the books are what they say: strangle and put spread on one expiry, calendar on two, every leg 1 BTC inverse", () => {
    const { strangle, putSpread, calendar, shortPut } = books;
    expect(strangle.positions.map((p) => [p.right, p.quantity])).toEqual([["call", -1], ["put", -1]]);
    expect(strangle.positions[0]!.strike).toBeGreaterThan(strangle.positions[1]!.strike);
    expect(putSpread.positions.map((p) => [p.right, p.quantity])).toEqual([["put", 1], ["put", -1]]);
    expect(putSpread.positions[0]!.strike).toBeGreaterThan(putSpread.positions[1]!.strike);
    expect(calendar.positions[0]!.expiry < calendar.positions[1]!.expiry).toBe(true);
    expect(calendar.positions[0]!.strike).toBe(calendar.positions[1]!.strike);
    expect(shortPut.positions).toHaveLength(1);
    for (const b of Object.values(books)) for (const p of b.positions) expect([p.settlement, p.contractSize]).toEqual(["inverse", 1]);
  });

  for (const key of ["strangle", "putSpread", "calendar", "shortPut"] as const) {
    it(`${key}: IM ≥ 0 and finite; risk_matrix_margin = worst_case + roll_shock + delta_shock; maintenance = 0.8 × it; IM in USD = it × index`, () => {
      const { g, d, index } = run(books[key].positions);
      expect(d.currency).toBe("BTC");
      expect(Number.isFinite(g.initial) && g.initial >= 0).toBe(true);
      expect(d.worst_case).toBeGreaterThanOrEqual(0);
      expect(d.risk_matrix_margin).toBe(d.worst_case + d.roll_shock + d.delta_shock);
      expect(d.maintenance_margin).toBe(0.8 * d.risk_matrix_margin);
      expect(Math.abs(g.initial / index - d.risk_matrix_margin)).toBeLessThanOrEqual(1e-9 * d.risk_matrix_margin);
      expect(Math.abs(g.maintenance - 0.8 * g.initial)).toBeLessThanOrEqual(1e-9 * g.initial);
    });

    it(`${key}: options only, so no roll shock; below USD 20,000,000 of delta, no delta shock`, () => {
      const { d } = run(books[key].positions);
      expect(d.roll_shock).toBe(0);
      expect(d.delta_shock).toBe(0);
    });

    it(`${key}: the dampener never raises a figure (without it every extended entry and the worst case are ≥)`, () => {
      const damped = run(books[key].positions).d;
      const raw = run(books[key].positions, undampened).d;
      expect(raw.worst_case).toBeGreaterThanOrEqual(damped.worst_case);
      // Losses are negative entries: dampened ones are moved toward 0, never past it.
      damped.aggregated_risk_vectors.extended.forEach((x, i) => {
        const y = raw.aggregated_risk_vectors.extended[i]!;
        expect(x).toBeGreaterThanOrEqual(y);
        expect(x).toBeLessThanOrEqual(0);
      });
      expect(raw.aggregated_risk_vectors.standard).toEqual(damped.aggregated_risk_vectors.standard);
    });
  }

  it("the short strangle loses somewhere, and sticky strike and sticky moneyness margin it differently", () => {
    const strike = run(books.strangle.positions).d;
    const moneyness = run(books.strangle.positions, stickyMoneyness).d;
    expect(strike.worst_case).toBeGreaterThan(0);
    expect(Math.abs(strike.worst_case - moneyness.worst_case)).toBeGreaterThan(1e-6 * strike.worst_case);
  });

  it("the put spread (long the higher strike) can lose at most what it is worth now, far less than its width", () => {
    // A long put spread is worth ≥ 0 in every scenario (the higher-strike put pays at least the
    // lower one), so its coin PnL, value then / price then − value now / index, is ≥ −value now.
    // The extended entries count a fraction ≤ 1 of that, which the dampener only lowers.
    const { d, index, valueCoin } = run(books.putSpread.positions);
    const [high, low] = books.putSpread.positions;
    expect(valueCoin).toBeGreaterThan(0);
    expect(d.worst_case).toBeGreaterThan(0);
    expect(d.worst_case).toBeLessThanOrEqual(valueCoin + 1e-12);
    expect(d.worst_case).toBeLessThan((high!.strike - low!.strike) / (index * (1 - 0.66)));
  });

  it("the calendar is margined on its grid alone: worst case > 0, no roll shock for options", () => {
    const { d } = run(books.calendar.positions);
    expect(d.worst_case).toBeGreaterThan(0);
    expect(d.risk_matrix_margin).toBe(d.worst_case);
  });

  it("the short put's worst case is a down move", () => {
    const { d } = run(books.shortPut.positions);
    expect(d.worst_case).toBeGreaterThan(0);
    expect(d.worst_case_bucket.side).toBe("left");
  });
});
