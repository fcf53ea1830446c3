// The price history behind the historical, stress and backtest commands: the
// user's CSV files, or the shipped Binance daily closes — the files themselves,
// which a result's reproducibility record carries.
import type { PriceOutlier } from "../history/history.js";
import { readPriceFile } from "../history/history.js";
import { shippedCsv } from "../history/shipped.js";

export async function historyFiles(files: string[] | undefined): Promise<{ name: string; text: string }[]> {
  return files && files.length > 0 ? Promise.all(files.map(readPriceFile)) : shippedCsv();
}

export const HISTORY_OPTION = ["--history <files...>", "price history CSV files (default: the shipped Binance daily closes, data/)"] as const;

/** One line warning of a history's outlier (a likely bad tick), used as it is without --strict. */
export function outlierWarning(o: PriceOutlier): string {
  return `warning: ${o.symbol} jumped ${o.logReturn >= 0 ? "×" : "÷"}${Math.exp(Math.abs(o.logReturn)).toPrecision(3)} from ${o.from} to ${o.at}, ${Math.round(o.deviations)} robust deviations: likely a bad tick, used as it is (--strict refuses it)`;
}
