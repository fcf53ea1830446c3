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
    // Outside it, the latest book replaces the one before: A again is a third load.
    fresh.revalue(b, movesOf(b, moves));
    expect(fresh.revalue(a, movesOf(a, moves)).pnl).toEqual(first);
    expect(fresh.counters.loads).toBe(4);
  });

  it("reload after reset() with the same bits, and a book used twice in a row is loaded once", async () => {
    const fresh = await createEngine();
    const book = fresh.compile(example.portfolio.positions, example.market);
    const set = movesOf(book, [-0.2, 0.05]);
    const first = fresh.revalue(book, set, { reduce: "rows" });
    fresh.bookGreeks(book);
    expect(fresh.counters.loads).toBe(1);
    fresh.reset();
    expect(fresh.revalue(book, set, { reduce: "rows" })).toEqual(first);
    expect(fresh.counters.loads).toBe(2);
  });

  it("are never written into on the JS side: a book's arrays are unchanged by loading, revaluing and pricing it", () => {
    const book = engine.compile(example.portfolio.positions, example.market);
    const before = { opt: book.opt.slice(), lin: book.lin.slice(), agg: book.linAgg.slice(), slices: book.slices.slice() };
    engine.revalue(book, movesOf(book, [-0.3, 0.3]), { reduce: "rows" });
    engine.bookGreeks(book);
    expect({ opt: book.opt, lin: book.lin, agg: book.linAgg, slices: book.slices }).toEqual(before);
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
