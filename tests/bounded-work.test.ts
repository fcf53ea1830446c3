// Small inputs cannot ask for unbounded work (issue 26): the work budget and the limits are
// checked before anything is allocated (docs/limits.md), workers are capped by the cores,
// outliers in a price history are reported (refused with strict), and errors name the field.
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { limitsFromEnvironment } from "../src/cli/engine.js";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { InputError, LimitError } from "../src/errors.js";
import { alignHistory, OUTLIER_DEVIATIONS, type PriceSeries } from "../src/history/history.js";
import { shippedSeries } from "../src/history/shipped.js";
import { prepareInputs, type Inputs } from "../src/market/inputs.js";
import { backtest } from "../src/methods/backtest/backtest.js";
import { historicalVaR } from "../src/methods/historical/historical.js";
import { monteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import { RiskPool } from "../src/parallel/pool.js";
import { parseMonteCarloModel, parseProfile } from "../src/schema/index.js";
import { inputError } from "./helpers/errors.js";

const cli = new URL("../dist/cli/main.js", import.meta.url).pathname;
const examples = new URL("../examples/", import.meta.url).pathname;
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../examples/${name}.json`, import.meta.url), "utf8"));

let engine: Engine;
let inputs: Inputs;
let history: PriceSeries[];
beforeAll(async () => {
  engine = await createEngine();
  inputs = prepareInputs(read("portfolio"), read("market"));
  history = await shippedSeries();
});

/** The shipped series with one bad tick: BTC's close 100 days before the end × 10⁵. */
const badTick = (): PriceSeries[] => history.map((s) => {
  if (s.symbol !== "BTC") return s;
  const closes = s.closes.slice();
  closes[closes.length - 100]! *= 1e5;
  return { ...s, closes };
});

describe("the work budget is checked before anything is allocated", () => {
  it("new ScenarioSet(u, 1e9) is a LimitError at once (it allocated > 6 GB first)", () => {
    const before = process.memoryUsage().arrayBuffers;
    expect(() => new ScenarioSet(["BTC", "ETH", "SOL"], 1e9)).toThrow(LimitError);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1e8);
  });

  it("a backtest of 16 M paths a day (~11 h) is refused by the revaluations budget, naming it", () => {
    const models = [{ method: "monte-carlo" as const, model: { paths: 16_000_000 } }];
    expect(() => backtest(engine, inputs.portfolio.positions, inputs.marketData, history, { models })).toThrow(/revaluations \(test days × paths and windows × positions\)/);
  });

  it("in the CLI the refusal says how to raise the budget (PMARGIN_LIMITS), exit 2", () => {
    const r = spawnSync(process.execPath, [cli, "backtest", `${examples}portfolio.json`, `${examples}market.json`, "--paths", "16000000"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/limit 10000000000: lower the work, or raise it with PMARGIN_LIMITS=revaluations=<n> \(docs\/limits\.md\)/);
    expect(limitsFromEnvironment("revaluations=1e11, positions=5")).toEqual({ revaluations: 1e11, positions: 5 });
    expect(() => limitsFromEnvironment("revaluation=1")).toThrow(/unknown limit "revaluation"/);
  });

  it("Monte Carlo positions × paths beyond a lowered budget is refused before the paths are drawn", async () => {
    const small = await createEngine({ limits: { revaluations: 1e6 } });
    const e = (() => { try { monteCarlo(small, inputs.portfolio.positions, inputs.market, { paths: 100_000 }); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(LimitError);
    expect((e as LimitError).limit).toBe("revaluations (positions × paths)");
  });

  it("a profile of 200,000 moves is refused at parse (it took 19 s and 1 GB)", () => {
    const deribit = JSON.parse(readFileSync(new URL("../src/profiles/deribit.json", import.meta.url), "utf8")) as { defaults: { moves: number[] } };
    deribit.defaults.moves = Array.from({ length: 200_000 }, (_, i) => (i / 200_000) - 0.5);
    const e = inputError(() => parseProfile(deribit));
    expect(e.path).toBe("defaults.moves");
    expect(e.reason).toMatch(/at most 1,000 moves/);
  });
});

describe("workers are capped by the cores", () => {
  it("a pool of more than 4 workers per core is refused; the CLI caps --workers 1000 at the cores with a note", () => {
    expect(() => new RiskPool({ workers: 1000 })).toThrow(InputError);
    const r = spawnSync(process.execPath, [cli, "var", `${examples}portfolio.json`, `${examples}market.json`, "--paths", "2000", "--workers", "1000"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`--workers 1000: capped at ${availableParallelism()}, this machine's cores`);
  });
});

describe("price histories are screened for outliers", () => {
  it("the shipped history has none: its largest move is below the screen", () => {
    expect(alignHistory(history).report.outliers).toBeUndefined();
  });

  it("a 10⁵× bad tick is reported in the result (it moved ES 97.5% from 21.8k to 96.9k silently), and refused with strict", () => {
    const aligned = alignHistory(badTick());
    expect(aligned.report.outliers?.map((o) => o.symbol)).toEqual(["BTC", "BTC"]);
    expect(aligned.report.outliers![0]!.deviations).toBeGreaterThan(OUTLIER_DEVIATIONS);
    expect(aligned.report.notes.some((n) => n.startsWith("warning: 2 price jumps beyond 30 robust deviations"))).toBe(true);
    const r = historicalVaR(engine, inputs.portfolio.positions, inputs.market, badTick());
    expect(r.history.outliers).toHaveLength(2);
    const e = inputError(() => historicalVaR(engine, inputs.portfolio.positions, inputs.market, badTick(), { strict: true }));
    expect(e.path).toBe("history");
    expect(e.reason).toMatch(/refused: --strict/);
  });
});

describe("errors name the right place", () => {
  it("termScaling.longPower −1e308 is reported on that field, not as losses[0]", () => {
    const model = { paths: 2000, volDynamics: { termScaling: { refDays: 30, minDays: 1, shortPower: 0.5, longPower: -1e308 } } };
    expect(inputError(() => parseMonteCarloModel(model)).path).toBe("volDynamics.termScaling.longPower");
    expect(inputError(() => monteCarlo(engine, inputs.portfolio.positions, inputs.market, model)).path).toBe("model.volDynamics.termScaling.longPower");
  });
});
