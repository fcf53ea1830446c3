// Every public function that takes inputs checks them as the CLI does (issue 26): a library
// caller passing plain objects, wrong types or a mutated document gets an InputError (or a
// LimitError) naming the argument and field — never a bare TypeError, a NaN or a wrong number.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as api from "../src/index.js";
import * as engineTier from "../src/engine/index.js";
import * as riskTier from "../src/risk/index.js";
import * as importTier from "../src/import/index.js";
import * as referenceTier from "../src/reference/index.js";
import * as parallelTier from "../src/parallel/pool.js";
import { PmarginError, type InputError } from "../src/errors.js";
import type { PriceSeries } from "../src/history/history.js";
import { shippedSeries } from "../src/history/shipped.js";
import { applyMutations, mutations } from "./fixtures/mutate.js";
import { inputError } from "./helpers/errors.js";

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../examples/${name}.json`, import.meta.url), "utf8"));
const PORTFOLIO = read("portfolio") as { positions: Record<string, unknown>[] };
const MARKET = read("market");
const ACCOUNT = read("account");
const PROFILE = JSON.parse(readFileSync(new URL("../src/profiles/deribit.json", import.meta.url), "utf8")) as Record<string, unknown>;

let engine: api.Engine;
let history: PriceSeries[];
let inputs: api.Inputs;
beforeAll(async () => {
  engine = await api.createEngine();
  history = await shippedSeries();
  inputs = api.prepareInputs(PORTFOLIO, MARKET);
});

/** A plain (unparsed) copy of the example's positions with `change` applied to the first option. */
function withOption(change: Record<string, unknown>): unknown[] {
  const positions = structuredClone(PORTFOLIO.positions);
  const i = positions.findIndex((p) => p.kind === "option");
  positions[i] = { ...positions[i], ...change };
  return positions;
}

describe("gridMargin checks what a library caller passes (the issue's cases)", () => {
  const grid = (positions: unknown, profile: unknown = api.builtInProfile("deribit")): InputError =>
    inputError(() => api.gridMargin(engine, positions as api.Position[], inputs.market, { profile: profile as api.MarginProfile }));
  const option = (): number => PORTFOLIO.positions.findIndex((p) => p.kind === "option");

  it.each([
    [{ quantity: "5" }, "quantity", /must be a finite number, got "5"/],
    [{ quantity: Number.NaN }, "quantity", /must be a finite number, got NaN/],
    [{ underlying: "DOGE" }, "underlying", /unknown underlying "DOGE"/],
    [{ expiry: "2020-01-01" }, "expiry", /expired/],
    [{ right: "x" }, "right", /expected one of call, put, got "x"/],
    [{ kind: "swap" }, "kind", /expected one of spot, future, option, got "swap"/],
  ])("a position with %j is refused at positions[i].%s", (change, field, reason) => {
    const e = grid(withOption(change));
    expect(e.path).toBe(`positions[${option()}].${field}`);
    expect(e.reason).toMatch(reason);
  });

  it("a profile with mmFactor −1, or {}, names options.profile's field", () => {
    expect(grid(structuredClone(PORTFOLIO.positions), { ...PROFILE, mmFactor: -1 }).path).toBe("options.profile.mmFactor");
    expect(grid(structuredClone(PORTFOLIO.positions), {}).path).toMatch(/^options\.profile\.(name|description|sources|defaults|mmFactor|crossUnderlying)$/);
  });

  it("a market not built by buildMarket, or raw data where a built market is due, is refused", () => {
    const fake = { ...inputs.market };
    expect(inputError(() => api.gridMargin(engine, inputs.portfolio.positions, fake, { profile: api.builtInProfile("deribit") })).path).toBe("market");
    expect(inputError(() => api.buildMarket({ asOf: "2026-01-01", underlyings: { BTC: { index: -1 } } })).path).toBe("underlyings.BTC.index");
  });

  it("plain valid objects give the parsed inputs' figures, bit for bit", () => {
    const profile = api.builtInProfile("deribit");
    const parsed = api.gridMargin(engine, inputs.portfolio.positions, inputs.market, { profile });
    const plain = api.gridMargin(engine, structuredClone(PORTFOLIO.positions) as unknown as api.Position[], inputs.market, { profile: structuredClone(PROFILE) as unknown as api.MarginProfile });
    expect(plain.initial).toBe(parsed.initial);
    expect(plain.maintenance).toBe(parsed.maintenance);
  });

  it("parsed inputs are frozen, so a checked value cannot turn bad", () => {
    const p = inputs.portfolio.positions[0]!;
    expect(Object.isFrozen(p)).toBe(true);
    expect(() => { (p as { quantity: unknown }).quantity = "5"; }).toThrow(TypeError);
  });
});

/** What a caller might pass instead of an argument. */
const WEIRD: unknown[] = [undefined, null, "x", "", 0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e308, true, {}, [], [Number.NaN], { length: -1 }, () => 1];

interface Case {
  name: string;
  /** Fresh valid arguments; those at `json` are documents that the fuzz mutates field by field. */
  args: () => unknown[];
  json: number[];
  call: (...args: unknown[]) => unknown;
}

const fn = <A extends unknown[]>(f: (...a: A) => unknown) => f as (...args: unknown[]) => unknown;
const options = (): Record<string, unknown> => ({ profile: structuredClone(PROFILE) });
const spec = (): Record<string, unknown> => ({ method: "grid", profile: structuredClone(PROFILE) });
const positions = (): unknown => structuredClone(PORTFOLIO.positions);
const built = (): unknown => inputs.market;
const few = (): unknown => ({ paths: 500, seed: 1 });
const deriveResult = (): api.DeriveMarginResult => api.deriveMargin(engine, read("derive/portfolio") as api.DerivePortfolio, read("derive/market") as api.DeriveMarket, read("derive/profile") as api.DeriveProfile);
const paradexInputs = () => api.prepareInputs(read("paradex/portfolio"), read("paradex/market"));
const okxInputs = () => api.prepareInputs(read("okx/portfolio"), read("okx/market"));
const bybitInputs = () => api.prepareInputs(read("bybit/portfolio"), read("bybit/market"));
const recent = (days: number): PriceSeries[] => history.map((s) => ({ ...s, times: s.times.slice(-days), closes: s.closes.slice(-days) }));

/** Every exported function of pmargin, pmargin/engine and pmargin/risk that takes inputs, with valid arguments. */
const CASES: Case[] = [
  { name: "parsePortfolio", args: () => [structuredClone(PORTFOLIO)], json: [0], call: fn(api.parsePortfolio) },
  { name: "parseMarket", args: () => [structuredClone(MARKET)], json: [0], call: fn(api.parseMarket) },
  { name: "parseProfile", args: () => [structuredClone(PROFILE)], json: [0], call: fn(api.parseProfile) },
  { name: "parseAccount", args: () => [structuredClone(ACCOUNT)], json: [0], call: fn(api.parseAccount) },
  { name: "parseMonteCarloModel", args: () => [read("montecarlo")], json: [0], call: fn(api.parseMonteCarloModel) },
  { name: "parseStressScenarios", args: () => [read("stress")], json: [0], call: fn(api.parseStressScenarios) },
  { name: "parseUpdate", args: () => [{ type: "price", underlying: "BTC", index: 90_000 }], json: [0], call: fn(api.parseUpdate) },
  { name: "parseJson", args: () => ['{"a": 1}'], json: [], call: fn(api.parseJson) },
  { name: "checkAgainstMarket", args: () => [structuredClone(PORTFOLIO), structuredClone(MARKET)], json: [0, 1], call: fn(api.checkAgainstMarket) },
  { name: "checkAccountAgainstMarket", args: () => [structuredClone(ACCOUNT), structuredClone(MARKET)], json: [0, 1], call: fn(api.checkAccountAgainstMarket) },
  { name: "prepareInputs", args: () => [structuredClone(PORTFOLIO), structuredClone(MARKET)], json: [0, 1], call: fn(api.prepareInputs) },
  { name: "buildMarket", args: () => [structuredClone(MARKET)], json: [0], call: fn(api.buildMarket) },
  { name: "builtInProfile", args: () => ["deribit"], json: [], call: fn(api.builtInProfile) },
  { name: "gridMargin", args: () => [engine, positions(), built(), options()], json: [1, 3], call: fn(api.gridMargin) },
  { name: "gridMargin (reference backend)", args: () => [api.referenceBackend(engine), positions(), built(), options()], json: [1, 3], call: fn(api.gridMargin) },
  { name: "gridAttribution", args: () => [engine, positions(), built(), structuredClone(PROFILE)], json: [1, 3], call: fn(api.gridAttribution) },
  { name: "greeksMargin", args: () => [engine, positions(), built(), structuredClone(PROFILE)], json: [1, 3], call: fn(api.greeksMargin) },
  { name: "valueBook", args: () => [engine, engine.compile(inputs.portfolio.positions, inputs.market), built()], json: [], call: fn(api.valueBook) },
  { name: "monteCarlo", args: () => [engine, positions(), built(), few()], json: [1, 3], call: fn(api.monteCarlo) },
  { name: "historicalVaR", args: () => [engine, positions(), built(), history, { horizonDays: 1 }], json: [1, 4], call: fn(api.historicalVaR) },
  { name: "stressTest", args: () => [engine, positions(), built(), (read("stress") as { scenarios: unknown[] }).scenarios, { history }], json: [1, 3], call: fn(api.stressTest) },
  { name: "headlineMargin", args: () => [engine, positions(), built(), spec()], json: [1, 3], call: fn(api.headlineMargin) },
  { name: "headlineMargins", args: () => [engine, [positions(), positions()], built(), spec()], json: [1, 3], call: fn(parallelTier.headlineMargins) },
  { name: "gridMargins", args: () => [engine, [positions(), positions()], built(), options()], json: [1, 3], call: fn(parallelTier.gridMargins) },
  { name: "whatIf", args: () => [engine, positions(), built(), [{ kind: "future", settlement: "linear", underlying: "BTC", quantity: 1 }], spec()], json: [1, 3, 4], call: fn(api.whatIf) },
  { name: "deltaHedge", args: () => [engine, positions(), built(), spec(), {}], json: [1, 3, 4], call: fn(api.deltaHedge) },
  { name: "optimiseMargin", args: () => [engine, positions(), built(), [{ position: { kind: "future", settlement: "linear", underlying: "BTC", quantity: 1 }, maxSize: 10 }], spec()], json: [1, 3, 4], call: fn(api.optimiseMargin) },
  { name: "accountMargin", args: () => [engine, structuredClone(ACCOUNT), structuredClone(MARKET), spec()], json: [1, 2, 3], call: fn(api.accountMargin) },
  { name: "marginStatus", args: () => [1e6, 5e5, 4e5, { marginCall: 0.8, liquidation: 1 }], json: [3], call: fn(api.marginStatus) },
  { name: "LiveGridMargin", args: () => [engine, positions(), structuredClone(MARKET), options()], json: [1, 2, 3], call: (...a) => new api.LiveGridMargin(...(a as ConstructorParameters<typeof api.LiveGridMargin>)).margin },
  { name: "MarginMonitor", args: () => [engine, positions(), structuredClone(MARKET), options()], json: [1, 2, 3], call: (...a) => new api.MarginMonitor(...(a as ConstructorParameters<typeof api.MarginMonitor>)).margin },
  { name: "EwmaTracker", args: () => [["BTC", "ETH"], { lambda: 0.94 }], json: [0, 1], call: (...a) => new api.EwmaTracker(...(a as ConstructorParameters<typeof api.EwmaTracker>)).ready },
  // 45 days of history: any backtest on it (a default one included) is a few test days.
  { name: "backtest", args: () => [engine, positions(), structuredClone(MARKET), recent(45), { lookbackDays: 30, models: [{ method: "historical" }] }], json: [1, 2, 4], call: fn(api.backtest) },
  { name: "alignHistory", args: () => [history, {}], json: [1], call: fn(api.alignHistory) },
  { name: "estimateModelInputs", args: () => [api.alignHistory(history), {}], json: [1], call: fn(api.estimateModelInputs) },
  { name: "deriveMargin", args: () => [engine, read("derive/portfolio"), read("derive/market"), read("derive/profile")], json: [1, 2, 3], call: fn(api.deriveMargin) },
  { name: "parseDeriveInputs", args: () => [read("derive/portfolio"), read("derive/market"), read("derive/profile"), {}], json: [0, 1, 2], call: fn(api.parseDeriveInputs) },
  { name: "compareDerive", args: () => [deriveResult(), { scenarioPnls: deriveResult().scenarios.map((x) => x.pnl), im: 1, mm: 1 }], json: [1], call: fn(api.compareDerive) },
  { name: "importDeriveCase", args: () => [read("../tests/fixtures/derive/case-format"), { underlying: "BTC" }], json: [0, 1], call: fn(importTier.importDeriveCase) },
  { name: "sviVol", args: () => [{ a: 0.02, b: 0.1, rho: -0.3, m: 0, sigma: 0.2, forward: 3000, tau: 0.1 }, 3200], json: [0], call: fn(referenceTier.sviVol) },
  { name: "paradexMargin", args: () => [engine, paradexInputs().portfolio.positions, paradexInputs().market, { profile: api.builtInProfile("paradex"), orders: (read("paradex/orders") as { orders: unknown[] }).orders }], json: [3], call: fn(api.paradexMargin) },
  { name: "okxMargin", args: () => [engine, okxInputs().portfolio.positions, okxInputs().market, { profile: api.builtInProfile("okx") }], json: [3], call: fn(api.okxMargin) },
  { name: "bybitMargin", args: () => [engine, bybitInputs().portfolio.positions, bybitInputs().market, { profile: api.builtInProfile("bybit") }], json: [3], call: fn(api.bybitMargin) },
  { name: "binanceUniMMR", args: () => [read("binance/account")], json: [0], call: fn(api.binanceUniMMR) },
  { name: "parseOpenOrders", args: () => [read("paradex/orders")], json: [0], call: fn(api.parseOpenOrders) },
  { name: "parsePriceCsv", args: () => ["date,BTC\n2025-01-01,100\n2025-01-02,101\n", { source: "btc.csv" }], json: [], call: fn(api.parsePriceCsv) },
  { name: "engine.compile", args: () => [positions(), built()], json: [0], call: (...a) => engine.compile(...(a as Parameters<api.Engine["compile"]>)) },
  { name: "ScenarioSet", args: () => [["BTC", "ETH", "SOL"], 3], json: [0], call: (...a) => new engineTier.ScenarioSet(...(a as ConstructorParameters<typeof engineTier.ScenarioSet>)) },
  { name: "engine.revalue", args: () => [engine.compile(inputs.portfolio.positions, inputs.market), new engineTier.ScenarioSet(inputs.market.names, 2), { dt: 0.01 }], json: [2], call: (...a) => engine.revalue(...(a as Parameters<api.Engine["revalue"]>)) },
  { name: "tailRisk", args: () => [Float64Array.from({ length: 1000 }, (_, i) => i - 500), { var: [0.99], es: [0.975] }, engine.selector()], json: [1], call: fn(riskTier.tailRisk) },
  { name: "kupiec", args: () => [Array.from({ length: 250 }, (_, i) => i % 50 === 0), 0.99], json: [0], call: fn(riskTier.kupiec) },
  { name: "christoffersen", args: () => [Array.from({ length: 250 }, (_, i) => i % 50 === 0), 0.99], json: [0], call: fn(riskTier.christoffersen) },
  { name: "trafficLight", args: () => [3, 250, 0.99], json: [], call: fn(riskTier.trafficLight) },
  { name: "prepareCorrelation", args: () => [{ underlyings: ["BTC", "ETH"], matrix: [[1, 0.8], [0.8, 1]] }], json: [0], call: fn(riskTier.prepareCorrelation) },
  { name: "nearestCorrelation", args: () => [Float64Array.from([1, 0.9, 0.9, 1]), 2, {}], json: [2], call: fn(riskTier.nearestCorrelation) },
  { name: "realisedVol", args: () => [api.alignHistory(history), "BTC", {}], json: [2], call: fn(riskTier.realisedVol) },
  { name: "ewmaVol", args: () => [api.alignHistory(history), "BTC", {}], json: [2], call: fn(riskTier.ewmaVol) },
  { name: "correlationFrom", args: () => [api.alignHistory(history), {}], json: [1], call: fn(riskTier.correlationFrom) },
  { name: "histogram", args: () => [Float64Array.from([1, 2, 3, 4]), 2], json: [], call: fn(riskTier.histogram) },
];

/** Paths of the first non-finite numbers in a result (typed arrays included). */
function nonFinite(x: unknown, path = "result", found: string[] = [], seen = new Set<unknown>()): string[] {
  if (found.length >= 3 || seen.has(x)) return found;
  if (typeof x === "number") {
    if (!Number.isFinite(x)) found.push(`${path} = ${x}`);
  } else if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    Array.from(x as unknown as ArrayLike<number>).forEach((v, i) => nonFinite(v, `${path}[${i}]`, found, seen));
  } else if (x !== null && typeof x === "object" && !(x instanceof WebAssembly.Memory)) {
    seen.add(x);
    for (const [k, v] of Object.entries(x)) nonFinite(v, `${path}.${k}`, found, seen);
  }
  return found;
}

/** Calls `c` with `args`: only a result of finite numbers or a PmarginError is allowed. */
function expectTyped(c: Case, args: unknown[], what: string): void {
  let result: unknown;
  try {
    result = c.call(...args);
  } catch (e) {
    if (e instanceof PmarginError) return;
    throw new Error(`${c.name} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} after ${what}`, { cause: e });
  }
  // Results that are engine objects (a book, a scenario set) hold initialised arrays, not outputs.
  const bad = nonFinite(result);
  expect(bad, `${c.name} gave non-finite numbers after ${what}`).toEqual([]);
}

describe("every exported function: mutated inputs get typed errors only", () => {
  it("covers every exported function that takes inputs", () => {
    const exported = [...Object.entries(api), ...Object.entries(engineTier), ...Object.entries(riskTier)]
      .filter(([, v]) => typeof v === "function").map(([k]) => k);
    // Those without inputs to check, async loaders (tests/history), verify (tests/verify-records) and kernels' internals.
    const elsewhere = new Set([
      "PmarginError", "InputError", "LimitError", "createEngine", "referenceBackend", "builtInStressScenarios", "builtInDeriveProfile", "VERSION",
      "loadPriceHistory", "loadPriceSeries", "verify", "watch", "Engine", "createEngine", "relaxedSimdSupported",
      "tailRiskOfLargest", "tailCount", "largest", "mergeLargest", "mergeWorst", "worstIndices", "coinPnl", "WorstWeightedLoss", "worstWeightedLoss", "lossesOf", "returnWindows",
    ]);
    const covered = new Set(CASES.map((c) => c.name.split(" ")[0]!.replace(/^engine\./, "")));
    expect(exported.filter((name) => !covered.has(name) && !elsewhere.has(name))).toEqual([]);
  });

  it("valid arguments give results, all finite", () => {
    for (const c of CASES) expect(nonFinite(c.call(...c.args())), c.name).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s: an argument replaced by a wrong value", (_, c) => {
    const n = c.args().length;
    for (let i = 0; i < n; i++) {
      for (const weird of WEIRD) {
        const args = c.args();
        args[i] = weird;
        expectTyped(c, args, `argument ${i} = ${typeof weird === "function" ? "a function" : JSON.stringify(weird) ?? String(weird)}`);
      }
    }
  });

  const mutated = CASES.filter((c) => c.json.length > 0);
  it.each(mutated.map((c) => [c.name, c] as const))("%s: documents mutated field by field", (_, c) => {
    fc.assert(
      fc.property(fc.nat(c.json.length - 1), mutations({ extreme: true, shapeKeeping: 3, maxLength: 50 }), (k, ms) => {
        const args = c.args();
        const at = c.json[k]!;
        const { doc, log } = applyMutations(args[at], ms);
        args[at] = doc;
        expectTyped(c, args, `argument ${at}: ${log.join("; ")}`);
      }),
      { numRuns: 12, seed: 26 },
    );
  });
});
