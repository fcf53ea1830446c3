// Monte Carlo VaR and Expected Shortfall: joint moves of every underlying over
// the horizon (correlated, fat-tailed, with jumps and vol shocks), each path
// revalued in full by the kernel, losses reduced to tail statistics.
//
// Paths are generated in chunks from a counter-based generator: path i is a
// function of (seed, i) alone, so any chunking — or any split across workers —
// gives the same bits. Each underlying's positions are compiled and revalued
// on their own, which gives the standalone risks at no extra cost: the
// portfolio PnL of a path is the sum of its underlyings' PnL.
import type { Book } from "../../engine/book.js";
import type { Engine } from "../../engine/engine.js";
import type { PathBlock, PathPlan } from "../../engine/path-plan.js";
import { ScenarioSet } from "../../engine/scenarios.js";
import { InputError, LimitError } from "../../errors.js";
import { exp } from "../../math/deterministic.js";
import type { Market } from "../../market/market.js";
import { isCoinSettled, type Position } from "../../model/types.js";
import { pathsReference } from "../../reference/paths.js";
import { revalueReference } from "../../reference/revalue.js";
import { histogram, jsSelector, tailRisk, worstIndices, type Selector, type TailRisk } from "../../risk/tail.js";
import { valueBook } from "../../valuation.js";
import { termWeight } from "../grid/grid.js";
import { withDefaults, type MonteCarloModel, type MonteCarloModelInput } from "./model.js";
import { planPaths, type MonteCarloPlan, type UnderlyingDynamics } from "./plan.js";

export interface MonteCarloOptions {
  /** "wasm" (default) or "js": the pure-JS reference kernels, for checks and benchmarks. */
  kernels?: "wasm" | "js";
  /** Paths per chunk (memory stays flat; results do not depend on it). Default 16,384. */
  chunkPaths?: number;
}

export interface UnderlyingRisk {
  underlying: string;
  index: number;
  /** The coin when every position here is coin-settled (an inverse book), else USD. */
  reportCurrency: string;
  /** Standalone risk of this underlying's positions, in USD. */
  usd: TailRisk;
  /** The same on the coin PnL, for coin-settled books. */
  coin?: TailRisk;
  dynamics: UnderlyingDynamics;
}

export interface Diversification {
  measure: "VaR" | "ES";
  level: number;
  /** Σ standalone risks of the underlyings − the portfolio's risk (USD). */
  standaloneSum: number;
  portfolio: number;
  benefit: number;
}

/** One of the worst paths: its loss and every underlying's move. */
export interface WorstPath {
  path: number;
  lossUsd: number;
  moves: { underlying: string; move: number; volShift: number; pnlUsd: number }[];
}

export interface MonteCarloResult {
  method: "monte-carlo";
  currency: "USD";
  paths: number;
  seed: number;
  horizonDays: number;
  marginal: MonteCarloModel["marginal"];
  jumps: boolean;
  /** Portfolio risk: losses = −PnL, USD. */
  portfolio: TailRisk;
  underlyings: UnderlyingRisk[];
  diversification: Diversification[];
  correlation: {
    underlyings: string[];
    matrix: number[][];
    repair?: { minEigenvalueBefore: number; frobeniusChange: number; maxAbsChange: number; iterations: number };
  };
  /** Portfolio losses, USD. */
  histogram: { edges: number[]; counts: number[] };
  worst: WorstPath[];
}

const DEFAULT_CHUNK = 16_384;

interface Kernels {
  paths(plan: PathPlan, start: number, n: number): PathBlock;
  revalue(book: Book, set: ScenarioSet, dt: number): Float64Array;
  selector(): Selector;
}

function kernelsOf(engine: Engine, which: "wasm" | "js"): Kernels {
  if (which === "js") {
    return {
      paths: pathsReference,
      revalue: (book, set, dt) => revalueReference(book, set, { dt }).pnl,
      selector: jsSelector,
    };
  }
  return {
    paths: (plan, start, n) => engine.paths(plan, start, n),
    revalue: (book, set, dt) => engine.revalue(book, set, { dt }).pnl,
    selector: () => engine.selector(),
  };
}

/** PnL of a range of paths, per underlying (rows in `underlyings` order): USD, and coin for coin-settled books. */
export interface PathPnl {
  start: number;
  usd: Float64Array[];
  coin: (Float64Array | undefined)[];
}

/**
 * A Monte Carlo run set up on one engine: the model resolved, each underlying's
 * book compiled. `simulate` revalues any range of paths; ranges computed on
 * different engines (workers, each with its own WASM instance) and put side by
 * side equal one run over the whole range, bit for bit.
 */
export interface MonteCarloRun {
  model: MonteCarloModel;
  plan: MonteCarloPlan;
  underlyings: { underlying: string; index: number; coinSettled: boolean }[];
  simulate(start: number, count: number): PathPnl;
  /** The result from the PnL of every path, given as ranges in any order and split. */
  summarise(ranges: PathPnl[]): MonteCarloResult;
}

export function prepareMonteCarlo(
  engine: Engine, positions: readonly Position[], market: Market, modelInput: MonteCarloModelInput = {}, options: MonteCarloOptions = {},
): MonteCarloRun {
  const model = withDefaults(modelInput);
  const n = model.paths;
  if (!Number.isSafeInteger(n) || n < 1) throw new InputError("model.paths", `must be a whole number ≥ 1, got ${n}`);
  if (n > engine.limits.scenarios) throw new LimitError("model.paths", n, engine.limits.scenarios);
  for (const [field, levels] of [["var", model.levels.var], ["es", model.levels.es]] as const) {
    levels.forEach((a, i) => {
      if (!(a > 0 && a < 1)) throw new InputError(`model.levels.${field}[${i}]`, `must be within (0, 1), got ${a}`);
      if (n * (1 - a) < 1) throw new InputError("model.paths", `${n} paths leave no tail beyond ${a}: need at least ${Math.ceil(1 / (1 - a))}`);
    });
  }
  const chunk = options.chunkPaths ?? DEFAULT_CHUNK;
  if (!Number.isSafeInteger(chunk) || chunk < 1) throw new InputError("chunkPaths", `must be a whole number ≥ 1, got ${chunk}`);
  if (positions.length === 0) throw new InputError("portfolio.positions", "empty portfolio: nothing to simulate");
  const names = market.names.filter((u) => positions.some((p) => p.underlying === u));
  if (n * names.length > engine.limits.pathCells) throw new LimitError("model.paths × underlyings", n * names.length, engine.limits.pathCells);
  const plan = planPaths(model, market, names, engine.layout.paths);
  const k = kernelsOf(engine, options.kernels ?? "wasm");

  const volShiftWeight = (days: number): number => termWeight(model.volDynamics.termScaling, days);
  const subs = names.map((u) => {
    const mine = positions.filter((p) => p.underlying === u);
    const book = engine.compile(mine, market, { volShiftWeight });
    const v0 = valueBook(engine, book, market).positions.reduce((a, p) => a + p.valueUsd, 0);
    return { u, book, v0, s0: book.indexPrices[0]!, coin: isCoinSettled(mine) };
  });

  const simulate = (first: number, count: number): PathPnl => {
    if (!(Number.isSafeInteger(first) && Number.isSafeInteger(count) && first >= 0 && count >= 1 && first + count <= n)) {
      throw new InputError("paths", `a range of paths must lie within 0..${n}, got ${first}..${first + count}`);
    }
    const usd = subs.map(() => new Float64Array(count));
    const coin = subs.map((s) => (s.coin ? new Float64Array(count) : undefined));
    for (let at = 0; at < count; at += chunk) {
      const m = Math.min(chunk, count - at);
      const block = k.paths(plan, first + at, m);
      subs.forEach((s, u) => {
        const set = new ScenarioSet([s.u], m);
        set.logMoves.set(block.logMoves.subarray(u * m, (u + 1) * m));
        set.volShifts.set(block.volShifts.subarray(u * m, (u + 1) * m));
        const p = k.revalue(s.book, set, plan.horizon);
        usd[u]!.set(p, at);
        // Coin PnL of a book worth v0 USD now: its coin value then, (v0 + PnL)/S', less now.
        coin[u]?.set(p.map((x, i) => (s.v0 + x) / (s.s0 * exp(set.logMoves[i]!)) - s.v0 / s.s0), at);
      });
    }
    return { start: first, usd, coin };
  };
  const run: MonteCarloRun = {
    model, plan, simulate,
    underlyings: subs.map((s) => ({ underlying: s.u, index: s.s0, coinSettled: s.coin })),
    summarise: (ranges) => summarise(run, ranges, k),
  };
  return run;
}

/** Monte Carlo VaR/ES of a portfolio; `modelInput` is merged over DEFAULT_MODEL. */
export function monteCarlo(
  engine: Engine, positions: readonly Position[], market: Market, modelInput: MonteCarloModelInput = {}, options: MonteCarloOptions = {},
): MonteCarloResult {
  const run = prepareMonteCarlo(engine, positions, market, modelInput, options);
  return run.summarise([run.simulate(0, run.model.paths)]);
}

/** Tail statistics, diversification, histogram and worst paths from the PnL of every path (in ranges, any split). */
function summarise(run: MonteCarloRun, ranges: PathPnl[], k: Kernels): MonteCarloResult {
  const { model, plan } = run;
  const n = model.paths;
  const names = plan.underlyings;
  let next = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    if (r.start !== next) throw new InputError("ranges", `path ranges must cover 0..${n} once each: a range starts at ${r.start}, expected ${next}`);
    next += r.usd[0]!.length;
  }
  if (next !== n) throw new InputError("ranges", `path ranges must cover 0..${n} once each: they end at ${next}`);
  const join = (row: (r: PathPnl) => Float64Array | undefined): Float64Array => {
    const out = new Float64Array(n);
    for (const r of ranges) out.set(row(r)!, r.start);
    return out;
  };
  const pnl = names.map((_, u) => join((r) => r.usd[u]));
  const coinPnl = run.underlyings.map((s, u) => (s.coinSettled ? join((r) => r.coin[u]) : undefined));

  const losses = (rows: Float64Array[]): Float64Array => {
    const out = new Float64Array(n);
    for (const row of rows) for (let i = 0; i < n; i++) out[i] = out[i]! - row[i]!;
    return out;
  };
  const total = losses(pnl);
  const risk = (l: Float64Array): TailRisk => tailRisk(l, model.levels, k.selector());
  const portfolio = risk(total);
  const underlyings: UnderlyingRisk[] = run.underlyings.map((s, u) => {
    const coin = coinPnl[u];
    return {
      underlying: s.underlying,
      index: s.index,
      reportCurrency: s.coinSettled ? s.underlying : "USD",
      usd: risk(losses([pnl[u]!])),
      ...(coin ? { coin: risk(losses([coin])) } : {}),
      dynamics: plan.dynamics[u]!,
    };
  });

  const worst = worstIndices(total, Math.min(model.output.worstPaths, n), k.selector()).map((path): WorstPath => {
    const block = k.paths(plan, path, 1);
    return {
      path,
      lossUsd: total[path]!,
      moves: names.map((underlying, u) => ({
        underlying, move: exp(block.logMoves[u]!) - 1, volShift: block.volShifts[u]!, pnlUsd: pnl[u]![path]!,
      })),
    };
  });

  const c = plan.correlation;
  const nUnd = names.length;
  return {
    method: "monte-carlo",
    currency: "USD",
    paths: n,
    seed: model.seed,
    horizonDays: plan.horizon * 365,
    marginal: model.marginal,
    jumps: plan.jumps,
    portfolio,
    underlyings,
    diversification: diversification(portfolio, underlyings),
    correlation: {
      underlyings: names,
      matrix: names.map((_, i) => Array.from(c.matrix.subarray(i * nUnd, (i + 1) * nUnd))),
      ...(c.repair ? { repair: c.repair } : {}),
    },
    histogram: histogram(total, model.output.histogramBins),
    worst,
  };
}

function diversification(portfolio: TailRisk, underlyings: UnderlyingRisk[]): Diversification[] {
  const rows = (measure: "VaR" | "ES", pick: (r: TailRisk) => { level: number; value: number }[]): Diversification[] =>
    pick(portfolio).map((p, i) => {
      const standaloneSum = underlyings.reduce((a, u) => a + pick(u.usd)[i]!.value, 0);
      return { measure, level: p.level, standaloneSum, portfolio: p.value, benefit: standaloneSum - p.value };
    });
  return [...rows("VaR", (r) => r.var), ...rows("ES", (r) => r.es)];
}
