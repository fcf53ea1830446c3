// OKX API v5 responses ({ code: "0", msg, data: [...] }, numbers as decimal strings) → VenueData.
// Read: public/instruments, public/opt-summary, public/mark-price, market/index-tickers,
// account/positions. Units (www.okx.com/docs-v5): a position's `pos` in contracts of ctVal × ctMult
// (coins for options and USDT/USDC contracts, USD for coin-margined futures and swaps); option mark
// prices in the coin; markVol decimal; fwdPx the expiry's forward in USD.
import * as v from "valibot";
import { InputError } from "../errors.js";
import type { Instrument } from "./instruments.js";
import {
  addQuote, item, checkListedExpiry, classify, emptyVenueData, field, has, instrumentIn, maybeNumeric, millis, name, numeric, originOf,
  parseAt, parseItems, positiveNumeric, signed, type Origin, type ResponseDocument, type VenueData,
} from "./responses.js";

const envelope = item("an OKX response", { code: v.literal("0", 'must be "0" (a successful response)'), data: v.array(v.unknown(), "must be an array") });

const instrument = item("a public/instruments item", {
  instType: v.picklist(["SPOT", "MARGIN", "SWAP", "FUTURES", "OPTION"], "must be SPOT, MARGIN, SWAP, FUTURES or OPTION"),
  instId: name,
  ctVal: maybeNumeric,
  ctMult: maybeNumeric,
  expTime: maybeNumeric,
});
const optSummary = item("a public/opt-summary item", { instId: name, markVol: maybeNumeric, fwdPx: positiveNumeric, ts: millis });
const markPrice = item("a public/mark-price item", { instId: name, markPx: positiveNumeric, ts: millis });
const indexTicker = item("a market/index-tickers item", { instId: name, idxPx: positiveNumeric, ts: millis });
const position = item("an account/positions item", {
  instType: name,
  instId: name,
  pos: numeric,
  posSide: v.picklist(["long", "short", "net"], "must be long, short or net"),
  avgPx: maybeNumeric,
});

const ENDPOINTS = {
  "account/positions": (x: unknown) => has(x, "instId", "pos", "posSide"),
  "public/instruments": (x: unknown) => has(x, "instId", "instType", "ctVal"),
  "public/opt-summary": (x: unknown) => has(x, "instId", "markVol", "fwdPx"),
  "public/mark-price": (x: unknown) => has(x, "instId", "markPx", "ts"),
  "market/index-tickers": (x: unknown) => has(x, "instId", "idxPx", "ts"),
};

function payload(doc: ResponseDocument): unknown {
  const code = field(doc.json, "code");
  if (code !== undefined && code !== "0") throw new InputError("code", `the response is an error: ${JSON.stringify(field(doc.json, "msg") ?? code)}`, doc.source);
  return parseAt(envelope, doc.json, [], doc.source).data;
}

/** Reads OKX responses (each file one response of the endpoints above, recognised by its fields) into VenueData. */
export function readOkx(documents: readonly ResponseDocument[]): VenueData {
  const docs = classify("OKX", documents, ENDPOINTS, payload);
  const data = emptyVenueData();
  const items = <S extends v.GenericSchema>(schema: S, body: unknown, source?: string) => parseItems(schema, body as unknown[], ["data"], "instId", source);

  // Contract sizes are ctVal × ctMult: an instrument's unit here is one contract.
  const listed = new Map<string, Instrument>();
  for (const { doc, payload: body } of docs["public/instruments"]) {
    items(instrument, body, doc.source).forEach((x, j) => {
      if (x.instType === "SPOT" || x.instType === "MARGIN") return;
      const at = `data[${j}]`;
      const i = instrumentIn("okx", x.instId, `${at}.instId`, doc.source);
      if (x.expTime !== undefined) checkListedExpiry(i, x.expTime, `${at}.expTime`, doc.source);
      if (x.ctVal === undefined || !(x.ctVal > 0)) throw new InputError(`${at}.ctVal`, `${x.instId}: must be a contract value > 0`, doc.source);
      const size = x.ctVal * (x.ctMult ?? 1);
      listed.set(i.name, i.settlement === "inverse" && i.kind !== "option" ? { ...i, faceValue: size } : { ...i, contractSize: size });
    });
  }
  const named = (text: string, path: string, source?: string): Instrument => instrumentIn("okx", text, path, source, listed);

  // A mark price and the option summary of one option are one quote.
  const marks = new Map<string, { instrument: Instrument; mark: number; ts: number; at: Origin }>();
  for (const { doc, payload: body } of docs["public/mark-price"]) {
    items(markPrice, body, doc.source).forEach((m, j) => {
      const i = named(m.instId, `data[${j}].instId`, doc.source);
      const at = originOf(`data[${j}]`, doc.source);
      if (i.kind === "option") marks.set(i.name, { instrument: i, mark: m.markPx, ts: m.ts, at });
      else addQuote(data, i, { mark: m.markPx, timestamp: m.ts, timestampPath: `${at.path}.ts` }, at, "markPx");
    });
  }
  for (const { doc, payload: body } of docs["public/opt-summary"]) {
    items(optSummary, body, doc.source).forEach((s, j) => {
      const i = named(s.instId, `data[${j}].instId`, doc.source);
      const mark = marks.get(i.name);
      marks.delete(i.name);
      addQuote(data, i, { mark: mark?.mark, markIv: s.markVol, forward: s.fwdPx, timestamp: Math.min(s.ts, mark?.ts ?? s.ts), timestampPath: `data[${j}].ts` }, originOf(`data[${j}]`, doc.source));
    });
  }
  // An option marked but not in an option summary: its mark alone.
  for (const m of marks.values()) addQuote(data, m.instrument, { mark: m.mark, timestamp: m.ts, timestampPath: `${m.at.path}.ts` }, m.at, "markPx");
  for (const { doc, payload: body } of docs["market/index-tickers"]) {
    items(indexTicker, body, doc.source).forEach((x, j) => {
      // Index ids are "BTC-USD", "BTC-USDT": the coin is the underlying.
      data.indices.push({ underlying: x.instId.split("-")[0]!, price: x.idxPx, timestamp: x.ts });
    });
  }
  for (const { doc, payload: body } of docs["account/positions"]) {
    items(position, body, doc.source).forEach((p, j) => {
      if (p.pos === 0) return;
      const at = originOf(`data[${j}]`, doc.source);
      const i = named(p.instId, `${at.path}.instId`, doc.source);
      if (!listed.has(i.name)) {
        throw new InputError(`${at.path}.instId`, `${i.name}: its contract size (ctVal × ctMult) is not known — give the public/instruments response of its instType`, doc.source);
      }
      const quantity = p.posSide === "net" ? p.pos : signed(p.pos, p.posSide, "long", "short", `${at.path}.posSide`, doc.source);
      data.positions.push({ instrument: i, quantity, ...at, ...(i.kind !== "option" && p.avgPx !== undefined ? { entryPrice: p.avgPx } : {}) });
    });
  }
  return data;
}
