// Venue API responses → pmargin's portfolio, market and orders: one reader per venue (a table the
// CLI's `pmargin import <venue>` reads too), the instrument-name parsers and the chain's surface.
import { buildImport, type ImportOptions, type ImportResult } from "./build.js";
import { readBybit } from "./bybit.js";
import { readDeribit } from "./deribit.js";
import { readDerive } from "./derive.js";
import { readOkx } from "./okx.js";
import { readParadex } from "./paradex.js";
import type { VenueName } from "./instruments.js";
import type { ResponseDocument, VenueData } from "./responses.js";

export interface VenueReader {
  /** The endpoints whose responses it reads, for help texts. */
  endpoints: readonly string[];
  read(documents: readonly ResponseDocument[]): VenueData;
}

/** Every venue's reader. */
export const VENUE_READERS: Record<VenueName, VenueReader> = {
  deribit: {
    endpoints: ["public/get_instruments", "public/get_book_summary_by_currency", "public/ticker", "public/get_index_price", "private/get_positions", "private/get_open_orders_by_currency"],
    read: readDeribit,
  },
  okx: { endpoints: ["public/instruments", "public/opt-summary", "public/mark-price", "market/index-tickers", "account/positions"], read: readOkx },
  bybit: { endpoints: ["market/instruments-info", "market/tickers", "position/list"], read: readBybit },
  paradex: { endpoints: ["markets/summary", "positions"], read: readParadex },
  derive: { endpoints: ["public/get_ticker", "public/get_tickers", "private/get_positions"], read: readDerive },
};

/**
 * A venue's API responses (parsed JSON, each one response, in any order) → pmargin's market, and
 * its portfolio and orders when positions and open orders were given, with the surface's report.
 *
 * @example
 * ```ts
 * import { importVenue } from "pmargin/import";
 * const { portfolio, market, report } = importVenue("deribit", [{ json: bookSummary }, { json: positions }]);
 * ```
 */
export function importVenue(venue: VenueName, documents: readonly ResponseDocument[], options: ImportOptions = {}): ImportResult {
  return buildImport(venue, VENUE_READERS[venue].read(documents), options);
}

export { buildImport, positionOf, type ImportOptions, type ImportResult, type ImportReport, type UnderlyingImportReport } from "./build.js";
export { importReportLines } from "./report.js";
export { fetchPublic, PUBLIC_ENDPOINTS, type PublicEndpoints } from "./fetch.js";
export { parseInstrumentName, VENUES, type Instrument, type VenueName } from "./instruments.js";
export { chainSurface, parityForward, type SurfaceOptions, type SurfaceReport, type ExpiryReport, type CalendarReport, type DropReason, type ChainSurface } from "./surface.js";
export type { ResponseDocument, VenueData, OptionQuote, FutureQuote, VenuePosition, Origin } from "./responses.js";
export { fitSvi, sviVariance, sviButterflyG, type SviParams, type SviFit } from "../market/svi.js";
export type { MarketData, Portfolio, Position, SpotPosition, FuturePosition, OptionPosition, PositionBase, MmpSetting, UnderlyingMarket, UnderlyingLiquidity, ForwardQuote, VolSlice, Settlement, OptionRight } from "../model/types.js";
