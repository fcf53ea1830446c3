// Paradex's portfolio margin from the command line: IMR and MMR with their parts, under
// Paradex's names, for a portfolio and its resting orders.
import { createEngine } from "../engine/engine.js";
import { InputError } from "../errors.js";
import type { ParadexMarginResult } from "../methods/paradex/pm.js";
import { parseOpenOrders } from "../schema/orders.js";
import { fmt, signed, TerminalTable } from "./format.js";
import { loadProfile } from "./grid.js";
import { readPortfolioInputs, recordedRun } from "./recorded.js";
import { number, readJsonFile } from "./run.js";

export interface ParadexCommandOptions {
  profile: string;
  orders?: string;
  feeRate?: string;
  json?: boolean;
  inputs?: boolean;
}

/** `pmargin paradex <portfolio> <market> [--orders orders.json] [--fee-rate r]`. */
export async function paradexCommand(portfolioPath: string, marketPath: string, opts: ParadexCommandOptions): Promise<void> {
  const given = await readPortfolioInputs(portfolioPath, marketPath);
  const profile = await loadProfile(opts.profile);
  if (!profile.paradex) throw new InputError("--profile", `${opts.profile} has no paradex section (funding, fees, orders): use paradex or a copy of src/profiles/paradex.json`);
  const ordersFile = opts.orders ? await readJsonFile(opts.orders) : { orders: [] };
  const orders = parseOpenOrders(ordersFile, opts.orders);
  const feeRate = opts.feeRate === undefined ? undefined : number("--fee-rate", opts.feeRate);
  if (feeRate !== undefined && !(feeRate >= 0 && feeRate <= 1)) throw new InputError("--fee-rate", `must be a fee rate within [0, 1] (0.0003 = 3 bp), got ${opts.feeRate}`);
  const spec = { command: "paradex" as const, profile, orders: ordersFile, ...(feeRate !== undefined ? { feeRate } : {}) };
  const r = await recordedRun(await createEngine(), spec, { ...given, parsed: { ...given.parsed, orders } }, opts);
  if (r) printParadex(r, given.parsed.portfolio.name ?? portfolioPath);
}

function printParadex(r: ParadexMarginResult, name: string): void {
  console.log(`${name} — Paradex portfolio margin, profile ${r.profile} (USD)`);
  const table = new TerminalTable({
    head: ["base asset", "IMR", "MMR", "worst_loss", "scenario", "delta_min", "fund_p", "fee (IMR)", "spot balances", "portfolio delta"],
  });
  for (const u of r.underlyings) {
    const w = u.worst_scenario;
    table.push([
      u.base_asset, fmt(u.IMR), fmt(u.MMR), fmt(u.worst_loss),
      u.worst_loss > 0 ? `${u.worst_idx + 1}: ${signed(w.spot_shock)} vol ${signed(w.vol_shock)}${w.weight < 1 ? ` ×${w.weight}` : ""}` : "none",
      fmt(u.delta_min), fmt(u.fund_p), fmt(u.fee_provision_imr), fmt(u.spot_balance_margin), u.portfolio_delta.toFixed(4),
    ]);
  }
  console.log(table.toString());
  console.log(`IMR ${fmt(r.IMR)} USD, MMR ${fmt(r.MMR)} USD`);
}
