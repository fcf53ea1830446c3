// Paradex REST responses ({ results: [...] }, numbers as decimal strings) → VenueData. Read:
// GET /v1/markets/summary?market=ALL and GET /v1/positions (docs.paradex.trade). Every market is
// USDC-settled; prices in USD, sizes in coins, IVs decimal.
import * as v from "valibot";
import { InputError } from "../errors.js";
import {
  addQuote, item, classify, emptyVenueData, field, has, instrumentIn, maybeNumeric, millis, name, numeric, originOf,
  parseAt, parseItems, positiveNumeric, signed, type ResponseDocument, type VenueData,
} from "./responses.js";

const envelope = item("a Paradex response", { results: v.array(v.unknown(), "must be an array") });
const summary = item("a markets/summary item", {
  symbol: name,
  mark_price: positiveNumeric,
  created_at: millis,
  underlying_price: maybeNumeric,
  mark_iv: maybeNumeric,
  bid: maybeNumeric,
  ask: maybeNumeric,
});
const position = item("a positions item", {
  market: name,
  side: v.picklist(["LONG", "SHORT", ""], 'must be "LONG", "SHORT" or ""'),
  size: numeric,
  status: v.optional(name),
  average_entry_price: maybeNumeric,
});

const ENDPOINTS = {
  "positions": (x: unknown) => has(x, "market", "side", "size"),
  "markets/summary": (x: unknown) => has(x, "symbol", "mark_price", "created_at"),
};

function payload(doc: ResponseDocument): unknown {
  const error = field(doc.json, "error");
  if (error !== undefined) throw new InputError("error", `the response is an error: ${JSON.stringify(field(doc.json, "message") ?? error)}`, doc.source);
  return parseAt(envelope, doc.json, [], doc.source).results;
}

/** Reads Paradex responses (markets summary, positions) into VenueData. */
export function readParadex(documents: readonly ResponseDocument[]): VenueData {
  const docs = classify("Paradex", documents, ENDPOINTS, payload);
  const data = emptyVenueData();
  for (const { doc, payload: body } of docs["markets/summary"]) {
    parseItems(summary, body as unknown[], ["results"], "symbol", doc.source).forEach((s, j) => {
      const at = originOf(`results[${j}]`, doc.source);
      const i = instrumentIn("paradex", s.symbol, `${at.path}.symbol`, doc.source);
      addQuote(data, i, { mark: s.mark_price, markIv: s.mark_iv, forward: i.kind === "option" ? s.underlying_price : undefined, bid: s.bid, ask: s.ask, timestamp: s.created_at, timestampPath: `${at.path}.created_at` }, at);
      // A perpetual's underlying price is the spot index.
      if (i.kind === "perpetual" && s.underlying_price !== undefined && s.underlying_price > 0) data.indices.push({ underlying: i.underlying, price: s.underlying_price, timestamp: s.created_at });
    });
  }
  for (const { doc, payload: body } of docs["positions"]) {
    parseItems(position, body as unknown[], ["results"], "market", doc.source).forEach((p, j) => {
      if (p.side === "" || p.size === 0 || p.status === "CLOSED") return;
      const at = originOf(`results[${j}]`, doc.source);
      const i = instrumentIn("paradex", p.market, `${at.path}.market`, doc.source);
      const quantity = signed(p.size, p.side, "LONG", "SHORT", `${at.path}.side`, doc.source);
      data.positions.push({ instrument: i, quantity, ...at, ...(i.kind !== "option" && p.average_entry_price !== undefined ? { entryPrice: p.average_entry_price } : {}) });
    });
  }
  return data;
}
