// Derive's portfolio margin from the command line: a PMRM_2 margin report, a portfolio
// case turned into pmargin's three Derive files, and a folder of cases run against the model.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createEngine, type Engine } from "../engine/engine.js";
import { InputError } from "../errors.js";
import { compareDerive, type DeriveComparison } from "../methods/derive/conformance.js";
import { deriveMargin } from "../methods/derive/pmrm2.js";
import type { DeriveMarginResult } from "../model/derive.js";
import { importDeriveCase } from "../schema/derive-case.js";
import { parseDeriveInputs } from "../schema/derive.js";
import { fmt, TerminalTable } from "./format.js";
import { recordedRun, type RecordFlags } from "./recorded.js";
import { readJsonFile } from "./run.js";
import { NOT_REPRODUCED } from "./verify.js";

/** Where the Derive suite is looked for when no folder is given: the workspace's shared vectors. */
export const DEFAULT_DERIVE_CASES = "../shared/vectors/derive-pmrm2";

const e = (x: number): string => x.toExponential(2);

/** `pmargin margin <portfolio> <market> --profile derive.json`: PMRM_2's IM and MM, each scenario and contingency. */
export async function deriveMarginCommand(portfolioPath: string, marketPath: string, profilePath: string, profileJson: unknown, flags: RecordFlags): Promise<void> {
  const recorded = { portfolio: await readJsonFile(portfolioPath), market: await readJsonFile(marketPath) };
  const spec = { command: "derive" as const, profile: profileJson };
  const parsed = parseDeriveInputs(recorded.portfolio, recorded.market, profileJson, { portfolio: portfolioPath, market: marketPath, profile: profilePath });
  const r = await recordedRun(await createEngine(), spec, { recorded, parsed }, flags);
  if (r) printDeriveMargin(r, portfolioPath);
}

function printDeriveMargin(r: DeriveMarginResult, name: string): void {
  console.log(`${name} — Derive PMRM_2 (${r.underlying}); margins are equity after the requirement: ≥ 0 passes`);
  const table = new TerminalTable({ head: ["scenario", "spot", "vol", "dampening", "PnL, USD"] });
  r.scenarios.forEach((s, i) => {
    const mark = r.worst.source === "scenario" && r.worst.index === i ? " ← worst" : "";
    table.push([`${s.kind} ${i}`, `×${+s.spotShock.toPrecision(6)}`, s.vol, `${+s.dampening.toPrecision(6)}`, fmt(s.pnl) + mark]);
  });
  table.push(["basis contingency", "", "", "", fmt(r.basisContingency) + (r.worst.source === "basisContingency" ? " ← worst" : "")]);
  console.log(table.toString());
  const c = r.contingencies;
  console.log(`Contingencies (USD): perp MM ${fmt(c.mmPerp)} IM ${fmt(c.imPerp)}; option MM ${fmt(c.mmOption)} IM ${fmt(c.imOption)}; ` +
    `collateral MM ${fmt(c.mmCollateral)} IM ${fmt(c.imCollateral)}; oracle ${fmt(c.oracle)}`);
  console.log(`Mark-to-market ${fmt(r.mtm)} USD (cash ${fmt(r.cash)}, options ${fmt(r.optionMtm)}, perp ${fmt(r.perpMtm)}, collateral ${fmt(r.collateralMtm)})`);
  console.log(`IM ${fmt(r.im)} USD (loss factor ${r.imFactor}), MM ${fmt(r.mm)} USD (loss factor ${r.mmFactor})`);
}

/** `pmargin import derive-case <case.json> --out dir`: the case's portfolio, market and profile in pmargin's Derive files. */
export async function importDeriveCaseCommand(casePath: string, opts: { out: string; underlying?: string }): Promise<void> {
  const c = importDeriveCase(await readJsonFile(casePath), opts.underlying ? { underlying: opts.underlying } : {}, casePath);
  await mkdir(opts.out, { recursive: true });
  for (const [name, data] of [["portfolio", c.portfolio], ["market", c.market], ["profile", c.profile]] as const) {
    await writeFile(join(opts.out, `${name}.json`), JSON.stringify(data, null, 2) + "\n");
  }
  console.log(`wrote ${["portfolio", "market", "profile"].map((n) => join(opts.out, `${n}.json`)).join(", ")}`);
  console.log(`run it: pmargin margin ${join(opts.out, "portfolio.json")} ${join(opts.out, "market.json")} --profile ${join(opts.out, "profile.json")}`);
}

export interface CaseOutcome {
  case: string;
  status: "pass" | "fail" | "invalid";
  comparison?: DeriveComparison;
  /** Why an invalid case was refused (the field and the rule). */
  reason?: string;
}

/** Runs one case file through the model and compares it with the figures it states. */
export function runDeriveCase(engine: Engine, name: string, input: unknown): CaseOutcome {
  try {
    const c = importDeriveCase(input, {}, name);
    if (!c.expected) throw new InputError("Result", "the case states no results to compare with", name);
    const { portfolio, market, profile } = parseDeriveInputs(c.portfolio, c.market, c.profile, { portfolio: name, market: name, profile: name });
    const comparison = compareDerive(deriveMargin(engine, portfolio, market, profile), c.expected);
    return { case: name, status: comparison.pass ? "pass" : "fail", comparison };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { case: name, status: "invalid", reason: error.message };
  }
}

/** `pmargin conformance derive [folder]`: every case of the folder, a table, exit 0 only when all pass. */
export async function conformanceCommand(suite: string, folder: string | undefined, opts: { json?: boolean }): Promise<void> {
  if (suite !== "derive") throw new InputError("suite", `unknown suite ${JSON.stringify(suite)}: the suites are: derive`);
  const dir = folder ?? DEFAULT_DERIVE_CASES;
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort((a, b) => caseNumber(a) - caseNumber(b) || a.localeCompare(b));
  } catch (error) {
    throw new InputError("folder", `cannot read ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (files.length === 0) throw new InputError("folder", `no case files (*.json) in ${dir}`);
  const engine = await createEngine();
  const outcomes: CaseOutcome[] = [];
  for (const f of files) outcomes.push(runDeriveCase(engine, f, await readJsonFile(join(dir, f))));
  const passed = outcomes.filter((o) => o.status === "pass").length;
  if (opts.json) {
    console.log(JSON.stringify({ suite, folder: dir, passed, cases: outcomes.length, outcomes }, null, 2));
  } else {
    const table = new TerminalTable({ head: ["case", "IM rel. error", "MM rel. error", "worst scenario error", "result"] });
    for (const o of outcomes) {
      const c = o.comparison;
      table.push(c
        ? [o.case, e(c.imError), e(c.mmError), `${e(c.worstScenario.error)} (#${c.worstScenario.index})`, o.status]
        : [o.case, "", "", "", "invalid input"]);
    }
    console.log(table.toString());
    for (const o of outcomes) if (o.reason) console.log(`${o.case}: ${o.reason}`);
    console.log(`${passed} of ${outcomes.length} cases pass at the authors' tolerance (1e-8 relative; 1e-8 absolute below 1e-10)`);
  }
  if (passed !== outcomes.length) process.exitCode = NOT_REPRODUCED;
}

/** Cases are numbered (test_12_…): listed in that order. */
const caseNumber = (file: string): number => Number(/^test_(\d+)_/.exec(file)?.[1] ?? Number.MAX_SAFE_INTEGER);
