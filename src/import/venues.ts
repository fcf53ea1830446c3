// The venues pmargin imports from and the endpoints each one's reader reads: a module of its own,
// light enough for the CLI to list them without loading the readers.

/** The venues pmargin reads the API responses of. */
export const VENUES = ["deribit", "okx", "bybit", "paradex", "derive"] as const;
export type VenueName = (typeof VENUES)[number];

/** The endpoints whose responses each venue's reader reads, for help texts. */
export const VENUE_ENDPOINTS: Record<VenueName, readonly string[]> = {
  deribit: ["public/get_instruments", "public/get_book_summary_by_currency", "public/ticker", "public/get_index_price", "private/get_positions", "private/get_open_orders_by_currency"],
  okx: ["public/instruments", "public/opt-summary", "public/mark-price", "market/index-tickers", "account/positions"],
  bybit: ["market/instruments-info", "market/tickers", "position/list"],
  paradex: ["markets/summary", "positions"],
  derive: ["public/get_ticker", "public/get_tickers", "private/get_positions"],
};
