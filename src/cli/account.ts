// pmargin account: an account's margin status — combined and per venue — with its
// collateral, add-ons, distance to liquidation, depeg and venue-failure stresses.
import { cliEngine } from "./engine.js";
import type { AccountMarginResult } from "../account/account.js";
import { accountInputs } from "../runs/registry.js";
import type { MarginStatus } from "../account/status.js";
import { fmt, pct, signed, TerminalTable } from "./format.js";
import { marginRunOf, type MarginCommandOptions } from "./margin.js";
import { recordedRun, withHistoryOf } from "./recorded.js";
import { readJsonFile } from "./run.js";

export type AccountCommandOptions = MarginCommandOptions & { distance?: boolean };

export async function accountCommand(accountPath: string, marketPath: string, opts: AccountCommandOptions): Promise<void> {
  const recorded = { portfolio: await readJsonFile(accountPath), market: await readJsonFile(marketPath) };
  const parsed = accountInputs(recorded, { portfolio: accountPath, market: marketPath });
  const spec = { command: "account" as const, margin: await marginRunOf(opts), distanceToLiquidation: opts.distance !== false };
  const r = await recordedRun(await cliEngine(), spec, await withHistoryOf(spec, { recorded, parsed }, opts.history), opts);
  if (r) print(r, parsed.account.name ?? accountPath);
}

const ratio = (s: MarginStatus): string => (s.marginRatio === null ? "no equity" : pct(s.marginRatio));

function print(r: AccountMarginResult, name: string): void {
  console.log(`${name} — ${r.basis}; margin call at ${pct(r.thresholds.marginCall)}, liquidation at ${pct(r.thresholds.liquidation)} of MM / equity`);
  const columns = [{ label: "combined", m: r }, ...(r.venues.length > 1 || r.venues[0]!.basis !== r.basis ? r.venues.map((v) => ({ label: v.basis === r.basis ? v.venue : `${v.venue} (${v.basis})`, m: v })) : [])];
  const status = new TerminalTable({ head: ["USD", ...columns.map((c) => c.label)] });
  const row = (label: string, f: (m: AccountMarginResult | AccountMarginResult["venues"][number]) => string): void => {
    status.push([label, ...columns.map((c) => f(c.m))]);
  };
  row("collateral after haircuts", (m) => fmt(m.collateralValue));
  row("positions value", (m) => fmt(m.positionsValue));
  row("equity", (m) => fmt(m.equity));
  row("initial margin", (m) => fmt(m.initial));
  row("maintenance margin", (m) => fmt(m.maintenance));
  row("  of which liquidity add-on", (m) => fmt(m.addOns.liquidity.usd));
  row("  of which concentration add-on", (m) => fmt(m.addOns.concentration.usd));
  row("margin ratio (MM / equity)", ratio);
  row("available funds", (m) => fmt(m.availableFunds));
  row("state", (m) => m.state);
  console.log(status.toString());

  const collateral = new TerminalTable({ head: ["venue", "asset", "quantity", "price", "value, USD", "haircut", "after haircut, USD"] });
  for (const c of r.collateral) collateral.push([c.venue, c.asset, fmt(c.quantity, 4), fmt(c.price), fmt(c.valueUsd), pct(c.haircut), fmt(c.haircutValueUsd)]);
  console.log(collateral.toString());

  const unpriced = [...new Set([...r.addOns.liquidity.unpriced, ...r.addOns.concentration.unpriced])];
  if (unpriced.length > 0) console.log(`No liquidity data in the market for ${unpriced.join(", ")}: no add-ons there`);

  if (r.distanceToLiquidation.length > 0) {
    const point = (p: { move: number; price: number } | null, searched: number): string => (p ? `${signed(p.move)} (${fmt(p.price)})` : `none within ±${pct(searched)}`);
    const distance = new TerminalTable({ head: ["distance to liquidation", "index", "down", "up"] });
    for (const d of r.distanceToLiquidation) distance.push([d.underlying, fmt(d.index), point(d.down, d.searched), point(d.up, d.searched)]);
    console.log(distance.toString());
  }

  if (r.depeg) {
    const prices = Object.entries(r.depeg.prices).map(([a, p]) => `${a} ${p}`).join(", ");
    console.log(`Depeg (${prices}): equity ${fmt(r.depeg.equity)} USD (−${fmt(r.depeg.lossUsd)}), margin ratio ${ratio(r.depeg)}, ${r.depeg.state}`);
  }

  if (r.venueFailures.length > 0) {
    const failures = new TerminalTable({ head: ["venue fails", "frozen equity", "loss", "equity left", "IM", "MM", "margin ratio", "state"] });
    for (const f of r.venueFailures) {
      const s = f.remaining;
      failures.push([f.venue, fmt(f.frozenEquity), fmt(f.lossUsd), fmt(s.equity), fmt(s.initial), fmt(s.maintenance), ratio(s), s.state]);
    }
    console.log(failures.toString());
  }
  if (r.crossVenue) {
    const c = r.crossVenue;
    // Negative when the combined method is stricter than the venues' own profiles.
    console.log(`IM venue by venue ${fmt(c.sumOfVenues.initial)} USD, as one book ${fmt(c.combined.initial)} USD: offset benefit ${fmt(c.offsetBenefit)} USD`);
  }
}
