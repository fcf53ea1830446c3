// The two backends behind one interface, and resident books: a book is copied into
// linear memory once and stays there beside others; the JS Book is never written.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../src/engine/backend.js";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { InputError } from "../src/errors.js";
import { prepareInputs, type Inputs } from "../src/market/inputs.js";
import { gridMargin } from "../src/methods/grid/grid.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { monteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import { referenceBackend } from "../src/reference/backend.js";
import { buildMarket } from "../src/market/market.js";
import { parsePortfolio } from "../src/schema/portfolio.js";
import { syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../examples/${name}`, import.meta.url), "utf8"));
let engine: Engine;
let example: Inputs;
beforeAll(async () => {
  engine = await createEngine();
  example = prepareInputs(read("portfolio.json"), read("market.json"));
});

/** A scenario set moving every underlying of the book by the same log moves. */
function movesOf(book: { underlyings: readonly string[] }, moves: number[]): ScenarioSet {
  const set = new ScenarioSet(book.underlyings, moves.length);
  book.underlyings.forEach((_, u) => moves.forEach((x, s) => (set.logMoves[u * moves.length + s] = x)));
  return set;
}

describe("resident books", () => {
  it("Monte Carlo of the 3-underlying example book compiles each underlying's book and builds its smile tables once per run, and loads it once for the paths and once for the ES contributions", async () => {
    const fresh = await createEngine();
    const held = new Set(example.portfolio.positions.map((p) => p.underlying)).size;
    expect(held).toBe(3);
    monteCarlo(fresh, example.portfolio.positions, example.market, { paths: 100_000, seed: 3 });
    expect(fresh.counters).toEqual({ compiles: held, smileBuilds: held, loads: 2 * held });
  });

  it("stay loaded side by side within withResident: revaluing A, B, A loads two books, and A's PnL is the same bits both times", async () => {
    const fresh = await createEngine();
    const { positions } = example.portfolio;
    const a = fresh.compile(positions.filter((p) => p.underlying === "BTC"), example.market);
    const b = fresh.compile(positions.filter((p) => p.underlying === "ETH"), example.market);
    const moves = [-0.1, 0, 0.1];
    const [first, again] = fresh.withResident(() => {
      const one = fresh.revalue(a, movesOf(a, moves)).pnl;
      fresh.revalue(b, movesOf(b, moves));
      return [one, fresh.revalue(a, movesOf(a, moves)).pnl];
    });
    expect(fresh.counters.loads).toBe(2);
    expect(again).toEqual(first);
    // Released when it returns: A and B are loaded again outside it.
    fresh.revalue(b, movesOf(b, moves));
    expect(fresh.revalue(a, movesOf(a, moves)).pnl).toEqual(first);
    expect(fresh.counters.loads).toBe(4);
  });

  it("the books used last stay loaded outside withResident: margining a 3-underlying account again loads nothing, with the same bits", async () => {
    const fresh = await createEngine();
    const { positions } = example.portfolio;
    const profile = builtInProfile("deribit");
    const first = gridMargin(fresh, positions, example.market, { profile });
    const loads = fresh.counters.loads;
    expect(loads).toBeGreaterThanOrEqual(3);
    expect(gridMargin(fresh, positions, example.market, { profile })).toEqual(first);
    expect(fresh.counters.loads).toBe(loads);
  });

  it("at most eight recent books stay loaded: a ninth makes room by dropping them, and each reloads with the same bits", async () => {
    const fresh = await createEngine();
    const btc = example.portfolio.positions.filter((p) => p.underlying === "BTC");
    const books = Array.from({ length: 9 }, (_, i) => fresh.compile(btc.slice(0, 1 + (i % btc.length)), example.market));
    const moves = [-0.1, 0, 0.1];
    const pnl = books.slice(0, 8).map((b) => fresh.revalue(b, movesOf(b, moves)).pnl);
    books.slice(0, 8).forEach((b, i) => expect(fresh.revalue(b, movesOf(b, moves)).pnl).toEqual(pnl[i]));
    expect(fresh.counters.loads).toBe(8);
    // The ninth drops the eight and stays; the first is loaded again, with the same bits.
    fresh.revalue(books[8]!, movesOf(books[8]!, moves));
    expect(fresh.revalue(books[0]!, movesOf(books[0]!, moves)).pnl).toEqual(pnl[0]);
    fresh.revalue(books[8]!, movesOf(books[8]!, moves));
    expect(fresh.counters.loads).toBe(10);
  });

  it("recent books keep to 1/64 of the memory limit: under a small limit a large book replaces the one before", async () => {
    const market = buildMarket(syntheticMarket());
    const positions = (seed: number) => parsePortfolio({ positions: syntheticPositions(400, 0, seed).filter((p) => p.underlying === "BTC") }).positions;
    const moves = [-0.1, 0.1];
    for (const [memoryBytes, loads] of [[undefined, 2], [1 << 20, 4]] as const) {
      const engine = await createEngine(memoryBytes ? { limits: { memoryBytes } } : {});
      const [a, b] = [engine.compile(positions(1), market), engine.compile(positions(2), market)];
      const pnl = [a, b, a, b].map((x) => engine.revalue(x, movesOf(x, moves)).pnl);
      expect(pnl[2]).toEqual(pnl[0]);
      expect(engine.counters.loads).toBe(loads);
    }
  });
});

describe("the WASM and reference backends", () => {
  it("share one interface: a method runs on either and they agree (grid margin to 1e-9 relative)", () => {
    const profile = builtInProfile("deribit");
    const backends: Backend[] = [engine, referenceBackend(engine)];
    const [wasm, js] = backends.map((b) => gridMargin(b, example.portfolio.positions, example.market, { profile }));
    expect(js!.initial).toBeGreaterThan(0);
    expect(Math.abs(js!.initial - wasm!.initial) / wasm!.initial).toBeLessThan(1e-9);
    expect(backends.map((b) => b.name)).toEqual(["wasm", "reference"]);
  });

  it("build the same smile tables and price options now alike", () => {
    const reference = referenceBackend(engine);
    const book = engine.compile(example.portfolio.positions, example.market);
    expect(reference.smileTables(book)).toEqual(engine.smileTables(book));
    const [w, j] = [engine.bookGreeks(book), reference.bookGreeks(book)];
    w.forEach((g, i) => {
      expect(j[i]!.vol).toBe(g.vol);
      expect(j[i]!.price).toBeCloseTo(g.price, 8);
    });
    // optionPricesAndDeltas is bookGreeks' price and delta, on each backend.
    for (const [backend, greeks] of [[engine, w], [reference, j]] as const) {
      expect(backend.optionPricesAndDeltas(book)).toEqual({ price: greeks.map((g) => g.price), delta: greeks.map((g) => g.delta) });
    }
  });

  it("refuse a bad reduction with an InputError naming the field, on both", () => {
    const book = engine.compile(example.portfolio.positions, example.market);
    for (const b of [engine, referenceBackend(engine)]) {
      expect(() => b.revalue(book, movesOf(book, [0]), { reduce: "max" as never })).toThrow(InputError);
      expect(() => b.revalue(book, movesOf(book, [0]), { reduce: "max" as never })).toThrow(/reduce/);
    }
  });
});
