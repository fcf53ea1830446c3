import { cliEngine } from "./engine.js";
import { InputError } from "../errors.js";
import { DEFAULT_MODEL, type MonteCarloModelInput } from "../model/montecarlo.js";
import type { MonteCarloResult } from "../methods/montecarlo/montecarlo.js";
import { splitInputOf } from "../runs/registry.js";
import { parseMonteCarloModel } from "../schema/montecarlo.js";
import { diversificationLines, estimates, fmt, pct, sig, signed, TerminalTable } from "./format.js";
import { progressBar } from "./progress.js";
import { queueMonteCarlo, type QueueMonteCarloOptions } from "./queue.js";
import { readPortfolioInputs, recordedRun } from "./recorded.js";
import { number, readJsonFile } from "./run.js";
import { splitRun, workersFor } from "./workers.js";

export interface VarCommandOptions extends QueueMonteCarloOptions {
  model?: string;
  paths?: string;
  seed?: string;
  varLevel?: string;
  esLevel?: string;
  horizonDays?: string;
  horizonHours?: string;
  workers?: string;
  attribution?: boolean;
  json?: boolean;
}

export async function varCommand(portfolioPath: string, marketPath: string, opts: VarCommandOptions): Promise<void> {
  const inputs = await readPortfolioInputs(portfolioPath, marketPath);
  const { portfolio, market } = inputs.parsed;
  // A copy: the flags below override the file's (parsed, so frozen) fields.
  const model: MonteCarloModelInput = opts.model ? { ...parseMonteCarloModel(await readJsonFile(opts.model), opts.model) } : {};
  if (opts.paths !== undefined) model.paths = wholeNumber("--paths", opts.paths);
  if (opts.seed !== undefined) model.seed = wholeNumber("--seed", opts.seed);
  if (opts.varLevel || opts.esLevel) {
    model.levels = {
      ...model.levels,
      ...(opts.varLevel ? { var: opts.varLevel.split(",").map((x) => number("--var-level", x)) } : {}),
      ...(opts.esLevel ? { es: opts.esLevel.split(",").map((x) => number("--es-level", x)) } : {}),
    };
  }
  if (opts.horizonDays !== undefined && opts.horizonHours !== undefined) throw new InputError("--horizon-hours", "give the horizon in days or in hours, not both");
  if (opts.horizonDays !== undefined) model.horizon = { days: number("--horizon-days", opts.horizonDays) };
  if (opts.horizonHours !== undefined) model.horizon = { hours: number("--horizon-hours", opts.horizonHours) };
  const bar = progressBar("paths");
  const progress = bar.onProgress ? { onProgress: bar.onProgress } : {};
  const workers = workersFor(opts.workers, portfolio.positions.length * (model.paths ?? DEFAULT_MODEL.paths));
  if (opts.queue !== undefined && opts.workers !== undefined) throw new InputError("--workers", "give --workers or --queue, not both");
  const engine = await cliEngine();
  // Every way gives the same bits, so the record is the same.
  const spec = { command: "monte-carlo", model } as const;
  const input = splitInputOf(spec, inputs.parsed);
  const result = await recordedRun(engine, spec, inputs, opts, () =>
    opts.queue !== undefined ? queueMonteCarlo(input, opts.queue, opts) : splitRun(engine, "monte-carlo", input, workers, { ...progress, market }));
  bar.stop();
  if (!result) return;
  console.log(report(portfolio.name ?? portfolioPath, result));
  if (opts.attribution) console.log(attribution(result));
}

/** Each position's share of the ES (Euler allocation over the tail paths), largest first; they sum to the ES. */
function attribution(r: MonteCarloResult): string {
  const { level, positions } = r.contributions;
  const total = positions.reduce((a, p) => a + p.esUsd, 0);
  const table = new TerminalTable({ head: ["position", "underlying", `ES ${pct(level)} contribution, USD`, "share"] });
  for (const p of [...positions].sort((a, b) => b.esUsd - a.esUsd)) table.push([p.id, p.underlying, fmt(p.esUsd), pct(p.esUsd / total)]);
  return `ES attribution (negative: the position offsets the tail):\n${table.toString()}\nSum of contributions ${fmt(total)} USD`;
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new InputError(flag, `must be a whole number, got ${JSON.stringify(text)}`);
  return n;
}

function report(name: string, r: MonteCarloResult): string {
  const lines: string[] = [];
  const marginal = r.marginal.type === "normal" ? "Gaussian" : `Student-t ν=${r.marginal.nu}`;
  lines.push(`${name} — Monte Carlo VaR/ES over ${r.horizonDays * 24 >= 24 ? `${+r.horizonDays.toFixed(3)} day(s)` : `${+(r.horizonDays * 24).toFixed(3)} hour(s)`}, ` +
    `${r.paths.toLocaleString("en-US")} paths, seed ${r.seed}, ${marginal} moves${r.jumps ? " with jumps" : ""}, full revaluation`);
  lines.push(`Portfolio (USD): ${estimates(r.portfolio).join(", ")}   (± one standard error)`);
  const table = new TerminalTable({ head: ["underlying", "vol", "vol of vol", "spot-vol ρ", "standalone, USD", "coin-settled book, in coin"] });
  for (const u of r.underlyings) {
    const d = u.dynamics;
    table.push([
      u.underlying, `${pct(d.vol)} (${d.volSource})`, pct(d.volOfVol), d.spotVolCorrelation.toFixed(2),
      estimates(u.usd).join("\n"), u.coin ? estimates(u.coin).map((s) => `${s} ${u.underlying}`).join("\n") : "—",
    ]);
  }
  lines.push(table.toString());
  lines.push(...diversificationLines(r.diversification));
  const c = r.correlation;
  if (c.repair) {
    lines.push(`Correlation was not positive semi-definite (min eigenvalue ${sig(c.repair.minEigenvalueBefore)}): replaced by the nearest ` +
      `correlation matrix, Frobenius change ${sig(c.repair.frobeniusChange)}, largest entry change ${sig(c.repair.maxAbsChange)}`);
  }
  if (r.worst.length > 0) {
    lines.push("Worst paths:");
    const worst = new TerminalTable({ head: ["path", "loss, USD", ...r.underlyings.map((u) => `${u.underlying} move / vol shift`)] });
    for (const w of r.worst) {
      worst.push([String(w.path), fmt(w.lossUsd), ...w.moves.map((m) => `${signed(m.move)} / ${signed(m.volShift)}`)]);
    }
    lines.push(worst.toString());
  }
  return lines.join("\n");
}
