// Writing into the caller's arrays (RevalueOptions.into, paths(…, into)): what Monte Carlo
// uses to revalue chunk after chunk without fresh buffers. The results are the bits of
// the allocating calls, returned as views of the arrays given; arrays too short are refused.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../src/engine/backend.js";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { prepareInputs, type Inputs } from "../src/market/inputs.js";
import { withDefaults } from "../src/model/montecarlo.js";
import { planPaths } from "../src/methods/montecarlo/plan.js";
import { referenceBackend } from "../src/reference/backend.js";

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../examples/${name}`, import.meta.url), "utf8"));
let engine: Engine;
let example: Inputs;
let backends: Backend[];
beforeAll(async () => {
  engine = await createEngine();
  example = prepareInputs(read("portfolio.json"), read("market.json"));
  backends = [engine, referenceBackend(engine)];
});

/** 101 scenarios (odd, so a kernel's pairs do not divide it) of spread moves and vol shifts. */
function scenarios(underlyings: readonly string[]): ScenarioSet {
  const n = 101;
  const set = new ScenarioSet(underlyings, n);
  for (let i = 0; i < set.logMoves.length; i++) {
    set.logMoves[i] = ((i % n) - 50) / 250;
    set.volShifts[i] = ((i * 7) % 11) / 20 - 0.25;
  }
  return set;
}

describe("revalue into the caller's array", () => {
  it("gives the allocating call's bits, as views of the array, summed or by position", () => {
    for (const backend of backends) {
      const book = backend.compile(example.portfolio.positions, example.market);
      const set = scenarios(book.underlyings);
      const plain = backend.revalue(book, set, { dt: 1 / 365 });
      const into = new Float64Array(set.count + 5).fill(NaN);
      const written = backend.revalue(book, set, { dt: 1 / 365, into });
      expect(written.pnl).toEqual(plain.pnl);
      expect(written.pnl.buffer).toBe(into.buffer);
      expect(Number.isNaN(into[set.count])).toBe(true);

      const rows = backend.revalue(book, set, { dt: 1 / 365, reduce: "rows" });
      const big = new Float64Array((1 + book.positions.length) * set.count);
      const intoRows = backend.revalue(book, set, { dt: 1 / 365, reduce: "rows", into: big });
      expect(intoRows.pnl).toEqual(rows.pnl);
      expect(intoRows.positions).toEqual(rows.positions);
      expect(intoRows.positions!.every((row) => row.buffer === big.buffer)).toBe(true);
    }
  });

  it("refuses an array too short for the results, or not a Float64Array", () => {
    for (const backend of backends) {
      const book = backend.compile(example.portfolio.positions, example.market);
      const set = scenarios(book.underlyings);
      expect(() => backend.revalue(book, set, { into: new Float64Array(set.count - 1) })).toThrow(expect.objectContaining({ name: "InputError", path: "into" }));
      expect(() => backend.revalue(book, set, { reduce: "rows", into: new Float64Array(set.count) })).toThrow(expect.objectContaining({ name: "InputError", path: "into" }));
      expect(() => backend.revalue(book, set, { into: [] as unknown as Float64Array })).toThrow(expect.objectContaining({ name: "InputError", path: "into" }));
    }
  });
});

describe("a scenario set over the caller's planes", () => {
  it("revalues them where they lie, with the bits of a set holding copies", () => {
    for (const backend of backends) {
      const book = backend.compile(example.portfolio.positions, example.market);
      const copy = scenarios(book.underlyings);
      const planes = { logMoves: copy.logMoves.slice(), volShifts: copy.volShifts.slice(), volFloors: copy.volFloors.slice() };
      const over = new ScenarioSet(book.underlyings, copy.count, undefined, planes);
      expect(over.logMoves).toBe(planes.logMoves);
      expect(backend.revalue(book, over, { dt: 1 / 365 }).pnl).toEqual(backend.revalue(book, copy, { dt: 1 / 365 }).pnl);
    }
  });

  it("refuses a plane of another length, or not a Float64Array, naming it", () => {
    const cells = 2 * 10;
    const planes = { logMoves: new Float64Array(cells), volShifts: new Float64Array(cells), volFloors: new Float64Array(cells) };
    expect(() => new ScenarioSet(["BTC", "ETH"], 10, undefined, { ...planes, volShifts: new Float64Array(cells + 1) }))
      .toThrow(expect.objectContaining({ name: "InputError", path: "planes.volShifts" }));
    expect(() => new ScenarioSet(["BTC", "ETH"], 10, undefined, { ...planes, volFloors: [] as unknown as Float64Array }))
      .toThrow(expect.objectContaining({ name: "InputError", path: "planes.volFloors" }));
  });
});

describe("paths into the caller's planes", () => {
  const plan = () => planPaths(withDefaults({ paths: 1_000, seed: 5, jumps: { common: { intensity: 2, mean: -0.1, vol: 0.05 } } }), example.market, example.market.names, engine.layout.paths);

  it("gives the allocating call's bits from any start, as views of the planes given", () => {
    for (const backend of backends) {
      const p = plan();
      const cells = p.underlyings.length * 77;
      const into = { logMoves: new Float64Array(cells + 3), volShifts: new Float64Array(cells + 3) };
      for (const [start, n] of [[0, 77], [13, 76], [500, 1]] as const) {
        const plain = backend.paths(p, start, n);
        const written = backend.paths(p, start, n, into);
        expect(written).toEqual(plain);
        expect(written.logMoves.buffer).toBe(into.logMoves.buffer);
        expect(written.volShifts.buffer).toBe(into.volShifts.buffer);
      }
    }
  });

  it("refuses planes too short for the paths", () => {
    for (const backend of backends) {
      const p = plan();
      const cells = p.underlyings.length * 10;
      expect(() => backend.paths(p, 0, 10, { logMoves: new Float64Array(cells - 1), volShifts: new Float64Array(cells) }))
        .toThrow(expect.objectContaining({ name: "InputError", path: "into.logMoves" }));
      expect(() => backend.paths(p, 0, 10, { logMoves: new Float64Array(cells), volShifts: new Float64Array(0) }))
        .toThrow(expect.objectContaining({ name: "InputError", path: "into.volShifts" }));
    }
  });
});
