// `npm run bench`: every suite, one run, figures printed with the machine and date.
import os from "node:os";
import { benchGrid } from "./grid.bench.js";
import { benchRevalue, FLOPS_PER_OPTION } from "./revalue.bench.js";

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
