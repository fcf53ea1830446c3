// Historical simulation end to end — historicalVaR() with the realised vol rule over
// every 1-day window of the shipped Binance history common to BTC, ETH and SOL —
// for books of 10, 200 and 2,000 positions: the WASM kernels against the same
// method on the JS reference kernels (referenceBackend(engine)), and on a RiskPool of every
// core with the windows split across its workers (same bits, checked).
import { createEngine } from "../src/engine/engine.js";
import { referenceBackend } from "../src/reference/backend.js";
import { shippedHistory } from "../src/history/shipped.js";
import { historicalVaR } from "../src/methods/historical/historical.js";
import { defaultWorkers, RiskPool } from "../src/parallel/pool.js";
import { BOOK_SIZES, bookOf, market, marketData } from "./fixtures.js";
import { cell, consume, count, medians, times, timing, type Section } from "./lib.js";

export async function benchHistorical(sizes: readonly number[] = BOOK_SIZES): Promise<Section> {
  const engine = await createEngine();
  const reference = referenceBackend(engine);
  const history = await shippedHistory({ symbols: market.names });
  const probe = historicalVaR(engine, bookOf(10), market, history, { volRule: "realised" });
  const section: Section = {
    id: "historical",
    title: `Method: historical VaR/ES end to end, ${count(probe.windows)} daily windows (${probe.period.from} … ${probe.period.to}), one thread`,
    columns: ["book (revaluations)", "WASM", "JS reference kernels", "WASM speed-up", `WASM, RiskPool ${defaultWorkers()} workers`, "pool speed-up"],
    rows: [],
    notes: [
      "historicalVaR() whole, history loaded beforehand: scenarios (returns, EWMA vols), per-underlying compile and valuation, " +
        "revaluation of every window, VaR 99% / ES 97.5%, histogram, worst windows. VaR/ES agree WASM vs JS to 1e-8 relative (checked).",
      "Pool: pool.historicalVaR() on workers warmed with 5 calls of the row's size, one range of windows each, the history sent with every call " +
        "(below 500,000 position-windows it runs on its own thread); its result equals the one-thread result (checked).",
    ],
  };
  const pool = new RiskPool();
  try {
    for (const n of sizes) await row(n);
  } finally {
    await pool.terminate();
  }
  return section;

  async function row(n: number): Promise<void> {
    const positions = bookOf(n);
    const w = historicalVaR(engine, positions, market, history, { volRule: "realised" });
    const j = historicalVaR(reference, positions, market, history, { volRule: "realised" });
    const a = w.portfolio.es[0]!.value, b = j.portfolio.es[0]!.value;
    if (!(Math.abs(a - b) <= 1e-8 * Math.abs(a))) throw new Error(`historical ES, WASM ${a} vs JS ${b}`);
    // The workers run this code only when called: five calls first, so that V8 has optimised it there too.
    for (let i = 0; i < 4; i++) await pool.historicalVaR(positions, marketData, history, { volRule: "realised" });
    const pooled = await pool.historicalVaR(positions, marketData, history, { volRule: "realised" });
    if (JSON.stringify(pooled) !== JSON.stringify(w)) throw new Error(`historical, ${n} positions: the pool's result differs from one thread's`);
    const [wasmMs, jsMs, poolMs] = await medians([
      ["historical, wasm", () => consume(historicalVaR(engine, positions, market, history, { volRule: "realised" }).portfolio.es[0]!.value)],
      ["historical, js", () => consume(historicalVaR(reference, positions, market, history, { volRule: "realised" }).portfolio.es[0]!.value)],
      ["historical, pool", async () => consume((await pool.historicalVaR(positions, marketData, history, { volRule: "realised" })).portfolio.es[0]!.value)],
    ], { time: 700, iterations: 6, warmupTime: 200, warmupIterations: 2 });
    const revaluations = n * w.windows;
    const wasm = timing(wasmMs!, revaluations, "revaluations");
    const js = timing(jsMs!, revaluations, "revaluations");
    const inPool = timing(poolMs!, revaluations, "revaluations");
    section.rows.push({
      cells: [`${count(n)} positions (${count(revaluations)})`, cell(wasm), cell(js), times(js.medianMs / wasm.medianMs), cell(inPool), times(wasm.medianMs / inPool.medianMs)],
      data: {
        positions: n, windows: w.windows, revaluations, wasm, js, speedup: js.medianMs / wasm.medianMs, esUsd: a,
        pool: { workers: pool.workers, ...inPool, speedup: wasm.medianMs / inPool.medianMs },
      },
    });
  }
}
