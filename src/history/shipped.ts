// The shipped Binance daily closes of BTC, ETH and SOL (data/binance-daily, see its
// README): 2017-08-17 to 2026-03-30 for BTC and ETH, from 2020-08-11 for SOL. Its
// own module because bundlers emit every file a `new URL(…, import.meta.url)`
// names: only code that asks for the data carries it.
import { alignHistory, loadPriceSeries, readPriceFile, type AlignOptions, type PriceHistory, type PriceSeries } from "./history.js";

// Relative to this module, two levels below the package root in src/ and dist/ alike.
const FILES = [
  new URL("../../data/binance-daily/Binance_BTCUSDT_d.csv", import.meta.url),
  new URL("../../data/binance-daily/Binance_ETHUSDT_d.csv", import.meta.url),
  new URL("../../data/binance-daily/Binance_SOLUSDT_d.csv", import.meta.url),
];

/** The shipped files themselves, name and text (for records that must say which data a result used). */
export async function shippedCsv(): Promise<{ name: string; text: string }[]> {
  return Promise.all(FILES.map(readPriceFile));
}

/** Each symbol's full series, unaligned (BTC and ETH reach back further than SOL). */
export async function shippedSeries(): Promise<PriceSeries[]> {
  return (await loadPriceSeries(FILES)).series;
}

/** The shipped series aligned on their common days (or on `symbols`). */
export async function shippedHistory(options: AlignOptions = {}): Promise<PriceHistory> {
  const { series, notes } = await loadPriceSeries(FILES);
  const history = alignHistory(series, options);
  history.report.notes.unshift(...notes);
  return history;
}
