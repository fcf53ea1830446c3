import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alignHistory, loadPriceHistory, returnWindows } from "../../src/history/history.js";
import { daily, dailyHistory, DAY, T0 } from "../fixtures/history.js";
import { expectInputError } from "../schema/helpers.js";

describe("alignHistory", () => {
  it("drops a day missing in one symbol for every symbol, reports it, and never fills it", () => {
    // ETH has no close on day 2.
    const btc = daily("BTC", [100, 101, 102, 103, 104]);
    const eth = daily("ETH", [10, 11, 13, 14], [2]);
    const h = alignHistory([btc, eth]);
    expect([...h.times]).toEqual([0, 1, 3, 4].map((d) => T0 + d * DAY));
    expect(h.closes.map((c) => [...c])).toEqual([[100, 101, 103, 104], [10, 11, 13, 14]]);
    expect(h.stepMs).toBe(DAY);
    expect(h.report.symbols).toEqual([
      { symbol: "BTC", first: "2024-01-01", last: "2024-01-05", observations: 5, droppedForAlignment: 1 },
      { symbol: "ETH", first: "2024-01-01", last: "2024-01-05", observations: 4, droppedForAlignment: 0 },
    ]);
    expect(h.report.gaps).toEqual([{ from: "2024-01-02", to: "2024-01-04", missingSteps: 1 }]);
    expect(h.report.notes).toContain("BTC: 1 close inside the common range dropped for alignment: 2024-01-03 (no ETH)");
  });

  it("reports a day missing in every symbol as a gap with nothing dropped", () => {
    const h = dailyHistory({ BTC: [1, 2, 3, 4, 5], ETH: [5, 4, 3, 2, 1] }, [2, 3]);
    expect(h.report.gaps).toEqual([{ from: "2024-01-02", to: "2024-01-05", missingSteps: 2 }]);
    expect(h.report.symbols.map((s) => s.droppedForAlignment)).toEqual([0, 0]);
    expect(h.report.notes).toContain("1 gap (2 missing steps), not filled: windows spanning them are skipped");
  });

  it("keeps the common range only: closes before a late starter are dropped for alignment", () => {
    const btc = daily("BTC", [1, 2, 3, 4, 5, 6]);
    const sol = daily("SOL", [7, 8, 9], [0, 1, 2]);
    const h = alignHistory([btc, sol]);
    expect([...h.times]).toEqual([3, 4, 5].map((d) => T0 + d * DAY));
    expect(h.report.symbols[0]!.droppedForAlignment).toBe(3);
    expect(h.report.gaps).toEqual([]);
    expect(h.report.notes[0]).toBe("common range 2024-01-04 to 2024-01-06: 3 observations, every 1 day");
  });

  it("restricts to from/to inclusively; a bare `to` date keeps that whole day", () => {
    const hourly = { symbol: "A", times: Float64Array.from([0, 1, 2, 23, 24, 25], (h) => T0 + h * 3_600_000), closes: Float64Array.from([1, 2, 3, 4, 5, 6]) };
    const h = alignHistory([hourly], { from: "2024-01-01T01:00Z", to: "2024-01-01" });
    expect([...h.closes[0]!]).toEqual([2, 3, 4]);
    expect(h.stepMs).toBe(3_600_000);
    expect(h.report.gaps).toEqual([{ from: "2024-01-01T02:00:00Z", to: "2024-01-01T23:00:00Z", missingSteps: 20 }]);
    const d = alignHistory([daily("A", [1, 2, 3, 4, 5])], { from: "2024-01-02", to: "2024-01-04T00:00:00Z" });
    expect([...d.closes[0]!]).toEqual([2, 3, 4]);
    expect(d.report.symbols[0]).toMatchObject({ first: "2024-01-02", last: "2024-01-04", observations: 3 });
  });

  it("selects and orders symbols", () => {
    const h = alignHistory([daily("BTC", [1, 2]), daily("ETH", [3, 4]), daily("SOL", [5, 6])], { symbols: ["SOL", "BTC"] });
    expect(h.symbols).toEqual(["SOL", "BTC"]);
    expect(h.closes.map((c) => [...c])).toEqual([[5, 6], [1, 2]]);
  });

  it("takes the most frequent spacing as the step", () => {
    const h = alignHistory([daily("A", [1, 2, 3, 4, 5, 6], [1, 3])]);
    // Spacings 2, 2, 1, 1, 1 days.
    expect(h.stepMs).toBe(DAY);
    expect(h.report.gaps).toHaveLength(2);
  });

  it("refuses a requested symbol without a series, fewer than 2 common observations, and bad options", () => {
    const series = [daily("BTC", [1, 2, 3]), daily("ETH", [1, 2, 3], [0, 1, 2])];
    expectInputError(() => alignHistory(series, { symbols: ["BTC", "SOL"] }), "symbols[1]", "no series for SOL; there are BTC, ETH");
    expectInputError(() => alignHistory(series, { symbols: ["BTC", "BTC"] }), "symbols[1]", "BTC is also symbols[0]");
    expectInputError(() => alignHistory(series), "", "0 common observations, at least 2 are needed (BTC: 2024-01-01 to 2024-01-03; ETH: 2024-01-04 to 2024-01-06)");
    expectInputError(() => alignHistory([series[0]!], { from: "2024-01-03" }), "", "1 common observation within 2024-01-03 to …");
    expectInputError(() => alignHistory([series[0]!], { from: "2024-13-01" }), "from", "not an ISO-8601 date");
    expectInputError(() => alignHistory([series[0]!], { from: "2024-01-03", to: "2024-01-01" }), "to", "must not be before from");
    expectInputError(() => alignHistory([series[0]!, daily("BTC", [1, 2])]), "series[1].symbol", "BTC is also series[0]");
  });

  it("refuses series that are not ascending or not positive", () => {
    const bad = { symbol: "A", times: Float64Array.from([2, 1]), closes: Float64Array.from([1, 1]) };
    expectInputError(() => alignHistory([bad]), "series[0].times[1]", "strictly ascending");
    const zero = { symbol: "A", times: Float64Array.from([1, 2]), closes: Float64Array.from([1, 0]) };
    expectInputError(() => alignHistory([zero]), "series[0].closes[1]", "must be a positive price");
  });
});

describe("loadPriceHistory", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pmargin-history-"));
    await writeFile(join(dir, "btc.csv"), "banner\r\nUnix,Date,Symbol,Close\r\n0,2024-01-02,BTCUSDT,2\r\n0,2024-01-01,BTCUSDT,1\r\n");
    await writeFile(join(dir, "eth.csv"), "date,ETH-USD\n2024-01-01,10\n2024-01-02,11\n2024-01-03,12\n");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads one file per symbol and aligns them, the parsing notes first", async () => {
    const h = await loadPriceHistory([join(dir, "btc.csv"), join(dir, "eth.csv")]);
    expect(h.symbols).toEqual(["BTC", "ETH"]);
    expect(h.closes.map((c) => [...c])).toEqual([[1, 2], [10, 11]]);
    expect(h.report.notes.slice(0, 2)).toEqual([
      "btc.csv: header on line 2 (1 line before it skipped); dates from Date, symbols from Symbol, prices from Close",
      "btc.csv: BTCUSDT read as BTC (quote currency USDT dropped)",
    ]);
  });

  it("renames with `rename`, and selects with `symbols`", async () => {
    const h = await loadPriceHistory([join(dir, "btc.csv"), join(dir, "eth.csv")], { rename: { "ETH-USD": "ETHER" }, symbols: ["ETHER"] });
    expect(h.symbols).toEqual(["ETHER"]);
    expect([...h.closes[0]!]).toEqual([10, 11, 12]);
  });

  it("names the file it cannot read", async () => {
    await expect(loadPriceHistory([join(dir, "missing.csv")])).rejects.toMatchObject({ name: "InputError", source: "missing.csv" });
  });
});

describe("returnWindows", () => {
  const closes = [100, 102, 99, 105, 107, 104, 110];
  const h = dailyHistory({ A: closes, B: closes.map((c) => c * c) });
  const n = closes.length;

  it("takes every start when overlapping: n − h windows, each ln(close[end]/close[start])", () => {
    for (const steps of [1, 2, 3]) {
      const w = returnWindows(h, { steps });
      expect(w.start.length).toBe(n - steps);
      expect([...w.start]).toEqual(Array.from({ length: n - steps }, (_, i) => i));
      expect([...w.end]).toEqual(Array.from({ length: n - steps }, (_, i) => i + steps));
      expect([...w.logReturns[0]!]).toEqual([...w.start].map((s) => Math.log(closes[s + steps]! / closes[s]!)));
      expect(w.logReturns[1]![0]).toBeCloseTo(2 * w.logReturns[0]![0]!, 14);
      expect(w.skipped).toBe(0);
    }
  });

  it("takes starts h apart when not overlapping: ⌊(n − 1)/h⌋ windows", () => {
    for (const steps of [1, 2, 3, 4]) {
      const w = returnWindows(h, { steps, overlapping: false });
      expect(w.start.length).toBe(Math.floor((n - 1) / steps));
      expect([...w.start]).toEqual(Array.from({ length: w.start.length }, (_, i) => i * steps));
    }
  });

  it("skips windows spanning a gap and counts them, unless allowGaps", () => {
    // Day 3 missing: observations on days 0, 1, 2, 4, 5, 6, 7.
    const g = dailyHistory({ A: closes }, [3]);
    const w = returnWindows(g, { steps: 2 });
    // Starts 0..4; those from observations 1 (days 1→4) and 2 (days 2→5) span the gap.
    expect([...w.start]).toEqual([0, 3, 4]);
    expect(w.skipped).toBe(2);
    const all = returnWindows(g, { steps: 2, allowGaps: true });
    expect(all.start.length).toBe(5);
    expect(all.skipped).toBe(0);
  });

  it("refuses a step count that is not a whole number ≥ 1 or leaves no window", () => {
    expectInputError(() => returnWindows(h, { steps: 0 }), "steps", "must be a whole number ≥ 1, got 0");
    expectInputError(() => returnWindows(h, { steps: 1.5 }), "steps", "must be a whole number ≥ 1");
    expectInputError(() => returnWindows(h, { steps: n }), "steps", `must be at most ${n - 1}`);
  });
});
