// Bybit's portfolio margin from the command line: per risk unit the scan's maximum loss, its
// scenario, the contingency, assetMM and assetIM, under the names of Bybit's Get Portfolio Margin Info.
import { createEngine } from "../engine/engine.js";
import { InputError } from "../errors.js";
import type { BybitMarginResult } from "../methods/bybit/pm.js";
import { fmt, signed, TerminalTable } from "./format.js";
import { loadProfile } from "./grid.js";
import { readPortfolioInputs, recordedRun } from "./recorded.js";

export interface BybitCommandOptions {
  profile: string;
  json?: boolean;
  inputs?: boolean;
}

/** `pmargin bybit <portfolio> <market> [--profile bybit|file.json]`. */
export async function bybitCommand(portfolioPath: string, marketPath: string, opts: BybitCommandOptions): Promise<void> {
  const given = await readPortfolioInputs(portfolioPath, marketPath);
  const profile = await loadProfile(opts.profile);
  if (!profile.bybit) throw new InputError("--profile", `${opts.profile} has no bybit section (IM factor, contingency rates): use bybit or a copy of src/profiles/bybit.json`);
  const r = await recordedRun(await createEngine(), { command: "bybit" as const, profile }, given, opts);
  if (r) printBybit(r, given.parsed.portfolio.name ?? portfolioPath);
}

function printBybit(r: BybitMarginResult, name: string): void {
  console.log(`${name} — Bybit portfolio margin, profile ${r.profile} (USD)`);
  const table = new TerminalTable({ head: ["base coin", "assetMM", "assetIM", "max loss", "scenario", "futureContingency"] });
  for (const u of r.assetPnlRange) {
    table.push([
      u.baseCoin, fmt(u.asset.assetMM), fmt(u.asset.assetIM), fmt(u.maxLoss),
      u.maxLoss > 0 ? `${signed(u.maxLossPriceMove)} IV ${signed(u.maxLossIvShock)}` : "none", fmt(u.contingency.futureContingency),
    ]);
  }
  console.log(table.toString());
  console.log(`accountMM ${fmt(r.accountMM)} USD, accountIM ${fmt(r.accountIM)} USD (option, future-delta, option-vega and USDT–USDC contingencies not modelled: no published formula; borrowing not included)`);
}
