// The smile-table kernel (assembly/smile.ts): each option's implied vol at every smile
// node a book holds, PCHIP within a slice and total variance between two, by the WASM
// kernel on a raw instance (no engine around it) and by its JS twin, for books with every
// node (Monte Carlo, historical) and with just the nodes a Deribit grid reads.
import { createEngine } from "../src/engine/engine.js";
import { zeroMoveSlot, type Book } from "../src/engine/book.js";
import type { Kernels } from "../src/engine/wasm.js";
import { gridScenarios } from "../src/methods/grid/grid.js";
import { log } from "../src/math/deterministic.js";
import { buildSmileTables } from "../src/reference/smile.js";
import { heap, reserve, wasm } from "../tests/helpers/wasm-raw.js";
import { bookOf, deribit, market } from "./fixtures.js";
import { cell, consume, count, medians, times, timing, type Section } from "./lib.js";

const kernels = wasm as unknown as Pick<Kernels, "memory" | "smileTablesF64">;

/** The book's columns, slices, slot moves and tables laid out in the raw instance's memory; returns the kernel call. */
function laidOut(book: Book): { run: () => void; tables: () => Float64Array } {
  const F64 = 8;
  const align = (n: number): number => (n + 15) & ~15;
  const opt = heap;
  const slices = align(opt + book.opt.length * F64);
  const xs = align(slices + book.slices.length * F64);
  const tables = align(xs + book.xs.length * F64);
  const scratch = align(tables + book.nOpt * book.slots * F64);
  const mem = reserve(scratch + book.slots * F64 - heap);
  const cols = Float64Array.from(book.opt);
  const L = book.layout;
  for (let row = 0; row < book.nOpt; row++) cols[L.opt.table * book.optCap + row] = tables + row * book.slots * F64;
  mem.set(cols, opt / F64);
  mem.set(book.slices, slices / F64);
  mem.set(book.xs, xs / F64);
  return {
    run: () => kernels.smileTablesF64(opt, book.nOpt, book.optCap, slices, xs, book.slots, zeroMoveSlot(book) * F64, scratch),
    tables: () => new Float64Array(kernels.memory.buffer, tables, book.nOpt * book.slots).slice(),
  };
}

export async function benchSmile(): Promise<Section> {
  const engine = await createEngine();
  const moves = gridScenarios("BTC", deribit.defaults).map((s) => log(1 + s.move));
  const section: Section = {
    id: "smile",
    title: "Kernel: smile tables (each option's vol at the smile nodes its book holds), one thread",
    columns: ["book", "WASM", "JS twin", "WASM speed-up"],
    rows: [],
    notes: [
      "smileTablesF64 on a raw instance against buildSmileTables (src/reference/smile.ts); the tables are the same bits (checked). " +
        "Options of the bench books (BTC, ETH, SOL, listed expiries); all nodes: 161 a table, as Monte Carlo and historical books hold; " +
        `grid: the nodes the Deribit grid's moves read.`,
      "Scalar: the walk down each slice's nodes and the branch into its flat wings do not vectorise; the kernel runs once per book load.",
    ],
  };
  for (const [n, nodes] of [[200, "all"], [2_000, "all"], [200, "grid"]] as const) {
    const positions = bookOf(n).filter((p) => p.kind === "option");
    const book = engine.compile(positions, market, nodes === "grid" ? { moves } : {});
    const wasmRun = laidOut(book);
    wasmRun.run();
    const js = buildSmileTables(book);
    const w = wasmRun.tables();
    if (!w.every((v, i) => Object.is(v, js[i]))) throw new Error("smile tables: WASM and JS differ");
    const vols = book.nOpt * book.slots;
    const [wasmMs, jsMs] = await medians([
      ["smile tables, wasm", () => { wasmRun.run(); consume(1); }],
      ["smile tables, js", () => consume(buildSmileTables(book)[0]!)],
    ], { time: 600, iterations: 20 });
    const wasmT = timing(wasmMs!, vols, "vols");
    const jsT = timing(jsMs!, vols, "vols");
    section.rows.push({
      cells: [`${count(book.nOpt)} options × ${book.slots} nodes (${nodes})`, cell(wasmT), cell(jsT), times(jsT.medianMs / wasmT.medianMs)],
      data: { options: book.nOpt, nodes: book.slots, wasm: wasmT, js: jsT, speedup: jsT.medianMs / wasmT.medianMs },
    });
  }
  return section;
}
