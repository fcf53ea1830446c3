// What-if (pre-trade) margin: whatIf() of 3 orders on the 200-position book under
// the Deribit grid — five grid margins (the book, the book with every order, the
// book with each order alone), of which only the underlyings an order touches are
// re-measured — WASM against the JS reference kernel.
import { createEngine } from "../src/engine/engine.js";
import { whatIf } from "../src/methods/margin.js";
import { referenceBackend } from "../src/reference/backend.js";
import { bookOf, deribit, market, orders } from "./fixtures.js";
import { cell, consume, medians, times, timing, type Section } from "./lib.js";

export async function benchWhatIf(n = 200): Promise<Section> {
  const engine = await createEngine();
  const positions = bookOf(n);
  const reference = referenceBackend(engine);
  const spec = { method: "grid" as const, profile: deribit };
  const w = whatIf(engine, positions, market, orders, spec);
  const j = whatIf(reference, positions, market, orders, spec);
  if (!(Math.abs(w.after.initial - j.after.initial) <= 1e-9 * Math.abs(j.after.initial))) throw new Error(`what-if, WASM ${w.after.initial} vs JS ${j.after.initial}`);
  const [wasmMs, jsMs] = await medians([
    ["what-if, wasm", () => consume(whatIf(engine, positions, market, orders, spec).incremental.initial)],
    ["what-if, js", () => consume(whatIf(reference, positions, market, orders, spec).incremental.initial)],
  ], { time: 800, iterations: 10, warmupTime: 300, warmupIterations: 5 });
  const wasm = timing(wasmMs!, 1, "calls");
  const js = timing(jsMs!, 1, "calls");
  return {
    id: "whatif",
    title: "Method: what-if margin, one thread",
    columns: ["call", "WASM", "JS reference kernel", "WASM speed-up"],
    rows: [{
      cells: [`whatIf() of ${orders.length} orders on a ${n}-position book (Deribit grid, ${orders.length + 2} margins)`, cell(wasm), cell(js), times(js.medianMs / wasm.medianMs)],
      data: {
        positions: n, orders: orders.length, margins: orders.length + 2, profile: "deribit", wasm, js, speedup: js.medianMs / wasm.medianMs,
        incrementalInitialUsd: w.incremental.initial,
      },
    }],
    notes: [
      "Orders as in examples/orders.json: a BTC inverse perpetual, a short ETH call, long SOL puts.",
      "Of the 5 margins' 15 underlying grids, 9 are measured: the book's 3, then only the underlyings each variant adds to (the others' are the book's own, bit for bit).",
    ],
  };
}
