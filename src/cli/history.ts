// The price history behind the historical, stress and backtest commands: the
// user's CSV files, or the shipped Binance daily closes.
import { loadPriceSeries, type PriceSeries } from "../history/history.js";
import { shippedSeries } from "../history/shipped.js";

export async function historySeries(files: string[] | undefined): Promise<PriceSeries[]> {
  return files && files.length > 0 ? (await loadPriceSeries(files)).series : shippedSeries();
}

export const HISTORY_OPTION = ["--history <files...>", "price history CSV files (default: the shipped Binance daily closes, data/)"] as const;
