// docs/benchmarks.md's headline table, generated from bench/results.json (the figures of one
// `npm run bench -- --json` run, with its machine): `npm run docs:bench` rewrites the block between
// the markers, `--check` exits 1 when the block is not what results.json gives.
import { readFileSync, writeFileSync } from "node:fs";

const RESULTS = new URL("../bench/results.json", import.meta.url);
const DOC = new URL("../docs/benchmarks.md", import.meta.url);
export const BEGIN = "<!-- generated from bench/results.json by `npm run docs:bench`: do not edit -->";
export const END = "<!-- end of generated block -->";

interface Results {
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string; v8: string; date: string };
  durationSeconds: number;
  summary: string[][];
  targets?: { target: string; measured: string; met: boolean }[];
}

const COLUMNS = ["what", "size", "WASM", "JS reference", "WASM speed-up", "baselines, pool, notes"];

/** The generated block: the run's machine and date, the headline table, the targets. */
export function renderBenchmarks(r: Results): string {
  const m = r.machine;
  const table = (head: string[], align: string[], rows: string[][]) =>
    [`| ${head.join(" | ")} |`, `|${align.join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)];
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
