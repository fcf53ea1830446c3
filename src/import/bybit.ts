// Bybit API v5 responses ({ retCode: 0, retMsg, result: { category, list: [...] }, time }, numbers as
// decimal strings) → VenueData. Read: market/instruments-info, market/tickers (option, linear,
// inverse) and position/list. Units (bybit-exchange.github.io/docs/v5): option prices in USD (USDC
// or USDT), markIv decimal; a position's size in coins for options and linear contracts, in USD
// (1 USD a contract) for inverse ones.
import * as v from "valibot";
import { InputError } from "../errors.js";
import type { Instrument } from "./instruments.js";
import {
  addQuote, item, checkListedExpiry, classify, emptyVenueData, field, has, instrumentIn, maybeNumeric, millis, name, numeric, originOf,
  parseAt, parseItems, positiveNumeric, signed, type ResponseDocument, type VenueData,
} from "./responses.js";

const CATEGORIES = ["spot", "linear", "inverse", "option"] as const;
const envelope = item("a Bybit v5 response", {
  retCode: v.literal(0, "must be 0 (a successful response)"),
  result: item("its result", { category: v.picklist(CATEGORIES, "must be spot, linear, inverse or option"), list: v.array(v.unknown(), "must be an array") }),
  time: millis,
});

const instrument = item("a market/instruments-info item", { symbol: name, deliveryTime: maybeNumeric });
const ticker = item("a market/tickers item", {
  symbol: name,
  markPrice: positiveNumeric,
  indexPrice: maybeNumeric,
  markIv: maybeNumeric,
  underlyingPrice: maybeNumeric,
  bid1Price: maybeNumeric,
  ask1Price: maybeNumeric,
});
const position = item("a position/list item", { symbol: name, side: v.picklist(["Buy", "Sell", ""], 'must be "Buy", "Sell" or ""'), size: numeric, avgPrice: maybeNumeric });

const ENDPOINTS = {
  "position/list": (x: unknown) => has(x, "symbol", "side", "size"),
  "market/instruments-info": (x: unknown) => has(x, "symbol", "status", "baseCoin"),
  "market/tickers": (x: unknown) => has(x, "symbol", "markPrice"),
};

/** The envelope checked, its list returned with the envelope's fields beside it. */
function payload(doc: ResponseDocument): unknown {
  const code = field(doc.json, "retCode");
  if (code !== undefined && code !== 0) throw new InputError("retCode", `the response is an error: ${JSON.stringify(field(doc.json, "retMsg") ?? code)}`, doc.source);
  return parseAt(envelope, doc.json, [], doc.source).result.list;
}

/** Reads Bybit responses (each file one response of the endpoints above, recognised by its fields) into VenueData. */
export function readBybit(documents: readonly ResponseDocument[]): VenueData {
  const docs = classify("Bybit", documents, ENDPOINTS, payload);
  const data = emptyVenueData();
  const items = <S extends v.GenericSchema>(schema: S, body: unknown, source?: string) => parseItems(schema, body as unknown[], ["result", "list"], "symbol", source);

  const listed = new Map<string, Instrument>();
  for (const { doc, payload: body } of docs["market/instruments-info"]) {
    if (parseAt(envelope, doc.json, [], doc.source).result.category === "spot") continue;
    items(instrument, body, doc.source).forEach((x, j) => {
      const i = instrumentIn("bybit", x.symbol, `result.list[${j}].symbol`, doc.source);
      if (x.deliveryTime !== undefined && x.deliveryTime > 0) checkListedExpiry(i, x.deliveryTime, `result.list[${j}].deliveryTime`, doc.source);
      listed.set(i.name, i);
    });
  }
  const named = (text: string, path: string, source?: string): Instrument => instrumentIn("bybit", text, path, source, listed);

  for (const { doc, payload: body } of docs["market/tickers"]) {
    const { time, result } = parseAt(envelope, doc.json, [], doc.source);
    if (result.category === "spot") continue;
    items(ticker, body, doc.source).forEach((t, j) => {
      const at = originOf(`result.list[${j}]`, doc.source);
      const i = named(t.symbol, `${at.path}.symbol`, doc.source);
      addQuote(data, i, { mark: t.markPrice, markIv: t.markIv, forward: t.underlyingPrice, bid: t.bid1Price, ask: t.ask1Price, timestamp: time, timestampPath: "time" }, at, "markPrice");
      if (t.indexPrice !== undefined && t.indexPrice > 0) data.indices.push({ underlying: i.underlying, price: t.indexPrice, timestamp: time });
    });
  }
  for (const { doc, payload: body } of docs["position/list"]) {
    items(position, body, doc.source).forEach((p, j) => {
      if (p.side === "" || p.size === 0) return;
      const at = originOf(`result.list[${j}]`, doc.source);
      const i = named(p.symbol, `${at.path}.symbol`, doc.source);
      const quantity = signed(p.size, p.side, "Buy", "Sell", `${at.path}.side`, doc.source);
      data.positions.push({ instrument: i, quantity, ...at, ...(i.kind !== "option" && p.avgPrice !== undefined ? { entryPrice: p.avgPrice } : {}) });
    });
  }
  return data;
}
