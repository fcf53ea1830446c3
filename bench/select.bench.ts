// Loss quantiles of a Monte Carlo sample: the 97.5% and 99% order statistics and
// the sum of the losses from the 97.5% one up (what VaR and ES need), by the WASM
// Floyd–Rivest kernel, by its JS reference, by the npm package a user would reach
// for (simple-statistics' quantile, then a pass for the tail sum), and by a full
// Float64Array sort. Each WASM/JS/sort iteration starts from a fresh copy of the
// same seeded losses, made in beforeEach, outside the timed part; the package
// copies the array itself (inside the timed part, as a user would run it).
import type { Kernels } from "../src/engine/wasm.js";
import { selectReference } from "../src/reference/select.js";
import { prng } from "../tests/fixtures/synthetic.js";
import { heap, reserve, wasm } from "../tests/helpers/wasm-raw.js";
import { cell, consume, count, medians, packageName, times, timing, type Section, type SimpleStatistics } from "./lib.js";

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

export async function benchSelect(ss: SimpleStatistics, sizes = [100_000, 1_000_000]): Promise<Section> {
  const pkg = packageName("simple-statistics");
  const kernels = wasm as unknown as Pick<Kernels, "memory" | "selectF64">;
  const section: Section = {
    id: "select",
    title: "Kernel: loss quantiles (97.5% and 99% order statistics + the tail sum for ES), one thread",
    columns: ["losses", "WASM Floyd–Rivest", "JS reference", "WASM speed-up", `npm ${pkg} quantile`, "WASM / package", "Float64Array sort", "WASM / sort"],
    rows: [],
    notes: [
      `${pkg}: quantile(losses, [0.975, 0.99]) (quickselect on its own copy, type-7 interpolation) and one pass summing the tail; ` +
        "its quantiles lie within one order statistic of the kernel's (the lower empirical quantile ⌈nα⌉), checked.",
      "WASM and JS select 97.5% first, then 99% within the top 2.5% left by it; selection and sort give the same order statistics and tail sum.",
    ],
  };
  for (const n of sizes) {
    const losses = normalLosses(n, 42);
    const k975 = Math.ceil(n * 0.975);
    const k99 = Math.ceil(n * 0.99);
    reserve(n * 8);
    const ptr = heap;
    const view = (): Float64Array => new Float64Array(kernels.memory.buffer, ptr, n);
    const work = new Float64Array(n);
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
    const packageRun = (): Answer => {
      const [q975, q99] = ss.quantile(losses, [0.975, 0.99]) as [number, number];
      let tailSum = 0;
      for (let i = 0; i < n; i++) if (losses[i]! >= q975) tailSum += losses[i]!;
      return { var975: q975, var99: q99, tailSum };
    };
    const loadWasm = (): void => view().set(losses);
    const loadJs = (): void => work.set(losses);

    // Same answers, or the comparison means nothing.
    loadWasm();
    const w = wasmRun();
    loadJs();
    const j = jsRun();
    loadJs();
    const s = sortRun();
    const sorted = work.slice();
    for (const x of [w, j]) {
      if (x.var975 !== s.var975 || x.var99 !== s.var99 || Math.abs(x.tailSum - s.tailSum) > 1e-9 * Math.abs(s.tailSum)) {
        throw new Error(`selection and sort disagree: ${JSON.stringify({ selection: x, sort: s })}`);
      }
    }
    const p = packageRun();
    for (const [q, k] of [[p.var975, k975], [p.var99, k99]] as const) {
      if (!(q >= sorted[k - 2]! && q <= sorted[k]!)) throw new Error(`${pkg} quantile ${q} is not within one order statistic of L(${k}) = ${sorted[k - 1]}`);
    }

    const big = n >= 1e6;
    const o = { time: big ? 600 : 800, iterations: big ? 8 : 20 };
    const [wasmMs, jsMs, pkgMs, sortMs] = await medians([
      ["select, wasm", () => consume(wasmRun().tailSum), { beforeEach: loadWasm }],
      ["select, js", () => consume(jsRun().tailSum), { beforeEach: loadJs }],
      ["simple-statistics quantile", () => consume(packageRun().tailSum)],
      ["Float64Array sort", () => consume(sortRun().tailSum), { beforeEach: loadJs }],
    ], o);
    const t = (x: number) => timing(x, n, "losses");
    const [wasmT, jsT, pkgT, sortT] = [t(wasmMs!), t(jsMs!), t(pkgMs!), t(sortMs!)];
    section.rows.push({
      cells: [
        count(n), cell(wasmT), cell(jsT), times(jsT.medianMs / wasmT.medianMs), cell(pkgT), times(pkgT.medianMs / wasmT.medianMs),
        cell(sortT), times(sortT.medianMs / wasmT.medianMs),
      ],
      data: {
        losses: n, wasm: wasmT, js: jsT, speedup: jsT.medianMs / wasmT.medianMs,
        baseline: { package: pkg, ...pkgT, wasmSpeedup: pkgT.medianMs / wasmT.medianMs },
        sort: { ...sortT, wasmSpeedup: sortT.medianMs / wasmT.medianMs },
      },
    });
  }
  return section;
}
