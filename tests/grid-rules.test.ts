// The grid's venue rules as profile settings: sticky-strike vols, futures' own marks,
// the gross roll shock and the extended table's factor, each against independent math.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { InputError } from "../src/errors.js";
import { black76Price } from "../src/math/black76.js";
import { log } from "../src/math/deterministic.js";
import { prepareInputs } from "../src/market/inputs.js";
import { gridAttribution } from "../src/methods/grid/attribution.js";
import { gridMargin } from "../src/methods/grid/grid.js";
import { valueBook } from "../src/methods/valuation.js";
import type { Position } from "../src/model/types.js";
import { parseProfile } from "../src/schema/profile.js";
import { builtInProfile } from "../src/schema/profiles.js";

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../examples/${name}`, import.meta.url), "utf8"));
let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

const EXPIRY = "2026-09-25T08:00:00Z";
const strangle: Position[] = [
  { id: "put", kind: "option", underlying: "BTC", settlement: "linear", right: "put", strike: 60_000, expiry: EXPIRY, quantity: -1 },
  { id: "call", kind: "option", underlying: "BTC", settlement: "linear", right: "call", strike: 100_000, expiry: EXPIRY, quantity: -1 },
];

describe("sticky strike", () => {
  it("shocks each option's own vol at its strike: a moved, vol-shocked option is Black-76 at σ_K·(1 + shift) and the moved forward", () => {
    const { market } = prepareInputs(read("portfolio.json"), read("market.json"));
    const x = log(1 - 0.12);
    const book = engine.compile([strangle[0]!], market, { moves: [x, 0], stickyStrike: true });
    const set = new ScenarioSet(book.underlyings, 1);
    set.logMoves[0] = x;
    set.volShifts[0] = 0.3;
    const pnl = engine.revalue(book, set).pnl[0]!;
    const t = market.yearFraction(EXPIRY);
    const f = market.get("BTC")!.forwards.forward(t);
    const vol = market.get("BTC")!.vol(t, log(60_000 / f));
    const expected = -(black76Price(f * Math.exp(x), 60_000, t, vol * 1.3, 0, -1) - black76Price(f, 60_000, t, vol, 0, -1));
    expect(Math.abs(pnl - expected)).toBeLessThan(1e-9 * Math.abs(expected));
  });

  it("is a profile setting: a short strangle's grid margin differs between the two smile dynamics", () => {
    const { market } = prepareInputs({ positions: strangle }, read("market.json"));
    const deribit = builtInProfile("deribit");
    const strike = gridMargin(engine, strangle, market, { profile: deribit }).initial;
    const moneyness = gridMargin(engine, strangle, market, { profile: { ...deribit, defaults: { ...deribit.defaults, smile: "stickyMoneyness" } } }).initial;
    expect(strike).toBeGreaterThan(0);
    expect(strike).not.toBe(moneyness);
  });
});

describe("marks", () => {
  it("value a perpetual at its own mark, not at the index, when the market gives one", () => {
    const perp: Position = { id: "BTC-PERPETUAL", kind: "future", underlying: "BTC", settlement: "linear", quantity: 1, entryPrice: 70_000 };
    const data = read("market.json") as { underlyings: { BTC: Record<string, unknown> } };
    const plain = prepareInputs({ positions: [perp] }, data).market;
    data.underlyings.BTC.marks = { "BTC-PERPETUAL": 77_500 };
    const marked = prepareInputs({ positions: [perp] }, data).market;
    const value = (m: typeof plain): number => valueBook(engine, engine.compile([perp], m), m).positions[0]!.value;
    expect(value(plain)).toBeCloseTo(plain.get("BTC")!.index - 70_000, 9);
    expect(value(marked)).toBeCloseTo(77_500 - 70_000, 9);
  });
});

describe("gross roll shock", () => {
  it("charges each contract's net size, so an order that closes a position also closes its roll shock", () => {
    const data = { asOf: "2024-06-17T10:22:20.501Z", underlyings: { BTC: { index: 65_000, basis: 0.05 } } };
    const long: Position = { id: "a", kind: "future", underlying: "BTC", settlement: "inverse", quantity: 10_000, faceValue: 1, expiry: "2024-12-27T08:00:00Z" };
    const short: Position = { ...long, id: "b", quantity: -4_000 };
    const { market } = prepareInputs({ positions: [long, short] }, data);
    const roll = (ps: Position[]): number => gridMargin(engine, ps, market, { profile: builtInProfile("deribit") }).underlyings[0]!.contingencies.roll.coin;
    const t = market.yearFraction(long.expiry!);
    const f0 = market.get("BTC")!.forwards.forward(t);
    expect(roll([long, short])).toBeCloseTo((6_000 / f0) * Math.max(0.075 * t, 0.01), 12);
  });
});

describe("extended table factor", () => {
  const base = { name: "x", description: "x", sources: [], mmFactor: 1, crossUnderlying: "sum" };
  const grid = { moves: [-0.1, 0, 0.1], volStates: [{ name: "up", shift: 0.1 }] };

  it("sets each extended weight to factor × range / |move|", () => {
    const p = parseProfile({ ...base, defaults: { ...grid, extended: [{ move: -0.5 }], extendedTableFactor: 2 } });
    const { market } = prepareInputs({ positions: strangle }, read("market.json"));
    const u = gridMargin(engine, strangle, market, { profile: p }).underlyings[0]!;
    expect(u.scenarios.at(-1)!.weight).toBeCloseTo((2 * 0.1) / 0.5, 15);
  });

  it("refuses a weight beside the factor, and a missing weight without it, naming the extended move", () => {
    expect(() => parseProfile({ ...base, defaults: { ...grid, extended: [{ move: -0.5, weight: 0.2 }], extendedTableFactor: 1 } })).toThrow(InputError);
    expect(() => parseProfile({ ...base, defaults: { ...grid, extended: [{ move: -0.5 }] } })).toThrow(/extended\[0\] needs a weight/);
    expect(() => parseProfile({ ...base, defaults: { ...grid, extended: [{ move: 1e-300 }], extendedTableFactor: 1 } })).toThrow(/extended\[0\]\.move .* within the regular range/);
  });
});

describe("separate settlement books (Deribit S:PM)", () => {
  const mixed: Position[] = [
    { id: "BTC-PERPETUAL", kind: "future", underlying: "BTC", settlement: "inverse", quantity: 50_000, faceValue: 10 },
    { id: "BTC-25SEP26-70000-P", kind: "option", underlying: "BTC", settlement: "inverse", right: "put", strike: 70_000, expiry: EXPIRY, quantity: -3 },
    { id: "BTC_USDC-25SEP26-85000-C", kind: "option", underlying: "BTC", settlement: "linear", right: "call", strike: 85_000, expiry: EXPIRY, quantity: -4 },
  ];

  it("margin an underlying's coin-settled and USD-settled positions apart, and sum them: each book as if held alone", () => {
    const { market } = prepareInputs({ positions: mixed }, read("market.json"));
    const profile = builtInProfile("deribit");
    const whole = gridMargin(engine, mixed, market, { profile }).underlyings[0]!;
    const coin = gridMargin(engine, mixed.slice(0, 2), market, { profile }).underlyings[0]!;
    const usd = gridMargin(engine, mixed.slice(2), market, { profile }).underlyings[0]!;
    expect(whole.settlements!.map((b) => b.reportCurrency)).toEqual(["BTC", "USD"]);
    expect(whole.settlements![0]!.initial).toEqual(coin.initial);
    expect(whole.settlements![1]!.initial).toEqual(usd.initial);
    expect(whole.initial.usd).toBe(coin.initial.usd + usd.initial.usd);
    expect(whole.settlements![0]!.deribit!.currency).toBe("BTC");
    expect(whole.settlements![1]!.deribit!.currency).toBe("USD");
    // One book for both, measured in USD, is another figure.
    const together = gridMargin(engine, mixed, market, { profile: { ...profile, settlementBooks: "together" } }).underlyings[0]!;
    expect(together.settlements).toBeUndefined();
    expect(together.initial.usd).not.toBe(whole.initial.usd);
  });

  it("keep attribution's shares adding up to the underlying's worst loss, book by book", () => {
    const { market } = prepareInputs({ positions: mixed }, read("market.json"));
    const profile = builtInProfile("deribit");
    const u = gridMargin(engine, mixed, market, { profile }).underlyings[0]!;
    const shares = gridAttribution(engine, mixed, market, profile).reduce((a, r) => a + r.worstLossShareUsd, 0);
    expect(shares).toBeCloseTo(u.worstLoss.usd, 6);
  });
});
