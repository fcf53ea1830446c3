// `pmargin okx` end to end on the shipped example (OKX's published position-builder book): the
// table, a verifiable --json record whose figures are the library's and OKX's, and a profile
// without an okx section refused with the flag named.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { prepareInputs } from "../src/market/inputs.js";
import { okxMargin } from "../src/methods/okx/pm.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { pmargin } from "./helpers/cli.js";

const dir = new URL("../examples/okx/", import.meta.url).pathname;
const read = (f: string): unknown => JSON.parse(readFileSync(join(dir, f), "utf8"));
const tmp = mkdtempSync(join(tmpdir(), "pmargin-okx-"));
let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

describe("pmargin okx", () => {
  const files = [`${dir}portfolio.json`, `${dir}market.json`];

  it("prints each risk unit's mmr and imr; --json is the library's result (OKX's published figures) and verifies bit for bit", () => {
    const text = pmargin("okx", ...files);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/derivatives MMR 1,375\.48 USD, IMR 1,788\.13 USD/);
    const json = pmargin("okx", ...files, "--json");
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    const { portfolio, market } = prepareInputs(read("portfolio.json"), read("market.json"));
    const lib = okxMargin(engine, portfolio.positions, market, { profile: builtInProfile("okx") });
    expect(result.derivMmr).toBe(lib.derivMmr);
    // OKX's derivMmr in its position-builder response example (the example's inputs are rounded to the published digits).
    expect(Math.abs(result.derivMmr - 1375.4837063088003) / 1375.4837063088003).toBeLessThan(1e-9);
    expect(result.reproducibility.run.command).toBe("okx");
    writeFileSync(join(tmp, "result.json"), json.stdout);
    const verified = pmargin("verify", join(tmp, "result.json"));
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it("refuses a profile without an okx section (exit 2, the flag named)", () => {
    const r = pmargin("okx", ...files, "--profile", "deribit");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--profile: deribit has no okx section/);
  });
});
