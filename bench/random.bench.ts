// Random numbers and Monte Carlo paths. Normals: the Philox4x32-10 + Box–Muller
// kernel on its own instance of build/pmargin.wasm (raw exports) against its
// bit-identical JS reference, 6 draws per path for 10k, 100k and 1M paths. Paths:
// everything a Monte Carlo path needs (normals, the Student-t gamma draw, jump
// uniforms and normals, correlation, vol shocks), engine.paths against the JS twin.
import { readFileSync } from "node:fs";
import type { Kernels } from "../src/engine/wasm.js";
import { createEngine } from "../src/engine/engine.js";
import { withDefaults } from "../src/model/montecarlo.js";
import { planPaths } from "../src/methods/montecarlo/plan.js";
import { gammaReference, normalsReference, uniformsReference } from "../src/reference/random.js";
import { pathsReference } from "../src/reference/paths.js";
import { market, mcModel } from "./fixtures.js";
import { cell, consume, count, medians, ms, pct, times, timing, type Section, type Timing } from "./lib.js";

type RandomKernels = Pick<Kernels, "memory" | "heapBase" | "normalsF64x2Soa" | "uniformsF64x2Soa" | "gammaF64Soa">;

function instantiate(): RandomKernels {
  const bytes = readFileSync(new URL("../build/pmargin.wasm", import.meta.url));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { abort: () => { throw new Error("pmargin.wasm aborted"); } },
  });
  return instance.exports as unknown as RandomKernels;
}

const DRAWS = 6;

export async function benchRandom(pathCounts = [10_000, 100_000, 1_000_000]): Promise<Section> {
  const k = instantiate();
  const most = Math.max(...pathCounts) * DRAWS;
  const out = (k.heapBase() + 15) & ~15;
  const need = out + most * 8 - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  const section: Section = {
    id: "random",
    title: "Kernel: normal random numbers and Monte Carlo paths, one thread",
    columns: ["work", "WASM SIMD", "JS reference", "WASM speed-up"],
    rows: [],
    notes: [
      `Normals: Philox4x32-10 + Box–Muller, ${DRAWS} per path, each call a new seed; WASM and JS give the same bits.`,
      "Paths: correlated Student-t (ν = 5) moves of 3 underlyings with own and common jumps and vol shocks: " +
        "per path 6 normals (a price and a vol draw per underlying), 1 gamma, 4 uniforms and 4 normals for the jumps, then the path kernel; WASM and JS give the same bits.",
    ],
  };
  let seed = 1;
  for (const nPaths of pathCounts) {
    const normals = nPaths * DRAWS;
    const view = new Float64Array(k.memory.buffer, out, normals);
    const ref = new Float64Array(normals);
    // Same bits, or the comparison means nothing.
    k.normalsF64x2Soa(99, 7, 0, 0, nPaths, DRAWS, out, 0);
    normalsReference(99, 7, 0, 0, nPaths, DRAWS, ref);
    for (let i = 0; i < normals; i += 997) if (!Object.is(view[i], ref[i])) throw new Error(`normals differ at ${i}: ${view[i]} vs ${ref[i]}`);
    const slow = normals >= 6e6;
    const [wasmMs, jsMs] = await medians([
      ["normals, wasm", () => { k.normalsF64x2Soa(seed++, 7, 0, 0, nPaths, DRAWS, out, 0); consume(view[normals - 1]!); }],
      ["normals, js", () => { normalsReference(seed++, 7, 0, 0, nPaths, DRAWS, ref); consume(ref[normals - 1]!); }],
    ], { time: slow ? 400 : 600, iterations: slow ? 5 : 10 });
    const wasm = timing(wasmMs!, normals, "normals");
    const js = timing(jsMs!, normals, "normals");
    section.rows.push({
      cells: [`${count(normals)} normals (${count(nPaths)} paths × ${DRAWS})`, cell(wasm), cell(js), times(js.medianMs / wasm.medianMs)],
      data: { kernel: "normals", paths: nPaths, draws: DRAWS, wasm, js, speedup: js.medianMs / wasm.medianMs },
    });
  }

  // The other draws of a path: uniforms (jump counts) by the same Philox, vectorised; the
  // Student-t mixing gamma by Marsaglia–Tsang, one scalar rejection loop per path.
  {
    const nPaths = 100_000;
    const view = new Float64Array(k.memory.buffer, out, nPaths * DRAWS);
    const ref = new Float64Array(nPaths);
    const uniforms = new Float64Array(nPaths * DRAWS);
    const shape = 2.5; // ν / 2 for ν = 5
    k.gammaF64Soa(99, 7, 2, 0, nPaths, shape, out, 0);
    gammaReference(99, 7, 2, 0, nPaths, shape, ref);
    for (let i = 0; i < nPaths; i += 97) if (!Object.is(view[i], ref[i])) throw new Error(`gamma draws differ at ${i}`);
    const [uw, uj, gw, gj] = await medians([
      ["uniforms, wasm", () => { k.uniformsF64x2Soa(seed++, 7, 3, 0, nPaths, DRAWS, out, 0); consume(view[0]!); }],
      ["uniforms, js", () => { uniformsReference(seed++, 7, 3, 0, nPaths, DRAWS, uniforms); consume(uniforms[0]!); }],
      ["gamma, wasm", () => { k.gammaF64Soa(seed++, 7, 2, 0, nPaths, shape, out, 0); consume(view[nPaths - 1]!); }],
      ["gamma, js", () => { gammaReference(seed++, 7, 2, 0, nPaths, shape, ref); consume(ref[nPaths - 1]!); }],
    ], { time: 500, iterations: 10 });
    for (const [what, unit, w, j, n] of [
      [`${count(nPaths * DRAWS)} uniforms (${count(nPaths)} paths × ${DRAWS})`, "uniforms", uw!, uj!, nPaths * DRAWS],
      [`${count(nPaths)} gamma variates (shape 2.5, scalar)`, "variates", gw!, gj!, nPaths],
    ] as const) {
      const wasm = timing(w, n, unit);
      const js = timing(j, n, unit);
      section.rows.push({
        cells: [what, cell(wasm), cell(js), times(js.medianMs / wasm.medianMs)],
        data: { kernel: unit, paths: nPaths, wasm, js, speedup: js.medianMs / wasm.medianMs },
      });
    }
  }

  const engine = await createEngine();
  const nPaths = 100_000;
  const plan = planPaths(withDefaults(mcModel(nPaths)), market, market.names, engine.layout.paths);
  const w = engine.paths(plan, 0, nPaths);
  const j = pathsReference(plan, 0, nPaths);
  for (let i = 0; i < w.logMoves.length; i++) {
    if (!Object.is(w.logMoves[i], j.logMoves[i]) || !Object.is(w.volShifts[i], j.volShifts[i])) throw new Error(`paths differ at ${i}`);
  }
  const [wasmMs, jsMs] = await medians([
    ["paths, wasm", () => consume(engine.paths(plan, 0, nPaths).logMoves[0]!)],
    ["paths, js", () => consume(pathsReference(plan, 0, nPaths).logMoves[0]!)],
  ], { time: 800, iterations: 5 });
  const wasm = timing(wasmMs!, nPaths, "paths");
  const js = timing(jsMs!, nPaths, "paths");
  // Where a path's time goes, from the rows above (same run): 10 normals, 4 uniforms, 1 gamma per path.
  const per = (kernel: string): Timing => section.rows.find((r) => r.data.kernel === kernel && r.data.paths === nPaths)!.data.wasm as Timing;
  const normalsMs = (per("normals").medianMs * 10) / DRAWS;
  const uniformsMs = (per("uniforms").medianMs * 4) / DRAWS;
  const gammaMs = per("variates").medianMs;
  section.notes.push(
    `Of the ${count(nPaths)} paths' ${ms(wasmMs!)} in WASM: normals ≈ ${ms(normalsMs)}, the scalar gamma ≈ ${ms(gammaMs)} (${pct(gammaMs / wasmMs!)}), ` +
      `uniforms ≈ ${ms(uniformsMs)}, the path kernel and the copies out the remaining ≈ ${ms(wasmMs! - normalsMs - uniformsMs - gammaMs)} (from the rows above).`,
  );
  section.rows.push({
    cells: [`Monte Carlo paths, ${count(nPaths)} × 3 underlyings`, cell(wasm), cell(js), times(js.medianMs / wasm.medianMs)],
    data: { kernel: "paths", paths: nPaths, underlyings: 3, wasm, js, speedup: js.medianMs / wasm.medianMs },
  });
  return section;
}
