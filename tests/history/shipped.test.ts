// The shipped Binance daily closes (data/binance-daily), checked against the raw
// file text read here independently of the parser.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { correlationFrom } from "../../src/history/estimate.js";
import { shippedHistory } from "../../src/history/shipped.js";

/** The Close of the row dated `date` in a shipped file, by plain text search. */
function rawClose(file: string, date: string): number {
  const text = readFileSync(new URL(`../../data/binance-daily/${file}`, import.meta.url), "utf8");
  const header = text.split("\n")[1]!.split(",");
  const row = text.split("\n").find((line) => line.split(",")[1] === date)!;
  return Number(row.split(",")[header.indexOf("Close")]);
}

const at = (times: Float64Array, date: string): number => times.indexOf(Date.parse(`${date}T00:00:00Z`));

/** The days missing from every shipped file (Binance export holes), as gaps between the days either side. */
const GAPS = [
  { from: "2026-01-07", to: "2026-01-09", missingSteps: 1 },
  { from: "2026-01-19", to: "2026-01-21", missingSteps: 1 },
  { from: "2026-03-19", to: "2026-03-23", missingSteps: 3 },
  { from: "2026-03-24", to: "2026-03-26", missingSteps: 1 },
];

describe("shippedHistory", () => {
  it("has 3,142 daily BTC and ETH closes from 2017-08-17 to 2026-03-30, with 4 gaps (6 missing days) never filled", async () => {
    const h = await shippedHistory({ symbols: ["BTC", "ETH"] });
    expect(h.symbols).toEqual(["BTC", "ETH"]);
    expect(h.times.length).toBe(3142);
    expect(h.stepMs).toBe(86_400_000);
    expect(h.report.symbols).toEqual([
      { symbol: "BTC", first: "2017-08-17", last: "2026-03-30", observations: 3142, droppedForAlignment: 0 },
      { symbol: "ETH", first: "2017-08-17", last: "2026-03-30", observations: 3142, droppedForAlignment: 0 },
    ]);
    expect(h.report.gaps).toEqual(GAPS);
  });

  it("has the 12 March 2020 closes of the raw files (BTC 4,800.00, ETH 107.82)", async () => {
    const h = await shippedHistory({ symbols: ["BTC", "ETH"] });
    const i = at(h.times, "2020-03-12");
    expect(h.closes[0]![i]).toBe(rawClose("Binance_BTCUSDT_d.csv", "2020-03-12"));
    expect(h.closes[1]![i]).toBe(rawClose("Binance_ETHUSDT_d.csv", "2020-03-12"));
    expect(h.closes[0]![i]).toBe(4800);
  });

  it("starts the common BTC/ETH/SOL range on 2020-08-11, SOL's first day, dropping earlier BTC and ETH days", async () => {
    const h = await shippedHistory();
    expect(h.symbols).toEqual(["BTC", "ETH", "SOL"]);
    expect(h.times.length).toBe(2052);
    expect(h.report.symbols[2]).toEqual({ symbol: "SOL", first: "2020-08-11", last: "2026-03-30", observations: 2052, droppedForAlignment: 0 });
    expect(h.report.symbols[0]!.droppedForAlignment).toBe(3142 - 2052);
    expect(new Date(h.times[0]!).toISOString().slice(0, 10)).toBe("2020-08-11");
    expect(h.report.gaps).toEqual(GAPS);
    const i = at(h.times, "2022-11-09");
    expect(h.closes[2]![i]).toBe(rawClose("Binance_SOLUSDT_d.csv", "2022-11-09"));
  });

  it("gives a BTC/ETH daily return correlation of about 0.82 over 2024-03 to 2026-03", async () => {
    const h = await shippedHistory({ symbols: ["BTC", "ETH"], from: "2024-03-01", to: "2026-03-31" });
    const rho = correlationFrom(h).matrix[0]![1]!;
    expect(rho).toBeGreaterThan(0.8);
    expect(rho).toBeLessThan(0.84);
  });
});
