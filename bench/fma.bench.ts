// The FMA module (build/pmargin-fma.wasm, relaxed SIMD) against the portable one, in the
// same run: revaluation timed alternately with each, in headless Chromium and in Node with
// --experimental-wasm-relaxed-simd, and the largest relative difference of their figures
// (the revaluation's PnL per position in USD and BTC, the Deribit grid margin, Monte Carlo's
// tail risk) — tests/helpers/modules-compare.ts, the code tests/fma.test.ts checks with.
import { spawnSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { haveChromium } from "../tests/helpers/chromium.js";
import type { CompareSpec, ModulesComparison } from "../tests/helpers/modules-compare.js";
import { openModulesPage } from "../tests/helpers/modules-chromium.js";
import { count, ms, times, type Section } from "./lib.js";

/**
 * The books: options × scenarios, each with its Monte Carlo paths for the comparison (run
 * after the timing) and timed repeats. The run with Monte Carlo last: its heap is the largest.
 */
const SPECS: CompareSpec[] = [
  { options: 2_000, scenarios: 5_000, paths: 0, repeats: 21 },
  { options: 200, scenarios: 5_000, paths: 100_000, repeats: 101 },
];

/** The FMA module's target in Chromium (issue 27). */
export const FMA_TARGET = { speedup: 1.12, relative: 1e-9 };

const RELAXED_FLAG = "--experimental-wasm-relaxed-simd";

/** compareModules in a Node child with relaxed SIMD, or why not. */
function inNode(spec: CompareSpec): ModulesComparison | string {
  const script = fileURLToPath(new URL("../tests/helpers/modules-node.ts", import.meta.url));
  const r = spawnSync(process.execPath, [...process.execArgv, RELAXED_FLAG, script, JSON.stringify(spec)], { encoding: "utf8" });
  if (r.status !== 0) return `Node ${process.version} with ${RELAXED_FLAG} failed: ${r.stderr.trim().split("\n")[0] ?? ""}`;
  return JSON.parse(r.stdout) as ModulesComparison;
}

const largest = (c: ModulesComparison): number => Math.max(c.maxRelative.revalue, c.maxRelative.grid, c.maxRelative.monteCarlo);

function row(host: string, spec: CompareSpec, c: ModulesComparison): Section["rows"][number] {
  const speedup = c.pairedSpeedup;
  const medianSpeedup = c.revalueMs.portable / c.revalueMs.fma;
  const rel = (x: number): string => x.toExponential(1);
  return {
    cells: [
      host, `${count(spec.options)} options × ${count(spec.scenarios)}`,
      ms(c.revalueMs.portable), ms(c.revalueMs.fma), `${times(speedup)} (${times(medianSpeedup)})`,
      rel(c.maxRelative.revalue), rel(c.maxRelative.grid), spec.paths > 0 ? rel(c.maxRelative.monteCarlo) : "—",
    ],
    data: { host, ...spec, ...c, speedup, medianSpeedup, maxRelativeAll: largest(c) },
  };
}

export async function benchFma(): Promise<Section> {
  const section: Section = {
    id: "fma",
    title: "The FMA module (relaxed SIMD) against the portable one, one thread",
    columns: ["host", "book", "portable", "FMA", "FMA speed-up: paired (of medians)", "max rel. diff: revaluation", "grid", "Monte Carlo"],
    rows: [],
    notes: [
      "Median time of one revaluation (USD, the portfolio PnL), the two modules timed back to back on the same book and scenarios, " +
        `${SPECS.map((s) => s.repeats).join(" / ")} times, each first in turn. The speed-up is the median of the ${"pairs'"} ratios ` +
        "(load from other processes cancels within a pair); the ratio of the medians is beside it. " +
        "relative difference = |a − b| / max(|a|, |b|, 1) over every figure (PnL per position in USD and BTC, the Deribit grid margin, " +
        `Monte Carlo ${count(SPECS[1]!.paths)} paths: VaR, ES, their errors, per underlying and per position).`,
      `Chromium: headless ${haveChromium ? "/usr/bin/chromium" : "(not installed)"}; Node: ${process.version} with ${RELAXED_FLAG}. ` +
        `Load average when the suite started: ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores.`,
    ],
  };
  if (haveChromium) {
    const page = await openModulesPage();
    try {
      if (!page.relaxedSimd) section.notes.push("Chromium does not validate relaxed SIMD here: no Chromium rows.");
      else for (const spec of SPECS) section.rows.push(row("Chromium", spec, await page.compare(spec)));
    } finally {
      await page.close();
    }
  }
  for (const spec of SPECS) {
    const c = inNode(spec);
    if (typeof c === "string") {
      section.notes.push(c);
      break;
    }
    section.rows.push(row("Node", spec, c));
  }
  return section;
}
