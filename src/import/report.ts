// The import report as lines of text: what `pmargin import` prints and the page shows.
import type { ImportResult } from "./build.js";
import type { CalendarReport } from "./surface.js";

const amount = (x: number): string => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const small = (x: number): string => x.toPrecision(3);
const calendarText = (c: CalendarReport): string => (c.ok ? "ok" : `${c.violations.length} decreases of total variance`);

/**
 * Per underlying its index, per expiry its forward, nodes, the quotes left out and the no-arbitrage
 * verdicts, one line each.
 *
 * @example
 * ```ts
 * import { importReportLines, importVenue } from "pmargin/import";
 * console.log(importReportLines(importVenue("deribit", documents)).join("\n"));
 * ```
 */
export function importReportLines(result: ImportResult): string[] {
  const { report, portfolio, orders } = result;
  const lines = [`${report.venue}: ${portfolio?.positions.length ?? 0} positions, ${orders?.positions.length ?? 0} open orders; market as of ${report.asOf}`];
  for (const u of report.underlyings) {
    lines.push(`${u.underlying}  index ${amount(u.index)} (${u.indexFrom})`);
    for (const e of u.expiries) {
      const dropped = Object.entries(e.dropped).map(([why, n]) => `${n} ${why}`).join(", ");
      const butterfly = e.butterfly.ok ? "ok" : `ARBITRAGE at ${e.butterfly.worst!.strike} (${amount(e.butterfly.worst!.value)} USD)`;
      const svi = e.svi ? `  SVI rmse ${small(e.svi.rmse)}, g(k) ${e.svi.butterfly.ok ? "≥ 0" : `< 0 (${small(e.svi.butterfly.minG)} at k = ${small(e.svi.butterfly.atLogMoneyness)})`}` : "";
      lines.push(`  ${e.expiry.slice(0, 10)}  forward ${amount(e.forward)} (${e.forwardFrom})  ${e.nodes} nodes from ${e.quotes} quotes${dropped ? ` (left out: ${dropped})` : ""}  butterfly ${butterfly}${svi}`);
    }
    if (u.expiries.length > 1) lines.push(`  calendar: nodes ${calendarText(u.calendar)}${u.sviCalendar ? `, SVI ${calendarText(u.sviCalendar)}` : ""}`);
  }
  return lines;
}
