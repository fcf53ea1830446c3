// docs/benchmarks.md's headline table is generated from bench/results.json, never hand-edited (issue 25).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BEGIN, END, renderBenchmarks, withBlock } from "../scripts/benchmarks-doc.js";

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
