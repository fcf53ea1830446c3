// The published JSON Schemas (scripts/json-schemas.ts) against the valibot parsers they are
// generated from: both accept the same valid documents and reject the same malformed ones,
// apart from the cross-field rules each schema's description leaves to the parser.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { jsonSchemas, SCHEMA_DIR, schemaFileText } from "../scripts/json-schemas.js";
import { InputError } from "../src/errors.js";
import { parseMarket, parseMonteCarloModel, parsePortfolio, parseProfile, parseStressScenarios } from "../src/schema/index.js";
import { parseAccount } from "../src/schema/account.js";
import { parseHedgeCandidates } from "../src/schema/candidates.js";
import { AS_OF, market, portfolio } from "./schema/helpers.js";

type Format = "portfolio" | "market" | "montecarlo-model" | "profile" | "stress-scenarios" | "account" | "hedge-candidates";

const PARSERS: Record<Format, (input: unknown) => unknown> = {
  portfolio: parsePortfolio,
  market: parseMarket,
  "montecarlo-model": parseMonteCarloModel,
  profile: parseProfile,
  "stress-scenarios": parseStressScenarios,
  account: parseAccount,
  "hedge-candidates": parseHedgeCandidates,
};
const FORMATS = Object.keys(PARSERS) as Format[];

const schemas = jsonSchemas();
// strict: an unknown keyword or a type clash in a generated schema fails the compile. Open
// tuples are right, though: valibot's v.tuple (a spread credit's pair) accepts extra items.
const ajv = new Ajv({ strict: true });
const validators = Object.fromEntries(FORMATS.map((f) => [f, ajv.compile(schemas[f]!)])) as Record<Format, ValidateFunction>;

/** What the JSON Schema and the valibot parser each say about `doc`. */
function verdicts(format: Format, doc: unknown): { jsonSchema: boolean; parser: boolean } {
  const jsonSchema = validators[format](doc);
  try {
    PARSERS[format](doc);
    return { jsonSchema, parser: true };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { jsonSchema, parser: false };
  }
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), "utf8"));
}

// Grid profiles; a Derive profile (src/profiles/derive.json) is its own format, parsed by parseDeriveProfile.
const PROFILES = readdirSync(new URL("../src/profiles/", import.meta.url)).filter((f) => f.endsWith(".json") && f !== "derive.json");

const spot = { kind: "spot", underlying: "BTC", quantity: 1 };
const call = { kind: "option", underlying: "BTC", settlement: "inverse", right: "call", strike: 100000, expiry: "2026-12-25T08:00:00Z", quantity: -2 };
const slice = { expiry: "2026-12-25T08:00:00Z", strikes: [60000, 80000, 100000], vols: [0.46, 0.41, 0.43] };
const minimalMarket = (u: Record<string, unknown>) => ({ asOf: AS_OF, underlyings: { BTC: { index: 77000, ...u } } });
const grid = { moves: [-0.1, 0, 0.1], volStates: [{ name: "up", shift: 0.5 }], extended: [] };
const minimalProfile = (patch: Record<string, unknown>) => ({
  name: "test", description: "a test profile", sources: [], defaults: grid, mmFactor: 0.8, crossUnderlying: "sum", ...patch,
});
const shock = { type: "shock", name: "crash", moves: { BTC: -0.3 } };

describe("the published JSON Schemas", () => {
  it("are draft-07 documents with an $id, a title and a description naming what only the parser checks", () => {
    expect(Object.keys(schemas).sort()).toEqual([...FORMATS].sort());
    for (const [name, schema] of Object.entries(schemas)) {
      expect(schema).toMatchObject({
        $schema: "http://json-schema.org/draft-07/schema#",
        $id: `https://pmargin.dev/schemas/${name}.schema.json`,
        title: expect.stringContaining("pmargin"),
        description: expect.stringContaining("JSON Schema checks the structure, types and ranges"),
      });
    }
  });

  it.each([
    ["portfolio", "examples/portfolio.json"],
    ["market", "examples/market.json"],
    ["montecarlo-model", "examples/montecarlo.json"],
    ["stress-scenarios", "examples/stress.json"],
    ["account", "examples/account.json"],
    ["hedge-candidates", "examples/candidates.json"],
    ...PROFILES.map((f) => ["profile", `src/profiles/${f}`]),
  ] as [Format, string][])("accept the bundled %s %s", (format, path) => {
    const doc = readJson(path);
    expect(validators[format](doc), JSON.stringify(validators[format].errors)).toBe(true);
    expect(verdicts(format, doc)).toEqual({ jsonSchema: true, parser: true });
  });

  it.each([
    ["portfolio", "a minimal portfolio with one spot position", { positions: [spot] }],
    ["portfolio", "the test fixture with every kind and settlement", portfolio()],
    ["portfolio", "an option without id or contractSize", { positions: [call] }],
    ["market", "the test fixture (strikes for BTC, logMoneyness for ETH)", market()],
    ["market", "a market with only an index", minimalMarket({})],
    ["market", "a slice on strikes instead of logMoneyness", minimalMarket({ surface: [slice] })],
    ["market", "a slice given as SVI", minimalMarket({ surface: [{ expiry: slice.expiry, svi: { a: 0.04, b: 0.2, rho: -0.3, m: 0, sigma: 0.2 }, sviRange: [-2, 2] }] })],
    ["montecarlo-model", "an empty model (all defaults)", {}],
    ["montecarlo-model", "a horizon in hours with a normal marginal", { horizon: { hours: 4 }, marginal: { type: "normal" } }],
    ["montecarlo-model", "per-underlying jumps and vol dynamics", {
      jumps: { idiosyncratic: { intensity: 1, mean: -0.05, vol: 0.03, underlyings: { SOL: { intensity: 2, mean: -0.1, vol: 0.05 } } } },
      volDynamics: { underlyings: { BTC: { volOfVol: 0.5 } } },
    }],
    ["profile", "a minimal profile", minimalProfile({})],
    ["profile", "spread credits and a partial per-underlying override", minimalProfile({
      underlyings: { SOL: { moves: [-0.3, 0, 0.3] } },
      crossUnderlying: { spreadCredits: [{ underlyings: ["BTC", "ETH"], credit: 0.5 }] },
    })],
    ["stress-scenarios", "one scenario of each type", { scenarios: [
      shock,
      { type: "historical", name: "FTX", from: "2022-11-06", to: "2022-11-13", volRule: "realised" },
      { type: "correlation-to-one", name: "all down", sigmas: -4 },
    ] }],
  ] as [Format, string, unknown][])("accept, like the %s parser, %s", (format, _, doc) => {
    expect(verdicts(format, doc)).toEqual({ jsonSchema: true, parser: true });
  });

  it.each([
    ["portfolio", "an option with strike misspelt strik", { positions: [{ ...call, strike: undefined, strik: 100000 }] }],
    ["portfolio", "a quantity given as a string", { positions: [{ ...spot, quantity: "1" }] }],
    ["portfolio", "a negative strike", { positions: [{ ...call, strike: -100 }] }],
    ["portfolio", "a position without its underlying", { positions: [{ kind: "spot", quantity: 1 }] }],
    ["portfolio", "an empty positions array", { positions: [] }],
    ["portfolio", "an unknown kind", { positions: [{ ...spot, kind: "swap" }] }],
    ["market", "a vol of 0", minimalMarket({ surface: [{ ...slice, vols: [0.46, 0, 0.43] }] })],
    ["market", "a negative vol", minimalMarket({ surface: [{ ...slice, vols: [0.46, -0.41, 0.43] }] })],
    ["market", "an index given as a string", minimalMarket({ index: "77000" })],
    ["market", "a market without asOf", { underlyings: minimalMarket({}).underlyings }],
    ["market", "an underlying with index misspelt indx", { asOf: AS_OF, underlyings: { BTC: { indx: 77000 } } }],
    ["montecarlo-model", "a VaR level of 1.5", { levels: { var: [1.5] } }],
    ["montecarlo-model", "paths given as a string", { paths: "1000" }],
    ["montecarlo-model", "a fractional number of paths", { paths: 1000.5 }],
    ["montecarlo-model", "a Student-t with nu = 2", { marginal: { type: "student-t", nu: 2 } }],
    ["montecarlo-model", "a horizon in both days and hours", { horizon: { days: 1, hours: 4 } }],
    ["montecarlo-model", "a correlation above 1", { correlation: { underlyings: ["BTC", "ETH"], matrix: [[1, 1.2], [1.2, 1]] } }],
    ["montecarlo-model", "paths misspelt path", { path: 1000 }],
    ["profile", "an mmFactor of 1.5", minimalProfile({ mmFactor: 1.5 })],
    ["profile", "a move of −100%", minimalProfile({ defaults: { ...grid, moves: [-1, 0] } })],
    ["profile", "a profile without a name", minimalProfile({ name: undefined })],
    ["profile", "an empty moves list", minimalProfile({ defaults: { ...grid, moves: [] } })],
    ["profile", "a spread credit on one underlying", minimalProfile({ crossUnderlying: { spreadCredits: [{ underlyings: ["BTC"], credit: 0.5 }] } })],
    ["stress-scenarios", "an empty scenarios array", { scenarios: [] }],
    ["hedge-candidates", "an empty candidates array", { candidates: [] }],
    ["hedge-candidates", "a maxSize of 0", { candidates: [{ position: { kind: "spot", underlying: "BTC", quantity: 1 }, maxSize: 0 }] }],
    ["hedge-candidates", "a negative half spread", { candidates: [{ position: { kind: "spot", underlying: "BTC", quantity: 1 }, maxSize: 1, halfSpreadUsd: -1 }] }],
    ["stress-scenarios", "a move of −100%", { scenarios: [{ ...shock, moves: { BTC: -1 } }] }],
    ["stress-scenarios", "a scenario without a name", { scenarios: [{ ...shock, name: undefined }] }],
    ["stress-scenarios", "an unknown scenario type", { scenarios: [{ ...shock, type: "crash" }] }],
    ["stress-scenarios", "horizonDays misspelt horizonDay", { scenarios: [{ ...shock, horizonDay: 1 }] }],
  ] as [Format, string, unknown][])("reject, like the %s parser, %s", (format, _, doc) => {
    // JSON.parse(JSON.stringify()) drops the `undefined` used above to delete a field.
    expect(verdicts(format, JSON.parse(JSON.stringify(doc)))).toEqual({ jsonSchema: false, parser: false });
  });

  it.each([
    ["portfolio", "an expiry on a day that does not exist", { positions: [{ ...call, expiry: "2026-02-30" }] }],
    ["portfolio", "a linear future sized by faceValue", { positions: [{ kind: "future", underlying: "BTC", settlement: "linear", quantity: 1, faceValue: 10 }] }],
    ["market", "no underlyings", { asOf: AS_OF, underlyings: {} }],
    ["market", "a slice with both strikes and logMoneyness", minimalMarket({ surface: [{ ...slice, logMoneyness: [-0.1, 0, 0.1] }] })],
    ["market", "strikes that decrease", minimalMarket({ surface: [{ ...slice, strikes: [100000, 80000, 60000] }] })],
    ["market", "fewer vols than strikes", minimalMarket({ surface: [{ ...slice, vols: [0.4] }] })],
    ["market", "a node slice without vols", JSON.parse(JSON.stringify(minimalMarket({ surface: [{ ...slice, vols: undefined }] })))],
    ["market", "an SVI slice with vols", minimalMarket({ surface: [{ expiry: slice.expiry, svi: { a: 0.04, b: 0.2, rho: -0.3, m: 0, sigma: 0.2 }, vols: [0.5] }] })],
    ["market", "an SVI range that leaves out the forward", minimalMarket({ surface: [{ expiry: slice.expiry, svi: { a: 0.04, b: 0.2, rho: -0.3, m: 0, sigma: 0.2 }, sviRange: [0.1, 1] }] })],
    ["market", "a forward expiring at asOf", minimalMarket({ forwards: [{ expiry: AS_OF, price: 77000 }] })],
    ["market", "two slices with the same expiry", minimalMarket({ surface: [slice, slice] })],
    ["profile", "an extended move naming an unknown vol state", minimalProfile({ defaults: { ...grid, extended: [{ move: -0.5, weight: 0.3, vol: "down" }] } })],
    ["stress-scenarios", "a date that is not ISO-8601", { scenarios: [{ type: "historical", name: "FTX", from: "06/11/2022", to: "2022-11-13" }] }],
  ] as [Format, string, unknown][])("leave to the %s parser the cross-field rule broken by %s", (format, _, doc) => {
    expect(verdicts(format, doc)).toEqual({ jsonSchema: true, parser: false });
  });
});

describe.skipIf(!existsSync(SCHEMA_DIR))("dist/schemas", () => {
  it.each(FORMATS)("holds %s.schema.json exactly as jsonSchemas() generates it", (name) => {
    expect(readFileSync(resolve(SCHEMA_DIR, `${name}.schema.json`), "utf8")).toBe(schemaFileText(schemas[name]!));
  });
});

describe("documents that name their schema", () => {
  it("a portfolio and a market may carry \"$schema\" for editor support: both validators accept it", () => {
    const p = { $schema: "https://pmargin.dev/schemas/portfolio.schema.json", ...portfolio() };
    const m = { $schema: "https://pmargin.dev/schemas/market.schema.json", ...market() };
    expect(validators.portfolio(p)).toBe(true);
    expect(validators.market(m)).toBe(true);
    expect(parsePortfolio(p).positions).toHaveLength(portfolio().positions.length);
    expect(Object.keys(parseMarket(m).underlyings)).toEqual(Object.keys(market().underlyings));
  });
});
