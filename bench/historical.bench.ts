// Historical simulation of a 200-position, 3-underlying options book over 1,000
// daily windows of the shipped history: the revaluation alone (WASM vs the JS
// reference) and the whole method.
import { Bench } from "tinybench";
import { createEngine } from "../src/engine/engine.js";
import { shippedHistory } from "../src/history/shipped.js";
import { buildMarket } from "../src/market/market.js";
import { historicalScenarios, historicalVaR } from "../src/methods/historical/historical.js";
import { booksByUnderlying, revalueByUnderlying, riskKernels } from "../src/methods/scenario-risk.js";
import { syntheticMarket, syntheticPositions } from "../tests/fixtures/synthetic.js";

export interface HistoricalFigures {
  windows: number;
  positions: number;
  wasmMs: number;
  jsMs: number;
  endToEndMs: number;
}

export async function benchHistorical(days = 1_000): Promise<HistoricalFigures> {
  const engine = await createEngine();
  const market = buildMarket(syntheticMarket());
  const positions = syntheticPositions(180, 20, 5);
  const history = await shippedHistory({ symbols: market.names, from: "2022-01-01", to: "2024-12-31" });
  const books = booksByUnderlying(engine, positions, market);
  const all = historicalScenarios(history, market.names, { horizonDays: 1, overlapping: true, filtered: false, lambda: 0.94, volRule: "realised" });
  const total = all.start.length;
  const n = Math.min(days, total);
  const block = {
    logMoves: Float64Array.from({ length: 3 * n }, (_, i) => all.logMoves[Math.floor(i / n) * total + (i % n)]!),
    volShifts: Float64Array.from({ length: 3 * n }, (_, i) => all.volShifts[Math.floor(i / n) * total + (i % n)]!),
  };
  const wasm = riskKernels(engine, "wasm");
  const js = riskKernels(engine, "js");
  let sink = 0;
  const bench = new Bench({ time: 1000, warmupTime: 200 });
  bench
    .add("historical revaluation, wasm", () => { sink += revalueByUnderlying(wasm, books, block, n, 1 / 365).usd[0]![0]!; })
    .add("historical revaluation, js", () => { sink += revalueByUnderlying(js, books, block, n, 1 / 365).usd[0]![0]!; })
    .add("historicalVaR end to end, wasm", () => {
      sink += historicalVaR(engine, positions, market, history, { volRule: "realised" }).portfolio.var[0]!.value;
    });
  await bench.run();
  if (!Number.isFinite(sink)) throw new Error("historical benchmark produced a non-finite sum");
  const [w, j, e] = bench.tasks.map((t) => (t.result.state === "completed" ? t.result.latency.p50 : NaN)) as [number, number, number];
  return { windows: n, positions: positions.length, wasmMs: w, jsMs: j, endToEndMs: e };
}
