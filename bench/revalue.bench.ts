// Black-76 revaluation: the WASM kernel against the pure-JS reference (same
// model, same hoisting) and against the published `black-scholes` npm package,
// measured in one run. Throughput is (position × scenario) pairs per second.
import { Bench } from "tinybench";
import bs from "black-scholes";
import { createEngine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { buildMarket } from "../src/market/market.js";
import { revalueReference } from "../src/reference/revalue.js";
import { prng, syntheticMarket, syntheticPositions } from "../tests/fixtures/synthetic.js";
import type { Book } from "../src/engine/book.js";

/**
 * f64 operations (add/sub/mul/div/min/max, per lane) one option evaluation
 * costs in revalueBlack76F64x2Soa, counted off optionPairs in
 * assembly/revalue.ts: smile lerp 3, vol shock and two floors 5, d1/d2 6, exp
 * argument 2, exp 38, φ(d1)/φ(d2) 4, CDF arguments and caps 4, two Cody tail
 * rationals 2 × 32, two central rationals 2 × 17, shared reciprocal 6, region
 * fix-up 4, price and accumulation 6. The kernel is branch-free, so every one
 * runs for every lane; the central rationals (34) are computed everywhere and
 * kept only where |d| < 0.674, so part of that work is discarded by design.
 */
export const FLOPS_PER_OPTION = 176;

export interface RevalueFigures {
  pairs: number;
  wasmPairsPerSec: number;
  jsPairsPerSec: number;
  packagePairsPerSec: number;
  peakGflops: number;
  wasmGflops: number;
}

function gaussianScenarios(book: Book, count: number, seed: number): ScenarioSet {
  const rnd = prng(seed);
  const set = new ScenarioSet(book.underlyings, count);
  for (let i = 0; i < set.logMoves.length; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    set.logMoves[i] = 0.08 * g;
    set.volShifts[i] = 0.2 * (rnd() - 0.5);
  }
  return set;
}

/** Prices the same pairs with the npm package (Black-Scholes with r = 0 is Black-76 on F). */
function packageRevalue(book: Book, set: ScenarioSet, maxOptions: number): number {
  const L = book.layout;
  const col = (c: number, row: number): number => book.opt[c * book.optCap + row]!;
  let sum = 0;
  for (let row = 0; row < Math.min(book.nOpt, maxOptions); row++) {
    const u = col(L.opt.u, row), f0 = col(L.opt.f, row), k = col(L.opt.k, row), t = col(L.opt.t, row);
    const right = col(L.opt.phi, row) > 0 ? "call" : "put";
    const vol = book.optionTerms[row]!.vol;
    for (let s = 0; s < set.count; s++) sum += bs.blackScholes(f0 * Math.exp(set.logMoves[u * set.count + s]!), k, t, vol, 0, right);
  }
  return sum;
}

export async function benchRevalue(nOptions = 200, nScenarios = 5000): Promise<RevalueFigures> {
  const engine = await createEngine();
  const market = buildMarket(syntheticMarket());
  const book = engine.compile(syntheticPositions(nOptions, 0, 7), market);
  const set = gaussianScenarios(book, nScenarios, 11);
  const pairs = nOptions * nScenarios;
  // The package's 100-term series CDF is slow: it prices a 1% sample of the pairs.
  const packageOptions = Math.max(2, Math.round(nOptions / 100));

  // Same answers, or the comparison means nothing.
  const w = engine.revalue(book, set).pnl;
  const j = revalueReference(book, set).pnl;
  let worst = 0;
  for (let s = 0; s < nScenarios; s++) worst = Math.max(worst, Math.abs(w[s]! - j[s]!) / (1 + Math.abs(j[s]!)));
  if (worst > 1e-8) throw new Error(`WASM and JS revalue disagree by ${worst}`);

  let sink = 0;
  const bench = new Bench({ time: 2000, warmupTime: 300 });
  bench
    .add(`wasm revalue ${nOptions}×${nScenarios}`, () => { sink += engine.revalue(book, set).pnl[0]!; })
    .add(`js reference revalue ${nOptions}×${nScenarios}`, () => { sink += revalueReference(book, set).pnl[0]!; })
    .add(`npm black-scholes ${packageOptions}×${nScenarios}`, () => { sink += packageRevalue(book, set, packageOptions); });
  const peakIters = 2_000_000;
  bench.add(`simd peak probe (${12 * peakIters} f64x2 ops)`, () => { sink += engine.k.simdPeakF64x2(peakIters); });
  await bench.run();
  if (!Number.isFinite(sink)) throw new Error("benchmark produced a non-finite sum");

  const ms = bench.tasks.map((t) => (t.result.state === "completed" ? t.result.latency.p50 : NaN));
  const [wasmMs, jsMs, pkgMs, peakMs] = ms as [number, number, number, number];
  return {
    pairs,
    wasmPairsPerSec: pairs / (wasmMs / 1000),
    jsPairsPerSec: pairs / (jsMs / 1000),
    packagePairsPerSec: (packageOptions * nScenarios) / (pkgMs / 1000),
    peakGflops: (24 * peakIters) / (peakMs / 1000) / 1e9,
    wasmGflops: (pairs * FLOPS_PER_OPTION) / (wasmMs / 1000) / 1e9,
  };
}
