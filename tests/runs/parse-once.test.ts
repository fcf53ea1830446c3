// Every CLI command parses its inputs once at the boundary and builds the market once:
// counted here by spying on the schema's parsers and on buildMarket.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as marketModule from "../../src/market/market.js";
import * as marketSchema from "../../src/schema/market.js";
import * as portfolioSchema from "../../src/schema/portfolio.js";
import { gridCommand } from "../../src/cli/grid.js";
import { whatIfCommand } from "../../src/cli/margin.js";

const examples = new URL("../../examples/", import.meta.url).pathname;
const portfolio = `${examples}portfolio.json`;
const market = `${examples}market.json`;

function counters(): { buildMarket: number; parseMarket: number; parsePortfolio: number } {
  const build = vi.spyOn(marketModule, "buildMarket");
  const parseM = vi.spyOn(marketSchema, "parseMarket");
  const parseP = vi.spyOn(portfolioSchema, "parsePortfolio");
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  return {
    get buildMarket() { return build.mock.calls.length; },
    get parseMarket() { return parseM.mock.calls.length; },
    get parsePortfolio() { return parseP.mock.calls.length; },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the CLI parses its inputs once and builds the market once", () => {
  it("pmargin whatif: the market parsed and built once, the portfolio and the orders parsed once each", async () => {
    const count = counters();
    await whatIfCommand(portfolio, market, { method: "grid", profile: "deribit", orders: `${examples}orders.json`, json: true });
    expect({ buildMarket: count.buildMarket, parseMarket: count.parseMarket, parsePortfolio: count.parsePortfolio })
      .toEqual({ buildMarket: 1, parseMarket: 1, parsePortfolio: 2 });
  });

  it("pmargin grid: the market parsed and built once, the portfolio parsed once", async () => {
    const count = counters();
    await gridCommand(portfolio, market, { profile: "deribit", greeks: true, attribution: true });
    expect({ buildMarket: count.buildMarket, parseMarket: count.parseMarket, parsePortfolio: count.parsePortfolio })
      .toEqual({ buildMarket: 1, parseMarket: 1, parsePortfolio: 1 });
  });
});
