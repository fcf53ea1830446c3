// Every computation of the page, off its main thread: validation, scenario-grid
// margin, valuation and Monte Carlo, on this worker's own WASM instance. Posts
// progress, then the results as plain data.
import {
  builtInProfile, checkAgainstMarket, createEngine, gridMargin, InputError, LimitError, monteCarlo, parseMonteCarloModel, parsePortfolio, prepareInputs, valueBook, whatIf,
  type Engine, type GridMarginResult, type MonteCarloResult, type Position,
} from "pmargin";
import type { AttributionRow, ComputeRequest, Results, WorkerMessage } from "./protocol.js";

// One engine for the worker's lifetime: its compiled wasm and memory are reused across runs.
let engine: Promise<Engine> | undefined;

const post = (message: WorkerMessage): void => self.postMessage(message);

self.addEventListener("message", (event: MessageEvent<ComputeRequest>) => {
  compute(event.data).then(
    (results) => post({ type: "result", results }),
    (error: unknown) => post({ type: "error", message: describe(error) }),
  );
});

async function compute(request: ComputeRequest): Promise<Results> {
  const started = performance.now();
  const { profile, paths, seed, nu } = request;
  post({ type: "progress", stage: "Validating the inputs" });
  const { portfolio, market, marketData } = prepareInputs(request.portfolio, request.market, { portfolio: "portfolio", market: "market" });
  const orders = request.orders === null ? null : parsePortfolio(request.orders, "orders");
  if (orders) checkAgainstMarket(orders, marketData, "orders");
  const model = parseMonteCarloModel({ paths, seed, marginal: { type: "student-t", nu } }, "Monte Carlo settings");
  const positions = portfolio.positions;
  engine ??= createEngine();
  // A failed load is not kept, so that Compute can retry it.
  const e = await engine.catch((error: unknown) => {
    engine = undefined;
    throw error;
  });

  post({ type: "progress", stage: "Scenario-grid margin" });
  const grid = gridMargin(e, positions, market, { profile: builtInProfile(profile), perPosition: true });
  const valuation = valueBook(e, e.compile(positions, market), market);
  // The pre-trade check: each order's incremental margin, the book unchanged.
  const preTrade = orders ? whatIf(e, positions, market, orders.positions, { method: "grid", profile: builtInProfile(profile) }) : null;

  post({ type: "progress", stage: "Monte Carlo", done: 0, total: paths });
  const mc = monteCarlo(e, positions, market, model, {
    onProgress: (done, total) => post({ type: "progress", stage: "Monte Carlo", done, total }),
  });

  return {
    request: { profile, paths, seed, nu },
    grid, valuation, monteCarlo: mc,
    attribution: attribution(positions, grid, mc),
    whatIf: preTrade,
    elapsedMs: performance.now() - started,
  };
}

/**
 * Per position, in portfolio order: its row of the per-position risk matrix at
 * its underlying's worst scenario, and its ES contribution (also in portfolio order).
 * gridMargin lists each underlying's positions in portfolio order, hence the rank.
 */
function attribution(positions: readonly Position[], grid: GridMarginResult, mc: MonteCarloResult): AttributionRow[] {
  const seen = new Map<string, number>();
  return positions.map((p, i) => {
    const rank = seen.get(p.underlying) ?? 0;
    seen.set(p.underlying, rank + 1);
    const u = grid.underlyings.find((g) => g.underlying === p.underlying)!;
    const worst = u.worstScenario === null ? -1 : u.scenarios.indexOf(u.worstScenario);
    const row = u.positions![rank]!;
    return {
      id: row.id,
      underlying: p.underlying,
      worstScenario: u.worstScenario,
      worstPnlUsd: worst < 0 ? null : row.pnlUsd[worst]!,
      esUsd: mc.contributions.positions[i]!.esUsd,
    };
  });
}

/** Bad input, or a request beyond the engine's limits, is the user's to fix; anything else is a bug. */
function describe(error: unknown): string {
  if (error instanceof InputError) return [error.source, error.path, error.reason].filter(Boolean).join(": ");
  if (error instanceof LimitError) return error.message;
  return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}
