import { describe, expect, it } from "vitest";
import { parseMarket } from "../../src/schema/index.js";
import { AS_OF, expectInputError, market } from "./helpers.js";

type Market = ReturnType<typeof market>;

/** The fixture with `patch` merged into underlying `name`. */
function withUnderlying(name: string, patch: Record<string, unknown>): Market {
  const m = market();
  m.underlyings[name] = { ...m.underlyings[name], ...patch };
  return m;
}

/** The fixture with BTC's only surface slice replaced by `slice`. */
function withBtcSlice(slice: Record<string, unknown>): Market {
  return withUnderlying("BTC", { surface: [slice] });
}

const EXPIRY = "2026-12-25T08:00:00Z";

describe("parseMarket", () => {
  it("returns a valid market unchanged, as a copy", () => {
    const input = market();
    const parsed = parseMarket(input);
    expect(parsed).toEqual(input);
    expect(parsed).not.toBe(input);
  });

  it("accepts a negative rate", () => {
    expect(parseMarket(withUnderlying("BTC", { rate: -0.01 })).underlyings.BTC?.rate).toBe(-0.01);
  });

  it("accepts an underlying with only an index", () => {
    expect(() => parseMarket({ asOf: AS_OF, underlyings: { SOL: { index: 98.23 } } })).not.toThrow();
  });

  it("rejects a negative index, quoting it", () => {
    expectInputError(() => parseMarket(withUnderlying("BTC", { index: -5 })), "underlyings.BTC.index", "must be a finite number > 0, got -5");
  });

  it("rejects a zero index", () => {
    expectInputError(() => parseMarket(withUnderlying("ETH", { index: 0 })), "underlyings.ETH.index", "> 0, got 0");
  });

  it("rejects a NaN index", () => {
    expectInputError(() => parseMarket(withUnderlying("BTC", { index: Number.NaN })), "underlyings.BTC.index", "got NaN");
  });

  it("rejects an infinite rate", () => {
    expectInputError(() => parseMarket(withUnderlying("BTC", { rate: Infinity })), "underlyings.BTC.rate", "must be a finite number, got Infinity");
  });

  it("rejects a NaN basis", () => {
    expectInputError(() => parseMarket(withUnderlying("ETH", { basis: Number.NaN })), "underlyings.ETH.basis", "must be a finite number, got NaN");
  });

  it("rejects a zero forward price", () => {
    const m = withUnderlying("BTC", { forwards: [{ expiry: EXPIRY, price: 0 }] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.forwards[0].price", "> 0");
  });

  it("rejects a missing index", () => {
    expectInputError(() => parseMarket({ asOf: AS_OF, underlyings: { BTC: { rate: 0 } } }), "underlyings.BTC.index", "is required");
  });

  it("rejects a misspelt underlying field as unknown", () => {
    expectInputError(() => parseMarket(withUnderlying("BTC", { forward: [] })), "underlyings.BTC.forward", "unknown field");
  });

  it("rejects a negative vol, naming the node", () => {
    const m = withBtcSlice({ expiry: EXPIRY, strikes: [60000, 80000, 100000], vols: [0.46, -0.41, 0.43] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[0].vols[1]", "must be a finite number > 0 and ≤ 10");
  });

  it("rejects a zero vol", () => {
    const m = withBtcSlice({ expiry: EXPIRY, strikes: [60000, 80000, 100000], vols: [0.46, 0, 0.43] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[0].vols[1]", "> 0 and ≤ 10");
  });

  it("rejects a vol given in percent, explaining vols are decimals", () => {
    const m = withBtcSlice({ expiry: EXPIRY, strikes: [60000, 80000, 100000], vols: [46, 41, 43] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[0].vols[0]", "0.55 means 55%), got 46");
  });

  it("rejects a NaN vol", () => {
    const m = withBtcSlice({ expiry: EXPIRY, strikes: [60000, 80000, 100000], vols: [0.46, Number.NaN, 0.43] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[0].vols[1]", "got NaN");
  });

  it("rejects fewer vols than strike nodes", () => {
    const m = withBtcSlice({ expiry: EXPIRY, strikes: [60000, 80000, 100000], vols: [0.46, 0.41] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[0].vols", "has 2 vols for 3 strikes nodes");
  });

  it("rejects more vols than log-moneyness nodes", () => {
    const m = withUnderlying("ETH", { surface: [{ expiry: EXPIRY, logMoneyness: [-0.1, 0.1], vols: [0.6, 0.55, 0.57] }] });
    expectInputError(() => parseMarket(m), "underlyings.ETH.surface[0].vols", "has 3 vols for 2 logMoneyness nodes");
  });

  it("rejects a slice with both strikes and logMoneyness", () => {
    const m = withBtcSlice({ expiry: EXPIRY, strikes: [60000, 80000], logMoneyness: [-0.1, 0.1], vols: [0.46, 0.41] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[0]", "give exactly one of strikes (with vols), logMoneyness (with vols) and svi, got strikes and logMoneyness");
  });

  it("rejects a slice with neither strikes, logMoneyness nor svi", () => {
    expectInputError(() => parseMarket(withBtcSlice({ expiry: EXPIRY, vols: [0.46] })), "underlyings.BTC.surface[0]", "got none");
  });

  it("rejects strike nodes that repeat, naming the second", () => {
    const m = withBtcSlice({ expiry: EXPIRY, strikes: [60000, 60000, 100000], vols: [0.46, 0.41, 0.43] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[0].strikes[1]", "strictly increasing: 60000 is not above the previous node 60000");
  });

  it("rejects decreasing log-moneyness nodes", () => {
    const m = withUnderlying("ETH", { surface: [{ expiry: EXPIRY, logMoneyness: [0, -0.2, 0.2], vols: [0.6, 0.55, 0.57] }] });
    expectInputError(() => parseMarket(m), "underlyings.ETH.surface[0].logMoneyness[1]", "strictly increasing");
  });

  it("rejects a zero strike node", () => {
    const m = withBtcSlice({ expiry: EXPIRY, strikes: [0, 80000], vols: [0.46, 0.41] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[0].strikes[0]", "> 0, got 0");
  });

  it("rejects a slice without vols", () => {
    expectInputError(() => parseMarket(withBtcSlice({ expiry: EXPIRY, strikes: [], vols: [] })), "underlyings.BTC.surface[0].vols", "at least one vol");
  });

  it("reports a misspelt slice field as an unknown field", () => {
    const m = withBtcSlice({ expiry: EXPIRY, strikes: [80000], vol: [0.4] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[0].vol", "unknown field");
  });

  it("rejects a market without underlyings", () => {
    expectInputError(() => parseMarket({ asOf: AS_OF, underlyings: {} }), "underlyings", "no underlyings");
  });

  it("rejects a market without asOf", () => {
    expectInputError(() => parseMarket({ underlyings: market().underlyings }), "asOf", "is required for a market");
  });

  it("rejects an asOf that is not ISO-8601", () => {
    expectInputError(() => parseMarket({ ...market(), asOf: "22/08/2026" }), "asOf", 'ISO-8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ), got "22/08/2026"');
  });

  it("quotes an underlying symbol that is not an identifier in the path", () => {
    const m = { asOf: AS_OF, underlyings: { "1000PEPE": { index: -1 } } };
    expectInputError(() => parseMarket(m), 'underlyings["1000PEPE"].index', "> 0, got -1");
  });

  it("rejects a surface slice expiring at asOf", () => {
    const m = withBtcSlice({ expiry: AS_OF, strikes: [80000], vols: [0.4] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[0].expiry", `expired: ${AS_OF} is not after asOf ${AS_OF}`);
  });

  it("rejects a surface slice expiring before asOf, comparing instants across offsets", () => {
    const m = withBtcSlice({ expiry: "2026-08-22T17:33:50+02:00", strikes: [80000], vols: [0.4] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[0].expiry", "expired: 2026-08-22T17:33:50+02:00 is not after asOf");
  });

  it("rejects a forward quote expiring before asOf", () => {
    const m = withUnderlying("BTC", { forwards: [{ expiry: "2026-08-21", price: 77000 }] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.forwards[0].expiry", "expired: 2026-08-21 is not after asOf");
  });

  it("rejects two surface slices for one expiry, even when spelt differently", () => {
    const slice = { strikes: [80000], vols: [0.4] };
    const m = withUnderlying("BTC", { surface: [{ ...slice, expiry: "2026-12-25" }, { ...slice, expiry: "2026-12-25T00:00:00Z" }] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.surface[1].expiry", "duplicate expiry: surface[0] is also 2026-12-25");
  });

  it("rejects two forward quotes for one expiry", () => {
    const m = withUnderlying("BTC", { forwards: [{ expiry: EXPIRY, price: 78000 }, { expiry: EXPIRY, price: 78100 }] });
    expectInputError(() => parseMarket(m), "underlyings.BTC.forwards[1].expiry", "duplicate expiry");
  });

  it("names the source of a schema error and of an expiry error", () => {
    const bad = expectInputError(() => parseMarket(withUnderlying("BTC", { index: -1 }), "market.json"), "underlyings.BTC.index", "> 0");
    const slice = { expiry: "2026-01-01", strikes: [80000], vols: [0.4] };
    const expired = expectInputError(() => parseMarket(withBtcSlice(slice), "market.json"), "underlyings.BTC.surface[0].expiry", "expired");
    expect([bad.source, expired.source]).toEqual(["market.json", "market.json"]);
  });
});
