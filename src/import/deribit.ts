// Deribit API v2 responses (JSON-RPC 2.0: { jsonrpc, id, result, usIn, usOut, … }) → VenueData.
// Read: public/get_instruments, public/get_book_summary_by_currency, public/ticker,
// public/get_index_price, private/get_positions, private/get_open_orders_by_currency.
// Units (docs.deribit.com): option prices in the base coin for inverse options and in USDC for
// BTC_USDC-style ones; mark_iv, bid_iv and ask_iv in percent; futures prices in USD; a position's
// or order's size in USD for inverse futures, in the base coin for options and linear futures.
import * as v from "valibot";
import { InputError } from "../errors.js";
import type { Instrument } from "./instruments.js";
import {
  addQuote, item, checkListedExpiry, classify, emptyVenueData, field, has, instrumentIn, maybeNumeric, millis, name, numeric, originOf,
  parseAt, parseItems, positiveNumeric, type ResponseDocument, type VenueData, type VenuePosition,
} from "./responses.js";

const envelope = item("a JSON-RPC response", { jsonrpc: v.literal("2.0", 'must be "2.0" (a JSON-RPC response)'), result: v.unknown(), usOut: v.optional(numeric) });

const instrument = item("a public/get_instruments item", {
  instrument_name: name,
  kind: v.picklist(["future", "option", "spot", "future_combo", "option_combo"], 'must be "future", "option", "spot" or a combo'),
  expiration_timestamp: millis,
  contract_size: positiveNumeric,
});

const summary = item("a public/get_book_summary_by_currency item", {
  instrument_name: name,
  creation_timestamp: millis,
  mark_price: numeric,
  mark_iv: maybeNumeric,
  underlying_price: maybeNumeric,
  bid_price: maybeNumeric,
  ask_price: maybeNumeric,
  estimated_delivery_price: maybeNumeric,
});

const ticker = item("a public/ticker result", {
  instrument_name: name,
  timestamp: millis,
  mark_price: numeric,
  mark_iv: maybeNumeric,
  underlying_price: maybeNumeric,
  index_price: numeric,
  best_bid_price: maybeNumeric,
  best_ask_price: maybeNumeric,
});

const index = item("a public/get_index_price result", { index_price: positiveNumeric, estimated_delivery_price: numeric });

const position = item("a private/get_positions item", {
  instrument_name: name,
  kind: v.picklist(["future", "option", "spot", "future_combo", "option_combo"], 'must be "future", "option", "spot" or a combo'),
  direction: v.picklist(["buy", "sell", "zero"], 'must be "buy", "sell" or "zero"'),
  size: numeric,
  size_currency: maybeNumeric,
  average_price: maybeNumeric,
});

const order = item("a private/get_open_orders_by_currency item", {
  instrument_name: name,
  direction: v.picklist(["buy", "sell"], 'must be "buy" or "sell"'),
  amount: v.pipe(numeric, v.minValue(0, "must be ≥ 0")),
  filled_amount: v.optional(numeric, 0),
});

const ENDPOINTS = {
  "private/get_open_orders_by_currency": (x: unknown) => has(x, "order_id", "instrument_name"),
  "private/get_positions": (x: unknown) => has(x, "instrument_name", "direction", "size", "kind"),
  "public/get_instruments": (x: unknown) => has(x, "instrument_name", "expiration_timestamp", "contract_size"),
  "public/get_book_summary_by_currency": (x: unknown) => has(x, "instrument_name", "creation_timestamp", "mark_price"),
  "public/ticker": (x: unknown) => has(x, "instrument_name", "timestamp", "best_bid_price"),
  "public/get_index_price": (x: unknown) => has(x, "index_price") && !has(x, "instrument_name"),
};

/** The envelope checked; an error response is an InputError with Deribit's message. */
function payload(doc: ResponseDocument): unknown {
  const error = field(doc.json, "error");
  if (error !== undefined) throw new InputError("error", `the response is an error: ${JSON.stringify(field(error, "message") ?? error)}`, doc.source);
  return parseAt(envelope, doc.json, [], doc.source).result;
}

const listOf = (body: unknown, source?: string): unknown[] => {
  if (!Array.isArray(body)) throw new InputError("result", "must be an array", source);
  return body;
};

/** Sizes in the unit of the pmargin position: an inverse future's USD amount in contracts of its face value; anything else in coins. */
const contracts = (i: Instrument, usdOrCoins: number, coins: number | undefined): number =>
  i.kind !== "option" && i.settlement === "inverse" ? usdOrCoins / i.faceValue! : (i.kind === "option" ? usdOrCoins : coins ?? usdOrCoins);

/**
 * Reads Deribit responses (each file one JSON-RPC response of one of the six endpoints, recognised
 * by its fields) into VenueData.
 */
export function readDeribit(documents: readonly ResponseDocument[]): VenueData {
  const docs = classify("Deribit", documents, ENDPOINTS, payload);
  const data = emptyVenueData();

  // get_instruments: each contract's size (an inverse future's face value) and expiry, checked against its name.
  const listed = new Map<string, Instrument>();
  for (const { doc, payload: body } of docs["public/get_instruments"]) {
    parseItems(instrument, listOf(body, doc.source), ["result"], "instrument_name", doc.source).forEach((item, j) => {
      if (item.kind !== "future" && item.kind !== "option") return;
      const i = instrumentIn("deribit", item.instrument_name, `result[${j}].instrument_name`, doc.source);
      checkListedExpiry(i, item.expiration_timestamp, `result[${j}].expiration_timestamp`, doc.source);
      listed.set(i.name, i.settlement === "inverse" && i.kind !== "option" ? { ...i, faceValue: item.contract_size } : i);
    });
  }
  const named = (text: string, path: string, source?: string): Instrument => instrumentIn("deribit", text, path, source, listed);

  for (const { doc, payload: body } of docs["public/get_book_summary_by_currency"]) {
    parseItems(summary, listOf(body, doc.source), ["result"], "instrument_name", doc.source).forEach((s, j) => {
      const at = originOf(`result[${j}]`, doc.source);
      const i = named(s.instrument_name, `${at.path}.instrument_name`, doc.source);
      const markIv = s.mark_iv === undefined ? undefined : s.mark_iv / 100;
      addQuote(data, i, { mark: s.mark_price, markIv, forward: s.underlying_price, bid: s.bid_price, ask: s.ask_price, timestamp: s.creation_timestamp, timestampPath: `${at.path}.creation_timestamp` }, at);
      // A derivative's estimated delivery price is its index now.
      if (s.estimated_delivery_price !== undefined && s.estimated_delivery_price > 0) {
        data.indices.push({ underlying: i.underlying, price: s.estimated_delivery_price, timestamp: s.creation_timestamp });
      }
    });
  }
  for (const { doc, payload: body } of docs["public/ticker"]) {
    const t = parseAt(ticker, body, ["result"], doc.source);
    const at = originOf("result", doc.source);
    const i = named(t.instrument_name, "result.instrument_name", doc.source);
    const markIv = t.mark_iv === undefined ? undefined : t.mark_iv / 100;
    addQuote(data, i, { mark: t.mark_price, markIv, forward: t.underlying_price, bid: t.best_bid_price, ask: t.best_ask_price, timestamp: t.timestamp, timestampPath: "result.timestamp" }, at);
    data.indices.push({ underlying: i.underlying, price: t.index_price, timestamp: t.timestamp });
  }
  // get_index_price names no currency: it is the one currency the other responses are of.
  for (const { doc, payload: body } of docs["public/get_index_price"]) {
    const x = parseAt(index, body, ["result"], doc.source);
    const currencies = [...new Set([...data.options, ...data.futures].map((q) => q.instrument.underlying))];
    if (currencies.length !== 1) {
      throw new InputError("result.index_price", `public/get_index_price does not say its currency, and the other responses are of ${currencies.length === 0 ? "none" : currencies.join(" and ")}: give it with the chain of one currency`, doc.source);
    }
    const usOut = parseAt(envelope, doc.json, [], doc.source).usOut;
    data.indices.push({ underlying: currencies[0]!, price: x.index_price, ...(usOut !== undefined ? { timestamp: Math.floor(usOut / 1000) } : {}) });
  }

  for (const { doc, payload: body } of docs["private/get_positions"]) {
    parseItems(position, listOf(body, doc.source), ["result"], "instrument_name", doc.source).forEach((p, j) => {
      if (p.direction === "zero" || p.size === 0) return;
      const at = originOf(`result[${j}]`, doc.source);
      const i = named(p.instrument_name, `${at.path}.instrument_name`, doc.source);
      const entry: VenuePosition = { instrument: i, quantity: contracts(i, p.size, p.size_currency), ...at };
      if (i.kind !== "option" && p.average_price !== undefined) entry.entryPrice = p.average_price;
      data.positions.push(entry);
    });
  }
  for (const { doc, payload: body } of docs["private/get_open_orders_by_currency"]) {
    parseItems(order, listOf(body, doc.source), ["result"], "instrument_name", doc.source).forEach((o, j) => {
      const remaining = o.amount - o.filled_amount;
      if (!(remaining > 0)) return;
      const at = originOf(`result[${j}]`, doc.source);
      const i = named(o.instrument_name, `${at.path}.instrument_name`, doc.source);
      data.orders.push({ instrument: i, quantity: (o.direction === "buy" ? 1 : -1) * contracts(i, remaining, remaining), ...at });
    });
  }
  return data;
}
