// Scenario-grid margin end to end — gridMargin(): compile each underlying's book,
// value it (Greeks), revalue it on its grid, contingencies, single-position margins —
// under the shipped Deribit profile, for books of 10, 200 and 2,000 positions; the
// WASM kernel against the same method on the JS reference kernel (referenceBackend(engine)).
import { createEngine } from "../src/engine/engine.js";
import { referenceBackend } from "../src/reference/backend.js";
import { gridMargin, gridScenarios } from "../src/methods/grid/grid.js";
import { BOOK_SIZES, bookOf, deribit, market } from "./fixtures.js";
import { cell, consume, count, medians, times, timing, type Section } from "./lib.js";

export async function benchGrid(sizes: readonly number[] = BOOK_SIZES): Promise<Section> {
  const engine = await createEngine();
  const reference = referenceBackend(engine);
  const perUnderlying = gridScenarios("BTC", deribit.defaults).length;
  const section: Section = {
    id: "grid",
    title: `Method: scenario-grid margin end to end, Deribit profile (${perUnderlying} scenarios per underlying), one thread`,
    columns: ["book", "WASM", "JS reference kernel", "WASM speed-up"],
    rows: [],
    notes: [
      "gridMargin() whole: per underlying compile (smile tables), valuation and Greeks, the grid revaluation with per-position rows, " +
        "contingencies and every single-position margin. Books: 85% options, 15% spot and futures on BTC, ETH, SOL.",
      "WASM and JS initial margins agree to 1e-9 relative (checked). Why the speed-up is small: see the marshalling table.",
    ],
  };
  for (const n of sizes) {
    const positions = bookOf(n);
    const w = gridMargin(engine, positions, market, { profile: deribit }).initial;
    const j = gridMargin(reference, positions, market, { profile: deribit }).initial;
    if (!(Math.abs(w - j) <= 1e-9 * Math.abs(j))) throw new Error(`grid margin, WASM ${w} vs JS ${j}`);
    const [wasmMs, jsMs] = await medians([
      ["grid, wasm", () => consume(gridMargin(engine, positions, market, { profile: deribit }).initial)],
      ["grid, js", () => consume(gridMargin(reference, positions, market, { profile: deribit }).initial)],
    ], { time: 800, iterations: 10, warmupTime: 300, warmupIterations: 5 });
    const wasm = timing(wasmMs!, n, "positions");
    const js = timing(jsMs!, n, "positions");
    section.rows.push({
      cells: [`${count(n)} positions`, cell(wasm), cell(js), times(js.medianMs / wasm.medianMs)],
      data: { positions: n, scenariosPerUnderlying: perUnderlying, profile: "deribit", wasm, js, speedup: js.medianMs / wasm.medianMs, initialUsd: w },
    });
  }
  return section;
}
