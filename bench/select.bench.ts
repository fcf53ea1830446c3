// Loss quantiles of a Monte Carlo sample: the 97.5% and 99% order statistics
// and the sum of the losses from the 97.5% one up (what VaR and ES need), by
// the WASM Floyd–Rivest kernel, by its JS reference, and by a full
// Float64Array sort. Each iteration starts from a fresh copy of the same
// seeded losses, made in beforeEach, outside the timed part.
import { Bench } from "tinybench";
import type { Kernels } from "../src/engine/wasm.js";
import { selectReference } from "../src/reference/select.js";
import { prng } from "../tests/fixtures/synthetic.js";
import { heap, reserve, wasm } from "../tests/helpers/wasm-raw.js";

export interface SelectFigures {
  n: number;
  wasmMs: number;
  jsSelectMs: number;
  jsSortMs: number;
}

/** Standard normal losses by Box–Muller from a seeded mulberry32. */
function normalLosses(n: number, seed: number): Float64Array {
  const rnd = prng(seed);
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()));
}

interface Answer {
  var975: number;
  var99: number;
  tailSum: number;
}

/** The three figures from an array whose order statistics at k975 − 1 and k99 − 1 are in place. */
function answer(a: Float64Array, k975: number, k99: number): Answer {
  let tailSum = 0;
  for (let i = k975 - 1; i < a.length; i++) tailSum += a[i]!;
  return { var975: a[k975 - 1]!, var99: a[k99 - 1]!, tailSum };
}

export async function benchSelect(n = 100_000): Promise<SelectFigures> {
  const losses = normalLosses(n, 42);
  const k975 = Math.ceil(n * 0.975);
  const k99 = Math.ceil(n * 0.99);

  // The raw instance of build/pmargin.wasm: the kernel alone, no engine.
  const kernels = wasm as unknown as Pick<Kernels, "memory" | "selectF64">;
  reserve(n * 8);
  const ptr = heap;
  const view = (): Float64Array => new Float64Array(kernels.memory.buffer, ptr, n);
  const work = new Float64Array(n);

  // Selecting 97.5% first confines the 99% selection to the top 2.5%.
  const wasmRun = (): Answer => {
    kernels.selectF64(ptr, 0, n - 1, k975 - 1);
    kernels.selectF64(ptr, k975, n - 1, k99 - 1);
    return answer(view(), k975, k99);
  };
  const jsRun = (): Answer => {
    selectReference(work, 0, n - 1, k975 - 1);
    selectReference(work, k975, n - 1, k99 - 1);
    return answer(work, k975, k99);
  };
  const sortRun = (): Answer => answer(work.sort(), k975, k99);
  const loadWasm = (): void => view().set(losses);
  const loadJs = (): void => work.set(losses);

  // Same answers, or the comparison means nothing.
  loadWasm();
  const w = wasmRun();
  loadJs();
  const j = jsRun();
  loadJs();
  const s = sortRun();
  for (const x of [w, j]) {
    if (x.var975 !== s.var975 || x.var99 !== s.var99 || Math.abs(x.tailSum - s.tailSum) > 1e-9 * Math.abs(s.tailSum)) {
      throw new Error(`selection and sort disagree: ${JSON.stringify({ selection: x, sort: s })}`);
    }
  }

  let sink = 0;
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench
    .add(`wasm select ${n}`, () => { sink += wasmRun().tailSum; }, { beforeEach: loadWasm })
    .add(`js reference select ${n}`, () => { sink += jsRun().tailSum; }, { beforeEach: loadJs })
    .add(`Float64Array sort ${n}`, () => { sink += sortRun().tailSum; }, { beforeEach: loadJs });
  await bench.run();
  if (!Number.isFinite(sink)) throw new Error("select benchmark produced a non-finite sum");
  const [wasmMs, jsSelectMs, jsSortMs] = bench.tasks.map((t) => (t.result.state === "completed" ? t.result.latency.p50 : NaN)) as
    [number, number, number];
  return { n, wasmMs, jsSelectMs, jsSortMs };
}
