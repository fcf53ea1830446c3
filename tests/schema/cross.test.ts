import { describe, expect, it } from "vitest";
import { checkAgainstMarket, parseMarket, parsePortfolio } from "../../src/schema/index.js";
import { AS_OF, expectInputError, market, portfolio } from "./helpers.js";

/** Parses the fixtures, with `patch` merged into position `i` and `extra` underlyings added. */
function check(i: number, patch: Record<string, unknown>, extra: Record<string, Record<string, unknown>> = {}) {
  const p = portfolio();
  p.positions[i] = { ...p.positions[i], ...patch };
  const m = market();
  Object.assign(m.underlyings, extra);
  return () => checkAgainstMarket(parsePortfolio(p), parseMarket(m), "portfolio.json");
}

describe("checkAgainstMarket", () => {
  it("accepts positions the market can price", () => {
    expect(check(0, {})).not.toThrow();
  });

  it("names an underlying the market lacks and lists the ones it has", () => {
    const error = expectInputError(check(0, { underlying: "DOGE" }), "positions[0].underlying", "unknown underlying DOGE (market has BTC, ETH)");
    expect(error.source).toBe("portfolio.json");
  });

  it("does not mistake an Object.prototype member for an underlying", () => {
    expectInputError(check(1, { underlying: "toString" }), "positions[1].underlying", "unknown underlying toString");
  });

  it("an option on an underlying without a surface names underlyings.SOL.surface", () => {
    const patch = { underlying: "SOL", strike: 100 };
    expectInputError(check(3, patch, { SOL: { index: 98.23 } }), "positions[3]", "the market has no underlyings.SOL.surface");
  });

  it("an option on an underlying with an empty surface is refused the same way", () => {
    const patch = { underlying: "SOL", strike: 100 };
    expectInputError(check(3, patch, { SOL: { index: 98.23, surface: [] } }), "positions[3]", "underlyings.SOL.surface");
  });

  it("spot and futures need no surface", () => {
    const sol = { SOL: { index: 98.23 } };
    expect(check(0, { underlying: "SOL" }, sol)).not.toThrow();
    expect(check(2, { underlying: "SOL" }, sol)).not.toThrow();
  });

  it("rejects an option that expired before asOf", () => {
    expectInputError(check(3, { expiry: "2026-08-01" }), "positions[3].expiry", `expired: 2026-08-01 is not after asOf ${AS_OF}`);
  });

  it("rejects an option expiring exactly at asOf", () => {
    expectInputError(check(4, { expiry: AS_OF }), "positions[4].expiry", "expired");
  });

  it("reads a date without a time as 00:00 UTC, so an option dated on the asOf day has expired", () => {
    expectInputError(check(3, { expiry: "2026-08-22" }), "positions[3].expiry", "expired: 2026-08-22 is not after");
  });

  it("reads a date-time without an offset as UTC", () => {
    expect(check(3, { expiry: "2026-08-22T15:33:52" })).not.toThrow();
    expectInputError(check(3, { expiry: "2026-08-22T15:33:51" }), "positions[3].expiry", "expired");
  });

  it("applies a date-time's offset", () => {
    expectInputError(check(3, { expiry: "2026-08-22T17:33:51+02:00" }), "positions[3].expiry", "expired");
    expect(check(3, { expiry: "2026-08-22T15:33:52+00:00" })).not.toThrow();
  });

  it("rejects a dated future that has expired", () => {
    expectInputError(check(2, { expiry: "2026-06-26T08:00:00Z" }), "positions[2].expiry", "expired: 2026-06-26T08:00:00Z");
  });

  it("accepts a perpetual, which has no expiry", () => {
    expect(check(1, {})).not.toThrow();
  });
});
