// Scenario-grid margin of a 200-position, 3-underlying book with ≈ 100 scenarios per
// underlying: kernel time (the revalue calls alone, WASM vs JS reference) and the
// whole method end to end.
import { Bench } from "tinybench";
import { createEngine } from "../src/engine/engine.js";
import { buildMarket } from "../src/market/market.js";
import { gridMargin, gridScenarios, gridScenarioSet, termWeight } from "../src/methods/grid/grid.js";
import type { MarginProfile } from "../src/methods/grid/profile.js";
import { revalueReference } from "../src/reference/revalue.js";
import { syntheticMarket, syntheticPositions } from "../tests/fixtures/synthetic.js";

/** ±16% in 16 buckets a side (33 moves) × 3 vol states + 8 tails = 107 scenarios per underlying. */
const profile: MarginProfile = {
  name: "bench",
  description: "Deribit-like grid, finer buckets",
  sources: [],
  defaults: {
    moves: Array.from({ length: 33 }, (_, i) => (i - 16) * 0.01),
    volStates: [{ name: "up", shift: 0.5, floor: 0.5 }, { name: "flat", shift: 0 }, { name: "down", shift: -0.25 }],
    volScaling: { refDays: 30, minDays: 1, shortPower: 0.3, longPower: 0.13 },
    extended: [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5].map((move) => ({ move, weight: 0.1 })),
  },
  mmFactor: 0.8,
  crossUnderlying: "sum",
};

export interface GridFigures {
  positions: number;
  scenariosPerUnderlying: number;
  pairs: number;
  wasmKernelMs: number;
  jsKernelMs: number;
  wasmEndToEndMs: number;
}

export async function benchGrid(): Promise<GridFigures> {
  const engine = await createEngine();
  const market = buildMarket(syntheticMarket());
  const positions = syntheticPositions(170, 30, 21);
  const grids = market.names.map((u) => {
    const mine = positions.filter((p) => p.underlying === u);
    const book = engine.compile(mine, market, { volShiftWeight: (days) => termWeight(profile.defaults.volScaling, days) });
    return { book, set: gridScenarioSet(book, gridScenarios(u, profile.defaults), profile.defaults) };
  });
  let sink = 0;
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench
    .add("grid kernel, wasm", () => { for (const g of grids) sink += engine.revalue(g.book, g.set, { perPosition: true }).pnl[0]!; })
    .add("grid kernel, js reference", () => { for (const g of grids) sink += revalueReference(g.book, g.set, { perPosition: true }).pnl[0]!; })
    .add("grid margin end to end, wasm", () => { sink += gridMargin(engine, positions, market, { profile }).initial; });
  await bench.run();
  if (!Number.isFinite(sink)) throw new Error("grid benchmark produced a non-finite sum");
  const [wasm, js, e2e] = bench.tasks.map((t) => (t.result.state === "completed" ? t.result.latency.p50 : NaN)) as [number, number, number];
  const perUnderlying = gridScenarios("X", profile.defaults).length;
  return {
    positions: positions.length,
    scenariosPerUnderlying: perUnderlying,
    pairs: positions.length * perUnderlying,
    wasmKernelMs: wasm,
    jsKernelMs: js,
    wasmEndToEndMs: e2e,
  };
}
