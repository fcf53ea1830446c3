// OKX's portfolio margin from the command line: per risk unit the position builder's
// MR1 … MR9, MMR and IMR, under OKX's names.
import type { OkxMarginResult } from "../methods/okx/pm.js";
import { fmt, signed, TerminalTable } from "./format.js";
import { venueRun, type VenueCommandOptions } from "./venue.js";

export type { VenueCommandOptions as OkxCommandOptions } from "./venue.js";

/** `pmargin okx <portfolio> <market> [--profile okx|file.json]`. */
export async function okxCommand(portfolioPath: string, marketPath: string, opts: VenueCommandOptions): Promise<void> {
  const r = await venueRun("okx", portfolioPath, marketPath, opts);
  if (r) printOkx(r.result, r.name);
}

function printOkx(r: OkxMarginResult, name: string): void {
  console.log(`${name} — OKX portfolio margin, profile ${r.profile} (USD)`);
  const table = new TerminalTable({ head: ["risk unit", "mmr", "imr", "mr1", "scenario", "mr4", "mr6", "mr7", "delta"] });
  for (const u of r.riskUnitData) {
    const s = u.mr1FinalResult;
    table.push([
      u.riskUnit, fmt(u.mmr), fmt(u.imr), fmt(u.mr1), u.mr1 > 0 ? `${signed(s.spotShock)} vol ${s.volShock}` : "none",
      fmt(u.mr4), fmt(u.mr6), fmt(u.mr7), fmt(u.delta),
    ]);
  }
  console.log(table.toString());
  console.log(`derivatives MMR ${fmt(r.derivMmr)} USD, IMR ${fmt(r.derivImr)} USD (MR2, MR3, MR5, MR9: 0, no published formula; borrowing MR8 not included)`);
}
