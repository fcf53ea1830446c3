// What `npm pack` ships: the built code with its types, the kernels (as a file and inline for
// browsers), the JSON Schemas, the profiles, the examples and the licence; no source maps
// (src/ is not shipped) and nothing of the repository's own (tests, sources, build scripts).
// Every export of package.json names a shipped file. Reads the built dist/ (`npm run build`).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { NPM_CLI } from "./helpers/npm.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(`${repo}package.json`, "utf8")) as {
  exports: Record<string, string | Record<string, string>>;
  imports: Record<string, Record<string, string>>;
  bin: Record<string, string>;
  sideEffects: string[];
};

let files: Set<string>;
beforeAll(() => {
  // --ignore-scripts: the tarball of the build at hand (`prepare` would build again).
  const out = execFileSync(process.execPath, [NPM_CLI, "pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const [packed] = JSON.parse(out) as [{ files: { path: string }[] }];
  files = new Set(packed.files.map((f) => f.path));
  if (!files.has("dist/index.js")) throw new Error("dist/ is missing: run `npm run build` first");
});

/** The shipped files matching an export target, "*" standing for one or more path characters. */
const matching = (target: string): string[] => {
  const pattern = new RegExp(`^${target.slice(2).split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^]+")}$`);
  return [...files].filter((f) => pattern.test(f));
};

describe("the npm tarball", () => {
  it("ships the code, its types, the kernels, the schemas, the profiles, the examples and the licence", () => {
    for (const f of [
      "LICENSE", "README.md", "CHANGELOG.md", "package.json",
      "dist/index.js", "dist/index.d.ts", "dist/cli/main.js",
      "build/pmargin.wasm", "build/pmargin-fma.wasm", "dist/engine/wasm-inline.js", "dist/engine/wasm-file.js",
      "dist/schemas/portfolio.schema.json", "dist/schemas/market.schema.json",
      "dist/profiles/deribit.json", "dist/profiles/span.json", "dist/profiles/derive.json",
      "examples/portfolio.json", "examples/market.json", "data/binance-daily/Binance_BTCUSDT_d.csv",
    ]) expect(files.has(f), f).toBe(true);
  });

  it("ships no source maps and nothing of the repository's own", () => {
    const stray = [...files].filter((f) => f.endsWith(".map") || /^(src|tests|assembly|scripts|bench|demo|api|docs)\//.test(f) || f.endsWith(".ts") && !f.endsWith(".d.ts"));
    expect(stray).toEqual([]);
    const mapped = [...files].filter((f) => f.endsWith(".js") && readFileSync(`${repo}${f}`, "utf8").includes("sourceMappingURL"));
    expect(mapped).toEqual([]);
  });

  it("every export, import and bin names shipped files, with types beside each code entry", () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      const targets = typeof target === "string" ? { default: target } : target;
      for (const [condition, path] of Object.entries(targets)) {
        expect(matching(path).length, `${subpath} (${condition}): ${path}`).toBeGreaterThan(0);
      }
      if (targets.default!.endsWith(".js")) expect(targets.types, `${subpath} has types`).toBe(targets.default!.replace(/\.js$/, ".d.ts"));
    }
    for (const [name, conditions] of Object.entries(pkg.imports)) {
      for (const path of Object.values(conditions)) expect(matching(path), `${name}: ${path}`).toHaveLength(1);
    }
    for (const path of [...Object.values(pkg.bin), ...pkg.sideEffects]) expect(files.has(path.slice(2)), path).toBe(true);
  });

  it("resolves the profiles and schemas by their file names (and a profile by its bare name)", () => {
    const resolve = (specifier: string): string =>
      execFileSync(process.execPath, ["--input-type=module", "-e", `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`], { cwd: repo, encoding: "utf8" }).trim();
    expect(resolve("pmargin/profiles/deribit.json")).toBe(`file://${repo}dist/profiles/deribit.json`);
    expect(resolve("pmargin/profiles/okx")).toBe(`file://${repo}dist/profiles/okx.json`);
    expect(resolve("pmargin/schemas/portfolio.schema.json")).toBe(`file://${repo}dist/schemas/portfolio.schema.json`);
  });

  it("the browser's inline kernels are build/pmargin.wasm and build/pmargin-fma.wasm, byte for byte", async () => {
    const inline = (await import(`${repo}dist/engine/wasm-inline.js`)) as { packagedWasm(module: "portable" | "fma"): Uint8Array };
    expect(Buffer.from(inline.packagedWasm("portable")).equals(readFileSync(`${repo}build/pmargin.wasm`))).toBe(true);
    expect(Buffer.from(inline.packagedWasm("fma")).equals(readFileSync(`${repo}build/pmargin-fma.wasm`))).toBe(true);
  });
});
