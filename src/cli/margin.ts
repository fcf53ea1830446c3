import Table from "cli-table3";
import { InputError } from "../errors.js";
import { prepareInputs } from "../market/inputs.js";
import { createEngine } from "../engine/engine.js";
import { deltaHedge } from "../methods/hedge.js";
import { optimiseMargin, type MarginOptimisation, type SizedHedge } from "../methods/optimise.js";
import type { HeadlineMargin, MarginMethod, WhatIf } from "../methods/margin.js";
import { marginMethod, type MarginRun, type RecordedInputs } from "../verify/reproducibility.js";
import { checkAgainstMarket, parseMonteCarloModel, parsePortfolio } from "../schema/index.js";
import { parseHedgeCandidates } from "../schema/candidates.js";
import { fmt, style } from "./format.js";
import { loadProfile } from "./grid.js";
import { historyFiles } from "./history.js";
import { recordedRun } from "./recorded.js";
import { number, readJsonFile } from "./run.js";

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

/** The margin method the flags ask for, as recorded (the history files are read with the inputs). */
async function marginRunOf(opts: MarginCommandOptions): Promise<MarginRun> {
  const mmRatio = opts.mmRatio !== undefined ? { mmRatio: number("--mm-ratio", opts.mmRatio) } : {};
  switch (opts.method) {
    case "grid":
      return { method: "grid", profile: await loadProfile(opts.profile) };
    case "mc": {
      const model = opts.model ? parseMonteCarloModel(await readJsonFile(opts.model), opts.model) : {};
      if (opts.paths !== undefined) model.paths = number("--paths", opts.paths);
      if (opts.seed !== undefined) model.seed = number("--seed", opts.seed);
      return { method: "monte-carlo", model, ...mmRatio };
    }
    case "hist":
      return { method: "historical", ...mmRatio };
    default:
      throw new InputError("--method", `must be grid, mc or hist, got ${opts.method}`);
  }
}

/** The recorded form of a margin method, and the inputs it reads (the history's files for hist). */
export async function recordable(opts: MarginCommandOptions, raw: { portfolio: unknown; market: unknown }): Promise<{ margin: MarginRun; inputs: RecordedInputs }> {
  const margin = await marginRunOf(opts);
  return { margin, inputs: margin.method === "historical" ? { ...raw, history: await historyFiles(opts.history) } : raw };
}

/** The margin method the flags ask for, ready to run (for commands that keep no record). */
export async function methodOf(opts: MarginCommandOptions): Promise<MarginMethod> {
  const { margin, inputs } = await recordable(opts, { portfolio: undefined, market: undefined });
  return marginMethod(margin, inputs);
}

export async function marginCommand(portfolioPath: string, marketPath: string, opts: MarginCommandOptions): Promise<void> {
  const raw = { portfolio: await readJsonFile(portfolioPath), market: await readJsonFile(marketPath) };
  const { portfolio } = prepareInputs(raw.portfolio, raw.market, { portfolio: portfolioPath, market: marketPath });
  const { margin, inputs } = await recordable(opts, raw);
  const engine = await createEngine();
  const m = await recordedRun<HeadlineMargin>(engine, { command: "margin", ...margin }, inputs, opts.json);
  if (!m) return;
  console.log(`${portfolio.name ?? portfolioPath} — ${m.basis}`);
  console.log(`Initial margin ${fmt(m.initial)} USD, maintenance margin ${fmt(m.maintenance)} USD`);
}

export async function whatIfCommand(portfolioPath: string, marketPath: string, opts: MarginCommandOptions & { orders: string }): Promise<void> {
  const raw = { portfolio: await readJsonFile(portfolioPath), market: await readJsonFile(marketPath) };
  const { portfolio } = prepareInputs(raw.portfolio, raw.market, { portfolio: portfolioPath, market: marketPath });
  // Orders are written like a portfolio: { "positions": [...] }, the trades to try.
  const orderFile = parsePortfolio(await readJsonFile(opts.orders), opts.orders);
  prepareInputs(orderFile, raw.market, { portfolio: opts.orders, market: marketPath });
  const { margin, inputs } = await recordable(opts, raw);
  const engine = await createEngine();
  const w = await recordedRun<WhatIf>(engine, { command: "whatif", margin, orders: orderFile.positions }, inputs, opts.json);
  if (!w) return;
  console.log(`${portfolio.name ?? portfolioPath} — what-if margin, ${w.before.basis}`);
  const table = new Table({ head: ["", "initial, USD", "maintenance, USD", "incremental initial, USD"], style });
  table.push(["book now", fmt(w.before.initial), fmt(w.before.maintenance), ""]);
  for (const o of w.orders) table.push([`+ ${o.id} alone`, fmt(o.initial), "", fmt(o.incrementalInitial)]);
  table.push(["+ all orders", fmt(w.after.initial), fmt(w.after.maintenance), fmt(w.incremental.initial)]);
  console.log(table.toString());
}

export async function hedgeCommand(portfolioPath: string, marketPath: string, opts: MarginCommandOptions & { inverse?: boolean; candidates?: string }): Promise<void> {
  const { portfolio, marketData, market } = prepareInputs(await readJsonFile(portfolioPath), await readJsonFile(marketPath), { portfolio: portfolioPath, market: marketPath });
  const engine = await createEngine();
  const spec = await methodOf(opts);
  if (opts.candidates) {
    const candidates = parseHedgeCandidates(await readJsonFile(opts.candidates), opts.candidates);
    checkAgainstMarket({ positions: candidates.map((c) => c.position) }, marketData, opts.candidates);
    return optimisationReport(optimiseMargin(engine, portfolio.positions, market, candidates, spec), portfolio.name ?? portfolioPath, opts.json);
  }
  const r = deltaHedge(engine, portfolio.positions, market, spec, { settlement: opts.inverse ? "inverse" : "linear" });
  if (opts.json) {
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  console.log(`${portfolio.name ?? portfolioPath} — delta hedge with ${opts.inverse ? "inverse" : "linear"} perpetuals, ${r.before.basis}`);
  const table = new Table({ head: ["underlying", "delta now (coin)", "hedge", "delta after"], style });
  for (const h of r.hedges) {
    const q = h.hedge;
    const hedge = !q ? "none" : q.kind === "future" && q.settlement === "inverse" ? `${fmt(q.quantity, 0)} × ${q.faceValue} USD contracts` : `${fmt(q.quantity, 4)} coins`;
    table.push([h.underlying, fmt(h.deltaBefore, 4), hedge, fmt(h.deltaAfter, 4)]);
  }
  console.log(table.toString());
  console.log(`Initial margin ${fmt(r.before.initial)} USD → ${fmt(r.after.initial)} USD after the hedges`);
}

function optimisationReport(r: MarginOptimisation, name: string, json?: boolean): void {
  if (json) {
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  console.log(`${name} — margin optimisation over the candidate hedges; initial margin now ${fmt(r.initialUsd)} USD`);
  const rows = (title: string, hedges: SizedHedge[]): void => {
    const table = new Table({ head: [title, "size (units)", "IM after, USD", "saved, USD", "cost, USD"], style });
    for (const h of hedges) table.push([h.id, fmt(h.size, 4), fmt(h.initialUsd), fmt(h.savedUsd), fmt(h.costUsd)]);
    console.log(table.toString());
  };
  rows("each candidate alone", r.single);
  rows("greedy, in order", r.greedy);
  console.log(`Greedy combination: ${fmt(r.initialUsd)} USD → ${fmt(r.greedyInitialUsd)} USD`);
}
