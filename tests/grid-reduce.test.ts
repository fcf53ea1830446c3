// The grid's reductions where the data is: the worst weighted losses kernel
// (assembly/reduce.ts) against its JS twin bit for bit, and both against the reduction
// written with the methods' own pieces (coinPnl, dampen, WorstWeightedLoss); and the
// compiled books a grid keeps while its market and positions are unchanged.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { LossWeights } from "../src/engine/backend.js";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { prepareInputs, type Inputs } from "../src/market/inputs.js";
import { withUnderlying } from "../src/market/market.js";
import { gridMargin } from "../src/methods/grid/grid.js";
import { whatIf } from "../src/methods/margin.js";
import { dampen } from "../src/methods/grid/extended.js";
import { referenceBackend } from "../src/reference/backend.js";
import { worstLossesReference } from "../src/reference/reduce.js";
import { coinPnl, WorstWeightedLoss } from "../src/risk/reduce.js";
import { parsePortfolio } from "../src/schema/portfolio.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { isCoinSettled } from "../src/model/types.js";

/** A file of examples/, parsed JSON. */
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../examples/${name}`, import.meta.url), "utf8"));
let engine: Engine, example: Inputs;
beforeAll(async () => void ([engine, example] = [await createEngine(), prepareInputs(read("portfolio.json"), read("market.json"))]));

/** Deterministic data: a linear congruential generator in [−1, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 1;
}

/** A grid's weights: regular scenarios (1, 0) and extended ones weighted and dampened, in USD and coin. */
function weightsOf(nScen: number, rnd: () => number): LossWeights {
  const w: LossWeights = {
    priceFactor: new Float64Array(nScen), usdFactor: new Float64Array(nScen), usdDamp: new Float64Array(nScen),
    coinFactor: new Float64Array(nScen), coinDamp: new Float64Array(nScen),
  };
  for (let s = 0; s < nScen; s++) {
    const extended = s % 4 === 3;
    w.priceFactor[s] = 1 + (extended ? 3 : 0.16) * rnd();
    w.usdFactor[s] = extended ? 0.2 + 0.1 * rnd() : 1;
    w.coinFactor[s] = extended ? 0.2 + 0.1 * rnd() : 1;
    w.usdDamp[s] = extended ? 25_000 * (1 + rnd()) : 0;
    w.coinDamp[s] = extended ? 0.5 * (1 + rnd()) : 0;
  }
  return w;
}

/** The same reduction from the methods' pieces, as the grid measured a single position before the kernel. */
function byPieces(row: Float64Array, v0: number, w: LossWeights, s0: number): number[] {
  const usd = new WorstWeightedLoss();
  const coin = new WorstWeightedLoss();
  for (let s = 0; s < w.priceFactor.length; s++) {
    usd.offer(s, 1, dampen(row[s]! * w.usdFactor[s]!, w.usdDamp[s]!));
    coin.offer(s, 1, dampen(coinPnl(v0, row[s]!, s0, w.priceFactor[s]!) * w.coinFactor[s]!, w.coinDamp[s]!));
  }
  return [usd.loss, usd.index, coin.loss, coin.index];
}

describe("worst weighted losses: the WASM kernel, its JS twin and the methods' pieces", () => {
  it("agree bit for bit on 300 rows × 35 scenarios (gains, losses, zeros, dampened extended moves)", () => {
    const rnd = lcg(11);
    const nScen = 35, s0 = 65_000;
    const w = weightsOf(nScen, rnd);
    const rows = Array.from({ length: 300 }, (_, r) => Float64Array.from({ length: nScen }, () => (r % 10 === 0 ? 0 : 1e5 * rnd() ** 3)));
    const values = rows.map((_, r) => (r % 7 === 0 ? 0 : 5e4 * rnd()));
    const wasm = engine.worstLosses(rows, values, w, s0);
    const js = worstLossesReference(rows, values, w, s0);
    expect(wasm).toEqual(js);
    for (const p of ["usd", "usdAt", "coin", "coinAt"] as const) {
      expect(Buffer.from(wasm[p].buffer, wasm[p].byteOffset, wasm[p].byteLength)).toEqual(Buffer.from(js[p].buffer, js[p].byteOffset, js[p].byteLength));
    }
    rows.forEach((row, r) => expect([wasm.usd[r], wasm.usdAt[r], wasm.coin[r], wasm.coinAt[r]]).toEqual(byPieces(row, values[r]!, w, s0)));
    // Dampening reached some extended losses: the weights were exercised.
    expect(rows.some((row) => row.some((x, s) => w.usdDamp[s]! > 0 && Math.abs(x * w.usdFactor[s]!) < w.usdDamp[s]!))).toBe(true);
  });

  it("read rows lying one after another in one buffer as the same rows, and write into a caller's array when given one", () => {
    const rnd = lcg(5);
    const nScen = 35, nRows = 40, s0 = 3_000;
    const w = weightsOf(nScen, rnd);
    const block = Float64Array.from({ length: (nRows + 2) * nScen }, () => 1e4 * rnd());
    // Contiguous views (a revaluation's rows), and the same numbers as separate arrays.
    const views = Array.from({ length: nRows }, (_, r) => block.subarray((r + 1) * nScen, (r + 2) * nScen));
    const copies = views.map((v) => v.slice());
    const values = views.map(() => 1e3 * rnd());
    for (const backend of [engine, referenceBackend(engine)]) {
      const plain = backend.worstLosses(copies, values, w, s0);
      expect(backend.worstLosses(views, values, w, s0)).toEqual(plain);
      // Views in another order are not one block: read row by row, to the same per-row result.
      const reversed = backend.worstLosses([...views].reverse(), [...values].reverse(), w, s0);
      expect(Array.from(reversed.usd).reverse()).toEqual(Array.from(plain.usd));
      const into = new Float64Array(4 * nRows + 3).fill(Number.NaN);
      const given = backend.worstLosses(views, values, w, s0, into);
      expect(given).toEqual(plain);
      expect(given.usd.buffer).toBe(into.buffer);
      expect(into[4 * nRows]).toBeNaN();
      expect(() => backend.worstLosses(views, values, w, s0, new Float64Array(4 * nRows - 1))).toThrow(/into/);
    }
  });

  it("give −Infinity at scenario −1 without scenarios, and nothing without rows", () => {
    const none = weightsOf(0, lcg(1));
    expect(engine.worstLosses([new Float64Array(0)], [1], none, 100)).toEqual({ usd: Float64Array.of(-Infinity), usdAt: Float64Array.of(-1), coin: Float64Array.of(-Infinity), coinAt: Float64Array.of(-1) });
    expect(engine.worstLosses([], [], weightsOf(3, lcg(2)), 100).usd.length).toBe(0);
  });

  it("refuse rows, values and weights that do not agree, naming the argument", () => {
    const w = weightsOf(4, lcg(3));
    for (const backend of [engine, referenceBackend(engine)]) {
      expect(() => backend.worstLosses([new Float64Array(3)], [0], w, 1)).toThrow(InputError);
      expect(() => backend.worstLosses([new Float64Array(4)], [], w, 1)).toThrow(/values/);
      expect(() => backend.worstLosses([new Float64Array(4)], [0], { ...w, coinDamp: new Float64Array(2) }, 1)).toThrow(/weights/);
    }
  });
});

describe("compiled books kept while the market and positions are unchanged", () => {
  const deribit = builtInProfile("deribit");

  it("a second grid margin of the same parsed book and market compiles nothing and builds no smile table, with the same result", async () => {
    const fresh = await createEngine();
    const { positions } = example.portfolio;
    const first = gridMargin(fresh, positions, example.market, { profile: deribit });
    const { compiles, smileBuilds } = fresh.counters;
    expect(compiles).toBeGreaterThan(0);
    const again = gridMargin(fresh, positions, example.market, { profile: deribit });
    expect(fresh.counters.compiles).toBe(compiles);
    expect(fresh.counters.smileBuilds).toBe(smileBuilds);
    expect(again).toEqual(first);
    // Each call gets its own array of the scenarios, which are frozen: no result can change another's.
    expect(again.underlyings[0]!.scenarios).not.toBe(first.underlyings[0]!.scenarios);
    expect(Object.isFrozen(again.underlyings[0]!.scenarios[0])).toBe(true);
  });

  it("a new price for one underlying compiles that underlying's books again, and only those", async () => {
    const fresh = await createEngine();
    const { positions } = example.portfolio;
    gridMargin(fresh, positions, example.market, { profile: deribit });
    const before = fresh.counters.compiles;
    const btc = example.marketData.underlyings.BTC!;
    const moved = withUnderlying(example.market, "BTC", { ...btc, index: btc.index * 1.01 });
    const margin = gridMargin(fresh, positions, moved, { profile: deribit });
    // Deribit's two settlement books of BTC revalue alike (their grids differ only in the roll
    // shock): BTC's positions are compiled once, as one book.
    expect(margin.underlyings.find((m) => m.underlying === "BTC")!.settlements).toHaveLength(2);
    expect(fresh.counters.compiles - before).toBe(1);
    // And the same figures as on an engine that never saw the book.
    expect(margin).toEqual(gridMargin(await createEngine(), positions, moved, { profile: deribit }));
  });

  it("settlement books that revalue alike, measured from one revaluation of the underlying, are each the margin of the book alone", () => {
    const together = { ...deribit, settlementBooks: "together" as const };
    for (const perPosition of [false, true]) {
      const margin = gridMargin(engine, example.portfolio.positions, example.market, { profile: deribit, perPosition });
      for (const m of margin.underlyings) {
        const books = m.settlements ?? [];
        for (const book of books) {
          const mine = example.portfolio.positions.filter((q) => q.underlying === m.underlying && book.reportCurrency === (isCoinSettled([q]) ? q.underlying : "USD"));
          expect(book).toEqual(gridMargin(engine, mine, example.market, { profile: together, perPosition }).underlyings[0]);
        }
      }
      expect(margin.underlyings.some((m) => (m.settlements?.length ?? 0) === 2)).toBe(true);
    }
  });

  it("an underlying's settlement books, weighed alike, are reduced in one call; values and deltas are found once per compiled book", async () => {
    const fresh = await createEngine();
    const { positions } = example.portfolio;
    const first = gridMargin(fresh, positions, example.market, { profile: deribit });
    const split = first.underlyings.filter((m) => m.settlements?.length === 2).length;
    expect(split).toBeGreaterThan(0);
    const reductions = vi.spyOn(fresh, "worstLosses");
    const valuations = vi.spyOn(fresh, "optionPricesAndDeltas");
    expect(gridMargin(fresh, positions, example.market, { profile: deribit })).toEqual(first);
    expect(reductions).toHaveBeenCalledTimes(first.underlyings.length);
    expect(valuations).not.toHaveBeenCalled();
    // And the same figures as an engine seeing the book for the first time.
    expect(first).toEqual(gridMargin(await createEngine(), positions, example.market, { profile: deribit }));
  });

  it("a changed position, or positions that are not a parser's (not frozen), are compiled again", async () => {
    const fresh = await createEngine();
    const { positions } = example.portfolio;
    gridMargin(fresh, positions, example.market, { profile: deribit });
    let before = fresh.counters.compiles;
    const changed = parsePortfolio({ positions: [{ ...positions[0]!, quantity: positions[0]!.quantity * 2 }, ...positions.slice(1)] }).positions;
    gridMargin(fresh, [changed[0]!, ...positions.slice(1)], example.market, { profile: deribit });
    expect(fresh.counters.compiles).toBe(before + 1);
    before = fresh.counters.compiles;
    const raw = JSON.parse(JSON.stringify(positions)) as typeof positions;
    gridMargin(fresh, raw, example.market, { profile: deribit });
    gridMargin(fresh, raw, example.market, { profile: deribit });
    expect(fresh.counters.compiles).toBeGreaterThan(before + 1);
  });

  it("what-if orders reuse the untouched books' compilation and give fresh figures' bits", async () => {
    const fresh = await createEngine();
    const { positions } = example.portfolio;
    const orders = parsePortfolio(read("orders.json")).positions;
    const spec = { method: "grid" as const, profile: deribit };
    const first = whatIf(fresh, positions, example.market, orders, spec);
    const compiles = fresh.counters.compiles;
    expect(whatIf(fresh, positions, example.market, orders, spec)).toEqual(first);
    expect(fresh.counters.compiles).toBe(compiles);
    expect(first).toEqual(whatIf(await createEngine(), positions, example.market, orders, spec));
  });
});
