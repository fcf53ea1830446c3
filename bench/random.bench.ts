// Normal draws per call of the Philox4x32-10 + Box–Muller kernel: WASM SIMD
// (its own instance of build/pmargin.wasm, raw exports) against the
// bit-identical JS reference, same paths and draws.
import { readFileSync } from "node:fs";
import { Bench } from "tinybench";
import type { Kernels } from "../src/engine/wasm.js";
import { normalsReference } from "../src/reference/random.js";

type RandomKernels = Pick<Kernels, "memory" | "heapBase" | "normalsF64x2Soa">;

function instantiate(): RandomKernels {
  const bytes = readFileSync(new URL("../build/pmargin.wasm", import.meta.url));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { abort: () => { throw new Error("pmargin.wasm aborted"); } },
  });
  return instance.exports as unknown as RandomKernels;
}

/** Median time of one call producing nPaths·nDraws normals, WASM and JS reference. */
export async function benchNormals(nPaths = 100_000, nDraws = 6): Promise<{ normals: number; wasmMs: number; jsMs: number }> {
  const k = instantiate();
  const normals = nPaths * nDraws;
  const out = (k.heapBase() + 15) & ~15;
  const need = out + normals * 8 - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  const view = new Float64Array(k.memory.buffer, out, normals);
  const ref = new Float64Array(normals);
  let seed = 1;
  let sink = 0;
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench
    .add("normals, wasm", () => { k.normalsF64x2Soa(seed++, 7, 0, 0, nPaths, nDraws, out); sink += view[normals - 1]!; })
    .add("normals, js reference", () => { normalsReference(seed++, 7, 0, 0, nPaths, nDraws, ref); sink += ref[normals - 1]!; });
  await bench.run();
  if (!Number.isFinite(sink)) throw new Error("normals benchmark produced a non-finite sum");
  const [wasmMs, jsMs] = bench.tasks.map((t) => (t.result.state === "completed" ? t.result.latency.p50 : NaN)) as [number, number];
  return { normals, wasmMs, jsMs };
}
