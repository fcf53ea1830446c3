// The headline table: one row per suite and size, from the rows' own figures
// (nothing recomputed), so that docs/benchmarks.md can carry a whole run in one table.
import { count, ms, pct, rate, times, type Section, type Timing } from "./lib.js";

type Data = Record<string, unknown>;
const rowsOf = (sections: Section[], id: string): Data[] => sections.find((s) => s.id === id)?.rows.map((r) => r.data) ?? [];
const t = (d: Data, key: string): Timing => d[key] as Timing;

export function summarise(sections: Section[]): Section {
  const rows: Section["rows"] = [];
  const add = (what: string, size: string, wasm: string, js: string, ratio: string, note: string, data: Data): void => {
    rows.push({ cells: [what, size, wasm, js, ratio, note], data });
  };
  const outside = (method: string, size: number): string => {
    const d = rowsOf(sections, "marshalling").find((r) => r.method === method && r.size === size && !r.stress);
    return d ? `marshalling ${pct(d.marshallingShare as number)} of the call; all JavaScript outside the kernels ${pct(d.outsideShare as number)}` : "";
  };
  const join = (...parts: string[]): string => parts.filter((p) => p !== "").join("; ");

  for (const d of rowsOf(sections, "revalue")) {
    const b = d.baseline as Timing & { package: string; wasmSpeedup: number };
    add("Black-76 revaluation kernel", `${count(d.options as number)} options × ${count(d.scenarios as number)} scenarios`,
      rate(t(d, "wasm").perSecond, "pairs"), rate(t(d, "js").perSecond, "pairs"), times(d.speedup as number),
      `${b.package}: ${rate(b.perSecond, "pairs")} (WASM ${times(b.wasmSpeedup)}); ${(d.wasmGflops as number).toFixed(1)} GFLOP/s = ${pct(d.peakShare as number)} of the f64x2 peak`, d);
  }
  for (const d of rowsOf(sections, "random")) {
    const what = { normals: "Normals (Philox4x32-10, Box–Muller)", uniforms: "Uniforms (Philox4x32-10)", variates: "Gamma variates (Student-t mixing, scalar)", paths: "Monte Carlo paths, 3 underlyings" }[d.kernel as string];
    if (!what || (d.kernel === "uniforms")) continue;
    const w = t(d, "wasm"), j = t(d, "js");
    const size = d.kernel === "normals" ? `${count(d.paths as number)} paths × ${d.draws as number}` : `${count(d.paths as number)} paths`;
    add(what, size, rate(w.perSecond, w.unit), rate(j.perSecond, j.unit), times(d.speedup as number), "", d);
  }
  for (const d of rowsOf(sections, "select")) {
    const b = d.baseline as Timing & { package: string; wasmSpeedup: number };
    const sort = d.sort as Timing & { wasmSpeedup: number };
    add("Loss quantiles (VaR/ES order statistics)", `${count(d.losses as number)} losses`, ms(t(d, "wasm").medianMs), ms(t(d, "js").medianMs), times(d.speedup as number),
      `${b.package} quantile: ${ms(b.medianMs)} (WASM ${times(b.wasmSpeedup)}); Float64Array sort ${ms(sort.medianMs)} (${times(sort.wasmSpeedup)})`, d);
  }
  for (const d of rowsOf(sections, "smile")) {
    add("Smile tables kernel", `${count(d.options as number)} options × ${d.nodes as number} nodes`,
      rate(t(d, "wasm").perSecond, "vols"), rate(t(d, "js").perSecond, "vols"), times(d.speedup as number), "same bits", d);
  }
  for (const d of rowsOf(sections, "grid")) {
    add("Grid margin end to end, Deribit", `${count(d.positions as number)} positions`, ms(t(d, "wasm").medianMs), ms(t(d, "js").medianMs), times(d.speedup as number),
      outside("grid", d.positions as number), d);
  }
  const scaling = rowsOf(sections, "scaling");
  for (const d of rowsOf(sections, "montecarlo")) {
    const pool = d.pool as Timing & { workers: number; speedup: number };
    const equal = scaling.find((s) => s.paths === d.paths)?.equal === true ? ", same bits" : "";
    add("Monte Carlo VaR/ES end to end", `${count(d.paths as number)} paths × ${count(d.positions as number)} positions`,
      ms(t(d, "wasm").medianMs), d.js ? ms(t(d, "js").medianMs) : "not run", d.js ? times(d.speedup as number) : "—",
      join(`RiskPool ${pool.workers} workers: ${ms(pool.medianMs)} (${times(pool.speedup)}${equal})`, outside("montecarlo", d.paths as number)), d);
  }
  for (const d of rowsOf(sections, "historical")) {
    const pool = d.pool as Timing & { workers: number; speedup: number };
    add("Historical VaR/ES end to end", `${count(d.positions as number)} positions × ${count(d.windows as number)} windows`,
      ms(t(d, "wasm").medianMs), ms(t(d, "js").medianMs), times(d.speedup as number),
      join(`RiskPool ${pool.workers} workers: ${ms(pool.medianMs)} (${times(pool.speedup)}, same bits)`, outside("historical", d.positions as number)), d);
  }
  for (const d of rowsOf(sections, "whatif")) {
    add(`What-if, ${d.orders as number} orders, Deribit grid`, `${count(d.positions as number)} positions`, ms(t(d, "wasm").medianMs), ms(t(d, "js").medianMs), times(d.speedup as number), "", d);
  }
  for (const d of rowsOf(sections, "batch")) {
    const pool = d.pool as Timing & { workers: number; speedup: number };
    const js = d.js as Timing & { accountsTimed: number };
    add("Batch grid margin, Deribit", `${count(d.accounts as number)} accounts × ${d.positionsPerAccount as number} positions`,
      rate(t(d, "wasm").perSecond, "accounts"), `${rate(js.perSecond, "accounts")}${js.accountsTimed < (d.accounts as number) ? ` (${count(js.accountsTimed)} timed)` : ""}`,
      times(d.speedup as number), `RiskPool ${pool.workers} workers: ${rate(pool.perSecond, "accounts")} (${times(pool.speedup)}, same bits)`, d);
  }
  return {
    id: "summary",
    title: "Summary (one thread unless stated; WASM speed-up = JS reference time / WASM time)",
    columns: ["what", "size", "WASM", "JS reference", "WASM speed-up", "baselines, pool, notes"],
    align: ["l", "l", "r", "r", "r", "l"],
    rows,
    notes: [],
  };
}
