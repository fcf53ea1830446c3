import { cliEngine } from "./engine.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import { InputError } from "../errors.js";
import { prepareInputs } from "../market/inputs.js";
import { deltaHedge } from "../methods/hedge.js";
import { optimiseMargin, type MarginOptimisationResult, type SizedHedge } from "../methods/optimise.js";
import type { MarginMethod } from "../methods/margin.js";
import { MARGIN_METHODS, marginMethod, marginReadsHistory, parseHistory, type MarginRun } from "../runs/registry.js";
import { checkAgainstMarket, parseMonteCarloModel, parsePortfolio, parseProfile } from "../schema/index.js";
import { checkPriceable } from "../schema/cross.js";
import { parseHedgeCandidates } from "../schema/candidates.js";
import { fmt, TerminalTable } from "./format.js";
import { loadProfile } from "./grid.js";
import { historyFiles } from "./history.js";
import { readPortfolioInputs, recordedRun, withHistoryOf } from "./recorded.js";
import { deriveMarginCommand } from "./derive.js";
import { isDeriveProfile } from "../schema/derive.js";
import { number, readJsonFile } from "./run.js";
import deriveProfileJson from "../profiles/derive.json" with { type: "json" };

export interface MarginCommandOptions {
  method: string;
  profile: string;
  model?: string;
  paths?: string;
  seed?: string;
  history?: string[];
  mmRatio?: string;
  json?: boolean;
}

type MarginMethodName = MarginRun["method"];
type MmRatio = { mmRatio?: number };

/** Each margin method of the registry from its flags (the price history's files are read with the inputs). */
const FROM_FLAGS: { [M in MarginMethodName]: (opts: MarginCommandOptions, mmRatio: MmRatio, profileJson?: unknown) => Promise<Extract<MarginRun, { method: M }>> } = {
  grid: async (opts, _, profileJson) =>
    ({ method: "grid", profile: profileJson === undefined ? await loadProfile(opts.profile) : parseProfile(profileJson, opts.profile) }),
  "monte-carlo": async (opts, mmRatio) => {
    // A copy: the flags below override the file's (parsed, so frozen) fields.
    const model: MonteCarloModelInput = opts.model ? { ...parseMonteCarloModel(await readJsonFile(opts.model), opts.model) } : {};
    if (opts.paths !== undefined) model.paths = number("--paths", opts.paths);
    if (opts.seed !== undefined) model.seed = number("--seed", opts.seed);
    return { method: "monte-carlo", model, ...mmRatio };
  },
  historical: async (_, mmRatio) => ({ method: "historical", ...mmRatio }),
};

/**
 * The margin method the flags ask for (--method names it as the registry's entry does), as
 * recorded; `profileJson`, the --profile file when it was read already.
 */
export async function marginRunOf(opts: MarginCommandOptions, profileJson?: unknown): Promise<MarginRun> {
  const mmRatio = opts.mmRatio !== undefined ? { mmRatio: number("--mm-ratio", opts.mmRatio) } : {};
  const names = Object.keys(MARGIN_METHODS) as MarginMethodName[];
  const method = names.find((m) => MARGIN_METHODS[m].flag === opts.method);
  if (method === undefined) {
    const flags = names.map((m) => MARGIN_METHODS[m].flag);
    throw new InputError("--method", `must be ${flags.slice(0, -1).join(", ")} or ${flags.at(-1)}, got ${opts.method}`);
  }
  return FROM_FLAGS[method](opts, mmRatio, profileJson);
}

/** The margin method the flags ask for, ready to run (for commands that keep no record). */
export async function marginMethodOf(opts: MarginCommandOptions): Promise<MarginMethod> {
  const run = await marginRunOf(opts);
  return marginMethod(run, marginReadsHistory(run) ? { history: parseHistory(await historyFiles(opts.history)) } : {});
}

export async function marginCommand(portfolioPath: string, marketPath: string, opts: MarginCommandOptions): Promise<void> {
  // A Derive profile names its own model, on its own portfolio and market files.
  const profileJson = opts.profile === "derive" ? deriveProfileJson : opts.profile.endsWith(".json") ? await readJsonFile(opts.profile) : undefined;
  if (isDeriveProfile(profileJson)) {
    if (opts.method !== "grid") throw new InputError("--method", `a Derive profile is its own method: leave --method out, got ${opts.method}`);
    return deriveMarginCommand(portfolioPath, marketPath, opts.profile === "derive" ? "profiles/derive.json" : opts.profile, profileJson, opts);
  }
  const given = await readPortfolioInputs(portfolioPath, marketPath);
  const spec = { command: "margin" as const, ...(await marginRunOf(opts, profileJson)) };
  const engine = await cliEngine();
  const m = await recordedRun(engine, spec, await withHistoryOf(spec, given, opts.history), opts);
  if (!m) return;
  console.log(`${given.parsed.portfolio.name ?? portfolioPath} — ${m.basis}`);
  console.log(`Initial margin ${fmt(m.initial)} USD, maintenance margin ${fmt(m.maintenance)} USD`);
}

export async function whatIfCommand(portfolioPath: string, marketPath: string, opts: MarginCommandOptions & { orders: string }): Promise<void> {
  const given = await readPortfolioInputs(portfolioPath, marketPath);
  const { portfolio, marketData } = given.parsed;
  // Orders are written like a portfolio: { "positions": [...] }, the trades to try.
  const orderFile = parsePortfolio(await readJsonFile(opts.orders), opts.orders);
  checkAgainstMarket(orderFile, marketData, opts.orders);
  const spec = { command: "whatif" as const, margin: await marginRunOf(opts), orders: orderFile.positions };
  const inputs = await withHistoryOf(spec, { ...given, parsed: { ...given.parsed, orders: orderFile.positions } }, opts.history);
  const engine = await cliEngine();
  const w = await recordedRun(engine, spec, inputs, opts);
  if (!w) return;
  console.log(`${portfolio.name ?? portfolioPath} — what-if margin, ${w.before.basis}`);
  const table = new TerminalTable({ head: ["", "initial, USD", "maintenance, USD", "incremental initial, USD"] });
  table.push(["book now", fmt(w.before.initial), fmt(w.before.maintenance), ""]);
  for (const o of w.orders) table.push([`+ ${o.id} alone`, fmt(o.initial), "", fmt(o.incrementalInitial)]);
  table.push(["+ all orders", fmt(w.after.initial), fmt(w.after.maintenance), fmt(w.incremental.initial)]);
  console.log(table.toString());
}

export async function hedgeCommand(portfolioPath: string, marketPath: string, opts: MarginCommandOptions & { inverse?: boolean; candidates?: string }): Promise<void> {
  const { portfolio, marketData, market } = prepareInputs(await readJsonFile(portfolioPath), await readJsonFile(marketPath), { portfolio: portfolioPath, market: marketPath });
  const engine = await cliEngine();
  const spec = await marginMethodOf(opts);
  if (opts.candidates) {
    const candidates = parseHedgeCandidates(await readJsonFile(opts.candidates), opts.candidates);
    checkPriceable({ positions: candidates.map((c) => c.position) }, marketData, opts.candidates);
    return optimisationReport(optimiseMargin(engine, portfolio.positions, market, candidates, spec), portfolio.name ?? portfolioPath, opts.json);
  }
  const r = deltaHedge(engine, portfolio.positions, market, spec, { settlement: opts.inverse ? "inverse" : "linear" });
  if (opts.json) {
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  console.log(`${portfolio.name ?? portfolioPath} — delta hedge with ${opts.inverse ? "inverse" : "linear"} perpetuals, ${r.before.basis}`);
  const table = new TerminalTable({ head: ["underlying", "delta now (coin)", "hedge", "delta after"] });
  for (const h of r.hedges) {
    const q = h.hedge;
    const hedge = !q ? "none" : q.kind === "future" && q.settlement === "inverse" ? `${fmt(q.quantity, 0)} × ${q.faceValue} USD contracts` : `${fmt(q.quantity, 4)} coins`;
    table.push([h.underlying, fmt(h.deltaBefore, 4), hedge, fmt(h.deltaAfter, 4)]);
  }
  console.log(table.toString());
  console.log(`Initial margin ${fmt(r.before.initial)} USD → ${fmt(r.after.initial)} USD after the hedges`);
}

function optimisationReport(r: MarginOptimisationResult, name: string, json?: boolean): void {
  if (json) {
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  console.log(`${name} — margin optimisation over the candidate hedges; initial margin now ${fmt(r.initialUsd)} USD`);
  const rows = (title: string, hedges: SizedHedge[]): void => {
    const table = new TerminalTable({ head: [title, "size (units)", "IM after, USD", "saved, USD", "cost, USD"] });
    for (const h of hedges) table.push([h.id, fmt(h.size, 4), fmt(h.initialUsd), fmt(h.savedUsd), fmt(h.costUsd)]);
    console.log(table.toString());
  };
  rows("each candidate alone", r.single);
  rows("greedy, in order", r.greedy);
  console.log(`Greedy combination: ${fmt(r.initialUsd)} USD → ${fmt(r.greedyInitialUsd)} USD`);
}
