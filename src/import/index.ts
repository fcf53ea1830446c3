// Venue API responses → pmargin's portfolio, market and orders: one reader per venue (a table the
// CLI's `pmargin import <venue>` reads too), the instrument-name parsers and the chain's surface.
import { buildImport, type ImportOptions, type ImportResult } from "./build.js";
import { readBybit } from "./bybit.js";
import { readDeribit } from "./deribit.js";
import { readDerive } from "./derive.js";
import { readOkx } from "./okx.js";
import { readParadex } from "./paradex.js";
import type { VenueName } from "./venues.js";
import type { ResponseDocument, VenueData } from "./responses.js";

/** Each venue's reader of its responses. */
export const VENUE_READERS: Record<VenueName, (documents: readonly ResponseDocument[]) => VenueData> = {
  deribit: readDeribit,
  okx: readOkx,
  bybit: readBybit,
  paradex: readParadex,
  derive: readDerive,
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
  return buildImport(venue, VENUE_READERS[venue](documents), options);
}

export { buildImport, positionOf, type ImportOptions, type ImportResult, type ImportReport, type UnderlyingImportReport } from "./build.js";
export { importReportLines } from "./report.js";
export { fetchPublic, PUBLIC_ENDPOINTS, type PublicEndpoints } from "./fetch.js";
export { parseInstrumentName, type Instrument } from "./instruments.js";
export { VENUES, VENUE_ENDPOINTS, type VenueName } from "./venues.js";
export { chainSurface, parityForward, type SurfaceOptions, type SurfaceReport, type ExpiryReport, type CalendarReport, type DropReason, type ChainSurface } from "./surface.js";
export type { ResponseDocument, VenueData, OptionQuote, FutureQuote, VenuePosition, Origin } from "./responses.js";
export { fitSvi, sviButterflyG, type SviFit } from "../market/svi.js";
export { sviTotalVariance, type SviSmile, type SviParams } from "../math/svi.js";
export { importDeriveCase, type DeriveCase, type DeriveCaseOptions, type DeriveExpected } from "../schema/derive-case.js";
export type { MarketData, Portfolio, Position, SpotPosition, FuturePosition, OptionPosition, PositionBase, MmpSetting, UnderlyingMarket, UnderlyingLiquidity, ForwardQuote, VolSlice, Settlement, OptionRight } from "../model/types.js";
export type { DerivePortfolio, DeriveMarket, DeriveProfile, DeriveOption, DeriveExpiryFeed, DeriveScenario, DeriveVolShock, ConfidentPrice } from "../model/derive.js";
