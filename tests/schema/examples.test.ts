import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { OptionPosition } from "../../src/model/types.js";
import { checkAgainstMarket, parseJson, parseMarket, parsePortfolio } from "../../src/schema/index.js";

function load(name: string): unknown {
  return parseJson(readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8"), `examples/${name}`);
}

describe("the bundled examples", () => {
  const portfolio = parsePortfolio(load("portfolio.json"), "examples/portfolio.json");
  const market = parseMarket(load("market.json"), "examples/market.json");

  it("parse and pass the cross-checks", () => {
    expect(() => checkAgainstMarket(portfolio, market, "examples/portfolio.json")).not.toThrow();
  });

  it("cover BTC, ETH and SOL at the Deribit snapshot's time", () => {
    expect(Object.keys(market.underlyings).sort()).toEqual(["BTC", "ETH", "SOL"]);
    expect(market.asOf).toBe("2026-08-22T15:33:51Z");
  });

  it("hold 20 to 30 positions with distinct ids", () => {
    const ids = portfolio.positions.map((p) => p.id);
    expect(ids.length).toBeGreaterThanOrEqual(20);
    expect(ids.length).toBeLessThanOrEqual(30);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("hold spot, linear and inverse perpetuals and dated futures, and linear and inverse options", () => {
    const shapes = new Set(
      portfolio.positions.map((p) =>
        p.kind === "spot" ? "spot" : `${p.settlement} ${p.kind === "future" && p.expiry === undefined ? "perpetual" : p.kind}`,
      ),
    );
    expect([...shapes].sort()).toEqual([
      "inverse future",
      "inverse option",
      "inverse perpetual",
      "linear future",
      "linear option",
      "linear perpetual",
      "spot",
    ]);
  });

  it("hold long and short calls and puts over at least three expiries per optioned underlying", () => {
    const options = portfolio.positions.filter((p): p is OptionPosition => p.kind === "option");
    for (const name of ["BTC", "ETH", "SOL"]) {
      const on = options.filter((o) => o.underlying === name);
      expect(new Set(on.map((o) => o.expiry)).size, name).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(options.map((o) => `${o.right} ${Math.sign(o.quantity)}`)).size).toBe(4);
  });
});
