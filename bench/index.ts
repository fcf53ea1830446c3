// `npm run bench`: every suite, one run, figures printed with the machine and date.
import os from "node:os";
import { benchGrid } from "./grid.bench.js";
import { benchHistorical } from "./historical.bench.js";
import { benchMonteCarlo } from "./montecarlo.bench.js";
import { benchNormals } from "./random.bench.js";
import { benchRevalue, FLOPS_PER_OPTION } from "./revalue.bench.js";
import { benchSelect } from "./select.bench.js";

const fmt = (x: number): string => x.toLocaleString("en-US", { maximumFractionDigits: 0 });
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(`pmargin benchmarks — ${new Date().toISOString()} — ${cpu}, ${os.cpus().length} cores, Node ${process.version}`);

const r = await benchRevalue(200, 5000);
console.log(`\nBlack-76 revaluation, ${fmt(r.pairs)} (position × scenario) pairs, single thread (median of runs)`);
console.log(`  WASM SIMD kernel     ${fmt(r.wasmPairsPerSec).padStart(14)} pairs/s`);
console.log(`  JS reference         ${fmt(r.jsPairsPerSec).padStart(14)} pairs/s   WASM/JS = ${(r.wasmPairsPerSec / r.jsPairsPerSec).toFixed(2)}×`);
console.log(`  npm black-scholes    ${fmt(r.packagePairsPerSec).padStart(14)} pairs/s   WASM/black-scholes = ${(r.wasmPairsPerSec / r.packagePairsPerSec).toFixed(0)}×`);
console.log(`  WASM achieved ${r.wasmGflops.toFixed(2)} GFLOP/s (${FLOPS_PER_OPTION} flops per option) = ` +
  `${((100 * r.wasmGflops) / r.peakGflops).toFixed(0)}% of this core's measured f64x2 peak ${r.peakGflops.toFixed(2)} GFLOP/s`);

const g = await benchGrid();
console.log(`\nScenario-grid margin, ${g.positions} positions on 3 underlyings, ${g.scenariosPerUnderlying} scenarios per underlying ` +
  `(${fmt(g.pairs)} pairs), median`);
console.log(`  kernel time, WASM          ${g.wasmKernelMs.toFixed(3).padStart(8)} ms`);
console.log(`  kernel time, JS reference  ${g.jsKernelMs.toFixed(3).padStart(8)} ms   WASM/JS = ${(g.jsKernelMs / g.wasmKernelMs).toFixed(2)}×`);
console.log(`  whole method (compile, valuation, grid, standalone), WASM ${g.wasmEndToEndMs.toFixed(3)} ms`);

const n = await benchNormals();
console.log(`\nNormal random numbers (Philox4x32-10 + Box–Muller), ${fmt(n.normals)} per run, median`);
console.log(`  WASM SIMD            ${n.wasmMs.toFixed(2).padStart(8)} ms   ${fmt(n.normals / n.wasmMs / 1e3).padStart(6)} M/s`);
console.log(`  JS reference         ${n.jsMs.toFixed(2).padStart(8)} ms   ${fmt(n.normals / n.jsMs / 1e3).padStart(6)} M/s   WASM/JS = ${(n.jsMs / n.wasmMs).toFixed(2)}×`);

const s = await benchSelect();
console.log(`\nLoss quantiles of ${fmt(s.n)} losses (99% and 97.5% order statistics + tail sum), median`);
console.log(`  WASM Floyd–Rivest    ${s.wasmMs.toFixed(3).padStart(8)} ms`);
console.log(`  JS reference select  ${s.jsSelectMs.toFixed(3).padStart(8)} ms   JS/WASM = ${(s.jsSelectMs / s.wasmMs).toFixed(1)}×`);
console.log(`  JS full sort         ${s.jsSortMs.toFixed(3).padStart(8)} ms   sort/WASM = ${(s.jsSortMs / s.wasmMs).toFixed(0)}×`);

const mc = await benchMonteCarlo();
console.log(`\nMonte Carlo VaR/ES, ${fmt(mc.paths)} paths × ${mc.positions} positions on 3 underlyings (${fmt(mc.revaluations)} revaluations), ` +
  "Student-t ν=5 with common jumps and vol shocks, single thread, median");
const row = (name: string, wasm: number, js: number): void =>
  console.log(`  ${name.padEnd(30)} WASM ${wasm.toFixed(1).padStart(7)} ms   JS ${js.toFixed(1).padStart(8)} ms   JS/WASM = ${(js / wasm).toFixed(2)}×`);
row("paths (draws, correlate)", mc.pathsMs.wasm, mc.pathsMs.js);
row("full revaluation", mc.revalueMs.wasm, mc.revalueMs.js);
row("tail statistics (selection)", mc.tailMs.wasm, mc.tailMs.js);
console.log(`  ${"JS full sort of the losses".padEnd(30)} ${mc.tailMs.jsSort.toFixed(1)} ms = ${(mc.tailMs.jsSort / mc.tailMs.wasm).toFixed(0)}× the WASM selection`);
console.log(`  end to end (monteCarlo(), WASM): ${mc.endToEndMs.toFixed(0)} ms`);

const h = await benchHistorical();
console.log(`\nHistorical simulation, ${fmt(h.windows)} daily windows (shipped history, 2022–2024) × ${h.positions} positions on 3 underlyings, median`);
console.log(`  revaluation, WASM      ${h.wasmMs.toFixed(2).padStart(8)} ms`);
console.log(`  revaluation, JS        ${h.jsMs.toFixed(2).padStart(8)} ms   JS/WASM = ${(h.jsMs / h.wasmMs).toFixed(2)}×`);
console.log(`  historicalVaR() end to end (${fmt(h.windows)}+ windows, realised vol rule), WASM ${h.endToEndMs.toFixed(2)} ms`);
