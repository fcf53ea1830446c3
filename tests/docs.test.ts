// Every input example in docs/inputs.md is valid: parsed by its own parser and, where it names
// positions, checked against the example market, so the documentation cannot drift from the formats.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseHedgeCandidates } from "../src/schema/candidates.js";
import { checkAccountAgainstMarket, parseAccount } from "../src/schema/account.js";
import { checkAgainstMarket, parseMarket, parseMonteCarloModel, parsePortfolio, parseStressScenarios } from "../src/schema/index.js";
import { parseUpdate } from "../src/schema/updates.js";

const doc = readFileSync(new URL("../docs/inputs.md", import.meta.url), "utf8");
/** The ```json block after each `<!-- example: name -->`. */
const examples = new Map([...doc.matchAll(/<!-- example: ([\w-]+) -->\n```json\n([^]*?)```/g)].map(([, name, text]) => [name!, text!]));
const json = (name: string): unknown => JSON.parse(examples.get(name)!);
const market = parseMarket(json("market"), "market");

describe("docs/inputs.md", () => {
  it("has an example of every format", () => {
    expect([...examples.keys()].sort()).toEqual(
      ["account", "batch-account", "hedge-candidates", "market", "montecarlo-model", "orders", "portfolio", "stress-scenarios", "updates"]);
  });

  it("its portfolio, orders and batch account are valid on its market", () => {
    const portfolio = parsePortfolio(json("portfolio"), "portfolio");
    expect(new Set(portfolio.positions.map((p) => `${p.kind} ${"settlement" in p ? p.settlement : ""}`)).size).toBe(5);
    checkAgainstMarket(portfolio, market, "portfolio");
    checkAgainstMarket(parsePortfolio(json("orders"), "orders"), market, "orders");
    const { id, ...account } = json("batch-account") as { id: string };
    expect(id).toBe("desk-1");
    checkAgainstMarket(parsePortfolio(account, "batch"), market, "batch");
  });

  it("its model, stress scenarios, account, hedge candidates and updates parse", () => {
    expect(parseMonteCarloModel(json("montecarlo-model"), "model").paths).toBe(100_000);
    expect(parseStressScenarios(json("stress-scenarios"), "stress")).toHaveLength(3);
    checkAccountAgainstMarket(parseAccount(json("account"), "account"), market, "account");
    expect(parseHedgeCandidates(json("hedge-candidates"), "candidates")).toHaveLength(2);
    const updates = examples.get("updates")!.trim().split("\n").map((line, i) => parseUpdate(JSON.parse(line), `updates line ${i + 1}`));
    expect(updates.map((u) => u.type)).toEqual(["price", "fill", "order"]);
  });
});
