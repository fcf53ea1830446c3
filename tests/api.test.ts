// The public API in tiers (pmargin, pmargin/engine, pmargin/reference, pmargin/risk) and
// one kind of market argument: a method given the wrong kind of market throws an
// InputError naming `market`, never a bare TypeError from deep inside.
import { beforeAll, describe, expect, it } from "vitest";
import * as main from "../src/index.js";
import * as engineTier from "../src/engine/index.js";
import * as referenceTier from "../src/reference/index.js";
import * as riskTier from "../src/risk/index.js";
import { InputError } from "../src/errors.js";
import type { Engine } from "../src/engine/engine.js";
import type { Market } from "../src/market/market.js";
import type { MarketData, Position } from "../src/model/types.js";
import { AS_OF, syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";
import { dailyHistory } from "./fixtures/history.js";
import { inputError } from "./helpers/errors.js";
import { readFileSync } from "node:fs";
import { createEngine } from "../src/engine/engine.js";
import { prepareInputs } from "../src/market/inputs.js";
import { gridMargin } from "../src/methods/grid/grid.js";
import { headlineMargin, whatIf } from "../src/methods/margin.js";
import { monteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import { builtInProfile } from "../src/schema/profiles.js";

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../examples/${name}`, import.meta.url), "utf8"));

let engine: Engine;
beforeAll(async () => {
  engine = await main.createEngine();
});

const data: MarketData = syntheticMarket();
const market: Market = main.buildMarket(data);
const positions: Position[] = syntheticPositions(6, 3, 5);
const deribit = main.builtInProfile("deribit");
const grid = { method: "grid", profile: deribit } as const;
// What a plain-JS caller passes by mistake, typed away.
const rawAsMarket = data as unknown as Market;
const builtAsData = market as unknown as MarketData;

/** `call` throws an InputError at `market` whose reason says what to pass. */
function refusesMarket(call: () => unknown, hint: RegExp): void {
  const error = inputError(call);
  expect(error.path).toBe("market");
  expect(error.reason).toMatch(hint);
}

describe("tiers", () => {
  it("the main entry is a user's view: methods, inputs, results; no internals", () => {
    for (const name of ["gridMargin", "monteCarlo", "historicalVaR", "stressTest", "backtest", "headlineMargin", "whatIf", "deltaHedge",
      "optimiseMargin", "greeksMargin", "gridAttribution", "accountMargin", "LiveGridMargin", "MarginMonitor", "verify", "valueBook",
      "prepareInputs", "buildMarket", "createEngine", "referenceBackend", "builtInProfile", "InputError", "VERSION"]) {
      expect(main, name).toHaveProperty(name);
    }
    for (const name of ["mergeLargest", "tailCount", "revalueReference", "prepareMonteCarlo", "withDefaults", "ScenarioSet", "Engine",
      "kupiec", "black76", "normCdf", "DEFAULT_LIMITS", "canonicalJson"]) {
      expect(main, name).not.toHaveProperty(name);
    }
    expect(Object.keys(main).length).toBeLessThanOrEqual(60);
  });

  it("the lower tiers hold what moved out of it", () => {
    for (const name of ["Engine", "createEngine", "ScenarioSet", "DEFAULT_LIMITS", "STREAM"]) expect(engineTier, name).toHaveProperty(name);
    for (const name of ["ReferenceBackend", "referenceBackend", "revalueReference", "pathsReference", "smileTablesReference", "worstLossesReference", "jsSelector",
      "philox4x32", "black76", "black76Price", "normCdf", "impliedVol"]) {
      expect(referenceTier, name).toHaveProperty(name);
    }
    for (const name of ["tailRisk", "largest", "mergeLargest", "mergeWorst", "tailCount", "coinPnl", "worstWeightedLoss", "lossesOf",
      "WorstWeightedLoss", "kupiec", "christoffersen", "trafficLight", "ewmaVol", "nearestCorrelation"]) {
      expect(riskTier, name).toHaveProperty(name);
    }
    // One class, whichever entry it is reached from.
    expect(engineTier.createEngine).toBe(main.createEngine);
    expect(referenceTier.referenceBackend).toBe(main.referenceBackend);
  });

  it("profile names are a union type; an unknown name is an InputError naming profile", () => {
    expect([...main.builtInProfileNames]).toEqual(["deribit", "paradex", "bybit", "okx", "span"]);
    for (const name of ["binance", "constructor", "toString"]) {
      expect(() => main.builtInProfile(name as main.BuiltInProfileName)).toThrow(expect.objectContaining({ path: "profile" }) as InputError);
    }
  });
});

describe("one kind of market argument", () => {
  const hint = /built Market, got raw MarketData: pass buildMarket\(data\) or prepareInputs/;
  const history = dailyHistory({ BTC: Array.from({ length: 60 }, (_, i) => 100_000 * Math.exp(0.01 * Math.sin(i))) });

  it("the methods that take a built Market refuse raw MarketData with an InputError naming market", () => {
    const m = rawAsMarket;
    refusesMarket(() => main.gridMargin(engine, positions, m, { profile: deribit }), hint);
    refusesMarket(() => main.monteCarlo(engine, positions, m, { paths: 100 }), hint);
    refusesMarket(() => main.historicalVaR(engine, positions, m, history), hint);
    refusesMarket(() => main.stressTest(engine, positions, m, main.builtInStressScenarios()), hint);
    refusesMarket(() => main.headlineMargin(engine, positions, m, grid), hint);
    refusesMarket(() => main.whatIf(engine, positions, m, positions.slice(0, 1), grid), hint);
    refusesMarket(() => main.deltaHedge(engine, positions, m, grid), hint);
    refusesMarket(() => main.optimiseMargin(engine, positions, m, [{ underlying: "BTC", kind: "future", maxSize: 1 }] as never, grid), hint);
    refusesMarket(() => main.greeksMargin(engine, positions, m, deribit), hint);
    refusesMarket(() => main.gridAttribution(engine, positions, m, deribit), hint);
    refusesMarket(() => engine.compile(positions, m), hint);
    refusesMarket(() => main.referenceBackend(engine).compile(positions, m), hint);
    refusesMarket(() => main.valueBook(engine, engine.compile(positions, market), m), hint);
  });

  it("the methods that rebuild the market as it moves take MarketData and refuse a built Market, naming market", () => {
    const refused = /must be MarketData .* got a built Market: pass parseMarket\(json\) or prepareInputs\(\.\.\.\)\.marketData/;
    const account = { venues: [{ name: "v", positions }] };
    refusesMarket(() => main.backtest(engine, positions, builtAsData, history), refused);
    refusesMarket(() => main.accountMargin(engine, account, builtAsData, grid), refused);
    refusesMarket(() => new main.LiveGridMargin(engine, positions, builtAsData, { profile: deribit }), refused);
    refusesMarket(() => new main.MarginMonitor(engine, positions, builtAsData, { profile: deribit }), refused);
  });

  it("anything else is named for what it is", () => {
    refusesMarket(() => main.gridMargin(engine, positions, undefined as unknown as Market, { profile: deribit }), /got undefined/);
    refusesMarket(() => main.gridMargin(engine, positions, { asOf: AS_OF } as unknown as Market, { profile: deribit }), /got an object that is neither/);
  });

  it("the right kind still works", () => {
    expect(main.gridMargin(engine, positions, market, { profile: deribit }).initial).toBeGreaterThan(0);
    expect(new main.LiveGridMargin(engine, positions, data, { profile: deribit }).margin.initial).toBeGreaterThan(0);
  });
});

describe("options a method does not know are refused, not ignored", () => {
  it("the removed kernels option names its replacement, in every method that took it", async () => {
    const engine = await createEngine();
    const { portfolio, market } = prepareInputs(read("portfolio.json"), read("market.json"));
    const profile = builtInProfile("deribit");
    const calls: [string, () => unknown][] = [
      ["options.kernels", () => gridMargin(engine, portfolio.positions, market, { profile, kernels: "js" } as never)],
      ["options.kernels", () => monteCarlo(engine, portfolio.positions, market, { paths: 100 }, { kernels: "js" } as never)],
      ["spec.kernels", () => headlineMargin(engine, portfolio.positions, market, { method: "grid", profile, kernels: "js" } as never)],
      ["spec.kernels", () => whatIf(engine, portfolio.positions, market, portfolio.positions.slice(0, 1), { method: "grid", profile, kernels: "js" } as never)],
    ];
    for (const [path, call] of calls) {
      expect(call).toThrow(InputError);
      expect(call).toThrow(/referenceBackend/);
      try {
        call();
      } catch (e) {
        expect((e as InputError).path).toBe(path);
      }
    }
  });

  it("a misspelt option and an unknown method are named", async () => {
    const engine = await createEngine();
    const { portfolio, market } = prepareInputs(read("portfolio.json"), read("market.json"));
    expect(() => gridMargin(engine, portfolio.positions, market, { profile: builtInProfile("deribit"), perPositon: true } as never)).toThrow(/options\.perPositon: unknown option/);
    expect(() => headlineMargin(engine, portfolio.positions, market, { method: "var" } as never)).toThrow(/spec\.method: must be grid, monte-carlo, historical/);
  });
});
