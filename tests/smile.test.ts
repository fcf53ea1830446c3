import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import type { Book } from "../src/engine/book.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { buildMarket } from "../src/market/market.js";
import { log } from "../src/math/deterministic.js";
import { revalueReference } from "../src/reference/revalue.js";
import { smileTablesReference } from "../src/reference/smile.js";
import type { MarketData, OptionPosition } from "../src/model/types.js";
import { AS_OF, expiryIn } from "./fixtures/synthetic.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

// A steep convex smile with uneven nodes, a flatter one, a two-node one and a
// single-node one: PCHIP interior, end slopes, flat wings and a flat smile.
const DAYS = [10, 60, 300, 700];
const data: MarketData = {
  asOf: AS_OF,
  underlyings: {
    BTC: {
      index: 100_000,
      rate: 0.02,
      basis: 0.04,
      surface: [
        { expiry: expiryIn(DAYS[2]!), logMoneyness: [-0.5, 0.5], vols: [0.75, 0.7] },
        { expiry: expiryIn(DAYS[0]!), logMoneyness: [-1.2, -0.6, -0.3, -0.05, 0, 0.1, 0.4, 1], vols: [2.4, 1.1, 0.7, 0.52, 0.5, 0.51, 0.62, 0.95] },
        { expiry: expiryIn(DAYS[1]!), logMoneyness: [-1, -0.2, 0, 0.3, 1], vols: [1.3, 0.7, 0.6, 0.62, 0.8] },
      ],
    },
    ETH: { index: 3_000, surface: [{ expiry: expiryIn(DAYS[3]!), logMoneyness: [0], vols: [0.8] }] },
  },
};
const market = buildMarket(data);

/** Options before the first slice, on slices, between them and beyond the last, strikes from deep wing to deep wing. */
function options(): OptionPosition[] {
  const positions: OptionPosition[] = [];
  const days = [1, DAYS[0]!, 30, DAYS[1]!, 200, DAYS[2]!, 500];
  for (const [underlying, spot] of [["BTC", 100_000], ["ETH", 3_000]] as const) {
    for (const d of days) {
      for (const m of [0.05, 0.3, 0.7, 0.95, 1, 1.04, 1.5, 3, 12]) {
        positions.push({
          id: `${underlying}-${d}-${m}`, kind: "option", underlying, settlement: "linear", right: m < 1 ? "put" : "call",
          strike: spot * m, expiry: expiryIn(d), quantity: 1,
        });
      }
    }
  }
  return positions;
}

/** The tables the smile kernel built in linear memory for a resident book. */
const wasmTables = (book: Book): Float64Array => engine.smileTables(book);

describe("smile tables (assembly/smile.ts and its JS twin)", () => {
  it("hold vol(t, ln(K/F) − x) of the surface at every node, bit for bit, in WASM and in JS", () => {
    const positions = options();
    const book = engine.compile(positions, market);
    expect(book.slots).toBe(engine.layout.smileNodes);
    const js = smileTablesReference(book);
    const wasm = wasmTables(book);
    positions.forEach((p, row) => {
      const curves = market.get(p.underlying)!;
      const t = market.yearFraction(p.expiry);
      const k0 = log(p.strike / curves.forwards.forward(t));
      for (let slot = 0; slot < book.slots; slot++) {
        const expected = curves.vol(t, k0 - book.xs[slot]!);
        expect(js[row * book.slots + slot]).toBe(expected);
        expect(wasm[row * book.slots + slot]).toBe(expected);
      }
    });
  });

  it("hold just the nodes given moves read, at the offsets the node map gives, the same vols as the full tables", () => {
    const positions = options();
    const moves = [-0.5, -0.1, 0, 0.07, 0.3];
    const sparse = engine.compile(positions, market, { moves });
    const full = engine.compile(positions, market);
    expect(sparse.slots).toBeLessThanOrEqual(2 * (moves.length + 1));
    const [fullTables, sparseTables] = [wasmTables(full), wasmTables(sparse)];
    expect(smileTablesReference(sparse)).toEqual(sparseTables);
    const L = engine.layout;
    let kept = 0;
    for (let node = 0; node < L.smileNodes; node++) {
      const offset = sparse.nodeOffsets[node]!;
      if (offset < 0) continue;
      expect(offset).toBe(8 * kept++);
      for (let row = 0; row < positions.length; row++) {
        expect(sparseTables[row * sparse.slots + offset / 8]).toBe(fullTables[row * full.slots + node]);
      }
    }
    expect(kept).toBe(sparse.slots);
    // Each move reads its node and the next.
    for (const x of moves) {
      const node = Math.trunc((x - L.smileXMin) * L.smileInvStep);
      expect(sparse.nodeOffsets[node]).toBeGreaterThanOrEqual(0);
      expect(sparse.nodeOffsets[node + 1]).toBe(sparse.nodeOffsets[node]! + 8);
    }
  });

  it("give each option its vol now (the zero move), which bookGreeks prices with the book's own columns", () => {
    const positions = options();
    const book = engine.compile(positions, market, { moves: [-0.3, 0.2] });
    const greeks = engine.bookGreeks(book);
    const O = engine.layout.opt;
    const col = (c: number, row: number): number => book.opt[c * book.optCap + row]!;
    const terms = positions.map((p, row) => {
      const t = market.yearFraction(p.expiry);
      const vol = market.get(p.underlying)!.vol(t, log(p.strike / market.get(p.underlying)!.forwards.forward(t)));
      expect(greeks[row]!.vol).toBe(vol);
      return { forward: col(O.f, row), strike: p.strike, time: t, vol, rate: col(O.rate, row), phi: p.right === "call" ? (1 as const) : (-1 as const) };
    });
    expect(greeks.map(({ vol: _, ...g }) => g)).toEqual(engine.greeks(terms));
    expect(greeks.length).toBe(positions.length);
  });

  it("hold, in a book compiled for known moves, what the WASM and the JS reference kernels read alike", () => {
    const positions = options();
    const moves = [-0.45, -0.12, 0, 0.05, 0.33];
    const book = engine.compile(positions, market, { moves });
    const set = new ScenarioSet(book.underlyings, moves.length);
    book.underlyings.forEach((_, u) => moves.forEach((x, s) => (set.logMoves[u * moves.length + s] = x)));
    const wasm = engine.revalue(book, set, { reduce: "rows" });
    const js = revalueReference(book, set, { reduce: "rows" });
    wasm.positions!.forEach((row, i) => row.forEach((v, s) => expect(v).toBeCloseTo(js.positions![i]![s]!, 6)));
    // The same book with every node, and so the other slots, gives the same PnL.
    const full = engine.revalue(engine.compile(positions, market), set, { reduce: "rows" });
    expect(wasm.positions).toEqual(full.positions);
  });
});
