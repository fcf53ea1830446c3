#!/usr/bin/env node
// The pmargin command line: a thin shell over the library. User mistakes exit 2
// with one line naming the file and field (a usage mistake: commander's message and the
// help); anything else is an internal error (1).
import { Command } from "commander";
import { VERSION } from "../version.js";
import { examplesCommand } from "./examples.js";
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
import { verifyCommand, type VerifyCommandOptions } from "./verify.js";
import { signRecordsWith } from "./recorded.js";
import { useWasmModule } from "./engine.js";
import { watchCommand, type WatchCommandOptions } from "./watch.js";
import { accountCommand, type AccountCommandOptions } from "./account.js";
import { conformanceCommand, DEFAULT_DERIVE_CASES, importDeriveCaseCommand } from "./derive.js";
import { paradexCommand, type ParadexCommandOptions } from "./paradex.js";
import { okxCommand, type OkxCommandOptions } from "./okx.js";
import { bybitCommand, type BybitCommandOptions } from "./bybit.js";
import { registerImport } from "./import.js";

// A reader that stops early (`pmargin watch … | head`) closes the pipe: that ends the command, quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

const program = new Command()
  .name("pmargin")
  .description("Portfolio margin and risk for crypto derivatives (SIMD WebAssembly core)")
  .version(VERSION)
  .option("--sign <key.pem>", "with --json: sign the reproducibility record with this Ed25519 private key (PKCS#8 PEM; docs/records.md)")
  .option("--wasm-module <portable|fma|fastest>", "the build of the kernels: portable (the same bits on every machine), fma (relaxed SIMD: faster, within 1e-9 relative), fastest (fma where it runs; docs/kernel.md)", "portable")
  .showHelpAfterError()
  // Unknown options and commands, missing arguments: the user's mistake, so 2 (help and --version: 0).
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
program.hook("preAction", () => {
  const { sign, wasmModule } = program.opts<{ sign?: string; wasmModule?: string }>();
  signRecordsWith(sign);
  useWasmModule(wasmModule);
});

/** With --json, a record of the inputs' digest, not the inputs themselves (verify then takes the files). */
const NO_INPUTS_OPTION = ["--no-inputs", "with --json: record only the inputs' digest, not the inputs (verify then takes them: --portfolio, --market, --history)"] as const;

/** The queue's secret, password and Redis timeout: every queue command takes them (docs/queue.md). */
const withQueueSecrets = (command: Command): Command => command
  .option("--queue-secret-file <file>", "with --queue: the secret shared with the workers (default: $PMARGIN_QUEUE_SECRET)")
  .option("--redis-password-file <file>", "with --queue: the Redis password (default: $PMARGIN_REDIS_PASSWORD, or the URL's)")
  .option("--redis-timeout <s>", "with --queue: stop with an error once Redis is unreachable or silent this long", "20");

/** The flags of a queue coordinator (batch, var). */
const withQueue = (command: Command): Command => withQueueSecrets(command)
  .option("--timeout <s>", "with --queue: stop with an error when the run is not done in this many seconds (finished shards are kept for a resume)");

/** A subcommand on a portfolio and a market, the two inputs every command takes. */
const onPortfolio = (name: string, description: string): Command =>
  program.command(name).description(description)
    .argument("<portfolio>", "portfolio JSON file")
    .argument("<market>", "market data JSON file");

onPortfolio("value", "value a portfolio now: per-position value, Greeks, totals per underlying")
  .option("--json", "machine-readable JSON output")
  .option(...NO_INPUTS_OPTION)
  .action((portfolio: string, market: string, opts: { json?: boolean }) => run(() => valueCommand(portfolio, market, opts)));

onPortfolio("grid", "scenario-grid (risk-matrix) margin: initial and maintenance, per underlying, against single-position margin")
  .option("-p, --profile <name|file.json>", "deribit, paradex, bybit, okx, span, or a profile file", "deribit")
  .option("--matrix", "print each underlying's risk matrix (PnL per move and vol state)")
  .option("--greeks", "also the delta–gamma–vega approximation of each scenario against full revaluation")
  .option("--attribution", "also each position's share of its underlying's worst loss and its marginal margin")
  .option("--per-position", "with --json: each position's PnL per scenario")
  .option("--json", "machine-readable JSON output")
  .option(...NO_INPUTS_OPTION)
  .action((portfolio: string, market: string, opts: GridCommandOptions) => run(() => gridCommand(portfolio, market, opts)));

onPortfolio("paradex", "Paradex portfolio margin as the venue charges it: the scan with resting orders, the delta floor, funding and fee provisions; IMR and MMR under Paradex's names")
  .option("-p, --profile <name|file.json>", "paradex, or a profile file with a paradex section", "paradex")
  .option("-o, --orders <file.json>", "resting orders { \"orders\": [{ kind, underlying, settlement: \"linear\", quantity (+ buy, − sell), price, … }] }")
  .option("--fee-rate <rate>", "the account's taker fee rate for the fee provision (0.0003 = 3 bp; default 0)")
  .option("--json", "machine-readable JSON output")
  .option(...NO_INPUTS_OPTION)
  .action((portfolio: string, market: string, opts: ParadexCommandOptions) => run(() => paradexCommand(portfolio, market, opts)));

onPortfolio("okx", "OKX portfolio margin as the venue reports it: per risk unit the position builder's MR1 … MR9, MMR and IMR, under OKX's names")
  .option("-p, --profile <name|file.json>", "okx, or a profile file with an okx section", "okx")
  .option("--json", "machine-readable JSON output")
  .option(...NO_INPUTS_OPTION)
  .action((portfolio: string, market: string, opts: OkxCommandOptions) => run(() => okxCommand(portfolio, market, opts)));

onPortfolio("bybit", "Bybit portfolio margin as the venue reports it: per base coin the scan's maximum loss, the contingency, assetMM and assetIM, under Bybit's names")
  .option("-p, --profile <name|file.json>", "bybit, or a profile file with a bybit section", "bybit")
  .option("--json", "machine-readable JSON output")
  .option(...NO_INPUTS_OPTION)
  .action((portfolio: string, market: string, opts: BybitCommandOptions) => run(() => bybitCommand(portfolio, market, opts)));

withQueue(onPortfolio("var", "Monte Carlo VaR and Expected Shortfall: correlated fat-tailed paths, full revaluation, per underlying")
  .alias("mc")
  .option("-m, --model <file.json>", "Monte Carlo model (defaults: 100,000 paths, 1 day, Student-t ν=5, 99% VaR, 97.5% ES)")
  .option("--paths <n>", "number of paths (overrides the model)")
  .option("--seed <n>", "seed (overrides the model)")
  .option("--var-level <α,…>", "VaR confidence level(s), comma-separated (overrides the model)")
  .option("--es-level <α,…>", "ES confidence level(s), comma-separated (overrides the model)")
  .option("--horizon-days <d>", "horizon in days (overrides the model)")
  .option("--horizon-hours <h>", "horizon in hours (overrides the model)")
  .option("--workers <n>", "split the paths across n worker threads, same result bit for bit (default: every core from 25 M positions × paths, else 1)")
  .option("--queue <redis[s]://host:port>", "or across `pmargin worker` processes on any hosts, through the Redis job queue (same result, bit for bit; see docs/queue.md)")
  .option("--queue-name <name>", "with --queue: the queue (the workers' too)", "pmargin")
  .option("--run-id <id>", "with --queue: the run's name; the same id resumes an interrupted run (default: from the inputs)")
  .option("--block-paths <n>", "with --queue: paths per job", "65536")
  .option("--attribution", "also each position's contribution to the ES (Euler allocation; they sum to the ES)")
  .option("--json", "machine-readable JSON output")
  .option(...NO_INPUTS_OPTION))
  .action((portfolio: string, market: string, opts: VarCommandOptions) => run(() => varCommand(portfolio, market, opts)));

onPortfolio("historical", "historical (or filtered historical) VaR and ES: every h-day joint return of a price history applied to today's book")
  .alias("hist")
  .option(...HISTORY_OPTION)
  .option("--from <date>", "first day of history to use")
  .option("--to <date>", "last day of history to use")
  .option("--strict", "refuse a price history whose closes jump beyond 30 robust deviations (likely bad ticks) instead of warning (docs/limits.md)")
  .option("--horizon-days <n>", "holding period in days", "1")
  .option("--non-overlapping", "windows h days apart (default: every start)")
  .option("--filtered", "filtered historical simulation: returns rescaled by EWMA vol to today's")
  .option("--lambda <λ>", "EWMA decay", "0.94")
  .option("--vol-rule <rule>", "implied vols: unchanged, or realised (EWMA vol ratio of the window)", "unchanged")
  .option("--workers <n>", "split the windows across n worker threads, same result bit for bit (default: every core from 25 M positions × days, else 1)")
  .option("--json", "machine-readable JSON output")
  .option(...NO_INPUTS_OPTION)
  .action((portfolio: string, market: string, opts: HistoricalCommandOptions) => run(() => historicalCommand(portfolio, market, opts)));

onPortfolio("stress", "stress tests: named historical crashes and your own shocks, portfolio and per-position PnL")
  .option("-s, --scenarios <file.json>", "your scenarios: { scenarios: [...] } (see examples/stress.json)")
  .option("--no-built-in", "leave out the built-in historical crashes")
  .option(...HISTORY_OPTION)
  .option("--per-position", "print each position's PnL per scenario")
  .option("--json", "machine-readable JSON output")
  .option(...NO_INPUTS_OPTION)
  .action((portfolio: string, market: string, opts: StressCommandOptions) => run(() => stressCommand(portfolio, market, opts)));

onPortfolio("backtest", "backtest margin models day by day over a price history: breaches, Kupiec, Christoffersen, Basel traffic light")
  .option(...HISTORY_OPTION)
  .option("--from <date>", "first test day")
  .option("--to <date>", "last test day")
  .option("--strict", "refuse a price history whose closes jump beyond 30 robust deviations (likely bad ticks) instead of warning (docs/limits.md)")
  .option("--level <α>", "VaR level of the margin", "0.99")
  .option("--lookback <days>", "days of history each model uses", "500")
  .option("--paths <n>", "Monte Carlo paths per day", "2000")
  .option("--vol-rule <rule>", "implied vols: realised (EWMA vol ratio) or unchanged", "realised")
  .option("--json", "machine-readable JSON output")
  .option(...NO_INPUTS_OPTION)
  .action((portfolio: string, market: string, opts: BacktestCommandOptions) => run(() => backtestCommand(portfolio, market, opts)));

/** The flags that choose a margin method, shared by margin and whatif. */
const withMethod = (command: Command): Command => command
  .option("--method <grid|mc|hist>", "grid: the profile's IM/MM; mc / hist: IM = ES 97.5%, MM = --mm-ratio × IM", "grid")
  .option("-p, --profile <name|file.json>", "grid profile: deribit, paradex, bybit, okx, span, or a file; derive (the parameters of Derive's deployment script) or a Derive profile file (model derive-pmrm2) runs Derive's PMRM_2 on Derive portfolio and market files", "deribit")
  .option("-m, --model <file.json>", "Monte Carlo model for --method mc")
  .option("--paths <n>", "Monte Carlo paths")
  .option("--seed <n>", "Monte Carlo seed")
  .option(...HISTORY_OPTION)
  .option("--mm-ratio <r>", "maintenance / initial for mc and hist (default 0.8)")
  .option("--json", "machine-readable JSON output");

withMethod(onPortfolio("margin", "the headline initial and maintenance margin, by a venue grid (default) or a risk measure"))
  .option(...NO_INPUTS_OPTION)
  .action((portfolio: string, market: string, opts: MarginCommandOptions) => run(() => marginCommand(portfolio, market, opts)));

withMethod(onPortfolio("whatif", "pre-trade margin: the book plus hypothetical orders, each order's incremental margin")
  .requiredOption("-o, --orders <file.json>", "the orders, written like a portfolio: { \"positions\": [...] }"))
  .option(...NO_INPUTS_OPTION)
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
  .option(...NO_INPUTS_OPTION)
  .action((account: string, market: string, opts: AccountCommandOptions) => run(() => accountCommand(account, market, opts)));

withQueue(withMethod(program.command("batch")
  .description("margin many accounts on one market (an exchange's periodic run), across every core: one line per account")
  .argument("<accounts>", "accounts: JSON lines { \"id\", \"positions\": [...] }, or a JSON array of them")
  .argument("<market>", "market data JSON file")
  .option("--format <jsonl|csv>", "output format", "jsonl")
  .option("--workers <n>", "worker threads (default: every core but one, the one reading and handing out the accounts; 1 = this thread)")
  .option("--out <file>", "write the lines to a file instead of stdout")
  .option("--queue <redis[s]://host:port>", "through the Redis job queue instead: shards of accounts as jobs for `pmargin worker` processes on any hosts (see docs/queue.md)")
  .option("--queue-name <name>", "queue name (the workers' too)", "pmargin")
  .option("--run-id <id>", "with --queue: the run's name; the same id resumes an interrupted run (default: from the inputs)")
  .option("--shard-size <n>", "with --queue: accounts per job", "500")))
  .action((accounts: string, market: string, opts: BatchCommandOptions) => run(() => batchCommand(accounts, market, opts)));

withQueueSecrets(program
  .command("worker")
  .description("process the jobs of `pmargin batch --queue` and `pmargin var --queue` runs (and library runs) until SIGINT or SIGTERM; start any number, on any hosts")
  .requiredOption("--queue <redis[s]://host:port>", "the Redis server of the queue")
  .option("--queue-name <name>", "queue name (the coordinator's too)", "pmargin")
  .option("--concurrency <n>", "jobs at a time in this process, each on a thread", "1")
  .option("--lock-duration <ms>", "a killed worker's job is taken by another within about this + 1 s", "3000")
  .option("--name <name>", "name recorded on the jobs it processes and the results it stores (default host:pid:random)"))
  .action((opts: WorkerCommandOptions) => run(() => workerCommand(opts)));

onPortfolio("watch", "continuous monitoring: JSON-lines updates on stdin (price, surface, fill, order, remove, asOf), JSON-lines events on stdout; the portfolio may be an account file (its collateral and status followed)")
  .option("-p, --profile <name|file.json>", "grid profile: deribit, paradex, bybit, okx, span, or a file; a Derive profile file (model derive-pmrm2) runs Derive's PMRM_2 on Derive portfolio and market files", "deribit")
  .option("--margin-change <r>", "a margin event when IM moves by more than this fraction (0: every change)", "0.05")
  .option("--vol-jump <r>", "a regime event when an EWMA vol moves by more than this fraction", "0.5")
  .option("--corr-jump <c>", "a regime event when an EWMA correlation moves by more than this", "0.3")
  .option("--interval <seconds>", "bar length of the EWMA returns", "60")
  .option("--lambda <λ>", "EWMA decay per bar", "0.94")
  .option("--seed-returns <n>", "returns averaged before the EWMA starts (and regime events can fire)", "30")
  .action((portfolio: string, market: string, opts: WatchCommandOptions) => run(() => watchCommand(portfolio, market, opts)));

registerImport(program)
  .command("derive-case")
  .description("a Derive PMRM_2 portfolio case (derivexyz/v2-core portfolio_cases) → Derive portfolio, market and profile files")
  .argument("<case>", "the case's JSON file")
  .option("-o, --out <dir>", "where to write portfolio.json, market.json and profile.json", ".")
  .option("--underlying <name>", "the underlying's name (cases do not say)", "ETH")
  .action((file: string, opts: { out: string; underlying?: string }) => run(() => importDeriveCaseCommand(file, opts)));

program
  .command("conformance")
  .description("run a venue's published test cases through pmargin's model of the venue: a table of errors, exit 0 only when every case passes")
  .argument("<suite>", "derive: Derive's PMRM_2 portfolio cases")
  .argument("[folder]", `the folder of case files (default ${DEFAULT_DERIVE_CASES})`)
  .option("--json", "machine-readable JSON output")
  .action((suite: string, folder: string | undefined, opts: { json?: boolean }) => run(() => conformanceCommand(suite, folder, opts)));

program
  .command("examples")
  .description("copy the example inputs (portfolio, market, account, model, scenarios, orders, updates) into a directory to start from")
  .argument("[dir]", "where to copy them (created; nothing in it is overwritten)", "examples")
  .action((dir: string) => run(() => examplesCommand(dir)));

program
  .command("verify")
  .description("re-run a saved --json result (value, grid, mc, hist, stress, margin, whatif, backtest, account) from its reproducibility record and compare every figure, bit for bit (exit 3 if it differs)")
  .argument("<result>", "a result saved with --json")
  .option("--portfolio <file.json>", "for a result saved with --no-inputs: its portfolio (or account) file")
  .option("--market <file.json>", "for a result saved with --no-inputs: its market file")
  .option("--history <files...>", "for a result saved with --no-inputs whose method reads a price history: its CSV files (default: the shipped ones)")
  .option("--public-key <key.pem>", "the signer's Ed25519 public key (SPKI PEM): the record must be signed with its private key")
  .option("--across-modules", "re-run a result made by the other build of the kernels (portable or fma; pmargin --wasm-module) and compare within 1e-9 relative instead of bit for bit")
  .action((result: string, opts: VerifyCommandOptions) => run(() => verifyCommand(result, opts)));

program.parseAsync().catch((error: unknown) => {
  console.error(`pmargin: internal error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
