// `pmargin bybit` end to end on the shipped example: the table, a verifiable --json record whose
// figures are the library's, and a profile without a bybit section refused with the flag named.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { prepareInputs } from "../src/market/inputs.js";
import { bybitMargin } from "../src/methods/bybit/pm.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { pmargin } from "./helpers/cli.js";

const dir = new URL("../examples/bybit/", import.meta.url).pathname;
const read = (f: string): unknown => JSON.parse(readFileSync(join(dir, f), "utf8"));
const tmp = mkdtempSync(join(tmpdir(), "pmargin-bybit-"));
let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

describe("pmargin bybit", () => {
  const files = [`${dir}portfolio.json`, `${dir}market.json`];

  it("prints each base coin's assetMM and assetIM; --json is the library's result and verifies bit for bit", () => {
    const text = pmargin("bybit", ...files);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/BTC .* -10\.0% IV \+24\.0%/);
    const json = pmargin("bybit", ...files, "--json");
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    const { portfolio, market } = prepareInputs(read("portfolio.json"), read("market.json"));
    const lib = bybitMargin(engine, portfolio.positions, market, { profile: builtInProfile("bybit") });
    expect(result.accountMM).toBe(lib.accountMM);
    expect(result.accountIM).toBe(lib.accountIM);
    expect(text.stdout).toContain(`accountMM ${lib.accountMM.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USD`);
    expect(result.reproducibility.run.command).toBe("bybit");
    writeFileSync(join(tmp, "result.json"), json.stdout);
    const verified = pmargin("verify", join(tmp, "result.json"));
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it("refuses a profile without a bybit section (exit 2, the flag named)", () => {
    const r = pmargin("bybit", ...files, "--profile", "okx");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--profile: okx has no bybit section/);
  });
});
