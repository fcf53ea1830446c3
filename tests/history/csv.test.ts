import { describe, expect, it } from "vitest";
import { parsePriceCsv, type PriceSeries } from "../../src/history/csv.js";
import { expectInputError } from "../schema/helpers.js";

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const bySymbol = (series: PriceSeries[]): Record<string, { times: number[]; closes: number[] }> =>
  Object.fromEntries(series.map((s) => [s.symbol, { times: [...s.times], closes: [...s.closes] }]));

describe("parsePriceCsv: shapes", () => {
  it("reads the long shape in any row order, one series per symbol sorted by time, other columns ignored", () => {
    const text = [
      "date,symbol,open,close",
      "2024-01-02,BTC,1,42000",
      "2024-01-01,ETH,1,2300",
      "2024-01-01,BTC,1,41000",
      "2024-01-02,ETH,1,2350",
    ].join("\n");
    const { series } = parsePriceCsv(text);
    expect(series.map((s) => s.symbol)).toEqual(["BTC", "ETH"]);
    expect(bySymbol(series)).toEqual({
      BTC: { times: [day("2024-01-01"), day("2024-01-02")], closes: [41000, 42000] },
      ETH: { times: [day("2024-01-01"), day("2024-01-02")], closes: [2300, 2350] },
    });
  });

  it("reads ticker/price and underlying/last as the symbol and price columns", () => {
    const a = parsePriceCsv("Timestamp,Ticker,Price\n2024-01-01T08:00:00Z,BTC,1\n");
    const b = parsePriceCsv("time,underlying,last\n2024-01-01,ETH,2\n");
    expect(bySymbol(a.series)).toEqual({ BTC: { times: [Date.UTC(2024, 0, 1, 8)], closes: [1] } });
    expect(bySymbol(b.series)).toEqual({ ETH: { times: [day("2024-01-01")], closes: [2] } });
  });

  it("reads the wide shape, one column per symbol; an empty cell is no close for that symbol", () => {
    const text = "Date,BTC,ETH,SOL\n2024-01-01,41000,2300,\n2024-01-02,42000,2350,100\n";
    const { series, notes } = parsePriceCsv(text);
    expect(bySymbol(series)).toEqual({
      BTC: { times: [day("2024-01-01"), day("2024-01-02")], closes: [41000, 42000] },
      ETH: { times: [day("2024-01-01"), day("2024-01-02")], closes: [2300, 2350] },
      SOL: { times: [day("2024-01-02")], closes: [100] },
    });
    expect(notes[0]).toContain("one price column per symbol (BTC, ETH, SOL)");
  });

  it("skips the banner of a CryptoDataDownload export and dates rows by Date, not by Unix (whose units are mixed)", () => {
    const text = [
      "https://www.CryptoDataDownload.com",
      "Unix,Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USDT,tradecount",
      "1711756800000,2024-03-30,BTCUSDT,1,1,1,69000.5,1,1,1",
      "1711670400,2024-03-29,BTCUSDT,1,1,1,70000,1,1,1",
      "1711584000000000,2024-03-28 00:00:00,BTCUSDT,1,1,1,71000,1,1,1",
    ].join("\n");
    const { series, notes } = parsePriceCsv(text, { source: "Binance_BTCUSDT_d.csv" });
    expect(bySymbol(series)).toEqual({
      BTC: { times: [day("2024-03-28"), day("2024-03-29"), day("2024-03-30")], closes: [71000, 70000, 69000.5] },
    });
    expect(notes).toContain("Binance_BTCUSDT_d.csv: header on line 2 (1 line before it skipped); dates from Date, symbols from Symbol, prices from Close");
  });

  it("reads unix seconds, milliseconds and microseconds by magnitude", () => {
    const t = Date.UTC(2024, 2, 30, 12);
    const text = `unix,symbol,close\n${t / 1000},A,1\n${t + 3_600_000},A,2\n${(t + 7_200_000) * 1000},A,3\n`;
    expect([...parsePriceCsv(text).series[0]!.times]).toEqual([t, t + 3_600_000, t + 7_200_000]);
  });

  it("reads YYYY-MM-DD HH:MM:SS as UTC and ISO offsets as given, keeping intraday instants", () => {
    const text = "datetime,symbol,close\n2024-01-01 13:00:00,A,1\n2024-01-01T15:00:00+01:00,A,2\n2024-01-01 14:30,A,3\n";
    expect([...parsePriceCsv(text).series[0]!.times]).toEqual([Date.UTC(2024, 0, 1, 13), Date.UTC(2024, 0, 1, 14), Date.UTC(2024, 0, 1, 14, 30)]);
  });

  it("accepts quoted fields, CRLF line ends, blank lines, a byte-order mark and headers in any case", () => {
    const text = '\uFEFF"DATE","Symbol","CLOSE"\r\n\r\n"2024-01-01","BTC","41,000.5"\r\n  \r\n"2024-01-02", "BTC" ,"42000"\r\n';
    expectInputError(() => parsePriceCsv(text), "line 3, column CLOSE", 'not a price: "41,000.5"');
    const ok = text.replace('"41,000.5"', '"41000.5"');
    expect(bySymbol(parsePriceCsv(ok).series)).toEqual({ BTC: { times: [day("2024-01-01"), day("2024-01-02")], closes: [41000.5, 42000] } });
  });

  it('reads "" inside quotes as a quote', () => {
    const { series } = parsePriceCsv('date,symbol,close,comment\n2024-01-01,BTC,1,"say ""hi"", twice"\n');
    expect(series[0]!.closes[0]).toBe(1);
  });
});

describe("parsePriceCsv: symbols", () => {
  it("reduces symbols quoted in USDT, USDC, BUSD or USD to their base, and reports each reduction", () => {
    const text = "date,symbol,close\n2024-01-01,BTCUSDT,1\n2024-01-01,ETH/USD,2\n2024-01-01,SOL-USDC,3\n2024-01-01,BNBBUSD,4\n2024-01-01,USDT,5\n2024-01-01,BTCUSDT,1\n";
    const { series, notes } = parsePriceCsv(text);
    expect(series.map((s) => s.symbol)).toEqual(["BTC", "ETH", "SOL", "BNB", "USDT"]);
    expect(notes).toEqual(expect.arrayContaining([
      "BTCUSDT read as BTC (quote currency USDT dropped)",
      "ETH/USD read as ETH (quote currency USD dropped)",
      "SOL-USDC read as SOL (quote currency USDC dropped)",
      "BNBBUSD read as BNB (quote currency BUSD dropped)",
    ]));
    expect(notes.filter((n) => n.startsWith("BTCUSDT"))).toHaveLength(1);
  });

  it("renames symbols as written in the file with the symbols option, before any reduction", () => {
    const text = "date,BTCUSDT,ETHUSDT\n2024-01-01,1,2\n";
    const { series, notes } = parsePriceCsv(text, { symbols: { BTCUSDT: "XBT" } });
    expect(series.map((s) => s.symbol)).toEqual(["XBT", "ETH"]);
    expect(notes.some((n) => n.includes("BTCUSDT read as"))).toBe(false);
  });

  it("refuses two symbols that would share a name", () => {
    const text = "date,symbol,close\n2024-01-01,BTCUSDT,1\n2024-01-01,BTCUSD,2\n";
    expectInputError(() => parsePriceCsv(text), "line 3, column symbol", "BTCUSDT and BTCUSD would both be named BTC");
  });
});

describe("parsePriceCsv: duplicates", () => {
  it("drops a row repeating a (time, symbol) with the same price, and reports its line", () => {
    const text = "date,symbol,close\n2024-01-02,BTC,2\n2024-01-01,BTC,1\n2024-01-02,BTC,2\n";
    const { series, notes } = parsePriceCsv(text, { source: "f.csv" });
    expect(bySymbol(series)).toEqual({ BTC: { times: [day("2024-01-01"), day("2024-01-02")], closes: [1, 2] } });
    expect(notes).toContain("f.csv: 1 duplicate row with the same price dropped: line 4 (BTC at 2024-01-02, as line 2)");
  });

  it("refuses a (time, symbol) with two different prices, naming both lines", () => {
    const text = "date,symbol,close\n2024-01-01,BTC,1\n2024-01-02,BTC,2\n2024-01-01T00:00:00Z,BTC,1.5\n";
    expectInputError(() => parsePriceCsv(text), "line 4, column close", "BTC at 2024-01-01 is 1.5 here but 1 on line 2");
  });
});

describe("parsePriceCsv: errors", () => {
  it("names the file in the message", () => {
    const error = expectInputError(() => parsePriceCsv("", { source: "prices.csv" }), "", "empty file");
    expect(error.source).toBe("prices.csv");
    expect(error.message).toBe("prices.csv: empty file");
  });

  it("refuses a file of blank lines as empty", () => {
    expectInputError(() => parsePriceCsv("\n  \r\n\n"), "", "empty file");
  });

  it("refuses data before any header, listing the accepted columns", () => {
    const error = expectInputError(() => parsePriceCsv("2024-01-01,BTC,1\n"), "line 1", "data before any header");
    expect(error.reason).toContain("date, datetime, timestamp, time, unix");
    expect(error.reason).toContain("symbol, ticker, underlying, asset");
    expect(error.reason).toContain("close, price, last");
  });

  it("refuses a file without a header line", () => {
    expectInputError(() => parsePriceCsv("\nsome banner\nanother\n"), "line 2", "no header line: expected a date column");
  });

  it("refuses a header without rows", () => {
    expectInputError(() => parsePriceCsv("banner\ndate,symbol,close\n\n"), "line 2", "a header but no rows");
  });

  it("refuses a symbol column without a price column, and a price column without a symbol column", () => {
    expectInputError(() => parsePriceCsv("date,symbol,open\n2024-01-01,BTC,1\n"), "line 1", "no price column: expected one of close, price, last");
    expectInputError(() => parsePriceCsv("date,open,close\n2024-01-01,1,1\n"), "line 1", "a price column (close) but no symbol column");
  });

  it("refuses a wide column without a name or named twice", () => {
    expectInputError(() => parsePriceCsv("date,BTC,\n2024-01-01,1,2\n"), "line 1, column 3", "without a name");
    expectInputError(() => parsePriceCsv("date,BTC,btc\n2024-01-01,1,2\n"), "line 1", "column BTC appears twice");
  });

  it("refuses a non-numeric, zero or negative price, naming the line and column", () => {
    const csv = (price: string): string => `date,symbol,Close\n2024-01-01,BTC,1\n2024-01-02,BTC,${price}\n`;
    expectInputError(() => parsePriceCsv(csv("abc")), "line 3, column Close", 'not a price: "abc"');
    expectInputError(() => parsePriceCsv(csv("")), "line 3, column Close", 'not a price: ""');
    expectInputError(() => parsePriceCsv(csv("0")), "line 3, column Close", "a price must be positive, got 0");
    expectInputError(() => parsePriceCsv(csv("-5")), "line 3, column Close", "a price must be positive, got -5");
    expectInputError(() => parsePriceCsv("date,BTC\n2024-01-01,0x10\n"), "line 2, column BTC", "not a price");
  });

  it("refuses an unparseable or impossible date, naming the line and column", () => {
    expectInputError(() => parsePriceCsv("Date,symbol,close\n2024-02-30,BTC,1\n"), "line 2, column Date", 'not a date: "2024-02-30"');
    expectInputError(() => parsePriceCsv("Date,symbol,close\n30/03/2024,BTC,1\n"), "line 2, column Date", "expected YYYY-MM-DD");
    expectInputError(() => parsePriceCsv("unix,symbol,close\n1e20,BTC,1\n"), "line 2, column unix", "not a date");
  });

  it("refuses a row with another number of fields than the header, and an unclosed quote", () => {
    expectInputError(() => parsePriceCsv("date,symbol,close\n2024-01-01,BTC\n"), "line 2", "has 2 fields, the header (line 1) has 3");
    expectInputError(() => parsePriceCsv('date,symbol,close\n2024-01-01,"BTC,1\n'), "line 2", "a quote is not closed");
  });

  it("refuses an empty symbol", () => {
    expectInputError(() => parsePriceCsv("date,symbol,close\n2024-01-01,,1\n"), "line 2, column symbol", "no symbol");
  });
});
