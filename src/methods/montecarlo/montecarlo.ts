// Monte Carlo VaR and Expected Shortfall: joint moves of every underlying over
// the horizon (correlated, fat-tailed, with jumps and vol shocks), each path
// revalued in full by the kernel, losses reduced to tail statistics.
//
// Paths are generated in chunks from a counter-based generator: path i is a
// function of (seed, i) alone, so any chunking — or any split across workers —
// gives the same bits. Each underlying's positions are compiled and revalued
// on their own, which gives the standalone risks at no extra cost: the
// portfolio PnL of a path is the sum of its underlyings' PnL.
import { assertBackend, checkBudget, type Backend } from "../../engine/backend.js";
import { ScenarioSet } from "../../engine/scenarios.js";
import { InputError, LimitError, refuseUnknownKeys } from "../../errors.js";
import { exp } from "../../math/deterministic.js";
import { assertMarket, type Market } from "../../market/market.js";
import type { Position } from "../../model/types.js";
import { esRank, mergeWorst, type TailRisk } from "../../risk/tail.js";
import { termWeight } from "../grid/grid.js";
import {
  booksByUnderlying, checkCover, checkLevels, combineParts, heldBy, inPieces, revalueInChunks, summarisePart,
  type Diversification, type PartSummary, type ScenarioPnl, type UnderlyingBook, type UnderlyingTail,
} from "../scenario-risk.js";
import { MAX_BINS, MAX_WORST, withDefaults, type MonteCarloModel, type MonteCarloModelInput } from "../../model/montecarlo.js";
import { planPaths, type MonteCarloPlan, type UnderlyingDynamics } from "./plan.js";
import { fresh, withScratch, type Take } from "../scratch.js";
import { checkedModel } from "../../schema/montecarlo.js";
import { checkedPositions } from "../../market/positions.js";

export interface MonteCarloOptions {
  /** Paths per chunk (memory stays flat; results do not depend on it). Default 16,384. */
  chunkPaths?: number;
  /** Called after each chunk of a range with the paths done and the range's size (for progress bars). */
  onProgress?: (done: number, total: number) => void;
}

/** A position's share of the portfolio ES (Euler allocation over the tail paths): the shares sum to the ES. */
export interface EsContribution {
  id: string;
  underlying: string;
  esUsd: number;
}

export interface UnderlyingRisk extends UnderlyingTail {
  dynamics: UnderlyingDynamics;
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
  /** Each position's contribution to the first ES level (USD); negative for a hedge. */
  contributions: { level: number; positions: EsContribution[] };
}

/** Paths per chunk, unless the options say otherwise. */
export const DEFAULT_CHUNK = 16_384;

/** PnL of a range of paths from `start`, per underlying (rows in `underlyings` order): USD, and coin for coin-settled books. */
export interface PathPnl extends ScenarioPnl {
  start: number;
}

/**
 * A Monte Carlo run set up on one engine: the model resolved, each underlying's
 * book compiled. `simulate` revalues any range of paths and `part` summarises it;
 * parts computed on different engines (workers, each with its own WASM instance)
 * give the result of one run over the whole range, bit for bit.
 */
export interface MonteCarloRun {
  model: MonteCarloModel;
  plan: MonteCarloPlan;
  underlyings: { underlying: string; index: number; coinSettled: boolean }[];
  simulate(start: number, count: number): PathPnl;
  /**
   * Paths [start, start + count) simulated and summarised: what summarise needs of them.
   * With `more`, the paths go in the pieces it gives, asked before each (0: no more), and
   * the part covers those done from `start` (a pool's workers share a range out so).
   * The part's losses, one per path, come from `keep` (new arrays unless given).
   */
  part(start: number, count: number, more?: () => number, keep?: Take): PartSummary;
  /**
   * The result from parts that cover every path once, in any order and split;
   * `blocks`: every tailBlocks of the ES tail, in order, when computed elsewhere.
   */
  summarise(parts: readonly PartSummary[], blocks?: Float64Array): MonteCarloResult;
  /** summarise in two steps: everything but the ES contributions now, those given their blocks. */
  summariseLater(parts: readonly PartSummary[]): (blocks?: Float64Array) => MonteCarloResult;
  /** The ES tail of the first ES level (its paths and weights), from the parts' worst paths. */
  esTail(parts: readonly PartSummary[]): EsTail;
  /**
   * Per-position weighted tail losses of blocks [first, first + count) of TAIL_BLOCK tail
   * paths: count × positions. With `more`, the blocks go in the pieces it gives, asked
   * before each (0: no more), and the array holds those done from `first`.
   */
  tailBlocks(tail: EsTail, first: number, count: number, more?: () => number): Float64Array;
}

/** The paths of the ES tail, largest loss first, and their weights in the ES (typed arrays: copied to workers as bytes). */
export interface EsTail {
  paths: Float64Array;
  weights: Float64Array;
}

/** Tail paths per contribution block. */
export const TAIL_BLOCK = 1_024;

export function prepareMonteCarlo(
  backend: Backend, positions: readonly Position[], market: Market, modelInput: MonteCarloModelInput = {}, options: MonteCarloOptions = {},
): MonteCarloRun {
  return prepare(backend, positions, market, modelInput, options).run;
}

/** The run, and the whole of it on this thread (whose parts then live no longer than the call). */
function prepare(
  backend: Backend, positions: readonly Position[], market: Market, modelInput: MonteCarloModelInput, options: MonteCarloOptions,
): { run: MonteCarloRun; whole: () => MonteCarloResult } {
  assertBackend(backend);
  assertMarket(market);
  refuseUnknownKeys(options, ["chunkPaths", "onProgress"] satisfies (keyof MonteCarloOptions)[], "options");
  positions = checkedPositions(positions, market);
  const model = withDefaults(checkedModel(modelInput, "model"));
  const n = model.paths;
  if (!Number.isSafeInteger(n) || n < 1) throw new InputError("model.paths", `must be a whole number ≥ 1, got ${n}`);
  if (n > backend.limits.scenarios) throw new LimitError("model.paths", n, backend.limits.scenarios);
  checkBudget(backend.limits, n * positions.length, "positions × paths");
  checkLevels(model.levels, n, "model.levels", "paths");
  const { histogramBins, worstPaths } = model.output;
  if (!(Number.isInteger(histogramBins) && histogramBins >= 1 && histogramBins <= MAX_BINS)) {
    throw new InputError("model.output.histogramBins", `must be a whole number within 1..${MAX_BINS}, got ${histogramBins}`);
  }
  if (!(Number.isInteger(worstPaths) && worstPaths >= 0 && worstPaths <= MAX_WORST)) {
    throw new InputError("model.output.worstPaths", `must be a whole number within 0..${MAX_WORST}, got ${worstPaths}`);
  }
  const chunk = options.chunkPaths ?? DEFAULT_CHUNK;
  if (!Number.isSafeInteger(chunk) || chunk < 1) throw new InputError("chunkPaths", `must be a whole number ≥ 1, got ${chunk}`);
  const volShiftWeight = (days: number): number => termWeight(model.volDynamics.termScaling, days);
  const held = heldBy(positions, market);
  const names = held.map((h) => h.underlying);
  // Compiled when paths are first simulated (a pool's main thread never does).
  let compiled: UnderlyingBook[] | undefined;
  const books = (): UnderlyingBook[] => (compiled ??= booksByUnderlying(backend, positions, market, { volShiftWeight }));
  if (n * names.length > backend.limits.pathCells) throw new LimitError("model.paths × underlyings", n * names.length, backend.limits.pathCells);
  const plan = planPaths(model, market, names, backend.layout.paths);
  const paths = backend.paths.bind(backend);
  const pathsAt = backend.pathsAt.bind(backend);

  // The PnL rows from `rows`; the chunks' paths in one block from the backend's scratch.
  const simulateInto = (first: number, count: number, rows: Take, more?: () => number): PathPnl => {
    if (!(Number.isSafeInteger(first) && Number.isSafeInteger(count) && first >= 0 && count >= 1 && first + count <= n)) {
      throw new InputError("paths", `a range of paths must lie within 0..${n}, got ${first}..${first + count}`);
    }
    if (!(more === undefined || typeof more === "function")) throw new InputError("more", `must be a function, got ${typeof more}`);
    return withScratch(backend, (take) => {
      const cells = names.length * Math.min(chunk, count);
      const block = { logMoves: take(cells), volShifts: take(cells) };
      const pnl = revalueInChunks(backend, books, count, chunk, (at, m) => paths(plan, first + at, m, block), plan.horizon, options.onProgress, rows, more);
      return { start: first, ...pnl };
    });
  };

  const esLevel = model.levels.es[0] ?? model.levels.var[0]!;
  const { k: kth, na } = esRank(n, esLevel);
  const listed = Math.min(model.output.worstPaths, n);
  // A part keeps as many of its worst paths as the ES tail or the worst list can take from it.
  const counts = { worst: Math.max(n - kth + 1, listed), listed };
  // The part's PnL lives no longer than the part: its rows are scratch; its losses are the caller's (`keep`).
  const partWith = (first: number, count: number, keep: Take, more?: () => number): PartSummary =>
    withScratch(backend, (take) => summarisePart(simulateInto(first, count, take, more), first, n, model.levels, counts, backend, take, keep));

  // Everything but the ES contributions now; those when their blocks are at hand (a
  // pool revalues the tail meanwhile).
  const summariseLater = (parts: readonly PartSummary[]): ((blocks?: Float64Array) => MonteCarloResult) => {
    checkCover(parts, n, "paths");
    const risk = combineParts(held, parts, n, model.levels, { histogramBins: model.output.histogramBins, worst: listed });
    const at = pathsAt(plan, risk.worst.map((w) => w.index));
    const m = risk.worst.length;
    const worst = risk.worst.map(({ index: path, lossUsd, pnlUsd }, j): WorstPath => ({
      path,
      lossUsd,
      moves: names.map((underlying, u) => ({
        underlying, move: exp(at.logMoves[u * m + j]!) - 1, volShift: at.volShifts[u * m + j]!, pnlUsd: pnlUsd[u]!,
      })),
    }));
    const c = plan.correlation;
    const nUnd = names.length;
    return (blocks) => ({
      method: "monte-carlo",
      currency: "USD",
      paths: n,
      seed: model.seed,
      horizonDays: plan.horizon * 365,
      marginal: model.marginal,
      jumps: plan.jumps,
      portfolio: risk.portfolio,
      underlyings: risk.underlyings.map((u, i) => ({ ...u, dynamics: plan.dynamics[i]! })),
      diversification: risk.diversification,
      correlation: {
        underlyings: names,
        matrix: names.map((_, i) => Array.from(c.matrix.subarray(i * nUnd, (i + 1) * nUnd))),
        ...(c.repair ? { repair: c.repair } : {}),
      },
      histogram: risk.histogram,
      worst,
      contributions: {
        level: esLevel,
        positions: esContributions(blocks ?? ((tail) => tailBlocks(tail, 0, Math.ceil(tail.paths.length / TAIL_BLOCK)))(esTail(parts))),
      },
    });
  };

  /**
   * ES = [Σ_{i>k} L(i) + (k − nα)·L(k)] / (n(1 − α)) is linear in the tail paths' losses,
   * so each position's share is the same weighted sum of its own losses on those paths.
   * The tail paths (largest loss first, L(k) last with its fractional weight) are
   * regenerated — a path is a function of its index — and each underlying's book (the
   * run's own: a position's PnL is its own, whatever book holds it) revalued on them
   * position by position, in blocks of TAIL_BLOCK paths whose partial sums are added in
   * block order: any split of the blocks across workers gives the same bits.
   */
  const esTail = (parts: readonly PartSummary[]): EsTail => {
    // The worst of the whole are among each part's worst.
    const paths = mergeWorst(parts.map((p) => p.worst), n - kth + 1).indices;
    const weights = new Float64Array(paths.length).fill(1 / (n - na));
    weights[paths.length - 1] = (kth - na) / (n - na);
    return { paths, weights };
  };
  const tailBlocks = (tail: EsTail, first: number, count: number, more: () => number = () => count): Float64Array => {
    const nPos = positions.length;
    const out = new Float64Array(count * nPos);
    // One buffer for every block's rows (a full block's size; only the last is shorter).
    const most = Math.max(0, Math.min(TAIL_BLOCK, tail.paths.length - first * TAIL_BLOCK));
    const done = withScratch(backend, (take) => backend.withResident(() => {
      const all = books();
      const where = heldAt();
      const into = take((1 + Math.max(...all.map((u) => u.book.positions.length))) * most);
      const zeros = take(most);
      return inPieces(count, more, (start, end) => {
        for (let b = start; b < end; b++) {
          const from = (first + b) * TAIL_BLOCK;
          const inBlock = tail.paths.slice(from, from + TAIL_BLOCK);
          const m = inBlock.length;
          // The planes of pathsAt are laid out as the underlyings' scenario sets, one after another: [u·m + j].
          const at = pathsAt(plan, inBlock);
          all.forEach((u, k) => {
            const planes = { logMoves: at.logMoves.subarray(k * m, (k + 1) * m), volShifts: at.volShifts.subarray(k * m, (k + 1) * m), volFloors: zeros.subarray(0, m) };
            const rows = backend.revalue(u.book, new ScenarioSet([u.underlying], m, backend.limits.scenarios, planes), { dt: plan.horizon, reduce: "rows", into }).positions!;
            rows.forEach((row, i) => (out[b * nPos + where[k]![i]!] = -weightedSum(row, tail.weights, from)));
          });
        }
      });
    }));
    return done < count ? out.subarray(0, done * nPos) : out;
  };
  // Blocks hold one figure per position, in the order of `positions` (the full book's).
  const esContributions = (blocks: Float64Array): EsContribution[] => {
    const nPos = positions.length;
    return positions.map((p, i) => {
      let sum = 0;
      for (let b = 0; b < blocks.length / nPos; b++) sum += blocks[b * nPos + i]!;
      return { id: p.id ?? String(i), underlying: p.underlying, esUsd: sum };
    });
  };
  // Where each underlying's book's positions lie in `positions`, its book's order.
  let where: number[][] | undefined;
  const heldAt = (): number[][] => (where ??= names.map((u) => positions.flatMap((p, i) => (p.underlying === u ? [i] : []))));

  const summarise = (parts: readonly PartSummary[], blocks?: Float64Array): MonteCarloResult => summariseLater(parts)(blocks);
  return {
    run: {
      model, plan, simulate: (first, count) => simulateInto(first, count, fresh), part: (first, count, more, keep = fresh) => partWith(first, count, keep, more),
      tailBlocks, summariseLater, esTail, summarise, underlyings: held,
    },
    // The result keeps nothing of the part: its losses can be scratch too.
    whole: () => withScratch(backend, (keep) => summarise([partWith(0, n, keep)])),
  };
}

/** Tail blocks computed in parts (by workers, in any order), each from its first block, as the one array summarise takes. */
export function concatBlocks(parts: readonly { first: number; blocks: Float64Array }[]): Float64Array {
  const blocks = new Float64Array(parts.reduce((a, p) => a + p.blocks.length, 0));
  [...parts].sort((a, b) => a.first - b.first).reduce((at, p) => (blocks.set(p.blocks, at), at + p.blocks.length), 0);
  return blocks;
}

/** Σ_j weights[from + j]·row[j], added in j order. */
function weightedSum(row: Float64Array, weights: Float64Array, from: number): number {
  let sum = 0;
  for (let j = 0; j < row.length; j++) sum += weights[from + j]! * row[j]!;
  return sum;
}

/**
 * Monte Carlo VaR/ES of a portfolio; `modelInput` is merged over DEFAULT_MODEL.
 *
 * @example
 * ```ts
 * import { createEngine, monteCarlo, prepareInputs } from "pmargin";
 * const { portfolio, market } = prepareInputs(portfolioJson, marketJson);
 * const mc = monteCarlo(await createEngine(), portfolio.positions, market, { paths: 100_000, seed: 7 });
 * mc.portfolio.es[0]; // { level: 0.975, value, standardError, ci95 }, USD
 * ```
 */
export function monteCarlo(
  backend: Backend, positions: readonly Position[], market: Market, modelInput: MonteCarloModelInput = {}, options: MonteCarloOptions = {},
): MonteCarloResult {
  assertBackend(backend);
  assertMarket(market);
  return prepare(backend, positions, market, modelInput, options).whole();
}
