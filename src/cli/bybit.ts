// Bybit's portfolio margin from the command line: per risk unit the scan's maximum loss, its
// scenario, the contingency, assetMM and assetIM, under the names of Bybit's Get Portfolio Margin Info.
import type { BybitMarginResult } from "../methods/bybit/pm.js";
import { fmt, signed, TerminalTable } from "./format.js";
import { venueRun, type VenueCommandOptions } from "./venue.js";

export type { VenueCommandOptions as BybitCommandOptions } from "./venue.js";

/** `pmargin bybit <portfolio> <market> [--profile bybit|file.json]`. */
export async function bybitCommand(portfolioPath: string, marketPath: string, opts: VenueCommandOptions): Promise<void> {
  const r = await venueRun("bybit", portfolioPath, marketPath, opts);
  if (r) printBybit(r.result, r.name);
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
