import { cliEngine } from "./engine.js";
import { outlierWarning } from "./history.js";
import { InputError } from "../errors.js";
import { backtest, DEFAULT_BACKTEST_MODELS } from "../methods/backtest/backtest.js";
import type { VolRule } from "../methods/historical/historical.js";
import { fmt, pct, TerminalTable } from "./format.js";
import { progressBar } from "./progress.js";
import { needHistory } from "../runs/registry.js";
import { readPortfolioInputs, recordedRun, withHistoryOf } from "./recorded.js";
import { number } from "./run.js";

export interface BacktestCommandOptions {
  history?: string[];
  from?: string;
  to?: string;
  strict?: boolean;
  level: string;
  lookback: string;
  paths: string;
  volRule: string;
  json?: boolean;
}

export async function backtestCommand(portfolioPath: string, marketPath: string, opts: BacktestCommandOptions): Promise<void> {
  const given = await readPortfolioInputs(portfolioPath, marketPath);
  const { portfolio, marketData } = given.parsed;
  if (opts.volRule !== "unchanged" && opts.volRule !== "realised") throw new InputError("--vol-rule", `must be unchanged or realised, got ${opts.volRule}`);
  const paths = number("--paths", opts.paths);
  const options = {
    ...(opts.from ? { from: opts.from } : {}),
    ...(opts.to ? { to: opts.to } : {}),
    ...(opts.strict ? { strict: true } : {}),
    level: number("--level", opts.level),
    lookbackDays: number("--lookback", opts.lookback),
    volRule: opts.volRule as VolRule,
    models: DEFAULT_BACKTEST_MODELS.map((m) => (m.method === "monte-carlo" ? { ...m, model: { ...m.model, paths } } : m)),
  };
  const spec = { command: "backtest", options } as const;
  const inputs = await withHistoryOf(spec, given, opts.history);
  const bar = progressBar("test days");
  // The same run as recorded, with a progress bar on a terminal.
  const engine = await cliEngine();
  const r = await recordedRun(engine, spec, inputs, opts, () =>
    backtest(engine, portfolio.positions, marketData, needHistory(inputs.parsed), { ...options, ...(bar.onProgress ? { onProgress: bar.onProgress } : {}) }));
  bar.stop();
  if (!r) return;
  console.log(`${portfolio.name ?? portfolioPath} — backtest of ${pct(r.level)} ${r.horizonDays}-day margin, ${r.period.from} … ${r.period.to} ` +
    `(${r.testDays} days, ${r.lookbackDays}-day lookback, vols ${r.volRule}); expected breaches ${(r.testDays * (1 - r.level)).toFixed(1)}`);
  const table = new TerminalTable({
    head: ["model", "breaches", "rate", "Kupiec LR (p)", "Christoffersen LR ind (p)", "cond. coverage p", "Basel, last 250 d", "avg margin, USD"],
  });
  for (const m of r.models) {
    table.push([
      m.name, String(m.breaches), pct(m.breaches / r.testDays),
      `${m.kupiec.lr.toFixed(2)} (${m.kupiec.pValue.toFixed(3)})${m.kupiec.reject ? " reject" : ""}`,
      `${m.christoffersen.lrInd.toFixed(2)} (${m.christoffersen.pValueInd.toFixed(3)})`,
      `${m.christoffersen.pValueCc.toFixed(3)}${m.christoffersen.reject ? " reject" : ""}`,
      `${m.trafficLight.zone} (${m.trafficLight.breaches})`, fmt(m.averageMarginUsd),
    ]);
  }
  console.log(table.toString());
  for (const m of r.models) if (m.breaches > 0) console.log(`${m.name} breached on ${m.breachDates.join(", ")}`);
  for (const o of r.outliers ?? []) console.log(outlierWarning(o));
}
