// Number formats and the table shared by the CLI's output.
import Table, { type TableConstructorOptions } from "cli-table3";
import type { Diversification } from "../methods/scenario-risk.js";
import type { TailRisk } from "../risk/tail.js";

/** Compact, uncoloured tables: readable in a terminal and in a log file alike. */
const style = { compact: true, head: [], border: [] };

/** The width to fit: the terminal's, or $COLUMNS when the output is not a terminal (none: as wide as it takes). */
const outputWidth = (): number | undefined =>
  process.stdout.isTTY ? process.stdout.columns : Number(process.env.COLUMNS) || undefined;

/** A table's width from its columns' widths (each with its padding): one border character between and around them. */
const tableWidth = (widths: readonly number[]): number => widths.reduce((sum, w) => sum + w + 1, 1);

/**
 * A compact table that fits the output's width. When it is too wide, the columns with the most
 * room are narrowed and their text wrapped at spaces, never below a column's longest word, so a
 * number is never cut; when even that is too wide, the columns are printed in groups, one table
 * each, every group led by the first column.
 */
export class TerminalTable extends Table {
  constructor(options: Omit<TableConstructorOptions, "style">) {
    super({ ...options, style });
  }

  override toString(): string {
    Object.assign(this.options, { colWidths: [], rowHeights: [] });
    const natural = super.toString();
    const width = outputWidth();
    if (width === undefined || natural.indexOf("\n") <= width) return natural;
    const widths = [...this.options.colWidths] as number[];
    const rows = [this.options.head, ...(this as unknown as unknown[][])];
    const least = widths.map((_, c) => 2 + Math.max(1, ...rows.flatMap((row) => String(row[c] ?? "").split(/\s+/).map((word) => word.length))));
    if (tableWidth(least) > width && widths.length > 2) return this.inGroups(width, least);
    for (let excess = tableWidth(widths) - width; excess > 0; excess--) {
      let widest = -1;
      widths.forEach((w, c) => { if (w > least[c]! && (widest < 0 || w > widths[widest]!)) widest = c; });
      if (widest < 0) break;
      widths[widest]!--;
    }
    Object.assign(this.options, { colWidths: widths, rowHeights: [], wordWrap: true });
    return super.toString();
  }

  /** The columns in groups that fit `width` at their least widths, each group a table led by the first column. */
  private inGroups(width: number, least: readonly number[]): string {
    const groups: number[][] = [[0]];
    for (let c = 1; c < least.length; c++) {
      const group = groups.at(-1)!;
      if (group.length > 1 && tableWidth([...group, c].map((i) => least[i]!)) > width) groups.push([0, c]);
      else group.push(c);
    }
    const { head, colAligns } = this.options;
    return groups.map((columns) => {
      const part = new TerminalTable({ head: columns.map((c) => head[c]!), colAligns: columns.map((c) => colAligns[c] ?? "left") });
      part.push(...(this as unknown as unknown[][]).map((row) => columns.map((c) => row[c]) as Table.Cell[]));
      return part.toString();
    }).join("\n");
  }
}

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
