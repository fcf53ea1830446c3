// Number formats and table style shared by the CLI's tables.

/** Compact, uncoloured tables: readable in a terminal and in a log file alike. */
export const style = { compact: true, head: [], border: [] };

export const fmt = (x: number, digits = 2): string =>
  x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Two decimals for amounts of 1 or more, four significant digits below. */
export const sig = (x: number): string => (Math.abs(x) >= 1 ? fmt(x, 2) : x.toPrecision(4));
