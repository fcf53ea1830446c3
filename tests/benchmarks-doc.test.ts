// docs/benchmarks.md's headline table, peers and peak are generated from bench/results.json, never hand-edited (issues 25, 27).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BEGIN, END, NOT_MEASURED, renderBenchmarks, renderPeers, withBlock } from "../scripts/benchmarks-doc.js";

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");

describe("docs/benchmarks.md", () => {
  it("holds exactly the block bench/results.json gives (npm run docs:bench)", () => {
    const doc = read("docs/benchmarks.md");
    expect(withBlock(doc, renderBenchmarks(JSON.parse(read("bench/results.json"))))).toBe(doc);
  });

  it("the block names the run's machine and date, and every summary row of the run", () => {
    const results = JSON.parse(read("bench/results.json")) as { machine: { date: string; cpu: string }; summary: string[][] };
    const block = renderBenchmarks(results as never);
    expect(block.startsWith(BEGIN) && block.endsWith(END)).toBe(true);
    expect(block).toContain(`Run of ${results.machine.date.slice(0, 10)} on ${results.machine.cpu}`);
    for (const row of results.summary) expect(block).toContain(`| ${row.join(" | ")} |`);
  });
});

describe("the peers and the f64x2 peak in docs/benchmarks.md", () => {
  const base = {
    machine: { cpu: "AMD EPYC", cores: 2, memoryGiB: 24, os: "linux", node: "v20", v8: "11", date: "2026-12-07T00:00:00Z" },
    durationSeconds: 100,
    summary: [],
  };

  it("a run with peers: each timed one's ns per pair, the kernel's speed-up over it and its agreement; a skipped one with the reason", () => {
    const lines = renderPeers({
      ...base,
      sections: [{ id: "peers", title: "Kernel against peers: 200 options × 5,000 scenarios" }],
      peers: [
        { label: "pmargin WASM SIMD kernel", version: "Node v20", nsPerPair: 11.8, kernelSpeedup: 1 },
        { label: "C -O3, libm exp and erfc", version: "gcc 12.2.0", nsPerPair: 34.22, kernelSpeedup: 2.9, worstDifference: 1.5e-14 },
        { label: "QuantLib blackFormula", skipped: "QuantLib headers not found" },
      ],
      peak: { wasmGflops: 28.5, nativeGflops: 29.1, nativeCompiler: "gcc 12.2.0" },
    });
    expect(lines[0]).toContain("**Kernel against peers: 200 options × 5,000 scenarios**");
    expect(lines).toContain("| pmargin WASM SIMD kernel | Node v20 | 11.8 | 1.00× | — |");
    expect(lines).toContain("| C -O3, libm exp and erfc | gcc 12.2.0 | 34.2 | 2.90× | 1.5e-14 |");
    expect(lines).toContain("| QuantLib blackFormula | — | skipped: QuantLib headers not found | — | — |");
    expect(lines.at(-1)).toBe("f64x2 peak of this core: 28.50 GFLOP/s by the WASM probe (simdPeakF64x2), 29.10 GFLOP/s by its native SSE2 twin " +
      "(bench/peers/peak.c, gcc 12.2.0): the WASM probe measures 98% of the native.");
  });

  it("a run before the peers: says they were not measured, and takes the WASM probe's peak from the revaluation rows", () => {
    const lines = renderPeers({ ...base, sections: [{ id: "revalue", title: "Kernel", rows: [{ peakGflops: 29.24 }] }] });
    expect(lines).toContain(`Peers: ${NOT_MEASURED}.`);
    expect(lines.at(-1)).toBe(`f64x2 peak of this core: 29.24 GFLOP/s by the WASM probe (simdPeakF64x2); its native twin: ${NOT_MEASURED}.`);
    expect(renderPeers(base).at(-1)).toBe(`f64x2 peak of this core: ${NOT_MEASURED}.`);
  });
});
