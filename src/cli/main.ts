#!/usr/bin/env node
// The pmargin command line: a thin shell over the library. User mistakes exit 2
// with one line naming the file and field; anything else is an internal error (1).
import { Command } from "commander";
import { run } from "./run.js";
import { gridCommand, type GridCommandOptions } from "./grid.js";
import { valueCommand } from "./value.js";
import { varCommand, type VarCommandOptions } from "./montecarlo.js";

const program = new Command()
  .name("pmargin")
  .description("Portfolio margin and risk for crypto derivatives (SIMD WebAssembly core)")
  .showHelpAfterError();

program
  .command("value")
  .description("value a portfolio now: per-position value, Greeks, totals per underlying")
  .argument("<portfolio>", "portfolio JSON file")
  .argument("<market>", "market data JSON file")
  .option("--json", "machine-readable JSON output")
  .action((portfolio: string, market: string, opts: { json?: boolean }) => run(() => valueCommand(portfolio, market, opts)));

program
  .command("grid")
  .description("scenario-grid (risk-matrix) margin: initial and maintenance, per underlying, against single-position margin")
  .argument("<portfolio>", "portfolio JSON file")
  .argument("<market>", "market data JSON file")
  .option("-p, --profile <name|file.json>", "deribit, paradex, bybit, okx, span, or a profile file", "deribit")
  .option("--matrix", "print each underlying's risk matrix (PnL per move and vol state)")
  .option("--per-position", "with --json: each position's PnL per scenario")
  .option("--json", "machine-readable JSON output")
  .action((portfolio: string, market: string, opts: GridCommandOptions) => run(() => gridCommand(portfolio, market, opts)));

program
  .command("var")
  .description("Monte Carlo VaR and Expected Shortfall: correlated fat-tailed paths, full revaluation, per underlying")
  .argument("<portfolio>", "portfolio JSON file")
  .argument("<market>", "market data JSON file")
  .option("-m, --model <file.json>", "Monte Carlo model (defaults: 100,000 paths, 1 day, Student-t ν=5, 99% VaR, 97.5% ES)")
  .option("--paths <n>", "number of paths (overrides the model)")
  .option("--seed <n>", "seed (overrides the model)")
  .option("--json", "machine-readable JSON output")
  .action((portfolio: string, market: string, opts: VarCommandOptions) => run(() => varCommand(portfolio, market, opts)));

program.parseAsync().catch((error: unknown) => {
  console.error(`pmargin: internal error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
