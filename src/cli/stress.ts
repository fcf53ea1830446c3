import { cliEngine } from "./engine.js";
import { builtInStressScenarios } from "../methods/stress/stress.js";
import type { StressScenario } from "../model/stress.js";
import { parseStressScenarios } from "../schema/stress.js";
import { fmt, signed, TerminalTable } from "./format.js";
import { readPortfolioInputs, recordedRun, withHistoryOf } from "./recorded.js";
import { readJsonFile } from "./run.js";

export interface StressCommandOptions {
  scenarios?: string;
  builtIn: boolean;
  history?: string[];
  perPosition?: boolean;
  json?: boolean;
}

export async function stressCommand(portfolioPath: string, marketPath: string, opts: StressCommandOptions): Promise<void> {
  const given = await readPortfolioInputs(portfolioPath, marketPath);
  const { portfolio } = given.parsed;
  const scenarios: StressScenario[] = [
    ...(opts.builtIn ? builtInStressScenarios() : []),
    ...(opts.scenarios ? parseStressScenarios(await readJsonFile(opts.scenarios), opts.scenarios) : []),
  ];
  const spec = { command: "stress", scenarios } as const;
  const inputs = await withHistoryOf(spec, given, opts.history);
  const engine = await cliEngine();
  const out = await recordedRun(engine, spec, inputs, opts);
  if (!out) return;
  const { results } = out;
  const names = results[0]?.underlyings.map((u) => u.underlying) ?? [];
  const table = new TerminalTable({ head: ["scenario", "days", "PnL, USD", ...names.map((u) => `${u} move / vol shift`)] });
  for (const r of results) {
    table.push([r.name, String(+r.horizonDays.toFixed(3)), fmt(r.pnlUsd), ...r.underlyings.map((m) => `${signed(m.move)} / ${signed(m.volShift)}${m.source.startsWith("proxy") ? " (proxy)" : ""}`)]);
  }
  console.log(`${portfolio.name ?? portfolioPath} — stress tests, full revaluation`);
  console.log(table.toString());
  const worst = results.reduce((a, r) => (r.pnlUsd < a.pnlUsd ? r : a), results[0]!);
  console.log(`Worst: ${worst.name}, ${fmt(worst.pnlUsd)} USD`);
  if (opts.perPosition) {
    const rows = new TerminalTable({ head: ["position", ...results.map((r) => r.name)] });
    results[0]!.positions.forEach((p, k) => rows.push([p.id, ...results.map((r) => fmt(r.positions[k]!.pnlUsd))]));
    console.log(rows.toString());
  }
}
