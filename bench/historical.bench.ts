// Historical simulation end to end — historicalVaR() with the realised vol rule over
// every 1-day window of the shipped Binance history common to BTC, ETH and SOL —
// for books of 10, 200 and 2,000 positions: the WASM kernels against the same
// method on the JS reference kernels (kernels: "js").
import { createEngine } from "../src/engine/engine.js";
import { shippedHistory } from "../src/history/shipped.js";
import { historicalVaR } from "../src/methods/historical/historical.js";
import { BOOK_SIZES, bookOf, market } from "./fixtures.js";
import { cell, consume, count, medians, times, timing, type Section } from "./lib.js";

export async function benchHistorical(sizes: readonly number[] = BOOK_SIZES): Promise<Section> {
  const engine = await createEngine();
  const history = await shippedHistory({ symbols: market.names });
  const probe = historicalVaR(engine, bookOf(10), market, history, { volRule: "realised" });
  const section: Section = {
    id: "historical",
    title: `Method: historical VaR/ES end to end, ${count(probe.windows)} daily windows (${probe.period.from} … ${probe.period.to}), one thread`,
    columns: ["book (revaluations)", "WASM", "JS reference kernels", "WASM speed-up"],
    rows: [],
    notes: [
      "historicalVaR() whole, history loaded beforehand: scenarios (returns, EWMA vols), per-underlying compile and valuation, " +
        "revaluation of every window, VaR 99% / ES 97.5%, histogram, worst windows. VaR/ES agree WASM vs JS to 1e-8 relative (checked).",
    ],
  };
  for (const n of sizes) {
    const positions = bookOf(n);
    const w = historicalVaR(engine, positions, market, history, { volRule: "realised" });
    const j = historicalVaR(engine, positions, market, history, { volRule: "realised", kernels: "js" });
    const a = w.portfolio.es[0]!.value, b = j.portfolio.es[0]!.value;
    if (!(Math.abs(a - b) <= 1e-8 * Math.abs(a))) throw new Error(`historical ES, WASM ${a} vs JS ${b}`);
    const [wasmMs, jsMs] = await medians([
      ["historical, wasm", () => consume(historicalVaR(engine, positions, market, history, { volRule: "realised" }).portfolio.es[0]!.value)],
      ["historical, js", () => consume(historicalVaR(engine, positions, market, history, { volRule: "realised", kernels: "js" }).portfolio.es[0]!.value)],
    ], { time: 700, iterations: 6, warmupTime: 200, warmupIterations: 2 });
    const revaluations = n * w.windows;
    const wasm = timing(wasmMs!, revaluations, "revaluations");
    const js = timing(jsMs!, revaluations, "revaluations");
    section.rows.push({
      cells: [`${count(n)} positions (${count(revaluations)})`, cell(wasm), cell(js), times(js.medianMs / wasm.medianMs)],
      data: { positions: n, windows: w.windows, revaluations, wasm, js, speedup: js.medianMs / wasm.medianMs, esUsd: a },
    });
  }
  return section;
}
