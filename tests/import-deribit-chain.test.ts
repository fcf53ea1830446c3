// The real Deribit chain of 2026-08-22 (issue 24, "must show"): ../shared/data/deribit_options/,
// read from there at test time (never copied: the data has no licence; without it this test skips;
// PMARGIN_SHARED may name another place of the shared folder). Each currency's rows are written out as
// the public/get_book_summary_by_currency response Deribit would have sent, imported, and every option
// repriced by pmargin against Deribit's own mark price.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { importVenue, parseInstrumentName, positionOf, type ImportResult } from "../src/import/index.js";
import { prepareInputs } from "../src/market/inputs.js";
import { valueBook } from "../src/methods/valuation.js";
import { readChain, type ChainRow } from "./helpers/deribit-chain.js";

const SHARED = process.env.PMARGIN_SHARED ?? fileURLToPath(new URL("../../shared", import.meta.url));
const SNAPSHOT = join(SHARED, "data/deribit_options/deribit_options_snapshot_20260822T153351Z.csv");
const present = existsSync(SNAPSHOT);

/** The rows as Deribit's book summary: mark_iv in percent to 2 decimals (as Deribit sends it), an empty side null. */
function bookSummary(rows: readonly ChainRow[], currency: string): unknown {
  const ms = Date.parse(rows[0]!.timestamp.replace(/(\.\d{3})\d+/, "$1"));
  return {
    jsonrpc: "2.0", id: 1, usIn: ms * 1000, usOut: ms * 1000, usDiff: 0, testnet: false,
    result: rows.map((r) => ({
      instrument_name: r.instrument, base_currency: currency, quote_currency: currency,
      mark_price: r.mark, mark_iv: Math.round(r.iv * 10_000) / 100,
      underlying_price: r.futures, underlying_index: r.futuresInstrument,
      bid_price: r.bid > 0 ? r.bid : null, ask_price: r.ask > 0 ? r.ask : null,
      mid_price: r.bid > 0 && r.ask > 0 ? (r.bid + r.ask) / 2 : null,
      estimated_delivery_price: r.index, interest_rate: 0, creation_timestamp: ms,
      volume: 0, volume_usd: 0, open_interest: 0, price_change: null, high: null, low: null, last: null,
    })),
  };
}

describe.skipIf(!present)("the real Deribit chain of 2026-08-22 imported from its book summary (../shared, not shipped)", () => {
  const currencies = ["BTC", "ETH"];
  let rows: Record<string, ChainRow[]>;
  let result: ImportResult;
  beforeAll(() => {
    const csv = readFileSync(SNAPSHOT, "utf8");
    rows = Object.fromEntries(currencies.map((c) => [c, readChain(csv, c)]));
    result = importVenue("deribit", currencies.map((c) => ({ json: bookSummary(rows[c]!, c), source: `${c} book summary` })));
  });

  it("every option of both currencies is repriced by pmargin within 2e-4 coin of Deribit's mark price (the rounding of a 2-decimal mark IV in percent)", async () => {
    const all = currencies.flatMap((c) => rows[c]!);
    const positions = all.map((r) => positionOf(parseInstrumentName("deribit", r.instrument), 1));
    const { portfolio, market } = prepareInputs({ positions }, result.market);
    const engine = await createEngine();
    const values = valueBook(engine, engine.compile(portfolio.positions, market), market).positions;
    expect(values).toHaveLength(all.length);
    const errors = values.map((v, i) => Math.abs(v.price - all[i]!.mark));
    expect(Math.max(...errors)).toBeLessThanOrEqual(2e-4);
  });

  it("the index is the chain's estimated delivery price; each expiry's forward the underlying price Deribit priced it on; each expiry has a smile", () => {
    for (const c of currencies) {
      const u = result.report.underlyings.find((x) => x.underlying === c)!;
      const indices = rows[c]!.map((r) => r.index);
      expect(u.indexFrom).toBe("index");
      expect(u.index >= Math.min(...indices) && u.index <= Math.max(...indices)).toBe(true);
      const expiries = new Set(rows[c]!.map((r) => Date.parse(r.expiry)));
      expect(u.expiries.map((e) => Date.parse(e.expiry)).sort()).toEqual([...expiries].sort());
      for (const e of u.expiries) {
        const prices = rows[c]!.filter((r) => Date.parse(r.expiry) === Date.parse(e.expiry)).map((r) => r.futures);
        expect(e.forwardFrom).toBe("venue");
        expect(e.forward).toBeGreaterThanOrEqual(Math.min(...prices));
        expect(e.forward).toBeLessThanOrEqual(Math.max(...prices));
        expect(e.nodes).toBeGreaterThan(0);
      }
    }
  });

  it("the no-arbitrage report: an admissible SVI fit per expiry of 5 nodes or more, closer to the marks than the best flat smile, and each verdict agreeing with its own evidence", () => {
    for (const u of result.report.underlyings) {
      const slices = result.market.underlyings[u.underlying]!.surface!;
      for (const e of u.expiries) {
        const { vols } = slices.find((s) => s.expiry === e.expiry)!;
        const mean = vols.reduce((a, x) => a + x, 0) / vols.length;
        const flat = Math.sqrt(vols.reduce((a, x) => a + (x - mean) ** 2, 0) / vols.length);
        const { params, rmse, butterfly } = e.svi!;
        expect(e.nodes).toBeGreaterThanOrEqual(5);
        expect(params.b > 0 && Math.abs(params.rho) < 1 && params.sigma > 0).toBe(true);
        expect(params.a + params.b * params.sigma * Math.sqrt(1 - params.rho ** 2)).toBeGreaterThanOrEqual(0);
        expect(rmse).toBeLessThan(flat);
        expect(butterfly.ok).toBe(butterfly.minG >= 0);
        expect(e.butterfly.ok).toBe(e.butterfly.worst!.value >= -e.butterfly.worst!.tolerance);
      }
      expect(u.calendar.ok).toBe(u.calendar.violations.length === 0);
      for (const v of u.calendar.violations) expect(v.variance).toBeLessThan(v.previousVariance);
    }
  });
});
