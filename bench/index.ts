// `npm run bench`: every suite, each in a fresh Node process (so that no suite's
// JIT state or heap colours another's figures), one after another, printed as
// Markdown tables with the machine and the date. `npm run bench -- --json` also
// writes every figure to bench/results.json. `--only=revalue,grid` runs some suites.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { benchBatch } from "./batch.bench.js";
import { benchBrowser } from "./browser.bench.js";
import { benchDistributed } from "./distributed.bench.js";
import { benchFma, FMA_TARGET } from "./fma.bench.js";
import { benchGrid } from "./grid.bench.js";
import { benchHistorical } from "./historical.bench.js";
import { benchLive } from "./live.bench.js";
import { checkSink, count, loadSimpleStatistics, machine, markdown, pct, times, type Section } from "./lib.js";
import { summarise } from "./summary.js";
import { benchMonteCarlo } from "./montecarlo.bench.js";
import { benchOverhead } from "./overhead.bench.js";
import { benchRandom } from "./random.bench.js";
import { benchRevalue } from "./revalue.bench.js";
import { benchSelect } from "./select.bench.js";
import { benchSmile } from "./smile.bench.js";
import { benchWhatIf } from "./whatif.bench.js";

const RESULTS = new URL("./results.json", import.meta.url);
const SUITES = {
  revalue: () => benchRevalue(),
  random: () => benchRandom(),
  select: async () => benchSelect(await loadSimpleStatistics()),
  smile: () => benchSmile(),
  grid: () => benchGrid(),
  montecarlo: async () => {
    const { methods, scaling } = await benchMonteCarlo();
    return [methods, scaling];
  },
  browser: () => benchBrowser(),
  historical: () => benchHistorical(),
  whatif: () => benchWhatIf(),
  live: () => benchLive(),
  batch: () => benchBatch(),
  distributed: () => benchDistributed(),
  marshalling: () => benchOverhead(),
  fma: () => benchFma(),
} satisfies Record<string, () => Promise<Section | Section[]>>;
type SuiteId = keyof typeof SUITES;
const IDS = Object.keys(SUITES) as SuiteId[];
const CHILD_MARK = "@@pmargin-bench-sections ";

const args = process.argv.slice(2);

// A child runs one suite and hands its sections back on stdout.
const child = args.find((a) => a.startsWith("--child="))?.slice("--child=".length);
if (child !== undefined) {
  const suite = SUITES[child as SuiteId];
  if (!suite) throw new Error(`bench: unknown suite ${child}`);
  const out = await suite();
  checkSink();
  process.stdout.write(`${CHILD_MARK}${JSON.stringify(Array.isArray(out) ? out : [out])}\n`);
  process.exit(0);
}

const json = args.includes("--json");
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");
const unknown = only?.filter((s) => !(IDS as string[]).includes(s)) ?? [];
if (unknown.length > 0) {
  console.error(`bench: unknown suite ${unknown.join(", ")} (suites: ${IDS.join(", ")})`);
  process.exit(2);
}
const wanted = IDS.filter((id) => !only || only.includes(id));

// Baselines first: a missing package fails now, not after minutes of benchmarks.
if (wanted.includes("select")) {
  try {
    await loadSimpleStatistics();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

/** Runs a suite in a fresh process with this one's loader (tsx) and returns its sections. */
function runSuite(id: SuiteId): Section[] {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--child=${id}`], {
    stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 64 << 20,
  });
  const line = r.stdout?.split("\n").find((l) => l.startsWith(CHILD_MARK));
  if (r.status !== 0 || !line) throw new Error(`bench: suite ${id} failed (exit ${r.status ?? r.signal})${r.stdout ? `\n${r.stdout}` : ""}`);
  return JSON.parse(line.slice(CHILD_MARK.length)) as Section[];
}

const m = machine();
const started = performance.now();
console.log(`# pmargin benchmarks\n\n${m.date} — ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node} (V8 ${m.v8})\n`);
console.log("Medians (tinybench p50) of seeded inputs, each suite in a fresh process; " +
  "WASM speed-up = JS reference time / WASM time, measured in the same run.\n");

const sections: Section[] = [];
for (const id of wanted) {
  const t0 = performance.now();
  process.stderr.write(`bench: ${id}…`);
  const out = runSuite(id);
  process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  for (const s of out) {
    sections.push(s);
    console.log(`${markdown(s)}\n`);
  }
}

// One table of every suite's headline figures, for docs/benchmarks.md.
const summary = summarise(sections);
if (summary.rows.length > 0) console.log(`${markdown(summary)}\n`);

// The issue's targets, each with what was measured.
const find = (id: string): Section | undefined => sections.find((s) => s.id === id);
const targets: { target: string; measured: string; met: boolean }[] = [];
for (const [paths, least] of [[1_000_000, 1.9], [100_000, 1.5]] as const) {
  const scaling = find("scaling")?.rows.find((r) => r.data.paths === paths)?.data as { speedup: number; equal: boolean } | undefined;
  if (!scaling) continue;
  targets.push({
    target: `Monte Carlo ${count(paths)} paths: RiskPool of 2 workers ≥ ${least}× one thread, results equal (issue 27)`,
    measured: `${times(scaling.speedup)}, equal: ${scaling.equal ? "yes" : "no"}`, met: scaling.speedup >= least && scaling.equal,
  });
}
const browser = find("browser")?.rows.find((r) => r.data.paths === 100_000 && r.data.part === "whole run")?.data as { ratio: number } | undefined;
if (browser) {
  targets.push({ target: "Monte Carlo 100,000 paths, one thread: Chromium ÷ Node ≤ 1.1 (issue 27)", measured: times(browser.ratio), met: browser.ratio <= 1.1 });
}
for (const r of find("marshalling")?.rows ?? []) {
  const d = r.data as { call: string; marshallingShare: number; outsideShare: number; target: number; met: boolean; stress: boolean };
  if (d.stress) continue;
  targets.push({
    target: `marshalling ≤ ${pct(d.target)} of the call: ${d.call}`,
    measured: `${pct(d.marshallingShare)} (all JavaScript outside the kernels: ${pct(d.outsideShare)})`, met: d.met,
  });
}
const fma = find("fma")?.rows.find((r) => r.data.host === "Chromium" && r.data.options === 200)?.data as { speedup: number; maxRelativeAll: number } | undefined;
if (fma) {
  targets.push({
    target: `the FMA module ≥ ${FMA_TARGET.speedup}× the portable one in Chromium (200 options), its figures within ${FMA_TARGET.relative} relative`,
    measured: `${times(fma.speedup)}, largest difference ${fma.maxRelativeAll.toExponential(1)}`, met: fma.speedup >= FMA_TARGET.speedup && fma.maxRelativeAll <= FMA_TARGET.relative,
  });
}
const grid = (find("grid")?.rows ?? []).map((r) => r.data as { positions: number; perPositionUs: number; baseline?: { version: string; speedup: number; sameProfile: { speedup: number } } });
const grid200 = grid.find((d) => d.positions === 200)?.baseline;
if (grid200) {
  targets.push({
    target: `grid margin, Deribit, 200 positions ≥ 2× ${grid200.version} (each its own Deribit profile; issue 27)`,
    measured: `${times(grid200.speedup)} (${grid200.version}'s profile on both: ${times(grid200.sameProfile.speedup)})`, met: grid200.speedup >= 2,
  });
}
const kernels1000 = find("marshalling")?.rows.find((r) => r.data.method === "grid" && r.data.size === 1_000)?.data as { outsideShare: number } | undefined;
if (kernels1000) targets.push({ target: "grid margin, 1,000 positions: the kernels ≥ 50% of the call", measured: pct(1 - kernels1000.outsideShare), met: 1 - kernels1000.outsideShare >= 0.5 });
if (grid.length > 1) {
  const costs = grid.map((d) => d.perPositionUs);
  const spread = Math.max(...costs) / Math.min(...costs);
  targets.push({
    target: `grid margin: per-position cost flat from ${count(grid[0]!.positions)} to ${count(grid.at(-1)!.positions)} positions (largest ≤ 1.2 × smallest)`,
    measured: `${costs.map((c) => `${c.toFixed(2)} µs`).join(", ")} (${spread.toFixed(2)}×)`, met: spread <= 1.2,
  });
}
const batch = find("batch")?.rows[0]?.data.baseline as { version: string; speedup: number; sameProfile: { speedup: number } } | undefined;
if (batch) {
  targets.push({
    target: `batch margining ≥ 2× ${batch.version}'s accounts/s on one thread (each its own Deribit profile)`,
    measured: `${times(batch.speedup)} (${batch.version}'s profile on both: ${times(batch.sameProfile.speedup)})`, met: batch.speedup >= 2,
  });
}
if (targets.length > 0) {
  console.log(["### Targets", "", "| target | measured | met |", "|---|--:|:-:|", ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? "yes" : "no"} |`)].join("\n") + "\n");
}
const seconds = (performance.now() - started) / 1000;
console.log(`Total ${seconds.toFixed(0)} s.`);

if (json) {
  const peers = find("peers");
  const report = {
    machine: m,
    command: `tsx bench/index.ts ${args.join(" ")}`.trim(),
    durationSeconds: seconds,
    conventions: "times are tinybench medians (p50) in ms, each suite in a fresh process; perSecond = work / median; speedup = JS reference time / WASM time; the f64x2 peak is the fastest call of each probe in a second of calls; peers time themselves (median of their own runs)",
    sections: sections.map((s) => ({ id: s.id, title: s.title, notes: s.notes, ...(s.data ? { data: s.data } : {}), rows: s.rows.map((r) => r.data) })),
    // The revaluation kernel's peers on this machine and the core's f64x2 peak (docs/benchmarks.md shows both).
    ...(peers ? { peak: peers.data?.peak, peers: peers.rows.map((r) => r.data) } : {}),
    summary: summary.rows.map((r) => r.cells),
    targets,
  };
  writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Wrote ${fileURLToPath(RESULTS)} (${count(sections.reduce((a, s) => a + s.rows.length, 0))} rows).`);
}
