// docs/benchmarks.md's headline table, the revaluation kernel's peers and the core's f64x2 peak,
// generated from bench/results.json (the figures of one `npm run bench -- --json` run, with its
// machine): `npm run docs:bench` rewrites the block between the markers, `--check` exits 1 when the
// block is not what results.json gives.
import { readFileSync, writeFileSync } from "node:fs";
import { pct, times } from "../bench/lib.js";

const RESULTS = new URL("../bench/results.json", import.meta.url);
const DOC = new URL("../docs/benchmarks.md", import.meta.url);
export const BEGIN = "<!-- generated from bench/results.json by `npm run docs:bench`: do not edit -->";
export const END = "<!-- end of generated block -->";

/** A peer of the revaluation kernel as bench/revalue.bench.ts records it: timed, or skipped with the reason. */
export type PeerRow = { label: string; version?: string; nsPerPair?: number; kernelSpeedup?: number; worstDifference?: number; skipped?: string };

/** The core's f64x2 multiply/add ceiling: the WASM probe's and, where gcc ran, the native twin's. */
export interface Peak {
  wasmGflops: number;
  nativeGflops?: number;
  nativeCompiler?: string;
  nativeSkipped?: string;
}

export interface Results {
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string; v8: string; date: string };
  durationSeconds: number;
  sections?: { id: string; title: string; rows?: Record<string, unknown>[] }[];
  summary: string[][];
  targets?: { target: string; measured: string; met: boolean }[];
  /** Absent from runs before the peers were measured. */
  peers?: PeerRow[];
  peak?: Peak;
}

const COLUMNS = ["what", "size", "WASM", "JS reference", "WASM speed-up", "baselines, pool, notes"];
export const NOT_MEASURED = "not measured in this run";

const table = (head: string[], align: string[], rows: string[][]): string[] =>
  [`| ${head.join(" | ")} |`, `|${align.join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)];

/** The peers' table and the peak's line, or what says they were not measured. */
export function renderPeers(r: Results): string[] {
  const title = r.sections?.find((s) => s.id === "peers")?.title ?? "Kernel against peers";
  const lines = [`**${title}** (kernel speed-up = the peer's ns per pair / the kernel's; bench/README.md says how to install the peers):`, ""];
  if (!r.peers || r.peers.length === 0) lines.push(`Peers: ${NOT_MEASURED}.`);
  else {
    lines.push(...table(["peer", "version", "ns per pair", "kernel speed-up", "agrees to"], ["---", "---", "--:", "--:", "--:"], r.peers.map((p) =>
      p.skipped !== undefined
        ? [p.label, "—", `skipped: ${p.skipped}`, "—", "—"]
        : [p.label, p.version ?? "—", p.nsPerPair?.toFixed(1) ?? "—", p.kernelSpeedup !== undefined ? times(p.kernelSpeedup) : "—",
          p.worstDifference !== undefined ? p.worstDifference.toExponential(1) : "—"])));
  }
  // Runs before the peers recorded the WASM probe's peak in the revaluation rows only.
  const older = r.sections?.find((s) => s.id === "revalue")?.rows?.[0]?.peakGflops;
  const k: Peak | undefined = r.peak ?? (typeof older === "number" ? { wasmGflops: older } : undefined);
  lines.push("", !k
    ? `f64x2 peak of this core: ${NOT_MEASURED}.`
    : k.nativeGflops !== undefined
      ? `f64x2 peak of this core: ${k.wasmGflops.toFixed(2)} GFLOP/s by the WASM probe (simdPeakF64x2), ${k.nativeGflops.toFixed(2)} GFLOP/s by its ` +
        `native SSE2 twin (bench/peers/peak.c, ${k.nativeCompiler ?? "gcc"}): the WASM probe measures ${pct(k.wasmGflops / k.nativeGflops)} of the native.`
      : `f64x2 peak of this core: ${k.wasmGflops.toFixed(2)} GFLOP/s by the WASM probe (simdPeakF64x2); its native twin: ${k.nativeSkipped ?? NOT_MEASURED}.`);
  return lines;
}

/** The generated block: the run's machine and date, the headline table, the targets, the peers and the peak. */
export function renderBenchmarks(r: Results): string {
  const m = r.machine;
  const lines = [
    BEGIN,
    `Run of ${m.date.slice(0, 10)} on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node} (V8 ${m.v8}); ` +
      `one thread unless stated; WASM speed-up = JS reference time / WASM time; the full run took ${Math.round(r.durationSeconds)} s.`,
    "",
    ...table(COLUMNS, ["---", "---", "--:", "--:", "--:", "---"], r.summary),
  ];
  if (r.targets && r.targets.length > 0) {
    lines.push("", ...table(["target", "measured", "met"], ["---", "--:", ":-:"], r.targets.map((t) => [t.target, t.measured, t.met ? "yes" : "no"])));
  }
  lines.push("", ...renderPeers(r));
  return [...lines, END].join("\n");
}

/** The doc with its block replaced by `block`. */
export function withBlock(doc: string, block: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/benchmarks.md has no generated block (${BEGIN} … ${END})`);
  return doc.slice(0, start) + block + doc.slice(end + END.length);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const doc = readFileSync(DOC, "utf8");
  const next = withBlock(doc, renderBenchmarks(JSON.parse(readFileSync(RESULTS, "utf8")) as Results));
  if (process.argv.includes("--check")) {
    if (next !== doc) {
      console.error("docs/benchmarks.md is not what bench/results.json gives: npm run docs:bench");
      process.exit(1);
    }
  } else {
    writeFileSync(DOC, next);
  }
}
