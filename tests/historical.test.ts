// Historical and filtered historical simulation against quantiles computed
// here straight from the shipped CSV files with plain arithmetic.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { referenceBackend } from "../src/reference/backend.js";
import { InputError } from "../src/errors.js";
import { ewmaVol } from "../src/history/estimate.js";
import { alignHistory, type PriceSeries } from "../src/history/history.js";
import { shippedSeries } from "../src/history/shipped.js";
import { buildMarket } from "../src/market/market.js";
import { HISTORICAL_CHUNK, historicalVaR, prepareHistorical } from "../src/methods/historical/historical.js";
import type { Position } from "../src/model/types.js";
import { AS_OF, expiryIn } from "./fixtures/synthetic.js";

// Top-level await: vitest runs test files as ES modules.
const engine: Engine = await createEngine();
const series: PriceSeries[] = await shippedSeries();

const S = { BTC: 70_000, ETH: 2_000, SOL: 90 };
const market = buildMarket({
  asOf: AS_OF,
  underlyings: {
    BTC: { index: S.BTC, surface: [{ expiry: expiryIn(60), logMoneyness: [0], vols: [0.5] }] },
    ETH: { index: S.ETH, surface: [{ expiry: expiryIn(60), logMoneyness: [0], vols: [0.7] }] },
    SOL: { index: S.SOL },
  },
});

/** Date → close of one shipped file, read with split and Number only (line 1 banner, line 2 header). */
function closesFromCsv(file: string): Map<string, number> {
  const lines = readFileSync(new URL(`../data/binance-daily/${file}`, import.meta.url), "utf8").trim().split(/\r?\n/).slice(2);
  return new Map(lines.map((line) => {
    const cells = line.split(",");
    return [cells[1]!.slice(0, 10), Number(cells[6])];
  }));
}

/** The ⌈nα⌉-th smallest of the losses. */
const quantile = (losses: number[], alpha: number): number => [...losses].sort((a, b) => a - b)[Math.ceil(losses.length * alpha - 1e-9) - 1]!;

const book: Position[] = [
  { id: "btc", kind: "spot", underlying: "BTC", quantity: 2 },
  { id: "eth", kind: "spot", underlying: "ETH", quantity: -30 },
];

describe("historical VaR of a linear book", () => {
  const from = "2021-01-01";
  const to = "2025-12-31";
  const btc = closesFromCsv("Binance_BTCUSDT_d.csv");
  const eth = closesFromCsv("Binance_ETHUSDT_d.csv");
  const days = [...btc.keys()].filter((d) => eth.has(d) && d >= from && d <= to).sort();
  // Consecutive calendar days only (the range has no missing day: checked below).
  const dayMs = 86_400_000;
  expect(days.every((d, i) => i === 0 || Date.parse(d) - Date.parse(days[i - 1]!) === dayMs)).toBe(true);

  it("equals the empirical 99% quantile of today's book under every 1-day joint return of the CSV", () => {
    const losses = days.slice(1).map((d, i) => {
      const rb = btc.get(d)! / btc.get(days[i]!)!;
      const re = eth.get(d)! / eth.get(days[i]!)!;
      return -(2 * S.BTC * (rb - 1) - 30 * S.ETH * (re - 1));
    });
    const r = historicalVaR(engine, book, market, series, { from, to, levels: { var: [0.99, 0.95] } });
    expect(r.windows).toBe(losses.length);
    expect(r.period).toEqual({ from, to });
    expect(r.portfolio.var[0]!.value).toBeCloseTo(quantile(losses, 0.99), 6);
    expect(r.portfolio.var[1]!.value).toBeCloseTo(quantile(losses, 0.95), 6);
    // ES: the mean of the n(1 − α) largest losses, with the fractional weight on L(k).
    const sorted = [...losses].sort((a, b) => a - b);
    const n = sorted.length;
    const k = Math.ceil(n * 0.975);
    const es = (sorted.slice(k).reduce((a, x) => a + x, 0) + (k - n * 0.975) * sorted[k - 1]!) / (n * 0.025);
    expect(r.portfolio.es[0]!.value).toBeCloseTo(es, 6);
  });

  it("5-day windows: overlapping takes every start, non-overlapping every fifth, both from the CSV's 5-day returns", () => {
    const five = (overlapping: boolean): number[] => {
      const out: number[] = [];
      for (let s = 0; s + 5 < days.length; s += overlapping ? 1 : 5) {
        const rb = btc.get(days[s + 5]!)! / btc.get(days[s]!)!;
        const re = eth.get(days[s + 5]!)! / eth.get(days[s]!)!;
        out.push(-(2 * S.BTC * (rb - 1) - 30 * S.ETH * (re - 1)));
      }
      return out;
    };
    for (const overlapping of [true, false]) {
      const r = historicalVaR(engine, book, market, series, { from, to, horizonDays: 5, overlapping });
      const losses = five(overlapping);
      expect(r.windows).toBe(losses.length);
      expect(r.portfolio.var[0]!.value).toBeCloseTo(quantile(losses, 0.99), 6);
    }
  });

  it("filtered: each return is rescaled by today's EWMA vol over the vol at its start (λ = 0.94)", () => {
    const history = alignHistory(series, { symbols: ["BTC"], from, to });
    const vols = ewmaVol(history, "BTC", { lambda: 0.94 }).vols;
    const c = history.closes[0]!;
    const today = vols[vols.length - 1]!;
    const losses: number[] = [];
    for (let s = 31; s + 1 < c.length; s++) {
      const x = Math.log(c[s + 1]! / c[s]!) * (today / vols[s - 1]!);
      losses.push(-2 * S.BTC * (Math.exp(x) - 1));
    }
    const r = historicalVaR(engine, [book[0]!], market, series, { from, to, filtered: true });
    expect(r.method).toBe("filtered-historical");
    expect(r.windows).toBe(losses.length);
    expect(r.portfolio.var[0]!.value).toBeCloseTo(quantile(losses, 0.99), 6);
  });
});

describe("historical simulation of options", () => {
  const options: Position[] = [
    { id: "c", kind: "option", settlement: "linear", underlying: "BTC", right: "call", strike: 75_000, expiry: expiryIn(30), quantity: -5 },
    { id: "p", kind: "option", settlement: "inverse", underlying: "ETH", right: "put", strike: 1_800, expiry: expiryIn(45), quantity: 20 },
  ];

  it("the realised vol rule moves vols by the EWMA ratio of each window's end and start, and changes the VaR", () => {
    const plain = historicalVaR(engine, options, market, series, { from: "2022-01-01", to: "2023-12-31" });
    const moved = historicalVaR(engine, options, market, series, { from: "2022-01-01", to: "2023-12-31", volRule: "realised" });
    expect(moved.portfolio.var[0]!.value).not.toBeCloseTo(plain.portfolio.var[0]!.value, 0);
    const history = alignHistory(series, { symbols: ["BTC", "ETH"], from: "2022-01-01", to: "2023-12-31" });
    const vols = ewmaVol(history, "BTC").vols;
    const w = moved.worst[0]!;
    const s = history.times.indexOf(Date.parse(w.start));
    expect(w.moves[0]!.volShift).toBeCloseTo(vols[s]! / vols[s - 1]! - 1, 12);
    expect(plain.worst[0]!.moves.every((m) => m.volShift === 0)).toBe(true);
  });

  it("WASM and the JS reference kernels agree", () => {
    const w = historicalVaR(engine, options, market, series, { from: "2022-01-01", to: "2022-12-31" });
    const j = historicalVaR(referenceBackend(engine), options, market, series, { from: "2022-01-01", to: "2022-12-31" });
    expect(j.portfolio.var[0]!.value).toBeCloseTo(w.portfolio.var[0]!.value, 6);
    expect(j.portfolio.es[0]!.value).toBeCloseTo(w.portfolio.es[0]!.value, 6);
  });
});

describe("historical windows in parts (as pool workers revalue them)", () => {
  const mixed: Position[] = [
    ...book,
    { id: "c", kind: "option", settlement: "inverse", underlying: "BTC", right: "call", strike: 80_000, expiry: expiryIn(30), quantity: -4 },
  ];

  it("parts on separate engines, in any order, give the one-part result bit for bit", async () => {
    const whole = historicalVaR(engine, mixed, market, series, { volRule: "realised" });
    const other = await createEngine();
    const a = prepareHistorical(engine, mixed, market, series, { volRule: "realised" });
    const b = prepareHistorical(other, mixed, market, series, { volRule: "realised" });
    const cut = 777;
    expect(a.summarise([b.part(cut, a.windows - cut), a.part(0, cut)])).toEqual(whole);
  });

  it("a part reports its windows done chunk by chunk (HISTORICAL_CHUNK), ending at its size, with the same bits", () => {
    const seen: [number, number][] = [];
    const reported = historicalVaR(engine, mixed, market, series, {}, { onProgress: (done, total) => seen.push([done, total]) });
    const n = reported.windows;
    expect(n).toBeGreaterThan(2 * HISTORICAL_CHUNK);
    const chunks = Array.from({ length: Math.ceil(n / HISTORICAL_CHUNK) }, (_, i): [number, number] => [Math.min((i + 1) * HISTORICAL_CHUNK, n), n]);
    expect(seen).toEqual(chunks);
    expect(reported).toEqual(historicalVaR(engine, mixed, market, series));
  });

  it("a progress report that is not a function, or an unknown progress key, is refused by name", () => {
    expect(() => historicalVaR(engine, book, market, series, {}, { onProgress: 5 as never })).toThrow(/progress\.onProgress/);
    expect(() => historicalVaR(engine, book, market, series, {}, { every: 1 } as never)).toThrow(/progress\.every/);
  });

  it("parts that leave windows out, or a range outside the windows, are refused", () => {
    const run = prepareHistorical(engine, mixed, market, series);
    expect(() => run.summarise([run.part(0, 100)])).toThrow(/parts must cover windows/);
    expect(() => run.part(run.windows - 5, 10)).toThrow(/windows/);
  });
});

describe("bad input", () => {
  it("an underlying missing from the history is named", () => {
    const doge: Position[] = [{ kind: "spot", underlying: "DOGE", quantity: 1 }];
    const m = buildMarket({ asOf: AS_OF, underlyings: { DOGE: { index: 0.1 } } });
    expect(() => historicalVaR(engine, doge, m, series)).toThrow(InputError);
  });

  it("a horizon that is not a whole number of days is refused", () => {
    expect(() => historicalVaR(engine, book, market, series, { horizonDays: 1.5 })).toThrow(/horizonDays/);
  });

  it("too short a history for the level is refused", () => {
    expect(() => historicalVaR(engine, book, market, series, { from: "2024-01-01", to: "2024-01-20" })).toThrow(/levels\.var\[0\]/);
  });
});
