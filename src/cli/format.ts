// Number formats and table style shared by the CLI's tables.
import type { Diversification } from "../methods/scenario-risk.js";
import type { TailRisk } from "../risk/tail.js";

/** Compact, uncoloured tables: readable in a terminal and in a log file alike. */
export const style = { compact: true, head: [], border: [] };

export const fmt = (x: number, digits = 2): string =>
  x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Two decimals for amounts of 1 or more, four significant digits below. */
export const sig = (x: number): string => (Math.abs(x) >= 1 ? fmt(x, 2) : x.toPrecision(4));

/** A level or a fraction as a percentage: 99.0%, 99.50%. */
export const pct = (x: number): string => `${(100 * x).toFixed(x >= 0.999 ? 2 : 1)}%`;

/** A move with its sign: +12.3%, −4.0%. */
export const signed = (x: number): string => `${x > 0 ? "+" : ""}${(100 * x).toFixed(1)}%`;

/** "VaR 99.0% 12,345.67 ± 89.01" for every level of a tail risk (± one standard error). */
export function estimates(r: TailRisk): string[] {
  return [...r.var.map((e) => ({ ...e, name: `VaR ${pct(e.level)}` })), ...r.es.map((e) => ({ ...e, name: `ES ${pct(e.level)}` }))]
    .map((e) => `${e.name} ${fmt(e.value)} ± ${sig(e.standardError)}`);
}

export function diversificationLines(rows: readonly Diversification[]): string[] {
  return rows.map((d) => `${d.measure} ${pct(d.level)}: standalone sum ${fmt(d.standaloneSum)} USD, portfolio ${fmt(d.portfolio)} USD, diversification benefit ${fmt(d.benefit)} USD`);
}
