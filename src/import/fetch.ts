// The venues' public market-data endpoints, for `pmargin import <venue> --fetch <currency>`: the
// only network calls pmargin makes, and only when asked. Private endpoints (positions, orders) are
// never called: their responses are given as files.
import { InputError } from "../errors.js";
import { parseJson } from "../schema/json.js";
import type { VenueName } from "./venues.js";
import type { ResponseDocument } from "./responses.js";

export interface PublicEndpoints {
  /** The venue's production base URL. */
  base: string;
  /** The paths (with their queries) of a currency's chain, futures marks and index, in the readers' formats. */
  paths(currency: string): string[];
}

/** Each venue's public endpoints; Derive's tickers are listed per expiry, so it has none here. */
export const PUBLIC_ENDPOINTS: Partial<Record<VenueName, PublicEndpoints>> = {
  deribit: {
    base: "https://www.deribit.com/api/v2",
    paths: (c) => [
      `/public/get_book_summary_by_currency?currency=${c}&kind=option`,
      `/public/get_book_summary_by_currency?currency=${c}&kind=future`,
      `/public/get_index_price?index_name=${c.toLowerCase()}_usd`,
    ],
  },
  okx: {
    base: "https://www.okx.com",
    paths: (c) => [
      `/api/v5/public/instruments?instType=OPTION&instFamily=${c}-USD`,
      `/api/v5/public/opt-summary?instFamily=${c}-USD`,
      `/api/v5/public/mark-price?instType=OPTION&instFamily=${c}-USD`,
      `/api/v5/market/index-tickers?instId=${c}-USD`,
    ],
  },
  bybit: {
    base: "https://api.bybit.com",
    paths: (c) => [
      `/v5/market/tickers?category=option&baseCoin=${c}`,
      `/v5/market/tickers?category=linear&symbol=${c}USDT`,
      `/v5/market/tickers?category=inverse&symbol=${c}USD`,
    ],
  },
  paradex: { base: "https://api.prod.paradex.trade/v1", paths: () => ["/markets/summary?market=ALL"] },
};

/**
 * GETs a currency's public market data from a venue (`base` replaces its production URL, e.g. a
 * local server in tests); each response a document named by its URL. A failed request or a status
 * other than 200 is an InputError naming the URL.
 */
export async function fetchPublic(venue: VenueName, currency: string, base?: string): Promise<ResponseDocument[]> {
  const endpoints = PUBLIC_ENDPOINTS[venue];
  if (!endpoints) throw new InputError("--fetch", `${venue} has no public endpoints pmargin fetches: give its responses as files`);
  if (!/^[A-Z0-9]+$/.test(currency)) throw new InputError("--fetch", `must be a currency such as BTC, got ${JSON.stringify(currency)}`);
  return Promise.all(endpoints.paths(currency).map(async (path) => {
    const url = `${base ?? endpoints.base}${path}`;
    let response: Response;
    try {
      response = await fetch(url);
    } catch (e) {
      throw new InputError("", `cannot fetch: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`, url);
    }
    if (response.status !== 200) throw new InputError("", `HTTP ${response.status} ${response.statusText}`, url);
    return { json: parseJson(await response.text(), url), source: url };
  }));
}
