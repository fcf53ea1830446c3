// Monte Carlo VaR/ES of a 200-position, 3-underlying options book with 100,000
// paths: path generation, full revaluation and the tail statistics timed
// separately (WASM vs the JS reference), then the whole method end to end.
import { Bench } from "tinybench";
import { createEngine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { buildMarket } from "../src/market/market.js";
import { termWeight } from "../src/methods/grid/grid.js";
import { withDefaults } from "../src/methods/montecarlo/model.js";
import { monteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import { planPaths } from "../src/methods/montecarlo/plan.js";
import { pathsReference } from "../src/reference/paths.js";
import { revalueReference } from "../src/reference/revalue.js";
import { jsSelector, tailRisk } from "../src/risk/tail.js";
import { syntheticMarket, syntheticPositions } from "../tests/fixtures/synthetic.js";

export interface MonteCarloFigures {
  paths: number;
  positions: number;
  revaluations: number;
  pathsMs: { wasm: number; js: number };
  revalueMs: { wasm: number; js: number };
  tailMs: { wasm: number; js: number; jsSort: number };
  endToEndMs: number;
}

const median = (b: Bench, name: string): number => {
  const r = b.tasks.find((t) => t.name === name)!.result;
  return r.state === "completed" ? r.latency.p50 : NaN;
};

export async function benchMonteCarlo(nPaths = 100_000): Promise<MonteCarloFigures> {
  const engine = await createEngine();
  const market = buildMarket(syntheticMarket());
  const positions = syntheticPositions(180, 20, 11);
  const model = withDefaults({ paths: nPaths, seed: 7, jumps: { common: { intensity: 2, mean: -0.1, vol: 0.05 } } });
  const plan = planPaths(model, market, market.names, engine.layout.paths);
  const weight = (days: number): number => termWeight(model.volDynamics.termScaling, days);
  const books = market.names.map((u) => engine.compile(positions.filter((p) => p.underlying === u), market, { volShiftWeight: weight }));
  const block = pathsReference(plan, 0, nPaths);
  const sets = market.names.map((u, i) => {
    const set = new ScenarioSet([u], nPaths);
    set.logMoves.set(block.logMoves.subarray(i * nPaths, (i + 1) * nPaths));
    set.volShifts.set(block.volShifts.subarray(i * nPaths, (i + 1) * nPaths));
    return set;
  });
  const losses = engine.revalue(books[0]!, sets[0]!, { dt: plan.horizon }).pnl.map((x) => -x);
  let sink = 0;

  const parts = new Bench({ time: 1000, warmupTime: 200, iterations: 5 });
  parts
    .add("paths, wasm", () => { sink += engine.paths(plan, 0, nPaths).logMoves[0]!; })
    .add("paths, js", () => { sink += pathsReference(plan, 0, nPaths).logMoves[0]!; })
    .add("revalue, wasm", () => { books.forEach((b, i) => (sink += engine.revalue(b, sets[i]!, { dt: plan.horizon }).pnl[0]!)); })
    .add("revalue, js", () => { books.forEach((b, i) => (sink += revalueReference(b, sets[i]!, { dt: plan.horizon }).pnl[0]!)); })
    .add("tail, wasm", () => { sink += tailRisk(losses, model.levels, engine.selector()).var[0]!.value; })
    .add("tail, js", () => { sink += tailRisk(losses, model.levels, jsSelector()).var[0]!.value; })
    .add("full sort, js", () => { sink += losses.slice().sort()[Math.ceil(0.99 * nPaths) - 1]!; });
  await parts.run();

  const whole = new Bench({ time: 2000, warmupTime: 500, iterations: 5 });
  whole.add("end to end, wasm", () => { sink += monteCarlo(engine, positions, market, model).portfolio.var[0]!.value; });
  await whole.run();
  if (!Number.isFinite(sink)) throw new Error("Monte Carlo benchmark produced a non-finite sum");

  return {
    paths: nPaths,
    positions: positions.length,
    revaluations: positions.length * nPaths,
    pathsMs: { wasm: median(parts, "paths, wasm"), js: median(parts, "paths, js") },
    revalueMs: { wasm: median(parts, "revalue, wasm"), js: median(parts, "revalue, js") },
    tailMs: { wasm: median(parts, "tail, wasm"), js: median(parts, "tail, js"), jsSort: median(parts, "full sort, js") },
    endToEndMs: median(whole, "end to end, wasm"),
  };
}
