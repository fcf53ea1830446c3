// The account file: the bundled example, the schema's errors naming the field, the
// market's liquidity fields, and the `pmargin account` command on the example.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { accountCommand } from "../../src/cli/account.js";
import { run } from "../../src/cli/run.js";
import { InputError } from "../../src/errors.js";
import { checkAccountAgainstMarket, parseAccount } from "../../src/schema/account.js";
import { parseMarket } from "../../src/schema/index.js";

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8"));
const example = read("account.json") as { venues: Record<string, unknown>[] };
const venue = example.venues[0]!;

function rejects(doc: unknown, path: string): void {
  expect(() => parseAccount(doc)).toThrow(expect.objectContaining({ path }) as InputError);
}

describe("account.json", () => {
  it("the example parses, passes the checks against the example market, and holds two venues with BTC and USDC collateral", () => {
    const account = parseAccount(example, "examples/account.json");
    expect(() => checkAccountAgainstMarket(account, parseMarket(read("market.json")))).not.toThrow();
    expect(account.venues.map((v) => v.name)).toEqual(["deribit", "paradex"]);
    const assets = account.venues.flatMap((v) => (v.collateral ?? []).map((c) => c.asset));
    expect(assets).toEqual(expect.arrayContaining(["BTC", "USDC"]));
  });

  it.each([
    ["a haircut of 1", { ...example, haircuts: { BTC: 1 } }, "haircuts.BTC"],
    ["a negative balance", { ...example, venues: [{ ...venue, collateral: [{ asset: "BTC", quantity: -1 }] }] }, "venues[0].collateral[0].quantity"],
    ["a balance without its asset", { ...example, venues: [{ ...venue, collateral: [{ quantity: 1 }] }] }, "venues[0].collateral[0].asset"],
    ["a misspelt position field", { ...example, venues: [{ ...venue, positions: [{ kind: "spot", underlying: "BTC", quantity: 1, strik: 5 }] }] }, "venues[0].positions[0].strik"],
    ["a margin call above liquidation", { ...example, thresholds: { marginCall: 1.1, liquidation: 1 } }, "thresholds.marginCall"],
    ["a zero liquidation threshold", { ...example, thresholds: { marginCall: 0.8, liquidation: 0 } }, "thresholds.liquidation"],
    ["an unknown profile", { ...example, venues: [{ ...venue, profile: "ftx" }] }, "venues[0].profile"],
    ["two venues of one name", { ...example, venues: [venue, venue] }, "venues[1]"],
    ["no venues", { ...example, venues: [] }, "venues"],
    ["a depeg of USD", { ...example, depeg: { USD: 0.9 } }, "depeg.USD"],
    ["a depeg price above 2", { ...example, depeg: { USDC: 3 } }, "depeg.USDC"],
    ["tiers that fall", { ...example, addOns: { concentration: { tiers: [{ above: 0.2, rate: 0.1 }, { above: 0.1, rate: 0.2 }] } } }, "addOns.concentration.tiers[1].above"],
  ])("rejects %s, naming the field", (_, doc, path) => rejects(doc, path));

  it("checks collateral assets and positions against the market, with paths into the account", () => {
    const market = parseMarket(read("market.json"));
    const check = (doc: unknown, path: string): void => {
      expect(() => checkAccountAgainstMarket(parseAccount(doc), market, "a.json")).toThrow(expect.objectContaining({ path, source: "a.json" }) as InputError);
    };
    check({ venues: [{ name: "x", collateral: [{ asset: "DOGE", quantity: 1 }] }] }, "venues[0].collateral[0].asset");
    check({ venues: [{ name: "x" }, { name: "y", positions: [{ kind: "future", settlement: "linear", underlying: "BTC", quantity: 1, expiry: "2020-01-01" }] }] }, "venues[1].positions[0].expiry");
  });

  it("market liquidity fields are checked with their bounds", () => {
    const market = read("market.json") as { underlyings: Record<string, Record<string, unknown>> };
    const withLiquidity = (liquidity: unknown) => ({ ...market, underlyings: { ...market.underlyings, BTC: { ...market.underlyings.BTC, liquidity } } });
    expect(() => parseMarket(withLiquidity({ spread: 2, adv: 10 }))).toThrow(expect.objectContaining({ path: "underlyings.BTC.liquidity.spread" }) as InputError);
    expect(() => parseMarket(withLiquidity({ spread: 0.001, adv: 0 }))).toThrow(expect.objectContaining({ path: "underlyings.BTC.liquidity.adv" }) as InputError);
    expect(() => parseMarket(withLiquidity({ spread: 0.001 }))).toThrow(expect.objectContaining({ path: "underlyings.BTC.liquidity.adv" }) as InputError);
  });
});

describe("pmargin account", () => {
  const examples = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it("--json prints the library's result: the combined status equals the sum of the venues' equities, each venue with its profile", async () => {
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((s: string) => void out.push(s));
    await accountCommand(examples("account.json"), examples("market.json"), { method: "grid", profile: "deribit", json: true, distance: false });
    const r = JSON.parse(out.join("\n"));
    expect(r.equity).toBeCloseTo(r.venues[0].equity + r.venues[1].equity, 6);
    expect(r.venues.map((v: { basis: string }) => v.basis)).toEqual(["deribit grid", "paradex grid"]);
    expect(r.venueFailures).toHaveLength(2);
    expect(r.depeg.prices).toEqual({ USDC: 0.9 });
    expect(["healthy", "margin-call", "liquidation"]).toContain(r.state);
  });

  it("prints the status table, the collateral, the distances and the stresses", async () => {
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((s: string) => void out.push(s));
    await accountCommand(examples("account.json"), examples("market.json"), { method: "grid", profile: "deribit" });
    const text = out.join("\n");
    for (const s of ["margin ratio (MM / equity)", "liquidity add-on", "distance to liquidation", "Depeg (USDC 0.9)", "venue fails", "offset benefit"]) expect(text).toContain(s);
  });

  it("a bad account file exits 2 with the file and the field", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((s: string) => void errors.push(s));
    await run(() => accountCommand(examples("market.json"), examples("market.json"), { method: "grid", profile: "deribit" }));
    expect(process.exitCode).toBe(2);
    expect(errors[0]).toMatch(/market\.json: .*unknown field; an account takes/);
  });
});
