// The Derive commands end to end (issue 22): a case imported into pmargin's three Derive files,
// margined through `pmargin margin --profile <file>` with a verifiable record, and
// `pmargin conformance derive` on a folder of cases. The case here is our own, written in
// the suite's format (tests/fixtures/derive/case-format.json).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pmargin } from "../helpers/cli.js";
import { createEngine } from "../../src/engine/engine.js";
import { deriveMargin } from "../../src/methods/derive/pmrm2.js";
import { builtInDeriveProfile, parseDeriveInputs } from "../../src/schema/derive.js";

const fixture = new URL("../fixtures/derive/case-format.json", import.meta.url).pathname;
const examples = new URL("../../examples/derive/", import.meta.url).pathname;

const tmp = mkdtempSync(join(tmpdir(), "pmargin-derive-"));

describe("pmargin import derive-case → margin → verify", () => {
  it("writes the three files, which margin as Derive's PMRM_2 and verify bit for bit", () => {
    const out = join(tmp, "case");
    const imported = pmargin("import", "derive-case", fixture, "--out", out, "--underlying", "BTC");
    expect(imported.code, imported.stderr).toBe(0);
    const market = JSON.parse(readFileSync(join(out, "market.json"), "utf8"));
    expect(market.asOf).toBe("2021-08-26T17:46:40.000Z");
    expect(market.expiries[0].expiry).toBe("2021-09-09T17:46:40.000Z");
    const margin = pmargin("margin", join(out, "portfolio.json"), join(out, "market.json"), "--profile", join(out, "profile.json"), "--json");
    expect(margin.code, margin.stderr).toBe(0);
    const result = JSON.parse(margin.stdout);
    expect(result.underlying).toBe("BTC");
    expect(result.scenarios).toHaveLength(5);
    expect(result.scenarios.map((s: { kind: string }) => s.kind)).toEqual(["regular", "regular", "regular", "tail", "skew"]);
    expect(result.reproducibility.run.command).toBe("derive");
    writeFileSync(join(tmp, "result.json"), margin.stdout);
    const verified = pmargin("verify", join(tmp, "result.json"));
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/verified/);
  });

  it("prints each scenario, the contingencies and IM/MM for the example", () => {
    const r = pmargin("margin", `${examples}portfolio.json`, `${examples}market.json`, "--profile", `${examples}profile.json`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Derive PMRM_2 \(ETH\)/);
    expect(r.stdout).toMatch(/skew 30 .* abs/);
    expect(r.stdout).toMatch(/IM [\d,.-]+ USD \(loss factor 1\), MM [\d,.-]+ USD \(loss factor 0\.8\)/);
  });

  it("--profile derive runs the built-in profile (Derive's deployment parameters), the same as the library", async () => {
    // The example's portfolio without its collateral, which the built-in profile has no haircuts for.
    const noCollateral = { ...JSON.parse(readFileSync(`${examples}portfolio.json`, "utf8")), collaterals: [] };
    writeFileSync(join(tmp, "no-collateral.json"), JSON.stringify(noCollateral));
    const r = pmargin("margin", join(tmp, "no-collateral.json"), `${examples}market.json`, "--profile", "derive", "--json");
    expect(r.code, r.stderr).toBe(0);
    const cli = JSON.parse(r.stdout);
    const profile = builtInDeriveProfile();
    const { portfolio, market } = parseDeriveInputs(noCollateral, JSON.parse(readFileSync(`${examples}market.json`, "utf8")), profile);
    const lib = deriveMargin(await createEngine(), portfolio, market, profile);
    expect(cli.im).toBe(lib.im);
    expect(cli.mm).toBe(lib.mm);
    expect(cli.scenarios).toHaveLength(33);
    expect(cli.reproducibility.run.profile.source).toMatch(/config-mainnet\.sol/);
    // The example's own profile (the suite's parameters) asks for a different margin.
    const own = JSON.parse(pmargin("margin", join(tmp, "no-collateral.json"), `${examples}market.json`, "--profile", `${examples}profile.json`, "--json").stdout);
    expect(own.im).not.toBe(lib.im);
  });

  it("--profile derive refuses collateral the built-in profile has no parameters for, by name (exit 2)", () => {
    const withCollateral = JSON.parse(readFileSync(`${examples}portfolio.json`, "utf8"));
    writeFileSync(join(tmp, "collateral.json"), JSON.stringify({ ...withCollateral, collaterals: [{ asset: "ETH", amount: 1 }] }));
    const r = pmargin("margin", join(tmp, "collateral.json"), `${examples}market.json`, "--profile", "derive");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/collaterals\[0\]\.asset.*ETH is not a collateral of the profile/);
  });

  it("a bad case field is named (exit 2)", () => {
    const bad = JSON.parse(readFileSync(fixture, "utf8"));
    bad.Scenario.Options[0].Strike = "abc";
    writeFileSync(join(tmp, "bad.json"), JSON.stringify(bad));
    const r = pmargin("import", "derive-case", join(tmp, "bad.json"), "--out", join(tmp, "bad"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Scenario\.Options\[0\]\.Strike/);
  });
});

describe("pmargin conformance derive", () => {
  /** The fixture with the figures the model gives it as its Result, so that it passes; `tamper` then breaks one. */
  function caseFolder(name: string, tamper?: (c: { Result: { IM: number } }) => void): string {
    const dir = join(tmp, name);
    const out = join(dir, "files");
    pmargin("import", "derive-case", fixture, "--out", out);
    const m = JSON.parse(pmargin("margin", join(out, "portfolio.json"), join(out, "market.json"), "--profile", join(out, "profile.json"), "--json").stdout);
    const pnl = (kind: string) => m.scenarios.filter((s: { kind: string }) => s.kind === kind).map((s: { pnl: number }) => [0, 0, String(s.pnl)]);
    const c = JSON.parse(readFileSync(fixture, "utf8"));
    c.Result = { reg_losses: pnl("regular"), tail_losses: pnl("tail"), skew_losses: pnl("skew").map((x: unknown[]) => ["LINEAR", x[2]]), IM: m.im, MM: m.mm };
    tamper?.(c);
    writeFileSync(join(dir, "test_1_own.json"), JSON.stringify(c));
    return dir;
  }

  it("prints a table and exits 0 when every case passes", () => {
    const r = pmargin("conformance", "derive", caseFolder("passing"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/test_1_own\.json .* pass/);
    expect(r.stdout).toMatch(/1 of 1 cases pass/);
  });

  it("exits 3 and says which figure is off when a case fails; --json gives the errors", () => {
    const dir = caseFolder("failing", (c) => { c.Result.IM *= 1 + 1e-6; });
    const r = pmargin("conformance", "derive", dir, "--json");
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.passed).toBe(0);
    expect(report.outcomes[0].comparison.imError).toBeGreaterThan(9e-7);
    expect(report.outcomes[0].comparison.mmError).toBeLessThanOrEqual(1e-8);
  });

  it("an unknown suite or an empty folder is the user's mistake (exit 2)", () => {
    expect(pmargin("conformance", "paradex", tmp).code).toBe(2);
    expect(pmargin("conformance", "derive", join(tmp, "nowhere")).code).toBe(2);
  });
});
