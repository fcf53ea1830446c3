// Recorded results (CLI --json on the example inputs, one per command and method) re-run
// under this code to every figure, bit for bit: the guard that a refactor keeps the
// numbers. A changed bit is a bug unless the change says why (recorded/README.md).
import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { verify } from "../src/verify/reproducibility.js";

const dirs = ["0.3.0", "current"].map((d) => new URL(`./recorded/${d}/`, import.meta.url));
const files = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => new URL(f, dir).pathname));

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

describe("recorded results", () => {
  it("cover every recordable command", () => {
    const commands = new Set(files.map((f) => (JSON.parse(readFileSync(f, "utf8")) as { reproducibility: { run: { command: string } } }).reproducibility.run.command));
    expect([...commands].sort()).toEqual(["account", "backtest", "grid", "historical", "margin", "monte-carlo", "stress", "value", "whatif"]);
  });

  it.each(files)("%s verifies bit for bit", async (file) => {
    const saved: unknown = JSON.parse(readFileSync(file, "utf8"));
    const out = await verify(engine, saved);
    expect(out.difference).toBeUndefined();
    expect(out.identical).toBe(true);
  });
});
