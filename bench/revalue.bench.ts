// Black-76 revaluation: the WASM kernel against the pure-JS reference (same model,
// same hoisting) and the published `black-scholes` npm package, in one run, for
// books of 10, 200 and 2,000 options under 5,000 scenarios aged by a day. Throughput is
// (option × scenario) pairs per second; the kernel's achieved flop rate is set
// against this core's f64x2 peak, measured in the same run. Then the peers that run
// on this machine (bench/peers/: numpy, C, QuantLib) on the 200-option book.
import bs from "black-scholes";
import type { Book } from "../src/engine/book.js";
import { createEngine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { revalueReference } from "../src/reference/revalue.js";
import { prng, syntheticPositions } from "../tests/fixtures/synthetic.js";
import { market } from "./fixtures.js";
import { cell, consume, count, medians, packageName, pct, times, timing, type Section } from "./lib.js";
import { nativePeak, PEAK_FLOPS_PER_ITERATION, PEER_TOLERANCE, runPeers, type PeerResult } from "./peers/peers.js";
import { peerProblem, shockedVol, valueNow, worstDifference, type PeerProblem } from "./peers/problem.js";

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
 * The peak probe: 14 f64x2 operations (28 flops) per iteration, 2 multiplies and
 * 2 adds a cycle at full rate (no FMA in portable WASM SIMD); see assembly/peak.ts.
 */
const PEAK_ITERS = 2_000_000;
const PEAK_FLOPS = PEAK_FLOPS_PER_ITERATION * PEAK_ITERS;
/** The peak is the fastest call of this long a run of calls (as in peak.c): a ceiling, which interference can only lower. */
const PEAK_SECONDS = 1;

/**
 * The fastest call of `fn` in `seconds` of calls, ms, after half a second of calls: V8 runs a WASM
 * function in its baseline compiler (Liftoff) until it has tiered it up.
 */
function fastestMs(fn: () => void, seconds: number): number {
  for (const t0 = performance.now(); performance.now() - t0 < 500;) fn();
  let fastest = Infinity;
  for (const start = performance.now(); performance.now() - start < seconds * 1000;) {
    const t0 = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return fastest;
}

/** Options the `black-scholes` package prices per call: a sample, its scalar series CDF is slow. */
const PACKAGE_OPTIONS = 2;
/** The package's 100-term series CDF agrees with the kernel's to this (relative, per scenario). */
const PACKAGE_TOLERANCE = 1e-9;

/** The time step of every scenario: options age by a day, as a one-day risk horizon does. */
const DT = 1 / 365;

/** The book the peers run: 200 options × the suite's scenarios. */
const PEER_OPTIONS = 200;

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

/**
 * The first `options` options of the problem in every scenario, priced by the npm package at the
 * kernel's shocked vol (the smile lookup, shock and floors done here): Black-Scholes with r = 0
 * on the moved forward is undiscounted Black-76, discounted here; past expiry, intrinsic value.
 */
function packageRevalue(p: PeerProblem, options: number): Float64Array {
  const o = p.option;
  const sums = new Float64Array(p.nScen);
  for (let row = 0; row < options; row++) {
    const u = o.u[row]!, f0 = o.f[row]!, k = o.k[row]!, phi = o.phi[row]!, w = o.w[row]!;
    const tLeft = o.t[row]! - p.dt;
    const right = phi > 0 ? "call" : "put";
    const discounted = w * Math.exp(-o.rate[row]! * tLeft);
    for (let s = 0; s < p.nScen; s++) {
      const f = f0 * Math.exp(p.scenario.x[u * p.nScen + s]!);
      sums[s]! += tLeft > 0 ? discounted * bs.blackScholes(f, k, tLeft, shockedVol(p, row, s), 0, right) : w * Math.max(phi * (f - k), 0);
    }
  }
  return sums;
}

/** The kernel's values of the first `options` options per scenario (its PnL rows plus their value now). */
function kernelValues(rows: Float64Array[], p: PeerProblem, options: number): Float64Array {
  const sums = new Float64Array(p.nScen).fill(valueNow(p, options));
  for (let row = 0; row < options; row++) for (let s = 0; s < p.nScen; s++) sums[s]! += rows[row]![s]!;
  return sums;
}

export async function benchRevalue(optionCounts = [10, 200, 2_000], nScenarios = 5_000): Promise<Section[]> {
  const engine = await createEngine();
  const pkg = packageName("black-scholes");
  const peakGflops = PEAK_FLOPS / fastestMs(() => consume(engine.k.simdPeakF64x2(PEAK_ITERS)), PEAK_SECONDS) / 1e6;
  const section: Section = {
    id: "revalue",
    title: `Kernel: Black-76 revaluation, options × ${count(nScenarios)} scenarios aged a day, one thread`,
    columns: ["book", "WASM SIMD", "JS reference", "WASM speed-up", `npm ${pkg}`, "WASM / package", "WASM GFLOP/s (% of peak)"],
    rows: [],
    notes: [
      `GFLOP/s = pairs/s × ${FLOPS_PER_OPTION} f64 operations per option (counted off the branch-free kernel; bench/revalue.bench.ts); ` +
        `peak = this core's f64x2 ceiling measured in the same run by simdPeakF64x2 (six multiply and eight add chains, the fastest call in ${PEAK_SECONDS} s of calls): ${peakGflops.toFixed(2)} GFLOP/s.`,
      `${pkg} prices ${PACKAGE_OPTIONS} options × ${count(nScenarios)} scenarios of the same book per call (its 100-term series CDF is slow), ` +
        `each pair at the kernel's shocked vol and aged a day, and agrees with the kernel to ${PACKAGE_TOLERANCE} relative (checked before timing).`,
      "WASM and the JS reference agree to 1e-8 relative on every scenario of every book (checked before timing).",
    ],
  };
  let peers: Section | undefined;
  for (const nOptions of optionCounts) {
    const book = engine.compile(syntheticPositions(nOptions, 0, 7), market);
    const set = gaussianScenarios(book, nScenarios, 11);
    const problem = peerProblem(book, set, DT);
    const pairs = nOptions * nScenarios;
    const kernel = engine.revalue(book, set, { dt: DT, reduce: "rows" });
    const worst = worstDifference(kernel.pnl, revalueReference(book, set, { dt: DT }).pnl);
    if (worst > 1e-8) throw new Error(`WASM and JS revalue disagree by ${worst}`);
    const sample = kernelValues(kernel.positions!, problem, PACKAGE_OPTIONS);
    const pkgWorst = worstDifference(packageRevalue(problem, PACKAGE_OPTIONS), sample);
    if (pkgWorst > PACKAGE_TOLERANCE) throw new Error(`${pkg} and the kernel disagree by ${pkgWorst}`);
    const big = pairs >= 5e6;
    const [wasmMs, jsMs, pkgMs] = await medians([
      ["revalue, wasm", () => consume(engine.revalue(book, set, { dt: DT }).pnl[0]!)],
      ["revalue, js", () => consume(revalueReference(book, set, { dt: DT }).pnl[0]!)],
      ["black-scholes package", () => consume(packageRevalue(problem, PACKAGE_OPTIONS)[0]!)],
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
        options: nOptions, scenarios: nScenarios, pairs, dt: DT, wasm, js, speedup: js.medianMs / wasm.medianMs,
        baseline: { package: pkg, ...npm, wasmSpeedup: wasm.perSecond / npm.perSecond, worstDifference: pkgWorst },
        flopsPerOption: FLOPS_PER_OPTION, wasmGflops: gflops, peakGflops, peakShare: gflops / peakGflops,
        nsPerPair: 1e9 / wasm.perSecond,
      },
    });
    if (nOptions === PEER_OPTIONS) {
      const expected = Float64Array.from(kernel.pnl, (x) => x + valueNow(problem));
      peers = peersSection(runPeers(problem, { expected, minRuns: 5, budgetSeconds: 1 }), 1e9 / wasm.perSecond, peakGflops, nScenarios);
    }
  }
  return peers ? [section, peers] : [section];
}

/** The peers' table: each one's ns per pair and the kernel's speed-up over it, the skipped ones with the reason, and the peak. */
function peersSection(results: PeerResult[], kernelNs: number, wasmPeak: number, nScenarios: number): Section {
  const native = nativePeak();
  const peak = "gflops" in native
    ? { wasmGflops: wasmPeak, nativeGflops: native.gflops, nativeCompiler: native.version, wasmShareOfNative: wasmPeak / native.gflops }
    : { wasmGflops: wasmPeak, nativeSkipped: native.skipped };
  const rows: Section["rows"] = [{
    cells: ["pmargin WASM SIMD kernel (engine.revalue)", `Node ${process.version}`, kernelNs.toFixed(1), "1×", "—"],
    data: { peer: "pmargin", variant: "wasm", label: "pmargin WASM SIMD kernel", version: `Node ${process.version}`, nsPerPair: kernelNs, kernelSpeedup: 1 },
  }];
  for (const r of results) {
    if ("skipped" in r) rows.push({ cells: [r.label, "—", `skipped: ${r.skipped}`, "—", "—"], data: r });
    else {
      rows.push({
        cells: [r.label, r.version, r.nsPerPair.toFixed(1), times(r.nsPerPair / kernelNs), r.worstDifference.toExponential(1)],
        data: { ...r, kernelSpeedup: r.nsPerPair / kernelNs },
      });
    }
  }
  return {
    id: "peers",
    title: `Kernel against peers: Black-76 revaluation, ${PEER_OPTIONS} options × ${count(nScenarios)} scenarios aged a day, one thread`,
    columns: ["peer", "version", "ns per pair", "kernel speed-up", "agrees to"],
    rows,
    notes: [
      "Each peer reads the same book and scenarios from a file (bench/peers/problem.ts), does the kernel's smile lookup, vol shock, floors " +
        "and ageing, sums w·Black-76 per scenario and times itself with its own monotonic clock (median of ≥ 5 runs over ≥ 1 s); " +
        `its sums must agree with the kernel's to ${PEER_TOLERANCE} relative ("agrees to": the worst scenario) before its time counts. ` +
        "The kernel's time includes building the smile tables and copying in and out of linear memory; the peers get the tables and each scenario's smile node ready-made.",
      "kernel speed-up = the peer's ns per pair / the kernel's, in this run.",
      "gflops" in native
        ? `f64x2 peak of this core: ${wasmPeak.toFixed(2)} GFLOP/s by the WASM probe (simdPeakF64x2), ${native.gflops.toFixed(2)} GFLOP/s by the same ` +
          `14 chains in native SSE2 (each the fastest call in ${PEAK_SECONDS} s of calls; bench/peers/peak.c, ${native.version}): the WASM probe measures ${pct(wasmPeak / native.gflops)} of the native.`
        : `f64x2 peak of this core: ${wasmPeak.toFixed(2)} GFLOP/s by the WASM probe (simdPeakF64x2); the native probe was not run: ${native.skipped}.`,
    ],
    data: { peak },
  };
}
