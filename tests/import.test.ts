// Venue API responses → portfolio and market (src/import/): the instrument names of every venue, the
// five readers on the small fixtures of examples/import/ (the documented formats with the team's
// own values), the surface built from a chain, and the errors a bad response gets.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import {
  fitSvi, importVenue, parseInstrumentName, sviButterflyG, sviTotalVariance, VENUES,
  type ImportOptions, type ImportResult, type ResponseDocument, type VenueName,
} from "../src/import/index.js";
import { prepareInputs } from "../src/market/inputs.js";
import { valueBook } from "../src/methods/valuation.js";
import { inputError } from "./helpers/errors.js";

const FIXTURES = new URL("../examples/import/", import.meta.url).pathname;
const files = (venue: VenueName): string[] => readdirSync(join(FIXTURES, venue)).sort().map((f) => join(FIXTURES, venue, f));
const docs = (venue: VenueName, edit?: (name: string, json: any) => void): ResponseDocument[] =>
  files(venue).map((path) => {
    const json = JSON.parse(readFileSync(path, "utf8"));
    const name = path.slice(path.lastIndexOf("/") + 1);
    edit?.(name, json);
    return { json, source: name };
  });
const load = (venue: VenueName, options?: ImportOptions, edit?: (name: string, json: any) => void): ImportResult => importVenue(venue, docs(venue, edit), options);

describe("instrument names", () => {
  const cases: [VenueName, string, Record<string, unknown>][] = [
    ["deribit", "BTC-27FEB26-70000-P", { underlying: "BTC", kind: "option", settlement: "inverse", settlementCurrency: "BTC", expiry: "2026-02-27T08:00:00Z", strike: 70000, right: "put", contractSize: 1 }],
    ["deribit", "BTC_USDC-27FEB26-70000-C", { underlying: "BTC", kind: "option", settlement: "linear", settlementCurrency: "USDC", right: "call" }],
    ["deribit", "XRP_USDC-27FEB26-0d625-C", { underlying: "XRP", strike: 0.625 }],
    ["deribit", "BTC-PERPETUAL", { kind: "perpetual", settlement: "inverse", faceValue: 10 }],
    ["deribit", "ETH-27FEB26", { kind: "future", settlement: "inverse", faceValue: 1, expiry: "2026-02-27T08:00:00Z" }],
    ["deribit", "BTC_USDC-PERPETUAL", { kind: "perpetual", settlement: "linear", settlementCurrency: "USDC", contractSize: 1 }],
    ["okx", "BTC-USD-260227-70000-P", { underlying: "BTC", kind: "option", settlement: "inverse", settlementCurrency: "BTC", expiry: "2026-02-27T08:00:00Z", strike: 70000, right: "put" }],
    ["okx", "BTC-USDT-SWAP", { kind: "perpetual", settlement: "linear", settlementCurrency: "USDT" }],
    ["okx", "BTC-USD-260227", { kind: "future", settlement: "inverse", faceValue: 100 }],
    ["okx", "ETH-USD-SWAP", { kind: "perpetual", settlement: "inverse", faceValue: 10 }],
    ["bybit", "BTC-27FEB26-70000-P-USDT", { kind: "option", settlement: "linear", settlementCurrency: "USDT", strike: 70000 }],
    ["bybit", "BTC-27FEB26-70000-P", { kind: "option", settlement: "linear", settlementCurrency: "USDC" }],
    ["bybit", "BTCUSDT", { underlying: "BTC", kind: "perpetual", settlement: "linear", settlementCurrency: "USDT", contractSize: 1 }],
    ["bybit", "BTCUSD", { underlying: "BTC", kind: "perpetual", settlement: "inverse", faceValue: 1 }],
    ["bybit", "BTCUSDH26", { kind: "future", settlement: "inverse", expiry: "2026-03-27T08:00:00Z" }],
    ["bybit", "BTCPERP", { kind: "perpetual", settlementCurrency: "USDC" }],
    ["paradex", "BTC-USD-27FEB26-70000-P", { kind: "option", settlement: "linear", settlementCurrency: "USDC", expiry: "2026-02-27T08:00:00Z" }],
    ["paradex", "BTC-USD-PERP", { kind: "perpetual", settlement: "linear" }],
    ["derive", "BTC-20260227-70000-P", { kind: "option", settlement: "linear", expiry: "2026-02-27T08:00:00Z", strike: 70000, right: "put" }],
    ["derive", "BTC-PERP", { kind: "perpetual", settlement: "linear" }],
  ];
  for (const [venue, name, expected] of cases) {
    it(`${venue} ${name}`, () => expect(parseInstrumentName(venue, name)).toMatchObject({ venue, name, ...expected }));
  }

  it("Bybit's inverse futures expire on the last Friday of their month (H26: 27 March 2026, a Friday)", () => {
    const { expiry } = parseInstrumentName("bybit", "BTCUSDM26");
    expect(expiry).toBe("2026-06-26T08:00:00Z");
    expect(new Date(expiry!).getUTCDay()).toBe(5);
  });

  it("an unknown name, an impossible date or a zero strike is an InputError naming it", () => {
    expect(inputError(() => parseInstrumentName("okx", "BTC-27FEB26-70000-P")).message).toMatch(/unknown okx instrument "BTC-27FEB26-70000-P"/);
    expect(inputError(() => parseInstrumentName("deribit", "BTC-30FEB26-70000-P")).message).toMatch(/BTC-30FEB26-70000-P: names an impossible expiry/);
    expect(inputError(() => parseInstrumentName("derive", "BTC-20260227-0-C")).message).toMatch(/strike must be > 0/);
    expect(inputError(() => parseInstrumentName("paradex", "BTC-USD-27FEB26-70000-X")).path).toBe("instrument_name");
  });
});

describe("the venues' fixtures imported", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await createEngine();
  });

  /** Each option's mark in the fixture, in its premium currency, by name: the file and how to read it. */
  const marks: Record<VenueName, [string, (json: any) => [string, number][]]> = {
    deribit: ["book_summary.json", (j) => j.result.filter((x: any) => "mark_iv" in x).map((x: any) => [x.instrument_name, x.mark_price])],
    okx: ["mark_price.json", (j) => j.data.filter((x: any) => x.instType === "OPTION").map((x: any) => [x.instId, Number(x.markPx)])],
    bybit: ["tickers_option.json", (j) => j.result.list.map((x: any) => [x.symbol, Number(x.markPrice)])],
    paradex: ["markets_summary.json", (j) => j.results.filter((x: any) => x.mark_iv).map((x: any) => [x.symbol, Number(x.mark_price)])],
    derive: ["tickers.json", (j) => Object.values(j.result.tickers).filter((x: any) => x.option_pricing).map((x: any) => [x.instrument_name, Number(x.mark_price)])],
  };

  for (const venue of VENUES) {
    it(`${venue}: every option of the chain is repriced by pmargin at the venue's mark (the fixtures' marks are Black-76 at their own rounded vols)`, () => {
      // Priced at the fixtures' own valuation time (the responses' latest timestamp is a little before it).
      const result = load(venue, { asOf: "2026-02-20T12:00:00Z" });
      const [file, read] = marks[venue];
      const all = read(docs(venue).find((d) => d.source === file)!.json);
      expect(all.length).toBe(20);
      const positions = all.map(([name]) => {
        const i = parseInstrumentName(venue, name);
        return { id: name, kind: "option" as const, underlying: i.underlying, settlement: i.settlement, right: i.right!, strike: i.strike!, expiry: i.expiry!, quantity: 1 };
      });
      const { portfolio, market } = prepareInputs({ positions }, result.market);
      const values = valueBook(engine, engine.compile(portfolio.positions, market), market).positions;
      values.forEach((v, j) => expect(Math.abs(v.price - all[j]![1])).toBeLessThan(v.currency === "USD" ? 1e-4 : 1e-8));
    });

    it(`${venue}: the portfolio and market are what pmargin's own parsers accept, and margin runs on them`, () => {
      const { portfolio, market } = load(venue);
      const inputs = prepareInputs(portfolio, market);
      expect(inputs.portfolio.positions.length).toBeGreaterThan(0);
      const values = valueBook(engine, engine.compile(inputs.portfolio.positions, inputs.market), inputs.market);
      expect(Number.isFinite(values.totalUsd)).toBe(true);
    });
  }

  it("positions keep each venue's units: Deribit's inverse future sizes in USD become 10-USD contracts, OKX contracts of ctVal × ctMult, Bybit inverse contracts of 1 USD", () => {
    const deribit = load("deribit");
    expect(deribit.portfolio!.positions.map((p) => [p.id, p.quantity])).toEqual([["BTC-PERPETUAL", -5000], ["BTC-27MAR26", 2000], ["BTC-27FEB26-73000-C", -5], ["BTC-27MAR26-65000-P", 3]]);
    expect(deribit.portfolio!.positions[0]).toMatchObject({ faceValue: 10, entryPrice: 70230 });
    // The sell order of 2 with 0.5 filled rests 1.5; the perpetual's 10,000 USD are 1,000 contracts.
    expect(deribit.orders!.positions.map((p) => [p.id, p.quantity])).toEqual([["BTC-27FEB26-76000-C", -1.5], ["BTC-PERPETUAL", 1000]]);
    expect(deribit.market.underlyings.BTC!.marks).toEqual({ "BTC-PERPETUAL": 70021.5, "BTC-27FEB26": 70085.5, "BTC-27MAR26": 70412 });
    const okx = load("okx").portfolio!.positions;
    expect(okx.map((p) => [p.id, p.quantity, p.kind === "future" && p.settlement === "inverse" ? p.faceValue : p.kind === "spot" ? 1 : p.contractSize])).toEqual([
      ["BTC-USD-260227-73000-C", -400, 0.01], ["BTC-USD-260327-65000-P", 250, 0.01], ["BTC-USD-SWAP", -500, 100], ["BTC-USDT-SWAP", 30, 0.01],
    ]);
    const bybit = load("bybit").portfolio!.positions;
    expect(bybit.map((p) => [p.id, p.quantity, p.kind === "spot" ? "coin" : p.settlement])).toEqual([["BTCUSD", -25000, "inverse"], ["BTCUSDT", 0.6, "linear"], ["BTC-27FEB26-73000-C", -4, "linear"], ["BTC-27MAR26-65000-P", 2.5, "linear"]]);
  });
});

describe("the other endpoints", () => {
  const rpc = (result: unknown) => ({ jsonrpc: "2.0", id: 1, result, usIn: 1771588799998000, usOut: 1771588799998100, usDiff: 100, testnet: false });
  const instrument = (name: string, kind: string, expiration: number, contractSize: number) => ({
    tick_size: 0.5, taker_commission: 0.0005, settlement_period: "month", settlement_currency: "BTC", quote_currency: "USD", price_index: "btc_usd",
    min_trade_amount: 10, max_leverage: 50, maker_commission: 0, kind, is_active: true, instrument_name: name, instrument_id: 1, expiration_timestamp: expiration,
    creation_timestamp: 1769500800000, counter_currency: "USD", contract_size: contractSize, block_trade_tick_size: 0.01, base_currency: "BTC", state: "open",
  });

  it("Deribit get_instruments: an inverse future's face value is its contract_size; an expiry that is not the name's is an error", () => {
    const listed = rpc([instrument("BTC-27MAR26", "future", Date.parse("2026-03-27T08:00:00Z"), 25)]);
    const r = importVenue("deribit", [...docs("deribit"), { json: listed, source: "instruments.json" }]);
    expect(r.portfolio!.positions.find((p) => p.id === "BTC-27MAR26")).toMatchObject({ faceValue: 25, quantity: 20000 / 25 });
    const wrong = rpc([instrument("BTC-27MAR26", "future", Date.parse("2026-03-27T09:00:00Z"), 10)]);
    const e = inputError(() => importVenue("deribit", [...docs("deribit"), { json: wrong, source: "instruments.json" }]));
    expect([e.source, e.path]).toEqual(["instruments.json", "result[0].expiration_timestamp"]);
    expect(e.reason).toMatch(/BTC-27MAR26: 2026-03-27T09:00:00.000Z is not the expiry its name gives, 2026-03-27T08:00:00Z/);
  });

  it("Deribit public/ticker: an option's quote (mark IV in percent) and its index", () => {
    const ticker = rpc({
      timestamp: 1771588799500, stats: { volume: 1.2, price_change: 0, low: 0.01, high: 0.02 }, state: "open", settlement_price: 0.015, open_interest: 40,
      min_price: 0.0001, max_price: 0.2, mark_price: 0.0150, mark_iv: 52.1, last_price: 0.0155, interest_rate: 0, instrument_name: "BTC-27FEB26-72000-C",
      index_price: 70003.1, greeks: { vega: 40, theta: -90, rho: 3, gamma: 0.0001, delta: 0.4 }, estimated_delivery_price: 70003.1, bid_iv: 51, best_bid_price: 0.0145,
      best_bid_amount: 3, best_ask_price: 0.0155, best_ask_amount: 2, ask_iv: 53.2, underlying_price: 70085.5, underlying_index: "BTC-27FEB26",
    });
    const r = importVenue("deribit", [{ json: ticker, source: "ticker.json" }]);
    expect(r.market.underlyings.BTC).toMatchObject({ index: 70003.1, forwards: [{ expiry: "2026-02-27T08:00:00Z", price: 70085.5 }], surface: [{ strikes: [72000], vols: [0.521] }] });
  });

  it("Derive public/get_ticker: one instrument's ticker, its option_pricing's iv and forward", () => {
    const tickers = docs("derive").find((d) => d.source === "tickers.json")!.json as any;
    const one = { id: 3, result: tickers.result.tickers["BTC-20260227-70000-C"] };
    const r = importVenue("derive", [{ json: one, source: "ticker.json" }]);
    expect(r.market.underlyings.BTC!.surface![0]!.vols).toEqual([Number(one.result.option_pricing.iv)]);
    expect(r.report.underlyings[0]!.expiries[0]!.forward).toBe(70085.5);
  });
});

describe("surfaces from a chain", () => {
  it("forwards by put–call parity when the venue gives no underlying price and no future: the fixture's forward back, inverse (Deribit) and linear (Bybit)", () => {
    const summary = docs("deribit").find((d) => d.source === "book_summary.json")!.json as any;
    summary.result = summary.result.filter((x: any) => "mark_iv" in x);
    for (const x of summary.result) delete x.underlying_price;
    const deribit = importVenue("deribit", [{ json: summary }]);
    const bybit = load("bybit", {}, (name, json) => {
      if (name === "tickers_option.json") for (const x of json.result.list) delete x.underlyingPrice;
    });
    for (const r of [deribit, bybit]) {
      const [near, far] = r.report.underlyings[0]!.expiries;
      expect(near!.forwardFrom).toBe("put-call parity");
      // The fixture's marks carry 8 decimals of coin (Deribit) or of USD (Bybit).
      expect(Math.abs(near!.forward - 70085.5)).toBeLessThan(0.05);
      expect(Math.abs(far!.forward - 70412)).toBeLessThan(0.05);
    }
  });

  it("an option without a mark IV takes the vol of its mark price: OKX marks alone give the fixture's vols", () => {
    const marksOnly = importVenue("okx", docs("okx").filter((d) => d.source !== "opt_summary.json" && d.source !== "positions.json"), { asOf: "2026-02-20T12:00:00Z" });
    const withIv = load("okx").market.underlyings.BTC!;
    const near = marksOnly.report.underlyings[0]!.expiries[0]!;
    // No venue forward without opt-summary: put–call parity on the marks gives it.
    expect(near.forwardFrom).toBe("put-call parity");
    marksOnly.market.underlyings.BTC!.surface!.forEach((s, i) => s.vols.forEach((v, j) => expect(Math.abs(v - withIv.surface![i]!.vols[j]!)).toBeLessThan(1e-5)));
  });

  it("a smile from bid/ask mids: crossed and empty quotes are left out and counted", () => {
    const r = load("deribit", { smile: "mid" }, (name, json) => {
      if (name !== "book_summary.json") return;
      const call = json.result.find((x: any) => x.instrument_name === "BTC-27FEB26-70000-C");
      [call.bid_price, call.ask_price] = [call.ask_price, call.bid_price];
      json.result.find((x: any) => x.instrument_name === "BTC-27FEB26-64000-C").bid_price = null;
    });
    const near = r.report.underlyings[0]!.expiries[0]!;
    expect(near.dropped).toEqual({ "crossed quote": 1, "empty quote": 1 });
    // Every strike still has its put (or call): out-of-the-money mids make the nodes.
    expect(near.nodes).toBe(5);
    const marks = load("deribit").market.underlyings.BTC!.surface![0]!.vols;
    r.market.underlyings.BTC!.surface![0]!.vols.forEach((v, i) => expect(Math.abs(v - marks[i]!)).toBeLessThan(0.03));
  });

  it("far wings are left out beyond --wings standard deviations", () => {
    const near = load("deribit", { wings: 0.5 }).report.underlyings[0]!.expiries[0]!;
    expect(near.dropped["far wing"]).toBeGreaterThan(0);
    expect(near.nodes + near.dropped["far wing"]!).toBe(5);
  });

  it("--svi takes each slice's vols from its fit, which on the fixtures' 5 nodes reproduces them", () => {
    const nodes = load("deribit").market.underlyings.BTC!.surface!;
    load("deribit", { svi: true }).market.underlyings.BTC!.surface!.forEach((s, i) => s.vols.forEach((v, j) => expect(Math.abs(v - nodes[i]!.vols[j]!)).toBeLessThan(1e-4)));
  });
});

describe("SVI", () => {
  const t = 0.5;
  const k = [-0.6, -0.4, -0.25, -0.1, 0, 0.1, 0.25, 0.4, 0.6, 0.8];

  it("a fit to a raw SVI smile's own vols gives the smile back", () => {
    const truth = { a: 0.02, b: 0.12, rho: -0.35, m: 0.05, sigma: 0.25 };
    const vols = k.map((x) => Math.sqrt(sviTotalVariance(truth, x) / t));
    const fit = fitSvi(t, k, vols);
    expect(fit.rmse).toBeLessThan(1e-6);
    for (const x of [-0.5, 0, 0.5]) expect(sviTotalVariance(fit.params, x)).toBeCloseTo(sviTotalVariance(truth, x), 6);
  });

  it("g(k) is negative for Gatheral–Jacquier's example of a smile with butterfly arbitrage, positive for a flat one", () => {
    // "Arbitrage-free SVI volatility surfaces" (2014), §2.2: a = −0.0410, b = 0.1331, ρ = 0.3060, m = 0.3586, σ = 0.4153.
    const vogt = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };
    const g = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5].map((x) => sviButterflyG(vogt, x));
    expect(Math.min(...g)).toBeLessThan(0);
    expect(sviButterflyG({ a: 0.04, b: 1e-9, rho: 0, m: 0, sigma: 0.1 }, 0.3)).toBeCloseTo(1, 6);
  });
});

describe("bad responses", () => {
  it("a malformed field names the item, its instrument and the field", () => {
    const e = inputError(() => load("deribit", {}, (name, json) => {
      if (name === "book_summary.json") json.result[3].mark_price = "n/a";
    }));
    expect([e.source, e.path]).toEqual(["book_summary.json", "result[3].mark_price"]);
    expect(e.reason).toBe('BTC-27FEB26-67000-P: must be a number or a decimal string, got "n/a"');
  });

  it("a truncated list item (a required field missing) is an error naming it", () => {
    const e = inputError(() => load("okx", {}, (name, json) => {
      if (name === "opt_summary.json") delete json.data[2].fwdPx;
    }));
    expect([e.source, e.path]).toEqual(["opt_summary.json", "data[2].fwdPx"]);
    expect(e.reason).toBe("BTC-USD-260227-67000-C: is required in a public/opt-summary item");
  });

  it("a position on an instrument missing from the chain is an error naming the instrument", () => {
    const e = inputError(() => load("deribit", {}, (name, json) => {
      if (name === "book_summary.json") json.result = json.result.filter((x: any) => x.instrument_name !== "BTC-27MAR26-65000-P");
    }));
    expect([e.source, e.path]).toEqual(["positions.json", "result[3].instrument"]);
    expect(e.reason).toMatch(/BTC-27MAR26-65000-P is not in the chain/);
  });

  it("a stale quote is an error naming the instrument and its timestamp field", () => {
    const e = inputError(() => load("bybit", {}, (name, json) => {
      if (name === "tickers_linear.json") json.time -= 600_000;
    }));
    expect([e.source, e.path]).toEqual(["tickers_linear.json", "time"]);
    expect(e.reason).toMatch(/^BTCUSDT: stale quote .* 600 s before asOf/);
    // Within --max-age it is read.
    expect(load("bybit", { maxAgeSeconds: 900 }).market.underlyings.BTC!.marks!.BTCUSDT).toBe(70022.1);
  });

  it("an error response, a response of another endpoint and an OKX position without its contract size are errors naming the file", () => {
    const error = inputError(() => importVenue("deribit", [{ json: { jsonrpc: "2.0", id: 1, error: { code: 13009, message: "unauthorized" } }, source: "positions.json" }]));
    expect(error.message).toBe('positions.json: error: the response is an error: "unauthorized"');
    const other = inputError(() => importVenue("deribit", [{ json: { jsonrpc: "2.0", result: [{ foo: 1 }] }, source: "x.json" }]));
    expect(other.message).toMatch(/^x.json: not a Deribit response pmargin reads \(it reads private\/get_open_orders_by_currency, /);
    const okx = inputError(() => importVenue("okx", docs("okx").filter((d) => d.source !== "instruments.json")));
    expect([okx.source, okx.path]).toEqual(["positions.json", "data[0].instId"]);
    expect(okx.reason).toMatch(/contract size \(ctVal × ctMult\) is not known/);
  });
});

describe("pmargin import (CLI)", () => {
  const cli = new URL("../dist/cli/main.js", import.meta.url).pathname;
  const pmargin = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
    if (!existsSync(cli)) throw new Error("dist/cli/main.js is missing: run `npm run build` (npm test does)");
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const out = mkdtempSync(join(tmpdir(), "pmargin-import-"));

  it("deribit: positions, book summary, index and open orders → files that `pmargin margin --profile deribit` and `whatif` read", () => {
    const r = pmargin("import", "deribit", ...files("deribit"), "--out", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deribit: 4 positions, 2 open orders/);
    expect(r.stdout).toMatch(/2026-02-27 {2}forward 70,085.50 \(venue\) {2}5 nodes from 10 quotes {2}butterfly ok/);
    const margin = pmargin("margin", join(out, "portfolio.json"), join(out, "market.json"), "--profile", "deribit", "--json");
    expect(margin.code).toBe(0);
    expect(JSON.parse(margin.stdout).initial).toBeGreaterThan(0);
    expect(pmargin("whatif", join(out, "portfolio.json"), join(out, "market.json"), "--orders", join(out, "orders.json")).code).toBe(0);
  });

  it("a truncated file exits 2 naming it; an unknown instrument exits 2 naming it", () => {
    const truncated = join(out, "truncated.json");
    writeFileSync(truncated, readFileSync(join(FIXTURES, "okx/instruments.json"), "utf8").slice(0, 300));
    const r = pmargin("import", "okx", truncated, "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pmargin: .*truncated\.json: /);
    const unknown = join(out, "unknown.json");
    writeFileSync(unknown, JSON.stringify({ results: [{ symbol: "BTC-USD-FOO", mark_price: "1", created_at: 1771588800000 }] }));
    const u = pmargin("import", "paradex", unknown, "--out", out);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/results\[0\]\.symbol: unknown paradex instrument "BTC-USD-FOO"/);
  });
});
