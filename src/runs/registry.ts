// The one registry of pmargin's methods. Each method declares here, in one entry:
// the `command` its recorded runs name, how its recorded inputs are validated (once),
// how its result is computed from them — what `runRecorded`, `verify` and the CLI
// run — and, for a method whose work splits into ranges (Monte Carlo paths and their
// ES-tail blocks, historical windows), how it is planned, what a part computes and
// how the parts are summarised — what the worker pool (src/parallel) and the Redis
// queue (src/distributed) run. A new method is added here, once.
//
// Where it sits: its entries run the account method (src/account) and validate inputs
// (src/schema, src/market/inputs.ts), so it is a layer above methods and account/live, at the
// level of verify, parallel and distributed, which read it with the CLI; nothing below
// imports it. It imports none of its readers: they import it.
import { accountMargin, type AccountMarginResult } from "../account/account.js";
import type { Account } from "../model/account.js";
import type { Engine } from "../engine/engine.js";
import { InputError } from "../errors.js";
import { parsePriceCsv, type PriceSeries } from "../history/csv.js";
import type { PriceHistory } from "../history/history.js";
import { prepareInputs } from "../market/inputs.js";
import { buildMarket, type Market } from "../market/market.js";
import { backtest, type BacktestOptions, type BacktestResult } from "../methods/backtest/backtest.js";
import { gridMargin, type GridMarginResult } from "../methods/grid/grid.js";
import type { MarginProfile } from "../model/profile.js";
import { historicalVaR, prepareHistorical, type HistoricalOptions, type HistoricalResult, type HistoricalRun } from "../methods/historical/historical.js";
import { headlineMargin, whatIf, type MarginResult, type MarginMethod, type WhatIfResult } from "../methods/margin.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import {
  concatBlocks, DEFAULT_CHUNK, monteCarlo, prepareMonteCarlo, TAIL_BLOCK, type EsTail, type MonteCarloResult, type MonteCarloRun,
} from "../methods/montecarlo/montecarlo.js";
import type { PartSummary } from "../methods/scenario-risk.js";
import type { Take } from "../methods/scratch.js";
import { stressTest, type StressResult } from "../methods/stress/stress.js";
import type { StressScenario } from "../model/stress.js";
import type { MarketData, Portfolio, Position } from "../model/types.js";
import { checkAccountAgainstMarket, parseAccount } from "../schema/account.js";
import { checkAgainstMarket, parseMarket, parsePortfolio } from "../schema/index.js";
import { valueBook, type ValuationResult } from "../methods/valuation.js";
import { deriveMargin } from "../methods/derive/pmrm2.js";
import type { DeriveMarket, DerivePortfolio, DeriveProfile, DeriveMarginResult } from "../model/derive.js";
import { parseDeriveInputs } from "../schema/derive.js";
import { paradexMargin, type ParadexMarginResult } from "../methods/paradex/pm.js";
import { okxMargin, type OkxMarginResult } from "../methods/okx/pm.js";
import { bybitMargin, type BybitMarginResult } from "../methods/bybit/pm.js";
import type { OpenOrder } from "../model/orders.js";
import { parseOpenOrders } from "../schema/orders.js";

// ——— Inputs: as recorded, and validated once ———

/** The inputs as given (JSON values), and the price history's CSV files when the method reads one. */
export interface RecordedInputs {
  /** The portfolio file; for the account command, the account file. */
  portfolio: unknown;
  /** The market data file. */
  market: unknown;
  /** The price history's CSV files (base name and text), for a method that reads one. */
  history?: { name: string; text: string }[];
}

/** What errors call each input: the files in the CLI, the record's fields when verifying. */
export interface InputSources {
  portfolio?: string;
  market?: string;
  orders?: string;
  profile?: string;
}

const RECORD_SOURCES = { portfolio: "portfolio", market: "market", orders: "orders" } as const;

/** A portfolio's inputs, validated, with the market built once: what a portfolio method runs on. */
export interface PortfolioInputs {
  portfolio: Portfolio;
  marketData: MarketData;
  market: Market;
  /** The price history's series, when the run recorded its CSV files. */
  history?: PriceSeries[];
}

/** An account's inputs, validated (account methods build their markets themselves). */
export interface AccountInputs {
  account: Account;
  marketData: MarketData;
  history?: PriceSeries[];
}

/** The series of price-history CSV files. */
export function parseHistory(files: readonly { name: string; text: string }[]): PriceSeries[] {
  return files.flatMap((f) => parsePriceCsv(f.text, { source: f.name }).series);
}

const recordedHistory = (inputs: RecordedInputs): { history?: PriceSeries[] } =>
  (inputs.history?.length ? { history: parseHistory(inputs.history) } : {});

/** The price history a method reads, or the InputError of a record without it. */
export function needHistory(inputs: { history?: PriceSeries[] }): PriceSeries[] {
  if (!inputs.history) throw new InputError("reproducibility.inputs.history", "this method needs the price history's CSV files");
  return inputs.history;
}

/** A portfolio and a market validated against their schemas and each other, the market built, the history parsed. */
export function portfolioInputs(inputs: RecordedInputs, sources: InputSources = RECORD_SOURCES): PortfolioInputs {
  const { portfolio, marketData, market } = prepareInputs(inputs.portfolio, inputs.market, sources);
  return { portfolio, marketData, market, ...recordedHistory(inputs) };
}

/** An account and a market validated against their schemas and each other, the history parsed. */
export function accountInputs(inputs: RecordedInputs, sources: InputSources = { portfolio: "account", market: "market" }): AccountInputs {
  const account = parseAccount(inputs.portfolio, sources.portfolio);
  const marketData = parseMarket(inputs.market, sources.market);
  checkAccountAgainstMarket(account, marketData, sources.portfolio);
  return { account, marketData, ...recordedHistory(inputs) };
}

/** What-if orders (written like a portfolio's positions), validated against the market. */
export function parseOrders(orders: unknown, marketData: MarketData, source: string = RECORD_SOURCES.orders): Position[] {
  const parsed = parsePortfolio({ positions: orders }, source);
  checkAgainstMarket(parsed, marketData, source);
  return parsed.positions;
}

// ——— Margin methods: how a headline margin is set, as recorded ———

interface MarginMethodEntry<Run extends { method: string }> {
  /** Its name in the CLI's --method flag. */
  flag: string;
  /** Whether it reads the price history (its CSV files are recorded with the inputs). */
  readsHistory: boolean;
  /** The recorded form, ready to run; `history` gives the recorded price history's series. */
  ready(run: Run, history: () => PriceSeries[]): MarginMethod;
}

const marginMethodEntry = <Run extends { method: string }>(entry: MarginMethodEntry<Run>): MarginMethodEntry<Run> => entry;
const mmRatioOf = (run: { mmRatio?: number }): { mmRatio?: number } => (run.mmRatio !== undefined ? { mmRatio: run.mmRatio } : {});

/** The margin methods by recorded name: a venue's grid, or IM = a Monte Carlo or historical ES, MM = mmRatio × IM. */
export const MARGIN_METHODS = {
  grid: marginMethodEntry({
    flag: "grid",
    readsHistory: false,
    ready: (run: { method: "grid"; profile: MarginProfile }) => ({ method: "grid", profile: run.profile }),
  }),
  "monte-carlo": marginMethodEntry({
    flag: "mc",
    readsHistory: false,
    ready: (run: { method: "monte-carlo"; model: MonteCarloModelInput; mmRatio?: number }) => ({ method: "monte-carlo", model: run.model, ...mmRatioOf(run) }),
  }),
  historical: marginMethodEntry({
    flag: "hist",
    readsHistory: true,
    ready: (run: { method: "historical"; options?: HistoricalOptions; mmRatio?: number }, history) =>
      ({ method: "historical", history: history(), ...(run.options ? { options: run.options } : {}), ...mmRatioOf(run) }),
  }),
};

type MarginMethods = typeof MARGIN_METHODS;

/** How the headline margin is set, as recorded (the price history is among the inputs). */
export type MarginRun = { [M in keyof MarginMethods]: MarginMethods[M] extends MarginMethodEntry<infer Run> ? Run : never }[keyof MarginMethods];

const marginEntry = (run: MarginRun): MarginMethodEntry<MarginRun> => MARGIN_METHODS[run.method] as MarginMethodEntry<MarginRun>;

/** Whether a recorded margin method reads the price history. */
export const marginReadsHistory = (run: MarginRun): boolean => marginEntry(run).readsHistory;

/** A recorded margin method with what it reads from the inputs (the price history for historical). */
export function marginMethod(run: MarginRun, inputs: { history?: PriceSeries[]; portfolio?: Portfolio }): MarginMethod {
  const method = marginEntry(run).ready(run, () => needHistory(inputs));
  // A grid reserves margin for the account's market-maker protection where its profile does.
  const mmp = inputs.portfolio?.mmp;
  return method.method === "grid" && mmp ? { ...method, mmp } : method;
}

// ——— Split methods: planned once, their ranges run anywhere, summarised where planned ———

/** A range of items [start, start + count): paths, windows or tail blocks. */
export interface Range {
  start: number;
  count: number;
}

/** What the thread that plans a run may give it: a progress report, and the market when it has built it already. */
export interface PlanOptions {
  onProgress?: (done: number, total: number) => void;
  market?: Market;
}

/** Runs `items` items of a stage as ranges wherever the caller sends them; the parts in range order. */
export type SendStage = <Part>(stage: string, items: number, shared?: unknown) => Promise<Part[]>;

/**
 * One range of a stage's items, with what earlier stages share with it. A stage that
 * can be shared out goes, given `more`, in the pieces it gives, asked before each (0: no
 * more), and returns the part of those done (from the range's start). `keep` gives the
 * part's largest arrays (a pool's worker: memory the pool moved back to it).
 */
export type StagePart<Run> = (run: Run, range: Range, shared: unknown, more?: () => number, keep?: Take) => unknown;

/**
 * A method whose work splits into ranges. `plan` sets a run up from plain inputs (the
 * ones a worker or a queue job receives) on any host; a stage's part computes one
 * range of its items there; `coordinate` takes the run from plan to result, sending
 * each stage's ranges out. Any split gives the one-thread result, bit for bit. A result
 * keeps none of its parts' typed arrays: a pool moves their memory back to its workers.
 */
export interface SplitMethod<Input, Run, Result> {
  plan(engine: Engine, input: Input, options?: PlanOptions): Run;
  /** Each stage's part. */
  stages: Record<string, StagePart<Run>>;
  /** The stages whose ranges workers may share out, each with the most items of a piece: their parts may cover any run of them. */
  shares?: Record<string, number>;
  /** The stage whose ranges move the progress report. */
  progressStage: string;
  /** Whether sending the parts out repays its cost (else they run where the run was planned). */
  worthSending(run: Run, input: Input): boolean;
  coordinate(run: Run, send: SendStage): Promise<Result>;
}

/** Everything where it was planned: one range per stage. */
export function sendHere<Run>(method: SplitMethod<never, Run, unknown>, run: Run): SendStage {
  return async <Part>(stage: string, items: number, shared?: unknown) =>
    (items === 0 ? [] : [stagePart(method, stage)(run, { start: 0, count: items }, shared) as Part]);
}

function stagePart<Run>(method: SplitMethod<never, Run, unknown>, stage: string): StagePart<Run> {
  const part = method.stages[stage];
  if (!part) throw new InputError("stage", `no stage ${JSON.stringify(stage)} in this method (${Object.keys(method.stages).join(", ")})`);
  return part;
}

/** Monte Carlo's plain inputs, as a worker or a queue job receives them. */
export interface MonteCarloInput {
  positions: Position[];
  marketData: MarketData;
  model?: MonteCarloModelInput;
}

/** Historical simulation's plain inputs. */
export interface HistoricalInput {
  positions: Position[];
  marketData: MarketData;
  history: PriceHistory | PriceSeries[];
  options?: HistoricalOptions;
}

/**
 * Position-windows below which a historical simulation runs on the planning thread:
 * measured here, 10 positions × 2,016 windows took 2.1× as long on 2 workers and 200
 * positions broke even (bench/historical.bench.ts).
 */
export const LOCAL_HISTORICAL = 500_000;

/**
 * Position-paths below which a Monte Carlo run stays on the planning thread: a pool's
 * fixed cost (each worker plans the run and compiles its books, the parts travel and
 * are merged) is a few milliseconds, what 10,000 paths of 200 positions take on one
 * core; from 20,000 such paths the pool pays (bench/montecarlo.bench.ts).
 */
export const LOCAL_MONTE_CARLO = 2_500_000;

const marketOf = (marketData: MarketData, options: PlanOptions): Market => options.market ?? buildMarket(marketData);

const monteCarloSplit: SplitMethod<MonteCarloInput, MonteCarloRun, MonteCarloResult> = {
  plan: (engine, { positions, marketData, model = {} }, options = {}) =>
    prepareMonteCarlo(engine, positions, marketOf(marketData, options), model, options.onProgress ? { onProgress: options.onProgress } : {}),
  stages: {
    paths: (run, { start, count }, _, more, keep) => run.part(start, count, more, keep),
    // The ES contributions revalue the tail paths position by position, in blocks (each part from its first).
    tail: (run, { start, count }, tail, more) => ({ first: start, blocks: run.tailBlocks(tail as EsTail, start, count, more) }),
  },
  progressStage: "paths",
  // Planned without chunkPaths, a run revalues DEFAULT_CHUNK paths at a time at most; the tail, a block.
  shares: { paths: DEFAULT_CHUNK, tail: 1 },
  worthSending: (run, { positions }) => positions.length * run.model.paths >= LOCAL_MONTE_CARLO,
  async coordinate(run, send) {
    const parts = await send<PartSummary>("paths", run.model.paths);
    const tail = run.esTail(parts);
    const blocks = send<{ first: number; blocks: Float64Array }>("tail", Math.ceil(tail.paths.length / TAIL_BLOCK), tail);
    // The tail statistics, histogram and worst paths here while the tail is revalued elsewhere.
    const finish = run.summariseLater(parts);
    return finish(concatBlocks(await blocks));
  },
};

const historicalSplit: SplitMethod<HistoricalInput, HistoricalRun, HistoricalResult> = {
  plan: (engine, { positions, marketData, history, options = {} }, planOptions = {}) =>
    prepareHistorical(engine, positions, marketOf(marketData, planOptions), history, options, planOptions.onProgress ? { onProgress: planOptions.onProgress } : {}),
  stages: { windows: (run, { start, count }) => run.part(start, count) },
  progressStage: "windows",
  // A small book's windows cost less than sending them out (the same bits either way).
  worthSending: (run, { positions }) => positions.length * run.windows >= LOCAL_HISTORICAL,
  coordinate: async (run, send) => run.summarise(await send<PartSummary>("windows", run.windows)),
};

// ——— The methods, by the command their recorded runs name ———

/**
 * A method as its recorded runs name it (`{ command, ...parameters }`, the on-disk
 * format): its inputs validated once, its result computed from them, and for a
 * method that splits, how (with the split's plain inputs from the validated ones).
 */
export interface RecordedMethod<Spec extends { command: string }, In, Result> {
  /** Validates the recorded inputs, naming them as `sources` says in errors. */
  parse(inputs: RecordedInputs, sources: InputSources | undefined, spec: Spec): In;
  /** Whether the run reads the price history (its CSV files are recorded with the inputs). */
  readsHistory(spec: Spec): boolean;
  run(engine: Engine, spec: Spec, inputs: In): Result;
}

const recordedMethod = <Spec extends { command: string }, In, Result>(entry: RecordedMethod<Spec, In, Result>): RecordedMethod<Spec, In, Result> => entry;

/** A recorded method whose work splits: its split, and the split's plain inputs from its validated ones. */
interface SplitRecordedMethod<Spec extends { command: string }, In, Result, Input, Run> extends RecordedMethod<Spec, In, Result> {
  split: SplitMethod<Input, Run, Result>;
  splitInput(spec: Spec, inputs: In): Input;
}

const always = (): boolean => true;
const never = (): boolean => false;

type MarginSpec = { command: "margin" } & MarginRun;
type StressSpec = { command: "stress"; scenarios: StressScenario[] };

export const METHODS = {
  value: recordedMethod({
    parse: portfolioInputs,
    readsHistory: never,
    run: (engine, _: { command: "value" }, { portfolio, market }): ValuationResult & { currency: "USD" } =>
      ({ currency: "USD", ...valueBook(engine, engine.compile(portfolio.positions, market), market) }),
  }),
  grid: recordedMethod({
    parse: portfolioInputs,
    readsHistory: never,
    run: (engine, run: { command: "grid"; profile: MarginProfile; perPosition?: boolean }, { portfolio, market }): GridMarginResult =>
      gridMargin(engine, portfolio.positions, market, { profile: run.profile, perPosition: run.perPosition ?? false, ...(portfolio.mmp ? { mmp: portfolio.mmp } : {}) }),
  }),
  "monte-carlo": {
    parse: portfolioInputs,
    readsHistory: never,
    run: (engine, run, { portfolio, market }) => monteCarlo(engine, portfolio.positions, market, run.model),
    split: monteCarloSplit,
    splitInput: (run, { portfolio, marketData }) => ({ positions: portfolio.positions, marketData, model: run.model }),
  } satisfies SplitRecordedMethod<{ command: "monte-carlo"; model: MonteCarloModelInput }, PortfolioInputs, MonteCarloResult, MonteCarloInput, MonteCarloRun>,
  historical: {
    parse: portfolioInputs,
    readsHistory: always,
    run: (engine, run, inputs) => historicalVaR(engine, inputs.portfolio.positions, inputs.market, needHistory(inputs), run.options),
    split: historicalSplit,
    splitInput: (run, inputs) => ({ positions: inputs.portfolio.positions, marketData: inputs.marketData, history: needHistory(inputs), options: run.options }),
  } satisfies SplitRecordedMethod<{ command: "historical"; options: HistoricalOptions }, PortfolioInputs, HistoricalResult, HistoricalInput, HistoricalRun>,
  stress: recordedMethod({
    parse: portfolioInputs,
    readsHistory: (run: StressSpec) => run.scenarios.some((s) => s.type === "historical"),
    run: (engine, run: StressSpec, inputs): { results: StressResult[] } =>
      ({ results: stressTest(engine, inputs.portfolio.positions, inputs.market, run.scenarios, METHODS.stress.readsHistory(run) ? { history: needHistory(inputs) } : {}) }),
  }),
  margin: recordedMethod({
    parse: portfolioInputs,
    readsHistory: (run: MarginSpec) => marginReadsHistory(run),
    run: (engine, run: MarginSpec, inputs): MarginResult => headlineMargin(engine, inputs.portfolio.positions, inputs.market, marginMethod(run, inputs)),
  }),
  whatif: recordedMethod({
    parse: (inputs, sources, run: { command: "whatif"; margin: MarginRun; orders: unknown }): PortfolioInputs & { orders: Position[] } => {
      const parsed = portfolioInputs(inputs, sources);
      return { ...parsed, orders: parseOrders(run.orders, parsed.marketData, sources?.orders) };
    },
    readsHistory: (run) => marginReadsHistory(run.margin),
    run: (engine, run, inputs): WhatIfResult => whatIf(engine, inputs.portfolio.positions, inputs.market, inputs.orders, marginMethod(run.margin, inputs)),
  }),
  backtest: recordedMethod({
    parse: portfolioInputs,
    readsHistory: always,
    run: (engine, run: { command: "backtest"; options: Omit<BacktestOptions, "onProgress"> }, inputs): BacktestResult =>
      backtest(engine, inputs.portfolio.positions, inputs.marketData, needHistory(inputs), run.options),
  }),
  derive: recordedMethod({
    parse: (inputs, sources, run: { command: "derive"; profile: unknown }): { portfolio: DerivePortfolio; market: DeriveMarket; profile: DeriveProfile } =>
      parseDeriveInputs(inputs.portfolio, inputs.market, run.profile, { ...sources, profile: sources?.profile ?? "reproducibility.run.profile" }),
    readsHistory: never,
    run: (engine, _, { portfolio, market, profile }): DeriveMarginResult => deriveMargin(engine, portfolio, market, profile),
  }),
  paradex: recordedMethod({
    parse: (inputs, sources, run: { command: "paradex"; profile: MarginProfile; orders: unknown; feeRate?: number }): PortfolioInputs & { orders: OpenOrder[] } =>
      ({ ...portfolioInputs(inputs, sources), orders: parseOpenOrders(run.orders, sources?.orders ?? "reproducibility.run.orders") }),
    readsHistory: never,
    run: (engine, run, { portfolio, market, orders }): ParadexMarginResult =>
      paradexMargin(engine, portfolio.positions, market, { profile: run.profile, orders, ...(run.feeRate !== undefined ? { feeRate: run.feeRate } : {}) }),
  }),
  okx: recordedMethod({
    parse: portfolioInputs,
    readsHistory: never,
    run: (engine, run: { command: "okx"; profile: MarginProfile }, { portfolio, market }): OkxMarginResult =>
      okxMargin(engine, portfolio.positions, market, { profile: run.profile }),
  }),
  bybit: recordedMethod({
    parse: portfolioInputs,
    readsHistory: never,
    run: (engine, run: { command: "bybit"; profile: MarginProfile }, { portfolio, market }): BybitMarginResult =>
      bybitMargin(engine, portfolio.positions, market, { profile: run.profile }),
  }),
  account: recordedMethod({
    parse: accountInputs,
    readsHistory: (run: { command: "account"; margin: MarginRun; distanceToLiquidation: boolean }) => marginReadsHistory(run.margin),
    run: (engine, run, inputs): AccountMarginResult =>
      accountMargin(engine, inputs.account, inputs.marketData, marginMethod(run.margin, inputs), { distanceToLiquidation: run.distanceToLiquidation }),
  }),
};

type Methods = typeof METHODS;
type Command = keyof Methods;
type EntryOf<C extends Command> = Methods[C] extends RecordedMethod<infer S, infer I, infer R> ? RecordedMethod<S, I, R> : never;

/** A method and its parameters, as recorded. */
export type RunSpec = { [C in Command]: EntryOf<C> extends RecordedMethod<infer S, unknown, unknown> ? S : never }[Command];
/** The validated inputs a recorded command runs on. */
export type InputsOf<S extends RunSpec> = EntryOf<S["command"]> extends RecordedMethod<never, infer I, unknown> ? I : never;
/** The result of a recorded command. */
export type ResultOf<S extends RunSpec> = EntryOf<S["command"]> extends RecordedMethod<never, unknown, infer R> ? R : never;

/** The registry's entry for a recorded run; an unknown command is the record's InputError. */
export function methodOf<S extends RunSpec>(spec: S): RecordedMethod<S, InputsOf<S>, ResultOf<S>> {
  const entry = Object.hasOwn(METHODS, spec.command) ? METHODS[spec.command] : undefined;
  if (!entry) throw new InputError("reproducibility.run.command", `unknown command ${JSON.stringify(spec.command)}: one of ${Object.keys(METHODS).join(", ")}`);
  return entry as unknown as RecordedMethod<S, InputsOf<S>, ResultOf<S>>;
}

/** Runs a recorded method on recorded inputs: validated once, then run. */
export function runRecorded<S extends RunSpec>(engine: Engine, spec: S, inputs: RecordedInputs): ResultOf<S> {
  const method = methodOf(spec);
  return method.run(engine, spec, method.parse(inputs, undefined, spec));
}

type SplitCommand = { [C in Command]: Methods[C] extends { split: unknown } ? C : never }[Command];
/** The methods whose work splits into ranges: what the worker pool and the queue run. */
export type SplitName = SplitCommand;
export type SplitInputOf<N extends SplitName> = Methods[N]["split"] extends SplitMethod<infer I, infer _Run, infer _Result> ? I : never;
export type SplitResultOf<N extends SplitName> = Methods[N]["split"] extends SplitMethod<infer _Input, infer _Run, infer R> ? R : never;

/** The split of a method by name; a name that is not one is an InputError (a queue job may carry any). */
export function splitMethod<N extends SplitName>(name: N): SplitMethod<SplitInputOf<N>, unknown, SplitResultOf<N>> {
  const entry = Object.hasOwn(METHODS, name) ? (METHODS[name] as { split?: unknown }) : undefined;
  if (!entry?.split) throw new InputError("method", `${JSON.stringify(name)} is not a method that splits: one of ${splitNames().join(", ")}`);
  return entry.split as SplitMethod<SplitInputOf<N>, unknown, SplitResultOf<N>>;
}

/** The names of the methods that split. */
export const splitNames = (): SplitName[] => (Object.keys(METHODS) as Command[]).filter((c): c is SplitName => "split" in METHODS[c]);

/** The split's plain inputs of a recorded run on its validated inputs. */
export function splitInputOf<S extends Extract<RunSpec, { command: SplitName }>>(spec: S, inputs: InputsOf<S>): SplitInputOf<S["command"]> {
  const entry = METHODS[spec.command] as unknown as { splitInput(spec: S, inputs: InputsOf<S>): SplitInputOf<S["command"]> };
  return entry.splitInput(spec, inputs);
}

/**
 * One range of a stage of a split method, planned on this engine from its plain
 * inputs: what a pool worker or a queue job computes. `onProgress` follows the
 * range's items as they are done (Monte Carlo's paths, chunk by chunk).
 */
export function runPart(
  engine: Engine, name: SplitName, input: unknown, stage: string, range: Range, shared: unknown, onProgress?: (done: number, total: number) => void,
): unknown {
  return planSplit(engine, name, input, onProgress)(stage, range, shared);
}

/** One range of a stage of a run planned once (`more` and `keep` as a StagePart's): what a worker keeps to compute several. */
export type PlannedSplit = (stage: string, range: Range, shared: unknown, more?: () => number, keep?: Take) => unknown;

/** A split method's run planned on this engine from its plain inputs, ready to compute any range of any stage. */
export function planSplit(engine: Engine, name: SplitName, input: unknown, onProgress?: (done: number, total: number) => void): PlannedSplit {
  const method = splitMethod(name) as SplitMethod<unknown, unknown, unknown>;
  const run = method.plan(engine, input, onProgress ? { onProgress } : {});
  return (stage, range, shared, more, keep) => stagePart(method, stage)(run, range, shared, more, keep);
}

/** A split method's whole run on this engine: planned here, each stage one range here. */
export function runSplitHere<N extends SplitName>(engine: Engine, name: N, input: SplitInputOf<N>, options: PlanOptions = {}): Promise<SplitResultOf<N>> {
  const method = splitMethod(name);
  const run = method.plan(engine, input, options);
  return method.coordinate(run, sendHere(method, run));
}
