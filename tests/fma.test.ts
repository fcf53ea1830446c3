// The FMA module (build/pmargin-fma.wasm: the kernels with relaxed SIMD's fused
// multiply-adds) against the portable one: its figures within 1e-9 relative on the
// revaluation, the grid and Monte Carlo, in Chromium and in a Node child started with
// --experimental-wasm-relaxed-simd (Node 20 validates relaxed SIMD only behind it);
// the choice by feature detection; records that say which module made them, and verify
// refusing to compare across modules unless told to. Reads the built dist/ and build/.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createEngine, relaxedSimdSupported } from "../src/engine/index.js";
import { InputError } from "../src/errors.js";
import { ACROSS_MODULES_TOLERANCE, verify } from "../src/index.js";
import { CHROMIUM, skipBrowser } from "./helpers/chromium.js";
import type { CompareSpec, ModulesComparison } from "./helpers/modules-compare.js";
import { openModulesPage, type ModulesPage } from "./helpers/modules-chromium.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
const RELAXED_FLAG = "--experimental-wasm-relaxed-simd";
const SPEC: CompareSpec = { options: 120, scenarios: 2_000, paths: 10_000, repeats: 0 };

/** Node with relaxed SIMD: this one if it validates it, else a child with the flag (when this Node knows the flag). */
const nodeArgs = relaxedSimdSupported() ? [] : [RELAXED_FLAG];
const probe = spawnSync(process.execPath, [...nodeArgs, "--input-type=module", "-e",
  `import { relaxedSimdSupported } from ${JSON.stringify(`${repo}dist/engine/index.js`)}; process.stdout.write(String(relaxedSimdSupported()))`], { encoding: "utf8" });
const nodeHasFma = probe.stdout === "true";

const sha256Of = (file: string): string => createHash("sha256").update(readFileSync(join(repo, file))).digest("hex");
const withRelaxed = (args: string[]) => spawnSync(process.execPath, [...nodeArgs, ...args], { cwd: repo, encoding: "utf8", maxBuffer: 64 << 20 });
const cliWithRelaxed = (...args: string[]) => withRelaxed([join(repo, "dist/cli/main.js"), ...args]);

function expectWithinTolerance(c: ModulesComparison): void {
  expect(c.modules).toEqual(["portable", "fma"]);
  expect(c.maxRelative.revalue).toBeLessThanOrEqual(1e-9);
  expect(c.maxRelative.grid).toBeLessThanOrEqual(1e-9);
  expect(c.maxRelative.monteCarlo).toBeLessThanOrEqual(1e-9);
  // x86-64 with FMA3 and ARMv8 fuse: some bits differ, so the FMA module did run.
  expect(c.differing).toBeGreaterThan(0);
}

describe("choosing the module", () => {
  afterEach(() => vi.restoreAllMocks());

  it("defaults to the portable module, and says which runs", async () => {
    const engine = await createEngine();
    expect(engine.module).toBe("portable");
    expect(engine.wasmSha256).toBe(sha256Of("build/pmargin.wasm"));
  });

  it("\"fastest\" falls back to portable where relaxed SIMD does not validate, and \"fma\" is refused there, naming the field", async () => {
    vi.spyOn(WebAssembly, "validate").mockReturnValue(false);
    expect(relaxedSimdSupported()).toBe(false);
    expect((await createEngine({ module: "fastest" })).module).toBe("portable");
    const refused = await createEngine({ module: "fma" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect(refused).toMatchObject({ path: "module", message: expect.stringContaining("relaxed SIMD") });
  });

  it("refuses an unknown module, and \"fastest\" with a module of the caller's", async () => {
    await expect(createEngine({ module: "avx512" as "fma" })).rejects.toMatchObject({ path: "module", message: expect.stringContaining("portable, fma, fastest") });
    await expect(createEngine({ module: "fastest", wasm: readFileSync(join(repo, "build/pmargin.wasm")) })).rejects.toBeInstanceOf(InputError);
  });

  it("the probe agrees with the FMA module itself: relaxed SIMD validates exactly where the module does", () => {
    expect(WebAssembly.validate(readFileSync(join(repo, "build/pmargin-fma.wasm")))).toBe(relaxedSimdSupported());
    expect(WebAssembly.validate(readFileSync(join(repo, "build/pmargin.wasm")))).toBe(true);
  });

  it("the CLI names --wasm-module in its one-line error", () => {
    const r = spawnSync(process.execPath, [join(repo, "dist/cli/main.js"), "--wasm-module", "fast", "value", "examples/portfolio.json", "examples/market.json"], { cwd: repo, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--wasm-module");
  });
});

describe.skipIf(!nodeHasFma)(nodeHasFma ? "the FMA module in Node" : `the FMA module in Node (skipped: ${process.version} does not validate relaxed SIMD, even with ${RELAXED_FLAG})`, () => {
  it("agrees with the portable module within 1e-9 relative: revaluation, grid, Monte Carlo", () => {
    const r = withRelaxed(["--import", "tsx", join(repo, "tests/helpers/modules-node.ts"), JSON.stringify(SPEC)]);
    expect(r.status, r.stderr).toBe(0);
    expectWithinTolerance(JSON.parse(r.stdout) as ModulesComparison);
  });

  describe("records and verify across modules", () => {
    let dir: string;
    let saved: { reproducibility: { wasmModule?: string; wasmSha256?: string } };
    let path: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "pmargin-fma-"));
      const r = cliWithRelaxed("--wasm-module", "fastest", "grid", "examples/portfolio.json", "examples/market.json", "--profile", "deribit", "--json");
      expect(r.status, r.stderr).toBe(0);
      saved = JSON.parse(r.stdout) as typeof saved;
      path = join(dir, "grid-fma.json");
      await writeFile(path, r.stdout);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it("a record says which module made it", () => {
      expect(saved.reproducibility.wasmModule).toBe("fma");
      expect(saved.reproducibility.wasmSha256).toBe(sha256Of("build/pmargin-fma.wasm"));
    });

    it("verify with the portable module refuses it, unless told to compare across modules, then within 1e-9 relative, and says so", async () => {
      const engine = await createEngine();
      await expect(verify(engine, saved)).rejects.toMatchObject({ path: "reproducibility.wasmModule", message: expect.stringContaining("--across-modules") });
      const v = await verify(engine, saved, { acrossModules: true });
      expect(v).toMatchObject({ identical: true, tolerance: ACROSS_MODULES_TOLERANCE });
      expect(v.notes.join("\n")).toContain("made by the fma module, re-run by the portable one; figures compared within 1e-9 relative");
    });

    it("the CLI: verify refuses (exit 2, naming the field), --across-modules verifies within the tolerance, the fma module bit for bit", () => {
      const cli = join(repo, "dist/cli/main.js");
      const refused = spawnSync(process.execPath, [cli, "verify", path], { cwd: repo, encoding: "utf8" });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain("reproducibility.wasmModule");
      const across = spawnSync(process.execPath, [cli, "verify", path, "--across-modules"], { cwd: repo, encoding: "utf8" });
      expect(across.status, across.stderr).toBe(0);
      expect(across.stdout).toMatch(/note: across modules: .*\nverified: .* within 1e-9 relative/);
      const same = cliWithRelaxed("--wasm-module", "fma", "verify", path);
      expect(same.status, same.stderr).toBe(0);
      expect(same.stdout).toContain("bit for bit");
    });

    it("the CLI refuses the FMA module where the pool's or the queue's engines would run the portable one", () => {
      const r = cliWithRelaxed("--wasm-module", "fma", "var", "examples/portfolio.json", "examples/market.json", "--paths", "2000", "--workers", "2");
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("--wasm-module");
    });
  });
});

describe.skipIf(skipBrowser)(skipBrowser ? `the FMA module in Chromium (skipped: chromium is not installed at ${CHROMIUM})` : "the FMA module in Chromium", () => {
  let page: ModulesPage;
  beforeAll(async () => {
    page = await openModulesPage();
  }, 60_000);
  afterAll(() => page?.close());

  it("validates relaxed SIMD and agrees with the portable module within 1e-9 relative: revaluation, grid, Monte Carlo", async () => {
    expect(page.relaxedSimd).toBe(true);
    expectWithinTolerance(await page.compare(SPEC));
  }, 60_000);
});
