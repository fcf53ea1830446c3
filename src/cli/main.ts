#!/usr/bin/env node
// The pmargin command line: a thin shell over the library. User mistakes exit 2
// with one line naming the file and field; anything else is an internal error (1).
import { Command } from "commander";
import { run } from "./run.js";
import { gridCommand, type GridCommandOptions } from "./grid.js";
import { valueCommand } from "./value.js";
import { varCommand, type VarCommandOptions } from "./montecarlo.js";
import { historicalCommand, type HistoricalCommandOptions } from "./historical.js";
import { stressCommand, type StressCommandOptions } from "./stress.js";
import { backtestCommand, type BacktestCommandOptions } from "./backtest.js";
import { HISTORY_OPTION } from "./history.js";
import { hedgeCommand, marginCommand, whatIfCommand, type MarginCommandOptions } from "./margin.js";
import { batchCommand, type BatchCommandOptions } from "./batch.js";
import { workerCommand, type WorkerCommandOptions } from "./queue.js";
import { verifyCommand } from "./verify.js";
import { watchCommand, type WatchCommandOptions } from "./watch.js";
import { accountCommand, type AccountCommandOptions } from "./account.js";
import { registerImport } from "./import.js";

// A reader that stops early (`pmargin watch … | head`) closes the pipe: that ends the command, quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

const program = new Command()
  .name("pmargin")
  .description("Portfolio margin and risk for crypto derivatives (SIMD WebAssembly core)")
  .showHelpAfterError();

/** A subcommand on a portfolio and a market, the two inputs every command takes. */
const onPortfolio = (name: string, description: string): Command =>
  program.command(name).description(description)
    .argument("<portfolio>", "portfolio JSON file")
    .argument("<market>", "market data JSON file");

onPortfolio("value", "value a portfolio now: per-position value, Greeks, totals per underlying")
  .option("--json", "machine-readable JSON output")
  .action((portfolio: string, market: string, opts: { json?: boolean }) => run(() => valueCommand(portfolio, market, opts)));

onPortfolio("grid", "scenario-grid (risk-matrix) margin: initial and maintenance, per underlying, against single-position margin")
  .option("-p, --profile <name|file.json>", "deribit, paradex, bybit, okx, span, or a profile file", "deribit")
  .option("--matrix", "print each underlying's risk matrix (PnL per move and vol state)")
  .option("--greeks", "also the delta–gamma–vega approximation of each scenario against full revaluation")
  .option("--attribution", "also each position's share of its underlying's worst loss and its marginal margin")
  .option("--per-position", "with --json: each position's PnL per scenario")
  .option("--json", "machine-readable JSON output")
  .action((portfolio: string, market: string, opts: GridCommandOptions) => run(() => gridCommand(portfolio, market, opts)));

onPortfolio("var", "Monte Carlo VaR and Expected Shortfall: correlated fat-tailed paths, full revaluation, per underlying")
  .alias("mc")
  .option("-m, --model <file.json>", "Monte Carlo model (defaults: 100,000 paths, 1 day, Student-t ν=5, 99% VaR, 97.5% ES)")
  .option("--paths <n>", "number of paths (overrides the model)")
  .option("--seed <n>", "seed (overrides the model)")
  .option("--var-level <α,…>", "VaR confidence level(s), comma-separated (overrides the model)")
  .option("--es-level <α,…>", "ES confidence level(s), comma-separated (overrides the model)")
  .option("--horizon-days <d>", "horizon in days (overrides the model)")
  .option("--horizon-hours <h>", "horizon in hours (overrides the model)")
  .option("--workers <n>", "split the paths across n worker threads, same result bit for bit (default: every core from 25 M positions × paths, else 1)")
  .option("--queue <redis://host:port>", "or across `pmargin worker` processes on any hosts, through the Redis job queue (same result, bit for bit)")
  .option("--queue-name <name>", "with --queue: the queue (the workers' too)", "pmargin")
  .option("--run-id <id>", "with --queue: the run's name; the same id resumes an interrupted run (default: from the inputs)")
  .option("--block-paths <n>", "with --queue: paths per job", "65536")
  .option("--attribution", "also each position's contribution to the ES (Euler allocation; they sum to the ES)")
  .option("--json", "machine-readable JSON output")
  .action((portfolio: string, market: string, opts: VarCommandOptions) => run(() => varCommand(portfolio, market, opts)));

onPortfolio("historical", "historical (or filtered historical) VaR and ES: every h-day joint return of a price history applied to today's book")
  .alias("hist")
  .option(...HISTORY_OPTION)
  .option("--from <date>", "first day of history to use")
  .option("--to <date>", "last day of history to use")
  .option("--horizon-days <n>", "holding period in days", "1")
  .option("--non-overlapping", "windows h days apart (default: every start)")
  .option("--filtered", "filtered historical simulation: returns rescaled by EWMA vol to today's")
  .option("--lambda <λ>", "EWMA decay", "0.94")
  .option("--vol-rule <rule>", "implied vols: unchanged, or realised (EWMA vol ratio of the window)", "unchanged")
  .option("--workers <n>", "split the windows across n worker threads, same result bit for bit (default: every core from 25 M positions × days, else 1)")
  .option("--json", "machine-readable JSON output")
  .action((portfolio: string, market: string, opts: HistoricalCommandOptions) => run(() => historicalCommand(portfolio, market, opts)));

onPortfolio("stress", "stress tests: named historical crashes and your own shocks, portfolio and per-position PnL")
  .option("-s, --scenarios <file.json>", "your scenarios: { scenarios: [...] } (see examples/stress.json)")
  .option("--no-built-in", "leave out the built-in historical crashes")
  .option(...HISTORY_OPTION)
  .option("--per-position", "print each position's PnL per scenario")
  .option("--json", "machine-readable JSON output")
  .action((portfolio: string, market: string, opts: StressCommandOptions) => run(() => stressCommand(portfolio, market, opts)));

onPortfolio("backtest", "backtest margin models day by day over a price history: breaches, Kupiec, Christoffersen, Basel traffic light")
  .option(...HISTORY_OPTION)
  .option("--from <date>", "first test day")
  .option("--to <date>", "last test day")
  .option("--level <α>", "VaR level of the margin", "0.99")
  .option("--lookback <days>", "days of history each model uses", "500")
  .option("--paths <n>", "Monte Carlo paths per day", "2000")
  .option("--vol-rule <rule>", "implied vols: realised (EWMA vol ratio) or unchanged", "realised")
  .option("--json", "machine-readable JSON output")
  .action((portfolio: string, market: string, opts: BacktestCommandOptions) => run(() => backtestCommand(portfolio, market, opts)));

/** The flags that choose a margin method, shared by margin and whatif. */
const withMethod = (command: Command): Command => command
  .option("--method <grid|mc|hist>", "grid: the profile's IM/MM; mc / hist: IM = ES 97.5%, MM = --mm-ratio × IM", "grid")
  .option("-p, --profile <name|file.json>", "grid profile: deribit, paradex, bybit, okx, span, or a file", "deribit")
  .option("-m, --model <file.json>", "Monte Carlo model for --method mc")
  .option("--paths <n>", "Monte Carlo paths")
  .option("--seed <n>", "Monte Carlo seed")
  .option(...HISTORY_OPTION)
  .option("--mm-ratio <r>", "maintenance / initial for mc and hist (default 0.8)")
  .option("--json", "machine-readable JSON output");

withMethod(onPortfolio("margin", "the headline initial and maintenance margin, by a venue grid (default) or a risk measure"))
  .action((portfolio: string, market: string, opts: MarginCommandOptions) => run(() => marginCommand(portfolio, market, opts)));

withMethod(onPortfolio("whatif", "pre-trade margin: the book plus hypothetical orders, each order's incremental margin")
  .requiredOption("-o, --orders <file.json>", "the orders, written like a portfolio: { \"positions\": [...] }"))
  .action((portfolio: string, market: string, opts: MarginCommandOptions & { orders: string }) => run(() => whatIfCommand(portfolio, market, opts)));

withMethod(onPortfolio("hedge", "delta hedge: per underlying the perpetual that takes the delta to 0, and the margin before and after; or, with --candidates, the margin-minimising size of each candidate hedge")
  .option("--inverse", "hedge with inverse (coin-settled, 10 USD) perpetuals instead of linear ones")
  .option("--candidates <file.json>", "candidate hedges { candidates: [{ position, maxSize, halfSpreadUsd? }] }: each one's best size alone, a greedy combination, margin saved and cost"))
  .action((portfolio: string, market: string, opts: MarginCommandOptions & { inverse?: boolean; candidates?: string }) => run(() => hedgeCommand(portfolio, market, opts)));

withMethod(program.command("account")
  .description("an account's margin status: collateral with haircuts, add-ons, state, distance to liquidation, depeg and venue-failure stresses, per venue and combined")
  .argument("<account>", "account JSON file: venues with their positions and collateral (see examples/account.json)")
  .argument("<market>", "market data JSON file")
  .option("--no-distance", "skip the distance-to-liquidation search (a re-margin per trial move)"))
  .action((account: string, market: string, opts: AccountCommandOptions) => run(() => accountCommand(account, market, opts)));

withMethod(program.command("batch")
  .description("margin many accounts on one market (an exchange's periodic run), across every core: one line per account")
  .argument("<accounts>", "accounts: JSON lines { \"id\", \"positions\": [...] }, or a JSON array of them")
  .argument("<market>", "market data JSON file")
  .option("--format <jsonl|csv>", "output format", "jsonl")
  .option("--workers <n>", "worker threads (default: every core; 1 = this thread)")
  .option("--out <file>", "write the lines to a file instead of stdout")
  .option("--queue <redis://host:port>", "through the Redis job queue instead: shards of accounts as jobs for `pmargin worker` processes on any hosts")
  .option("--queue-name <name>", "queue name (the workers' too)", "pmargin")
  .option("--run-id <id>", "with --queue: the run's name; the same id resumes an interrupted run (default: from the inputs)")
  .option("--shard-size <n>", "with --queue: accounts per job", "500"))
  .action((accounts: string, market: string, opts: BatchCommandOptions) => run(() => batchCommand(accounts, market, opts)));

program
  .command("worker")
  .description("process the jobs of `pmargin batch --queue` runs (and library runs) until SIGINT or SIGTERM; start any number, on any hosts")
  .requiredOption("--queue <redis://host:port>", "the Redis server of the queue")
  .option("--queue-name <name>", "queue name (the coordinator's too)", "pmargin")
  .option("--concurrency <n>", "jobs at a time in this process", "1")
  .option("--lock-duration <ms>", "a killed worker's job is retried elsewhere after about twice this", "30000")
  .option("--name <name>", "name recorded on the jobs it processes (default host:pid:random)")
  .action((opts: WorkerCommandOptions) => run(() => workerCommand(opts)));

onPortfolio("watch", "continuous monitoring: JSON-lines updates on stdin (price, surface, fill, order, remove, asOf), JSON-lines events on stdout; the portfolio may be an account file (its collateral and status followed)")
  .option("-p, --profile <name|file.json>", "grid profile: deribit, paradex, bybit, okx, span, or a file", "deribit")
  .option("--margin-change <r>", "a margin event when IM moves by more than this fraction (0: every change)", "0.05")
  .option("--vol-jump <r>", "a regime event when an EWMA vol moves by more than this fraction", "0.5")
  .option("--corr-jump <c>", "a regime event when an EWMA correlation moves by more than this", "0.3")
  .option("--interval <seconds>", "bar length of the EWMA returns", "60")
  .option("--lambda <λ>", "EWMA decay per bar", "0.94")
  .option("--seed-returns <n>", "returns averaged before the EWMA starts (and regime events can fire)", "30")
  .action((portfolio: string, market: string, opts: WatchCommandOptions) => run(() => watchCommand(portfolio, market, opts)));

registerImport(program);

program
  .command("verify")
  .description("re-run a saved --json result (value, grid, mc, hist, stress, margin, whatif, backtest, account) from its reproducibility record and compare every figure, bit for bit (exit 3 if it differs)")
  .argument("<result>", "a result saved with --json")
  .action((result: string) => run(() => verifyCommand(result)));

program.parseAsync().catch((error: unknown) => {
  console.error(`pmargin: internal error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
