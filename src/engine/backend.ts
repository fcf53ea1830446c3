// What every method computes on: a backend compiles positions into a book,
// revalues books under scenario sets, prices options, draws Monte Carlo paths
// and selects order statistics. Two implementations with the same signatures:
// the WASM kernels (Engine, src/engine/engine.ts) and their pure-JS twins
// (ReferenceBackend, src/reference/backend.ts) — the oracle in tests and the
// baseline in benchmarks. A method takes a Backend, as a QuantLib instrument
// takes a pricing engine.
import { InputError, LimitError } from "../errors.js";
import { assertMarket, type Market } from "../market/market.js";
import { checkedPositions } from "../market/positions.js";
import type { Position } from "../model/types.js";
import type { Black76Greeks } from "../math/black76.js";
import { assertBook, assertMovesCompiled, compileBook, type Book, type CompileOptions, type OptionTerms } from "./book.js";
import type { PathBlock, PathPlan } from "./path-plan.js";
import { MAX_SCENARIOS, ScenarioSet } from "./scenarios.js";
import type { Selector } from "./select.js";
import type { KernelLayout } from "./wasm.js";

/** Resource limits; a request beyond one is refused up front with a LimitError. */
export interface Limits {
  positions: number;
  scenarios: number;
  /** Cells of per-position output (positions × scenarios) one call may return. */
  perPositionCells: number;
  /** WebAssembly linear memory, bytes (at most 4 GiB − 64 KiB in wasm32). */
  memoryBytes: number;
  /** Monte Carlo paths × underlyings of one run: its PnL is kept per underlying and path (8 bytes each, twice for coin books). */
  pathCells: number;
  /** Observations of a price history a historical simulation or backtest may use. */
  historyObservations: number;
  /**
   * The work budget: revaluations (positions × scenarios, summed over every call a method
   * makes — a backtest's test days × its models' paths and windows) one method call may do,
   * checked before anything is allocated. 1e10 is a few minutes on one core.
   */
  revaluations: number;
}

export const DEFAULT_LIMITS: Limits = {
  positions: 100_000,
  scenarios: MAX_SCENARIOS,
  perPositionCells: 50_000_000,
  memoryBytes: 1 << 30,
  pathCells: 50_000_000,
  historyObservations: 1_000_000,
  revaluations: 1e10,
};

/** Throws a LimitError unless `revaluations` (what `what` spells out) fit in the backend's work budget. */
export function checkBudget(limits: Limits, revaluations: number, what: string): void {
  if (revaluations > limits.revaluations) throw new LimitError(`revaluations (${what})`, revaluations, limits.revaluations);
}

/** How a revaluation's PnL planes are reduced before they are returned. */
export type Reduction =
  /** The book's PnL per scenario (the positions' rows summed where they are computed). */
  | "sum"
  /** That, and each position's row of PnL per scenario. */
  | "rows";

export interface RevalueOptions {
  /** Time step of every scenario, in years (default 0): options age by dt. */
  dt?: number;
  /** "USD" (default) or an underlying coin of the book: PnL = V'/X' − V0/X0. */
  currency?: string;
  /** Default "sum". */
  reduce?: Reduction;
  /**
   * Where the results are written — count entries, (1 + positions) × count with reduce
   * "rows" — and returned as views of it, nothing allocated: for callers revaluing
   * chunk after chunk.
   */
  into?: Float64Array;
}

export interface RevalueResult {
  currency: string;
  /** Portfolio PnL per scenario. */
  pnl: Float64Array;
  /** With reduce "rows": one row of PnL per position, in input order. */
  positions?: Float64Array[];
}

/**
 * How each scenario of a grid counts toward the worst loss, one entry per scenario: the
 * price factor S′/S0 (coin PnL is taken at it), and weighted(x) = dampen(x·factor, damp)
 * of a PnL x in USD and in coin (a regular scenario (1, 0)).
 */
export interface LossWeights {
  priceFactor: Float64Array;
  usdFactor: Float64Array;
  usdDamp: Float64Array;
  coinFactor: Float64Array;
  coinDamp: Float64Array;
}

/** Per row: the largest weighted loss in USD and in coin (−Infinity without scenarios), and the first scenario giving each (−1 without). */
export interface WorstLosses {
  usd: Float64Array;
  usdAt: Float64Array;
  coin: Float64Array;
  coinAt: Float64Array;
}

/** An option row's price and Greeks now, and the implied vol they were computed at (the smile at the forward). */
export type BookGreeks = Black76Greeks & { vol: number };

export interface Backend {
  /** "wasm": the SIMD kernels; "reference": their pure-JS twins. */
  readonly name: "wasm" | "reference";
  readonly limits: Limits;
  /** The book layout the kernels read (the module's exported globals). */
  readonly layout: KernelLayout;
  /** SHA-256 of the WASM module's bytes, when known: recorded with results. */
  readonly wasmSha256?: string;
  /** Compiles positions against a market into a book this backend can revalue. */
  compile(positions: readonly Position[], market: Market, options?: CompileOptions): Book;
  /** Revalues `book` in every scenario; see assembly/revalue.ts for the model. */
  revalue(book: Book, scenarios: ScenarioSet, options?: RevalueOptions): RevalueResult;
  /** Black-76 prices and Greeks of options. */
  greeks(terms: readonly OptionTerms[]): Black76Greeks[];
  /** A copy of the book's smile tables as this backend built them: nOpt rows of book.slots vols, at the log moves book.xs. */
  smileTables(book: Book): Float64Array;
  /** Prices, Greeks and vols now of a book's options, in its option-row order. */
  bookGreeks(book: Book): BookGreeks[];
  /** bookGreeks' price and delta alone, as two plain arrays: what a margin reads, without an object per option. */
  optionPricesAndDeltas(book: Book): { price: number[]; delta: number[] };
  /**
   * Monte Carlo paths [start, start + n) of a plan; written into `into`'s planes (each of at
   * least underlyings × n entries, laid out [u·n + i]) when given, and returned as views of them.
   */
  paths(plan: PathPlan, start: number, n: number, into?: PathBlock): PathBlock;
  /** The Monte Carlo paths listed (any order, repeats allowed), as paths(plan, p, 1) of each p. */
  pathsAt(plan: PathPlan, list: ArrayLike<number>): PathBlock;
  /** Selection for tail statistics. */
  selector(): Selector;
  /**
   * Each row's worst weighted loss over a grid, in USD and in coin (see assembly/reduce.ts):
   * rows of USD PnL per scenario (weights.priceFactor.length each) of holdings worth
   * `values` USD now, at index `s0`. With `into` (4 × rows.length entries at least) the four
   * planes are views of it, allocated by the caller once for many calls.
   */
  worstLosses(rows: readonly Float64Array[], values: ArrayLike<number>, weights: LossWeights, s0: number, into?: Float64Array): WorstLosses;
  /**
   * Runs `run`, keeping every book it loads loaded side by side until it returns (the WASM
   * backend otherwise keeps only the few books used last): for methods that revalue several
   * books in turn, chunk after chunk.
   */
  withResident<T>(run: () => T): T;
}

/** compile() of either backend: the positions limit, then the book. */
export function compileWithin(limits: Limits, layout: KernelLayout, positions: readonly Position[], market: Market, options?: CompileOptions): Book {
  assertMarket(market);
  if (Array.isArray(positions) && positions.length > limits.positions) throw new LimitError("positions", positions.length, limits.positions);
  return compileBook(checkedPositions(positions, market), market, layout, options);
}

const BACKEND_METHODS = ["compile", "revalue", "greeks", "smileTables", "bookGreeks", "optionPricesAndDeltas", "paths", "pathsAt", "selector", "worstLosses", "withResident"] as const;

/**
 * Throws an InputError naming `path` unless `backend` is a Backend (an Engine from
 * createEngine, referenceBackend(engine), or an object with every Backend method).
 */
export function assertBackend(backend: unknown, path = "backend"): asserts backend is Backend {
  const b = backend as Record<string, unknown> | null;
  const ok = typeof b === "object" && b !== null && typeof b.limits === "object" && b.limits !== null &&
    BACKEND_METHODS.every((m) => typeof b[m] === "function");
  if (!ok) throw new InputError(path, "must be a Backend: await createEngine(), or referenceBackend(engine)");
}

/** A revaluation request checked once for either backend: the currency's plane (−1 for USD) and the reduction. */
export function checkRevalue(limits: Limits, book: Book, scenarios: ScenarioSet, options: RevalueOptions): { dt: number; currency: string; ccy: number; rows: boolean; into?: Float64Array } {
  assertBook(book);
  if (!(scenarios instanceof ScenarioSet)) throw new InputError("scenarios", "must be a ScenarioSet (new ScenarioSet(book.underlyings, count))");
  if (typeof options !== "object" || options === null) throw new InputError("options", "must be an object of revaluation options");
  const dt = options.dt ?? 0;
  if (!(dt >= 0 && Number.isFinite(dt))) throw new InputError("dt", `must be a finite number of years ≥ 0, got ${dt}`);
  const currency = options.currency ?? "USD";
  const ccy = currency === "USD" ? -1 : book.underlyings.indexOf(currency);
  if (ccy === -1 && currency !== "USD") {
    throw new InputError("currency", `must be USD or an underlying of the book (${book.underlyings.join(", ")}), got ${currency}`);
  }
  const reduce = options.reduce ?? "sum";
  if (reduce !== "sum" && reduce !== "rows") throw new InputError("reduce", `must be "sum" or "rows", got ${String(reduce)}`);
  if (!sameNames(scenarios.underlyings, book.underlyings)) {
    throw new InputError("scenarios.underlyings", `must be the book's [${book.underlyings.join(", ")}], got [${scenarios.underlyings.join(", ")}]`);
  }
  const count = scenarios.count;
  if (count > limits.scenarios) throw new LimitError("scenarios", count, limits.scenarios);
  const rows = reduce === "rows";
  const nPos = book.positions.length;
  if (rows && nPos * count > limits.perPositionCells) {
    throw new LimitError("per-position cells (positions × scenarios)", nPos * count, limits.perPositionCells);
  }
  const cells = (rows ? 1 + nPos : 1) * count;
  if (options.into !== undefined && !(options.into instanceof Float64Array && options.into.length >= cells)) {
    throw new InputError("into", `must be a Float64Array of at least ${cells} entries`);
  }
  scenarios.assertFinite();
  assertMovesCompiled(book, scenarios.logMoves);
  return { dt, currency, ccy, rows, ...(options.into ? { into: options.into.subarray(0, cells) } : {}) };
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The planes a path block is written into: `into`'s, checked, or new ones. */
export function pathPlanes(cells: number, into?: PathBlock): PathBlock {
  if (into === undefined) return { logMoves: new Float64Array(cells), volShifts: new Float64Array(cells) };
  for (const plane of ["logMoves", "volShifts"] as const) {
    if (!(into[plane] instanceof Float64Array) || into[plane].length < cells) throw new InputError(`into.${plane}`, `must be a Float64Array of at least ${cells} entries`);
  }
  return { logMoves: into.logMoves.subarray(0, cells), volShifts: into.volShifts.subarray(0, cells) };
}

/** Throws an InputError unless worstLosses' arguments agree: a value per row, a full row per scenario, every weight plane as long. */
export function checkWorstLosses(rows: readonly Float64Array[], values: ArrayLike<number>, w: LossWeights, into?: Float64Array): void {
  if (into !== undefined && !(into instanceof Float64Array && into.length >= 4 * rows.length)) {
    throw new InputError("into", `must be a Float64Array of at least ${4 * rows.length} entries`);
  }
  const n = w.priceFactor.length;
  if (w.usdFactor.length !== n || w.usdDamp.length !== n || w.coinFactor.length !== n || w.coinDamp.length !== n) {
    throw new InputError("weights", `every plane must have one entry per scenario (${n})`);
  }
  if (values.length !== rows.length) throw new InputError("values", `must have one value per row (${rows.length}), got ${values.length}`);
  for (let r = 0; r < rows.length; r++) {
    const length = (rows[r] as Float64Array | undefined)?.length;
    if (!(length! >= n)) throw new InputError(`rows[${r}]`, `must have a PnL per scenario (${n}), got ${length}`);
  }
}

/** The four planes of worstLosses' result as views of one array of 4 × n (rows in order within each). */
export function lossPlanes(all: Float64Array, n: number): WorstLosses {
  return { usd: all.subarray(0, n), usdAt: all.subarray(n, 2 * n), coin: all.subarray(2 * n, 3 * n), coinAt: all.subarray(3 * n, 4 * n) };
}
