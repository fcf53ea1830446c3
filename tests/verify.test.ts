// Verifiable results: a result's reproducibility record re-runs to the same bits,
// and any change to a figure or to the inputs is caught.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { canonicalJson, record, runRecorded, verify, type RecordedInputs, type RunSpec } from "../src/verify/reproducibility.js";
import { VERSION } from "../src/version.js";

const examples = new URL("../examples/", import.meta.url).pathname;
const read = (name: string): unknown => JSON.parse(readFileSync(join(examples, name), "utf8"));
const inputs: RecordedInputs = { portfolio: read("portfolio.json"), market: read("market.json") };

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

describe("reproducibility records", () => {
  const run: RunSpec = { command: "monte-carlo", model: { paths: 4_000, seed: 17 } };

  it("name the package version (package.json's), the WASM digest, the run and the inputs' digest", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const rec = await record(engine, run, inputs);
    expect(rec.pmargin).toBe(VERSION);
    expect(rec.wasmSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rec.inputsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rec.run).toEqual(run);
  });

  it("a saved result re-runs to every figure, bit for bit", async () => {
    const saved = JSON.parse(JSON.stringify({ ...(runRecorded(engine, run, inputs) as object), reproducibility: await record(engine, run, inputs) }));
    await expect(verify(engine, saved)).resolves.toEqual({ identical: true, notes: [] });
  });

  it("a figure changed in the last bit is caught, with its path", async () => {
    const saved = JSON.parse(JSON.stringify({ ...(runRecorded(engine, run, inputs) as object), reproducibility: await record(engine, run, inputs) }));
    const v = saved.portfolio.var[0].value as number;
    saved.portfolio.var[0].value = v + Math.abs(v) * Number.EPSILON;
    const out = await verify(engine, saved);
    expect(out.identical).toBe(false);
    expect(out.difference).toMatch(/^portfolio\.var\[0\]\.value: saved /);
  });

  it("edited inputs no longer match their digest: refused", async () => {
    const saved = JSON.parse(JSON.stringify({ ...(runRecorded(engine, run, inputs) as object), reproducibility: await record(engine, run, inputs) }));
    saved.reproducibility.inputs.portfolio.positions[0].quantity *= 2;
    await expect(verify(engine, saved)).rejects.toThrow(InputError);
  });

  it("canonical JSON does not depend on key order, and keeps every double exactly", () => {
    expect(canonicalJson({ b: 1, a: { d: [0.1 + 0.2], c: 2 } })).toBe(canonicalJson({ a: { c: 2, d: [0.30000000000000004] }, b: 1 }));
    expect(JSON.parse(canonicalJson({ x: Float64Array.of(Math.PI) })).x[0]).toBe(Math.PI);
  });
});

describe("pmargin verify", () => {
  const cli = new URL("../dist/cli/main.js", import.meta.url).pathname;
  const tmp = mkdtempSync(join(tmpdir(), "pmargin-verify-"));
  const pmargin = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

  it.each([
    ["mc", "--paths", "3000", "--seed", "8"],
    ["grid", "--profile", "okx"],
    ["stress", "--scenarios", `${examples}stress.json`],
    ["whatif", "--orders", `${examples}orders.json`],
    ["backtest", "--from", "2026-01-01", "--lookback", "120", "--paths", "300"],
  ])("confirms a saved %s result and exits 3 naming the first figure that differs once one is changed", (...args) => {
    const out = pmargin(args[0]!, `${examples}portfolio.json`, `${examples}market.json`, ...args.slice(1), "--json");
    expect(out.status).toBe(0);
    const file = join(tmp, `${args[0]}.json`);
    writeFileSync(file, out.stdout);
    const ok = pmargin("verify", file);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/verified: .* bit for bit/);
    const saved = JSON.parse(out.stdout) as Record<string, unknown>;
    const tampered = JSON.stringify(saved).replace(/("initial":|"value":|"pnlUsd":|"marginUsd":)(-?\d+\.\d+)/, (_, k: string, x: string) => `${k}${Number(x) + 1}`);
    expect(tampered).not.toBe(JSON.stringify(saved));
    writeFileSync(file, tampered);
    const bad = pmargin("verify", file);
    expect(bad.status).toBe(3);
    expect(bad.stdout).toMatch(/NOT reproduced: .*: saved .*, now /);
  });

  it("confirms a saved account result (its collateral, add-ons and venues), and exits 3 once a figure is changed", () => {
    const out = pmargin("account", `${examples}account.json`, `${examples}market.json`, "--no-distance", "--json");
    expect(out.status).toBe(0);
    const file = join(tmp, "account.json");
    writeFileSync(file, out.stdout);
    expect(pmargin("verify", file).status).toBe(0);
    const saved = JSON.parse(out.stdout) as { equity: number; reproducibility: { run: { command: string } } };
    expect(saved.reproducibility.run.command).toBe("account");
    writeFileSync(file, JSON.stringify({ ...saved, equity: saved.equity * (1 + Number.EPSILON) }));
    const bad = pmargin("verify", file);
    expect(bad.status).toBe(3);
    expect(bad.stdout).toMatch(/NOT reproduced: equity: saved /);
  });

  it("a file without a record exits 2 saying what is missing", () => {
    const file = join(tmp, "plain.json");
    writeFileSync(file, JSON.stringify({ initial: 1 }));
    const r = pmargin("verify", file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/reproducibility: not a pmargin result with a reproducibility record/);
  });
});
