import { cliEngine } from "./engine.js";
import type { Engine } from "../engine/engine.js";
import type { Market } from "../market/market.js";
import { greeksMargin } from "../methods/greeks-margin.js";
import { gridAttribution } from "../methods/grid/attribution.js";
import type { Position } from "../model/types.js";
import { readPortfolioInputs, recordedRun } from "./recorded.js";
import type { UnderlyingGridMargin } from "../methods/grid/grid.js";
import type { DeribitRiskMatrix } from "../methods/grid/risk-matrix.js";
import { builtInProfile, type BuiltInProfileName } from "../schema/profiles.js";
import type { MarginProfile } from "../model/profile.js";
import { parseProfile } from "../schema/profile.js";
import { readJsonFile } from "./run.js";
import { fmt, signed, TerminalTable } from "./format.js";

export interface GridCommandOptions {
  profile: string;
  json?: boolean;
  matrix?: boolean;
  greeks?: boolean;
  attribution?: boolean;
  perPosition?: boolean;
}

export async function gridCommand(portfolioPath: string, marketPath: string, opts: GridCommandOptions): Promise<void> {
  const inputs = await readPortfolioInputs(portfolioPath, marketPath);
  const { portfolio, market } = inputs.parsed;
  const profile = await loadProfile(opts.profile);
  const engine = await cliEngine();
  const result = await recordedRun(engine, { command: "grid", profile, perPosition: opts.perPosition ?? false }, inputs, opts);
  if (!result) return;
  const table = new TerminalTable({
    head: ["underlying", "report in", "initial", "maintenance", "worst loss", "worst scenario", "short opt", "roll", "delta shock", "standalone"],
  });
  for (const m of result.underlyings) {
    const both = (a: { usd: number; coin: number }): string =>
      m.reportCurrency === "USD" ? `${fmt(a.usd)} USD` : `${a.coin.toFixed(4)} ${m.underlying} (${fmt(a.usd)} USD)`;
    const w = m.worstScenario;
    table.push([
      m.underlying, m.reportCurrency, both(m.initial), both(m.maintenance), both(m.worstLoss),
      w ? `${signed(w.move)} vol ${w.vol}${w.extended ? ` ×${+w.weight.toPrecision(4)}` : ""}` : "none",
      fmt(m.contingencies.shortOption.usd), fmt(m.contingencies.roll.usd), fmt(m.contingencies.deltaShock.usd), both(m.standalone),
    ]);
  }
  console.log(`${portfolio.name ?? portfolioPath} — scenario-grid margin, profile ${result.profile}`);
  console.log(table.toString());
  console.log(`Initial margin ${fmt(result.initial)} USD, maintenance ${fmt(result.maintenance)} USD` +
    (result.spreadCredit > 0 ? ` (after an inter-underlying credit of ${fmt(result.spreadCredit)} USD)` : ""));
  console.log(`Single-position margin ${fmt(result.standalone)} USD: portfolio margining saves ${fmt(result.offsetBenefit)} USD`);
  for (const m of result.underlyings) for (const book of m.settlements ?? [m]) if (book.deribit) console.log(deribitLine(m.underlying, book.deribit));
  if (opts.matrix) for (const m of result.underlyings) console.log(riskMatrix(m));
  if (opts.greeks) console.log(greeksTable(engine, portfolio.positions, market, profile));
  if (opts.attribution) {
    const table = new TerminalTable({ head: ["position", "underlying", "share of worst loss, USD", "marginal initial margin, USD"] });
    for (const a of gridAttribution(engine, portfolio.positions, market, profile)) {
      table.push([a.id, a.underlying, fmt(a.worstLossShareUsd), fmt(a.marginalInitialUsd)]);
    }
    console.log(`Attribution (shares add up to each underlying's worst loss; negative: the position hedges):\n${table.toString()}`);
  }
}

/** A built-in profile by name, or a profile file. */
export async function loadProfile(nameOrPath: string): Promise<MarginProfile> {
  return nameOrPath.endsWith(".json") ? parseProfile(await readJsonFile(nameOrPath), nameOrPath) : builtInProfile(nameOrPath as BuiltInProfileName); // an unknown name: InputError
}


/** An underlying's figures as Deribit's private/pme/simulate names them. */
function deribitLine(u: string, d: DeribitRiskMatrix): string {
  const b = d.worst_case_bucket;
  const n = (x: number): string => `${+x.toPrecision(8)}`;
  return `${u} as Deribit reports it (${d.currency}): worst_case ${n(d.worst_case)} (bucket ${b.bucket} ${b.side}, ${b.source}[${b.index}]), ` +
    `roll_shock ${n(d.roll_shock)}, delta_shock ${n(d.delta_shock)}, risk_matrix_margin ${n(d.risk_matrix_margin)}, maintenance_margin ${n(d.maintenance_margin)}`;
}

/** The risk matrix of one underlying: price moves down, vol states across, PnL in USD; tails below. */
function riskMatrix(m: UnderlyingGridMargin): string {
  const vols = [...new Set(m.scenarios.filter((s) => !s.extended).map((s) => s.vol))];
  const moves = [...new Set(m.scenarios.filter((s) => !s.extended).map((s) => s.move))];
  const table = new TerminalTable({ head: [`${m.underlying} PnL USD`, ...vols.map((v) => `vol ${v}`)] });
  for (const move of moves) {
    table.push([signed(move), ...vols.map((vol) => fmt(m.pnlUsd[m.scenarios.findIndex((s) => !s.extended && s.move === move && s.vol === vol)]!))]);
  }
  m.scenarios.forEach((s, i) => {
    if (s.extended) table.push([`${signed(s.move)} ×${+s.weight.toPrecision(4)} (vol ${s.vol})`, fmt(m.pnlUsd[i]!), ...vols.slice(1).map(() => "")]);
  });
  return table.toString();
}

/** Greeks-based grid margin beside full revaluation, per underlying. */
function greeksTable(engine: Engine, positions: Position[], market: Market, profile: MarginProfile): string {
  const table = new TerminalTable({
    head: ["underlying", "delta (coin)", "gamma", "vega (USD/vol pt)", "worst loss, full", "worst loss, Greeks", "largest error", "at"],
  });
  for (const u of greeksMargin(engine, positions, market, profile)) {
    const at = u.maxErrorScenario;
    table.push([u.underlying, fmt(u.delta, 4), u.gamma.toPrecision(3), fmt(u.vega), fmt(u.fullWorstLossUsd), fmt(u.greeksWorstLossUsd), fmt(u.maxErrorUsd),
      `${signed(at.move)} vol ${at.vol}`]);
  }
  return `Delta–gamma–vega approximation of the grid's USD PnL against full revaluation:\n${table.toString()}`;
}
