// Derive (formerly Lyra) JSON-RPC responses ({ id, result }, numbers as decimal strings) → VenueData.
// Read: public/get_ticker (one instrument), public/get_tickers ({ tickers: { name: ticker } }) and
// private/get_positions (docs.derive.xyz). Every instrument is USDC-settled; prices in USD, amounts
// in coins (signed), IVs decimal; an option's forward is its option_pricing.forward_price.
import * as v from "valibot";
import { InputError } from "../errors.js";
import {
  addQuote, item, classify, emptyVenueData, field, has, instrumentIn, maybeNumeric, millis, name, numeric, originOf,
  parseAt, parseItems, positiveNumeric, type ResponseDocument, type VenueData,
} from "./responses.js";

const envelope = item("a JSON-RPC response", { result: v.unknown() });
const ticker = item("a ticker", {
  instrument_name: name,
  timestamp: millis,
  mark_price: positiveNumeric,
  index_price: maybeNumeric,
  best_bid_price: maybeNumeric,
  best_ask_price: maybeNumeric,
  option_pricing: v.optional(v.nullable(item("option_pricing", { iv: maybeNumeric, forward_price: maybeNumeric }))),
});
const positions = item("a private/get_positions result", { positions: v.array(v.unknown(), "must be an array") });
const position = item("a private/get_positions item", { instrument_name: name, amount: numeric, average_price: maybeNumeric });

const ENDPOINTS = {
  "private/get_positions": (x: unknown) => has(x, "subaccount_id", "positions"),
  "public/get_tickers": (x: unknown) => has(x, "tickers"),
  "public/get_ticker": (x: unknown) => has(x, "instrument_name", "mark_price", "timestamp"),
};

function payload(doc: ResponseDocument): unknown {
  const error = field(doc.json, "error");
  if (error !== undefined) throw new InputError("error", `the response is an error: ${JSON.stringify(field(error, "message") ?? error)}`, doc.source);
  return parseAt(envelope, doc.json, [], doc.source).result;
}

/** Reads Derive responses (tickers, positions) into VenueData. */
export function readDerive(documents: readonly ResponseDocument[]): VenueData {
  const docs = classify("Derive", documents, ENDPOINTS, payload);
  const data = emptyVenueData();
  const addTicker = (t: v.InferOutput<typeof ticker>, path: string, source?: string): void => {
    const at = originOf(path, source);
    const i = instrumentIn("derive", t.instrument_name, `${path}.instrument_name`, source);
    const pricing = t.option_pricing ?? undefined;
    addQuote(data, i, { mark: t.mark_price, markIv: pricing?.iv, forward: pricing?.forward_price, bid: t.best_bid_price, ask: t.best_ask_price, timestamp: t.timestamp, timestampPath: `${path}.timestamp` }, at);
    if (t.index_price !== undefined && t.index_price > 0) data.indices.push({ underlying: i.underlying, price: t.index_price, timestamp: t.timestamp });
  };
  for (const { doc, payload: body } of docs["public/get_ticker"]) addTicker(parseAt(ticker, body, ["result"], doc.source), "result", doc.source);
  for (const { doc, payload: body } of docs["public/get_tickers"]) {
    const tickers = field(body, "tickers");
    if (tickers === null || typeof tickers !== "object" || Array.isArray(tickers)) throw new InputError("result.tickers", "must be an object of tickers by instrument name", doc.source);
    for (const [key, t] of Object.entries(tickers)) addTicker(parseAt(ticker, t, ["result", "tickers", key], doc.source), `result.tickers[${JSON.stringify(key)}]`, doc.source);
  }
  for (const { doc, payload: body } of docs["private/get_positions"]) {
    const list = parseAt(positions, body, ["result"], doc.source).positions;
    parseItems(position, list, ["result", "positions"], "instrument_name", doc.source).forEach((p, j) => {
      if (p.amount === 0) return;
      const at = originOf(`result.positions[${j}]`, doc.source);
      const i = instrumentIn("derive", p.instrument_name, `${at.path}.instrument_name`, doc.source);
      data.positions.push({ instrument: i, quantity: p.amount, ...at, ...(i.kind !== "option" && p.average_price !== undefined ? { entryPrice: p.average_price } : {}) });
    });
  }
  return data;
}
