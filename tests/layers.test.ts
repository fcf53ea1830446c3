// The layer rules (.dependency-cruiser.cjs) hold on src/, and they do catch what they forbid:
// a fixture tree with a wrong import and a cycle between folders is reported by the same rules.
import { cruise as depcruise, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: { name: string }[];
}

/** Cruises `target` under `baseDir` with the repository's rules (as `npm run lint:layers` does); the violations found. */
async function cruise(baseDir: string, target: string): Promise<Violation[]> {
  const options = await extractDepcruiseOptions(CONFIG);
  const tsConfig = join(baseDir, "tsconfig.json");
  const result = await depcruise([target], { ...options, baseDir, tsConfig: { fileName: tsConfig } }, {}, { tsConfig: extractTSConfig(tsConfig) });
  return (result.output as ICruiseResult).summary.violations as Violation[];
}

const describeViolation = (v: Violation): string =>
  `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(" → ")})` : ""}`;

describe("layers (.dependency-cruiser.cjs)", () => {
  it("src/ imports only down the layers, with no cycle between folders", async () => {
    expect((await cruise(ROOT, "src")).map(describeViolation)).toEqual([]);
  }, 30_000);

  const fixture = mkdtempSync(join(tmpdir(), "pmargin-layers-"));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
  };

  it("reports an engine module importing a method, and a cycle between market and history", async () => {
    write("tsconfig.json", JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }));
    // engine → methods goes up the layers; methods → engine is allowed.
    write("src/engine/x.ts", 'import { y } from "../methods/y.js";\nexport const x = y + 1;\n');
    write("src/methods/y.ts", "export const y = 1;\n");
    write("src/methods/z.ts", 'import type { Z } from "../engine/w.js";\nexport const z: Z = 2;\n');
    write("src/engine/w.ts", "export type Z = number;\n");
    // market and history share a layer, but a cycle between them is refused.
    write("src/market/a.ts", 'import { b } from "../history/b.js";\nexport const a = () => b();\n');
    write("src/history/b.ts", 'import { a } from "../market/a.js";\nexport const b = (): unknown => a;\n');
    // A type-only import counts: schema → methods.
    write("src/schema/s.ts", 'import type { Y } from "../methods/t.js";\nexport const s: Y = 3;\n');
    write("src/methods/t.ts", "export type Y = number;\n");

    const found = await cruise(fixture, "src");
    const rules = (from: string): string[] => found.filter((v) => v.from === from).map((v) => v.rule.name);
    expect(rules("src/engine/x.ts")).toEqual(["layer-engine"]);
    expect(rules("src/schema/s.ts")).toEqual(["layer-schema"]);
    expect(rules("src/methods/z.ts")).toEqual([]);
    // A cycle is reported once, from one of its modules.
    expect([...rules("src/market/a.ts"), ...rules("src/history/b.ts")]).toContain("no-circular-between-folders");
    expect(found.every((v) => v.rule.severity === "error")).toBe(true);
  }, 30_000);
});
