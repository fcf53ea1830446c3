// The live grid margin: after any sequence of updates it equals gridMargin() from
// scratch on the same book and market, bit for bit; orders leave the book alone.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { InputError } from "../../src/errors.js";
import { LiveGridMargin } from "../../src/live/live-grid.js";
import { buildMarket, withUnderlying } from "../../src/market/market.js";
import { gridMargin, gridScenarios, gridScenarioSet, paramsFor } from "../../src/methods/grid/grid.js";
import { builtInProfile } from "../../src/schema/profiles.js";
import { whatIf } from "../../src/methods/margin.js";
import { log } from "../../src/math/deterministic.js";
import type { MarketData, OptionPosition, Position } from "../../src/model/types.js";
import { movedByHand } from "../fixtures/moved.js";
import { expiryIn, prng, syntheticMarket, syntheticPositions } from "../fixtures/synthetic.js";

const engine = await createEngine();
const deribit = builtInProfile("deribit");
const data = syntheticMarket();
const book = syntheticPositions(40, 8, 31);
const fromScratch = (positions: readonly Position[], market: MarketData) => gridMargin(engine, positions, buildMarket(market), { profile: deribit });

describe("live grid margin", () => {
  it("equals the from-scratch grid margin after every update of a random stream", () => {
    const live = new LiveGridMargin(engine, book, data, { profile: deribit });
    expect(live.margin).toEqual(fromScratch(book, data));
    const rnd = prng(5);
    // The market and book as an independent bookkeeper sees them.
    let market: MarketData = structuredClone(data);
    let positions: Position[] = [...book];
    const names = Object.keys(data.underlyings);
    for (let step = 0; step < 60; step++) {
      const u = names[Math.floor(rnd() * names.length)]!;
      const kind = rnd();
      if (kind < 0.6) {
        const index = market.underlyings[u]!.index * Math.exp(0.02 * (rnd() - 0.5));
        live.apply({ type: "price", underlying: u, index });
        market = { ...market, underlyings: { ...market.underlyings, [u]: { ...market.underlyings[u]!, index } } };
      } else if (kind < 0.7) {
        const bump = 1 + 0.2 * (rnd() - 0.5);
        const surface = market.underlyings[u]!.surface!.map((s) => ({ ...s, vols: s.vols.map((v) => v * bump) }));
        live.apply({ type: "surface", underlying: u, surface });
        market = { ...market, underlyings: { ...market.underlyings, [u]: { ...market.underlyings[u]!, surface } } };
      } else if (kind < 0.85) {
        const position: Position = { id: `new${step}`, kind: "option", underlying: u, settlement: "inverse", right: rnd() < 0.5 ? "call" : "put", strike: market.underlyings[u]!.index * (0.8 + 0.4 * rnd()), expiry: expiryIn(10 + 200 * rnd()), quantity: Math.round(20 * (rnd() - 0.5)) || 1 };
        live.apply({ type: "fill", position });
        positions.push(position);
      } else {
        const at = Math.floor(rnd() * positions.length);
        live.apply({ type: "remove", id: positions[at]!.id! });
        positions.splice(at, 1);
      }
      expect(live.positions).toEqual(positions);
      expect(live.margin).toEqual(fromScratch(positions, market));
    }
  });

  it("a price tick moves quoted forwards and a strike-noded smile in proportion (sticky moneyness), or takes the forwards given", () => {
    const example = JSON.parse(readFileSync("examples/market.json", "utf8")) as MarketData;
    const portfolio = (JSON.parse(readFileSync("examples/portfolio.json", "utf8")) as { positions: Position[] }).positions;
    const live = new LiveGridMargin(engine, portfolio, example, { profile: deribit });
    const btc = example.underlyings.BTC!;
    live.setPrice("BTC", btc.index * 1.01);
    live.marketData.underlyings.BTC!.forwards!.forEach((q, i) => expect(q.price).toBeCloseTo(btc.forwards![i]!.price * 1.01, 8));
    expect(btc.surface!.every((sl) => sl.strikes !== undefined)).toBe(true);
    live.marketData.underlyings.BTC!.surface!.forEach((sl, i) => sl.strikes!.forEach((k, j) => expect(k).toBeCloseTo(btc.surface![i]!.strikes![j]! * 1.01, 6)));
    expect(live.margin.initial).toBeCloseTo(fromScratch(portfolio, movedByHand(example, "BTC", 1.01)).initial, 6);
    const forwards = [{ expiry: btc.forwards![0]!.expiry, price: btc.index * 1.02 }];
    live.setPrice("BTC", btc.index * 1.01, forwards);
    expect(live.marketData.underlyings.BTC!.forwards).toEqual(forwards);
    expect(live.margin).toEqual(fromScratch(portfolio, live.marketData));
  });

  it("moving the clock ages every option and re-margins every underlying", () => {
    const live = new LiveGridMargin(engine, book, data, { profile: deribit });
    const asOf = new Date(Date.parse(data.asOf) + 86_400_000).toISOString();
    live.apply({ type: "asOf", asOf });
    expect(live.margin).toEqual(fromScratch(book, { ...data, asOf }));
    expect(live.margin.initial).not.toBe(fromScratch(book, data).initial);
  });

  it("an order's incremental margin equals what-if from scratch, and the book is unchanged", () => {
    const live = new LiveGridMargin(engine, book, data, { profile: deribit });
    const order: Position = { id: "sell ETH calls", kind: "option", underlying: "ETH", settlement: "inverse", right: "call", strike: 3_800, expiry: expiryIn(60), quantity: -50 };
    const before = live.margin;
    const r = live.apply({ type: "order", position: order });
    const expected = whatIf(engine, book, buildMarket(data), [order], { method: "grid", profile: deribit });
    expect(r.order).toEqual({
      id: "sell ETH calls", initial: expected.orders[0]!.initial, maintenance: expected.after.maintenance,
      incrementalInitial: expected.orders[0]!.incrementalInitial, incrementalMaintenance: expected.orders[0]!.incrementalMaintenance,
    });
    expect(r.order!.incrementalInitial).not.toBe(0);
    expect(live.margin).toBe(before);
    expect(live.positions).toEqual(book);
  });

  it("fills add to the position with their id, close it at zero, and must be the same instrument", () => {
    const first = book.find((p) => p.kind === "option")!;
    const live = new LiveGridMargin(engine, book, data, { profile: deribit });
    live.fill({ ...first, quantity: 3 });
    expect(live.positions.find((p) => p.id === first.id)!.quantity).toBe(first.quantity + 3);
    live.fill({ ...first, quantity: -(first.quantity + 3) });
    expect(live.positions.some((p) => p.id === first.id)).toBe(false);
    expect(live.margin).toEqual(fromScratch(book.filter((p) => p.id !== first.id), data));
    const other = book.find((p): p is OptionPosition => p.kind === "option" && p.id !== first.id)!;
    expect(() => live.fill({ ...other, strike: 1 })).toThrow(/different instrument/);
  });

  it("starts from an empty book and fills it", () => {
    const live = new LiveGridMargin(engine, [], data, { profile: deribit });
    expect(live.margin.initial).toBe(0);
    for (const p of book.slice(0, 5)) live.fill(p);
    expect(live.margin).toEqual(fromScratch(book.slice(0, 5), data));
  });

  it("bad updates get typed errors naming the field, and leave the state as it was", () => {
    const live = new LiveGridMargin(engine, book, data, { profile: deribit });
    const before = live.margin;
    const cases: [unknown, string][] = [
      [{ type: "price", underlying: "DOGE", index: 1 }, "underlying"],
      [{ type: "price", underlying: "BTC", index: Number.NaN }, "index"],
      [{ type: "price", underlying: "BTC", index: -5 }, "index"],
      [{ type: "surface", underlying: "BTC", surface: [{ expiry: expiryIn(30), logMoneyness: [0], vols: [-0.5] }] }, "surface[0].vols[0]"],
      [{ type: "surface", underlying: "BTC", surface: [{ expiry: expiryIn(-1), logMoneyness: [0], vols: [0.5] }] }, "underlyings.BTC.surface[0].expiry"],
      [{ type: "fill", position: { ...book[0]!, id: "x", expiry: expiryIn(-2) } }, "position.expiry"],
      [{ type: "fill", position: { kind: "spot", underlying: "XRP", quantity: 1 } }, "position.underlying"],
      [{ type: "remove", id: "nope" }, "id"],
      [{ type: "teleport" }, "type"],
    ];
    for (const [update, field] of cases) {
      let error: unknown;
      try {
        live.apply(update);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(update)).toBeInstanceOf(InputError);
      expect((error as InputError).path).toBe(field);
    }
    expect(live.margin).toBe(before);
    expect(() => new LiveGridMargin(engine, [book[0]!, book[0]!], data, { profile: deribit })).toThrow(/duplicate id/);
  });
});

describe("incremental pieces", () => {
  it("withUnderlying gives the curves buildMarket gives for the updated data", () => {
    const moved: MarketData = { ...data, underlyings: { ...data.underlyings, ETH: { ...data.underlyings.ETH!, index: 3_600, basis: 0.07 } } };
    const a = withUnderlying(buildMarket(data), "ETH", moved.underlyings.ETH!);
    const b = buildMarket(moved);
    for (const name of a.names) {
      for (const t of [0.01, 0.1, 0.5, 2]) {
        expect(a.get(name)!.forwards.forward(t)).toBe(b.get(name)!.forwards.forward(t));
        for (const k of [-0.7, 0, 0.3]) expect(a.get(name)!.vol(t, k)).toBe(b.get(name)!.vol(t, k));
      }
    }
  });

  it("a book compiled for the grid's moves revalues them as the full tables do, and refuses other moves", () => {
    const p = paramsFor(deribit, "BTC");
    const positions = book.filter((q) => q.underlying === "BTC");
    const market = buildMarket(data);
    const scenarios = gridScenarios("BTC", p);
    const moves = scenarios.map((sc) => log(1 + sc.move));
    const sparse = engine.compile(positions, market, { moves });
    const full = engine.compile(positions, market);
    const a = engine.revalue(sparse, gridScenarioSet(sparse.underlyings, scenarios, p), { reduce: "rows" });
    const b = engine.revalue(full, gridScenarioSet(full.underlyings, scenarios, p), { reduce: "rows" });
    expect(a.positions).toEqual(b.positions);
    // A move halfway into the first interval the grid does not read.
    const L = engine.layout;
    const j = [...sparse.nodeOffsets.keys()].find((i) => sparse.nodeOffsets[i]! < 0)!;
    const other = gridScenarioSet(sparse.underlyings, [{ ...scenarios[0]!, move: Math.exp(L.smileXMin + (j + 0.5) / L.smileInvStep) - 1 }], p);
    expect(() => engine.revalue(sparse, other)).toThrow(InputError);
  });
});
