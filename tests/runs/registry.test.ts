// The method registry: one entry per recorded command, and for the methods that split,
// any split of their stages — run part by part from the plain inputs a worker or a
// queue job receives — gives the one-thread result, bit for bit.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { shippedCsv } from "../../src/history/shipped.js";
import { evenRanges } from "../../src/parallel/tasks.js";
import {
  METHODS, methodOf, portfolioInputs, runPart, runRecorded, splitInputOf, splitMethod, splitNames,
  type RecordedInputs, type RunSpec, type SendStage, type SplitName,
} from "../../src/runs/registry.js";
import { canonicalJson } from "../../src/verify/reproducibility.js";

const examples = new URL("../../examples/", import.meta.url);
const json = (name: string): unknown => JSON.parse(readFileSync(new URL(name, examples), "utf8"));

let engine: Engine;
let inputs: RecordedInputs;
beforeAll(async () => {
  engine = await createEngine();
  inputs = { portfolio: json("portfolio.json"), market: json("market.json"), history: await shippedCsv() };
});

/** Each stage in `pieces` ranges, each part planned afresh from the plain inputs, as a worker plans it. */
const splitSend = (name: SplitName, input: unknown, pieces: number): SendStage =>
  async <Part>(stage: string, items: number, shared?: unknown) =>
    evenRanges(items, pieces).map((range) => runPart(engine, name, input, stage, range, shared) as Part);

describe("the method registry", () => {
  it("has one entry for each command a 0.3.0 record names, Derive's, Paradex's, OKX's, and the splitting methods among them", () => {
    expect(Object.keys(METHODS).sort()).toEqual(["account", "backtest", "bybit", "derive", "grid", "historical", "margin", "monte-carlo", "okx", "paradex", "stress", "value", "whatif"]);
    expect(splitNames().sort()).toEqual(["historical", "monte-carlo"]);
  });

  const splitRuns: [SplitName, Extract<RunSpec, { command: SplitName }>][] = [
    ["monte-carlo", { command: "monte-carlo", model: { paths: 3_001, seed: 9, levels: { var: [0.99], es: [0.95] } } }],
    ["historical", { command: "historical", options: { horizonDays: 1 } }],
  ];
  it.each(splitRuns)("%s split into 1, 3 and 7 ranges per stage gives its recorded run's result, bit for bit", async (name, spec) => {
    const whole = canonicalJson(runRecorded(engine, spec, inputs));
    const parsed = portfolioInputs(inputs);
    const input = splitInputOf(spec, parsed);
    const method = splitMethod(name);
    for (const pieces of [1, 3, 7]) {
      const result = await method.coordinate(method.plan(engine, input as never), splitSend(name, input, pieces));
      expect(canonicalJson(result)).toBe(whole);
    }
  });

  it("a record naming a command the registry does not know is an InputError naming the field", () => {
    expect(() => methodOf({ command: "var" } as never)).toThrow(expect.objectContaining({ name: "InputError", path: "reproducibility.run.command" }));
    expect(() => runPart(engine, "grid" as never, {}, "paths", { start: 0, count: 1 }, undefined)).toThrow(expect.objectContaining({ name: "InputError", path: "method" }));
  });
});
