// Black-76 revaluation: the WASM kernel against the pure-JS reference (same model,
// same hoisting) and the published `black-scholes` npm package, in one run, for
// books of 10, 200 and 2,000 options under 5,000 scenarios. Throughput is
// (option × scenario) pairs per second; the kernel's achieved flop rate is set
// against this core's f64x2 peak, measured in the same run.
import bs from "black-scholes";
import type { Book } from "../src/engine/book.js";
import { createEngine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { revalueReference } from "../src/reference/revalue.js";
import { prng, syntheticPositions } from "../tests/fixtures/synthetic.js";
import { market } from "./fixtures.js";
import { cell, consume, count, medians, packageName, pct, times, timing, type Section } from "./lib.js";

/**
 * f64 operations (add/sub/mul/div/min/max/abs, per lane) one option evaluation
 * costs in revalueBlack76F64x2Soa, counted off optionPairs' eight passes in
 * assembly/revalue.ts (recounted after each loop fission, which moved operations
 * between loops without adding or removing any): volPairs — smile lerp 3, vol
 * shock and two floors 5, σ√T 1; moneynessPairs — d1/d2 5, exp argument 2, CDF
 * arguments 2, the factors K/F'·… and F'/K·… of φ(d1)/φ(d2) 2; exp 38
 * (expReducePairs 8, expPolyPairs 28, gaussPairs 2), φ(d1)/φ(d2) 2 (gaussPairs);
 * tailHeadPairs — |x| and its cap 2 × 2,
 * the tail rationals' first four Horner steps 2 × 17; ratioPairs — their last
 * four 2 × 15, two central rationals 2 × 17; valuePairs — shared reciprocal 6,
 * region fix-up 4, price and accumulation 6. The kernel is branch-free, so every
 * one runs for every lane; the central rationals (34) are computed everywhere and
 * kept only where |d| < 0.674, so part of that work is discarded by design.
 * Loads, stores, comparisons, selects and the exponent's integer operations are
 * not counted.
 */
export const FLOPS_PER_OPTION = 178;

/**
 * The peak probe: 12 f64x2 operations (24 flops) per iteration, 2 multiplies and
 * 2 adds a cycle at full rate (no FMA in portable WASM SIMD); see assembly/peak.ts.
 */
const PEAK_ITERS = 2_000_000;
const PEAK_FLOPS = 24 * PEAK_ITERS;

/** Options the `black-scholes` package prices per call: a sample, its scalar series CDF is slow. */
const PACKAGE_OPTIONS = 2;

function gaussianScenarios(book: Book, n: number, seed: number): ScenarioSet {
  const rnd = prng(seed);
  const set = new ScenarioSet(book.underlyings, n);
  for (let i = 0; i < set.logMoves.length; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    set.logMoves[i] = 0.08 * g;
    set.volShifts[i] = 0.2 * (rnd() - 0.5);
  }
  return set;
}

/** Prices the first options of the book in every scenario with the npm package (Black-Scholes with r = 0 on F is Black-76). */
function packageRevalue(book: Book, set: ScenarioSet, options: number): number {
  const L = book.layout;
  const col = (c: number, row: number): number => book.opt[c * book.optCap + row]!;
  let sum = 0;
  for (let row = 0; row < options; row++) {
    const u = col(L.opt.u, row), f0 = col(L.opt.f, row), k = col(L.opt.k, row), t = col(L.opt.t, row);
    const right = col(L.opt.phi, row) > 0 ? "call" : "put";
    const vol = col(L.opt.vol, row);
    for (let s = 0; s < set.count; s++) sum += bs.blackScholes(f0 * Math.exp(set.logMoves[u * set.count + s]!), k, t, vol, 0, right);
  }
  return sum;
}

export async function benchRevalue(optionCounts = [10, 200, 2_000], nScenarios = 5_000): Promise<Section> {
  const engine = await createEngine();
  const pkg = packageName("black-scholes");
  const [peakMs] = await medians([["f64x2 peak probe", () => consume(engine.k.simdPeakF64x2(PEAK_ITERS))]], { time: 500, iterations: 10 });
  const peakGflops = PEAK_FLOPS / (peakMs! / 1000) / 1e9;
  const section: Section = {
    id: "revalue",
    title: `Kernel: Black-76 revaluation, options × ${count(nScenarios)} scenarios, one thread`,
    columns: ["book", "WASM SIMD", "JS reference", "WASM speed-up", `npm ${pkg}`, "WASM / package", "WASM GFLOP/s (% of peak)"],
    rows: [],
    notes: [
      `GFLOP/s = pairs/s × ${FLOPS_PER_OPTION} f64 operations per option (counted off the branch-free kernel; bench/revalue.bench.ts); ` +
        `peak = this core's f64x2 ceiling measured in the same run by simdPeakF64x2 (independent multiply and add chains): ${peakGflops.toFixed(2)} GFLOP/s.`,
      `${pkg} prices ${PACKAGE_OPTIONS} options × ${count(nScenarios)} scenarios of the same book per call (its 100-term series CDF is slow); ` +
        "it has no smile, vol shock or ageing, so it does less work per pair than the kernel.",
      "WASM and the JS reference agree to 1e-8 relative on every scenario of every book (checked before timing).",
    ],
  };
  for (const nOptions of optionCounts) {
    const book = engine.compile(syntheticPositions(nOptions, 0, 7), market);
    const set = gaussianScenarios(book, nScenarios, 11);
    const pairs = nOptions * nScenarios;
    const w = engine.revalue(book, set).pnl;
    const j = revalueReference(book, set).pnl;
    let worst = 0;
    for (let s = 0; s < nScenarios; s++) worst = Math.max(worst, Math.abs(w[s]! - j[s]!) / (1 + Math.abs(j[s]!)));
    if (worst > 1e-8) throw new Error(`WASM and JS revalue disagree by ${worst}`);
    const big = pairs >= 5e6;
    const [wasmMs, jsMs, pkgMs] = await medians([
      ["revalue, wasm", () => consume(engine.revalue(book, set).pnl[0]!)],
      ["revalue, js", () => consume(revalueReference(book, set).pnl[0]!)],
      ["black-scholes package", () => consume(packageRevalue(book, set, PACKAGE_OPTIONS))],
    ], { time: big ? 600 : 800, iterations: big ? 4 : 10 });
    const wasm = timing(wasmMs!, pairs, "pairs");
    const js = timing(jsMs!, pairs, "pairs");
    const npm = timing(pkgMs!, PACKAGE_OPTIONS * nScenarios, "pairs");
    const gflops = (wasm.perSecond * FLOPS_PER_OPTION) / 1e9;
    section.rows.push({
      cells: [
        `${count(nOptions)} options (${count(pairs)} pairs)`, cell(wasm), cell(js), times(js.medianMs / wasm.medianMs),
        cell(npm), times(wasm.perSecond / npm.perSecond), `${gflops.toFixed(2)} (${pct(gflops / peakGflops)})`,
      ],
      data: {
        options: nOptions, scenarios: nScenarios, pairs, wasm, js, speedup: js.medianMs / wasm.medianMs,
        baseline: { package: pkg, ...npm, wasmSpeedup: wasm.perSecond / npm.perSecond },
        flopsPerOption: FLOPS_PER_OPTION, wasmGflops: gflops, peakGflops, peakShare: gflops / peakGflops,
        nsPerPair: 1e9 / wasm.perSecond,
      },
    });
  }
  return section;
}
