import { cliEngine } from "./engine.js";
import { outlierWarning } from "./history.js";
import { progressBar } from "./progress.js";
import { InputError } from "../errors.js";
import type { VolRule } from "../methods/historical/historical.js";
import { needHistory, splitInputOf } from "../runs/registry.js";
import { diversificationLines, estimates, fmt, signed, TerminalTable } from "./format.js";
import { readPortfolioInputs, recordedRun, withHistoryOf } from "./recorded.js";
import { number } from "./run.js";
import { splitRun, workersFor } from "./workers.js";

export interface HistoricalCommandOptions {
  history?: string[];
  from?: string;
  to?: string;
  strict?: boolean;
  horizonDays: string;
  nonOverlapping?: boolean;
  filtered?: boolean;
  lambda: string;
  volRule: string;
  workers?: string;
  json?: boolean;
}

export async function historicalCommand(portfolioPath: string, marketPath: string, opts: HistoricalCommandOptions): Promise<void> {
  const given = await readPortfolioInputs(portfolioPath, marketPath);
  const { portfolio, market } = given.parsed;
  if (opts.volRule !== "unchanged" && opts.volRule !== "realised") throw new InputError("--vol-rule", `must be unchanged or realised, got ${opts.volRule}`);
  const options = {
    ...(opts.from ? { from: opts.from } : {}),
    ...(opts.to ? { to: opts.to } : {}),
    ...(opts.strict ? { strict: true } : {}),
    horizonDays: number("--horizon-days", opts.horizonDays),
    overlapping: !opts.nonOverlapping,
    filtered: opts.filtered ?? false,
    lambda: number("--lambda", opts.lambda),
    volRule: opts.volRule as VolRule,
  };
  const engine = await cliEngine();
  const spec = { command: "historical", options } as const;
  const inputs = await withHistoryOf(spec, given, opts.history);
  // A window starts on every day of the longest series at most.
  const days = Math.max(0, ...needHistory(inputs.parsed).map((s) => s.times.length));
  const workers = workersFor(opts.workers, portfolio.positions.length * days);
  // Every way gives the same bits, so the record is the same.
  const bar = progressBar("windows");
  const r = await recordedRun(engine, spec, inputs, opts, () =>
    splitRun(engine, "historical", splitInputOf(spec, inputs.parsed), workers, { market, ...(bar.onProgress ? { onProgress: bar.onProgress } : {}) }));
  bar.stop();
  if (!r) return;
  const lines = [
    `${portfolio.name ?? portfolioPath} — ${r.method === "filtered-historical" ? `filtered historical (EWMA λ ${r.lambda})` : "historical"} VaR/ES, ` +
      `${r.horizonDays}-day ${r.overlapping ? "overlapping" : "non-overlapping"} windows ${r.period.from} … ${r.period.to} ` +
      `(${r.windows} windows, ${r.skipped} skipped), vols ${r.volRule}, full revaluation`,
    `Portfolio (USD): ${estimates(r.portfolio).join(", ")}   (± one standard error; overlapping windows are dependent)`,
  ];
  const table = new TerminalTable({ head: ["underlying", "standalone, USD", "coin-settled book, in coin"] });
  for (const u of r.underlyings) {
    table.push([u.underlying, estimates(u.usd).join("\n"), u.coin ? estimates(u.coin).map((s) => `${s} ${u.underlying}`).join("\n") : "—"]);
  }
  lines.push(table.toString(), ...diversificationLines(r.diversification), "Worst windows:");
  const worst = new TerminalTable({ head: ["window", "loss, USD", ...r.underlyings.map((u) => `${u.underlying} move / vol shift`)] });
  for (const w of r.worst) worst.push([`${w.start} → ${w.end}`, fmt(w.lossUsd), ...w.moves.map((m) => `${signed(m.move)} / ${signed(m.volShift)}`)]);
  lines.push(worst.toString());
  for (const o of r.history.outliers ?? []) lines.push(outlierWarning(o));
  if (r.history.gaps.length > 0) lines.push(`History gaps (not filled; windows across them skipped): ${r.history.gaps.map((g) => `${g.from} → ${g.to}`).join(", ")}`);
  console.log(lines.join("\n"));
}
