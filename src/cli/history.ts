// The price history behind the historical, stress and backtest commands: the
// user's CSV files, or the shipped Binance daily closes — the files themselves,
// which a result's reproducibility record carries.
import { readPriceFile } from "../history/history.js";
import { shippedCsv } from "../history/shipped.js";

export async function historyFiles(files: string[] | undefined): Promise<{ name: string; text: string }[]> {
  return files && files.length > 0 ? Promise.all(files.map(readPriceFile)) : shippedCsv();
}

export const HISTORY_OPTION = ["--history <files...>", "price history CSV files (default: the shipped Binance daily closes, data/)"] as const;
