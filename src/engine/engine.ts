import { InputError, LimitError } from "../errors.js";
import type { Market } from "../market/market.js";
import type { Position } from "../model/types.js";
import type { Black76Greeks } from "../math/black76.js";
import { assertMovesCompiled, compileBook, zeroMoveSlot, type Book, type CompileOptions, type OptionTerms } from "./book.js";
import { align16, LinearMemory } from "./memory.js";
import type { ScenarioSet } from "./scenarios.js";
import { STREAM, type PathBlock, type PathPlan } from "./path-plan.js";
import { wasmSelector, type Selector } from "../risk/tail.js";
import { instantiateKernels, type KernelLayout, type Kernels, type WasmSource } from "./wasm.js";

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
}

export const DEFAULT_LIMITS: Limits = {
  positions: 100_000,
  scenarios: 50_000_000,
  perPositionCells: 50_000_000,
  memoryBytes: 1 << 30,
  pathCells: 50_000_000,
  historyObservations: 1_000_000,
};

export interface EngineOptions {
  /** The module to use instead of the packaged build/pmargin.wasm. */
  wasm?: WasmSource;
  limits?: Partial<Limits>;
}

export interface RevalueOptions {
  /** Time step of every scenario, in years (default 0): options age by dt. */
  dt?: number;
  /** "USD" (default) or an underlying coin of the book: PnL = V'/X' − V0/X0. */
  currency?: string;
  /** Also return each position's PnL per scenario (rows in the book's position order). */
  perPosition?: boolean;
}

export interface RevalueResult {
  currency: string;
  /** Portfolio PnL per scenario. */
  pnl: Float64Array;
  /** With perPosition: one row of PnL per position, in input order. */
  positions?: Float64Array[];
}

/** Scratch memory one revalue chunk may use; the scenario count per chunk adapts to it. */
const SCRATCH_BUDGET = 64 << 20;
const F64 = 8;

/**
 * A WebAssembly instance with its own linear memory, holding one compiled book
 * resident at a time. Calls are synchronous, so concurrent async callers cannot
 * interleave inside one; memory grows only up to `limits.memoryBytes` and is
 * reused by later calls.
 */
export class Engine {
  readonly limits: Limits;
  private resident: Book | null = null;
  private ptr = { opt: 0, lin: 0, agg: 0, nodeOffsets: 0, scratch: 0 };

  private constructor(
    /** The raw kernel exports: internal, for tests and benchmarks. */
    readonly k: Kernels,
    readonly layout: KernelLayout,
    private readonly mem: LinearMemory,
    limits: Limits,
    /** SHA-256 of the module's bytes, when it was loaded from bytes (not given compiled). */
    readonly wasmSha256?: string,
  ) {
    this.limits = limits;
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    const { kernels, layout, sha256 } = await instantiateKernels(options.wasm);
    return new Engine(kernels, layout, new LinearMemory(kernels.memory, kernels.heapBase(), limits.memoryBytes), limits, sha256);
  }

  /** Compiles positions against a market into a book this engine (and the JS reference) can revalue. */
  compile(positions: readonly Position[], market: Market, options?: CompileOptions): Book {
    if (positions.length > this.limits.positions) throw new LimitError("positions", positions.length, this.limits.positions);
    return compileBook(positions, market, this.layout, options);
  }

  /** Revalues `book` in every scenario; see assembly/revalue.ts for the model. */
  revalue(book: Book, scenarios: ScenarioSet, options: RevalueOptions = {}): RevalueResult {
    const dt = options.dt ?? 0;
    if (!(dt >= 0 && Number.isFinite(dt))) throw new InputError("dt", `must be a finite number of years ≥ 0, got ${dt}`);
    const currency = options.currency ?? "USD";
    const ccy = currency === "USD" ? -1 : book.underlyings.indexOf(currency);
    if (ccy === -1 && currency !== "USD") {
      throw new InputError("currency", `must be USD or an underlying of the book (${book.underlyings.join(", ")}), got ${currency}`);
    }
    if (scenarios.underlyings.join() !== book.underlyings.join()) {
      throw new InputError("scenarios.underlyings", `must be the book's [${book.underlyings.join(", ")}], got [${scenarios.underlyings.join(", ")}]`);
    }
    const count = scenarios.count;
    if (count > this.limits.scenarios) throw new LimitError("scenarios", count, this.limits.scenarios);
    const perPosition = options.perPosition ?? false;
    const nPos = book.positions.length;
    if (perPosition && nPos * count > this.limits.perPositionCells) {
      throw new LimitError("per-position cells (positions × scenarios)", nPos * count, this.limits.perPositionCells);
    }
    scenarios.assertFinite();
    assertMovesCompiled(book, scenarios.logMoves);
    this.load(book);

    const nUnd = book.underlyings.length;
    const rows = 1 + (perPosition ? nPos : 0);
    const perScenario = (3 * nUnd + rows) * F64;
    const chunk = Math.min(count, Math.max(this.layout.block, Math.floor(SCRATCH_BUDGET / perScenario)));
    const { scen, work, out } = this.scratch(nUnd, chunk, rows);

    // The PnL and every position's row in one buffer laid out as the kernel writes them
    // (portfolio, options, linear positions), so that a chunk is one copy when it is
    // the whole run; `positions` views the rows in input order.
    const all = new Float64Array(rows * count);
    const pnl = all.subarray(0, count);
    const positions = perPosition ? book.refs.map((ref) => {
      const r = 1 + (ref.kind === "option" ? ref.row : book.nOpt + ref.row);
      return all.subarray(r * count, (r + 1) * count);
    }) : undefined;
    const ccyPrice = ccy < 0 ? 1 : book.indexPrices[ccy]!;
    for (let s0 = 0; s0 < count; s0 += chunk) {
      const n = Math.min(chunk, count - s0);
      const planes = this.mem.f64(scen, 3 * nUnd * n);
      [scenarios.logMoves, scenarios.volShifts, scenarios.volFloors].forEach((plane, p) => {
        for (let u = 0; u < nUnd; u++) planes.set(plane.subarray(u * count + s0, u * count + s0 + n), (p * nUnd + u) * n);
      });
      this.runRevalue(book, scen, n, dt, ccy, ccyPrice, out, perPosition, work);
      const result = this.mem.f64(out, rows * n);
      if (n === count) all.set(result);
      else for (let r = 0; r < rows; r++) all.set(result.subarray(r * n, (r + 1) * n), r * count + s0);
    }
    return positions ? { currency, pnl, positions } : { currency, pnl };
  }

  /** Black-76 prices and Greeks of options, computed by the SIMD kernel. */
  greeks(terms: readonly OptionTerms[]): Black76Greeks[] {
    const n = terms.length;
    if (n === 0) return [];
    const stride = (n + 1) & ~1;
    // After the resident book, so that it stays loaded.
    const inputs = this.resident ? this.ptr.scratch : this.mem.base;
    const out = inputs + 6 * stride * F64;
    this.mem.ensure(out + 7 * stride * F64 - this.mem.base);
    const input = this.mem.f64(inputs, 6 * stride);
    for (let i = 0; i < n; i++) {
      const t = terms[i]!;
      input[i] = t.forward;
      input[stride + i] = t.strike;
      input[2 * stride + i] = t.time;
      input[3 * stride + i] = t.vol;
      input[4 * stride + i] = t.rate;
      input[5 * stride + i] = t.phi;
    }
    const col = (c: number): number => inputs + c * stride * F64;
    this.k.black76GreeksF64x2Soa(n, col(0), col(1), col(2), col(3), col(4), col(5), out);
    return this.readGreeks(out, n);
  }

  /**
   * Prices and Greeks of a book's options now, in its option-row order: the kernel reads
   * forward, strike, time, vol and rate from the book's columns in linear memory.
   */
  bookGreeks(book: Book): Black76Greeks[] {
    if (book.nOpt === 0) return [];
    this.load(book);
    const stride = book.optCap;
    const out = this.ptr.scratch;
    this.mem.ensure(out + 7 * stride * F64 - this.mem.base);
    const O = this.layout.opt;
    const col = (c: number): number => this.ptr.opt + c * stride * F64;
    this.k.black76GreeksF64x2Soa(book.nOpt, col(O.f), col(O.k), col(O.t), col(O.vol), col(O.rate), col(O.phi), out);
    return this.readGreeks(out, book.nOpt);
  }

  /** The greeks kernel's seven output columns (stride n rounded up to even) as objects. */
  private readGreeks(out: number, n: number): Black76Greeks[] {
    const stride = (n + 1) & ~1;
    const c = this.mem.f64(out, 7 * stride);
    const greeks: Black76Greeks[] = new Array(n);
    for (let i = 0; i < n; i++) {
      greeks[i] = {
        price: c[i]!, delta: c[stride + i]!, gamma: c[2 * stride + i]!, vega: c[3 * stride + i]!, theta: c[4 * stride + i]!,
        coinValue: c[5 * stride + i]!, coinDelta: c[6 * stride + i]!,
      };
    }
    return greeks;
  }

  /**
   * Monte Carlo paths [start, start + n) of a plan: random draws and path kernels
   * (assembly/random.ts, assembly/paths.ts) in scratch memory, copied out as planes.
   */
  paths(plan: PathPlan, start: number, n: number): PathBlock {
    return this.generate(plan, n, start);
  }

  /** The Monte Carlo paths listed (any order, repeats allowed): paths(plan, p, 1) of each p, in one call. */
  pathsAt(plan: PathPlan, list: ArrayLike<number>): PathBlock {
    // Path numbers are the generator's 32-bit counters.
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (!(Number.isInteger(p) && p >= 0 && p < 2 ** 32)) throw new InputError(`paths[${i}]`, `must be a whole number within 0..2^32 − 1, got ${p}`);
    }
    return this.generate(plan, list.length, 0, list);
  }

  private generate(plan: PathPlan, n: number, start: number, list?: ArrayLike<number>): PathBlock {
    const nUnd = plan.underlyings.length;
    // The kernels work on pairs of paths; an odd count generates one more (a valid path, unused).
    const m = (n + 1) & ~1;
    const base = this.resident ? this.ptr.scratch : this.mem.base;
    let at = base;
    const take = (doubles: number): number => {
      const ptr = at;
      at = align16(at + doubles * F64);
      return ptr;
    };
    const params = take(plan.params.length);
    const factor = take(plan.correlation.factor.length);
    const z = take(2 * nUnd * m);
    const gamma = take(m);
    const jumpU = take((nUnd + 1) * m);
    const jumpZ = take((nUnd + 1) * m);
    const moves = take(nUnd * m);
    const vols = take(nUnd * m);
    // u32 path numbers, read four at a time: padded with a valid path.
    const pathList = list ? take(Math.ceil(m / 4) * 2) : 0;
    this.mem.ensure(at - this.mem.base);
    if (list) new Uint32Array(this.k.memory.buffer, pathList, Math.ceil(m / 4) * 4).fill(list[0] ?? 0).set(list);
    this.mem.f64(params, plan.params.length).set(plan.params);
    this.mem.f64(factor, plan.correlation.factor.length).set(plan.correlation.factor);
    const { seedLo: lo, seedHi: hi } = plan;
    this.k.normalsF64x2Soa(lo, hi, STREAM.moves, start, m, 2 * nUnd, z, pathList);
    if (plan.nu > 0) this.k.gammaF64Soa(lo, hi, STREAM.gamma, start, m, plan.nu / 2, gamma, pathList);
    if (plan.jumps) {
      this.k.uniformsF64x2Soa(lo, hi, STREAM.jumpUniforms, start, m, nUnd + 1, jumpU, pathList);
      this.k.normalsF64x2Soa(lo, hi, STREAM.jumpNormals, start, m, nUnd + 1, jumpZ, pathList);
    }
    this.k.correlatedMovesF64x2Soa(nUnd, m, params, factor, z, gamma, jumpU, jumpZ, moves, vols);
    const logMoves = new Float64Array(nUnd * n);
    const volShifts = new Float64Array(nUnd * n);
    for (let u = 0; u < nUnd; u++) {
      logMoves.set(this.mem.f64(moves + u * m * F64, n), u * n);
      volShifts.set(this.mem.f64(vols + u * m * F64, n), u * n);
    }
    return { logMoves, volShifts };
  }

  /** Selection by the WASM kernel (for tail statistics) on a work copy in scratch memory. */
  selector(): Selector {
    const ptr = this.resident ? this.ptr.scratch : this.mem.base;
    return wasmSelector(this.k, ptr, (bytes) => this.mem.ensure(ptr + bytes - this.mem.base));
  }

  /** Bytes of linear memory in use (it never shrinks; it is reused). */
  get memoryBytes(): number {
    return this.mem.byteLength;
  }

  private runRevalue(
    book: Book, scen: number, n: number, dt: number, ccy: number, ccyPrice: number, out: number, perPosition: boolean, work: number,
  ): void {
    const lin = perPosition ? this.ptr.lin : this.ptr.agg;
    const nLin = perPosition ? book.nLin : book.nLinAgg;
    const linCap = perPosition ? book.linCap : book.linAgg.length / this.layout.lin.cols;
    this.k.revalueBlack76F64x2Soa(
      this.ptr.opt, book.nOpt, book.optCap, lin, nLin, linCap,
      scen, n, book.underlyings.length, dt, ccy, ccyPrice, out, perPosition ? 1 : 0, work, this.ptr.nodeOffsets,
    );
  }

  /**
   * Copies a book into linear memory unless it is already there, builds its smile
   * tables there (the smile kernel) and fills its base values.
   */
  private load(book: Book): void {
    if (this.resident === book) return;
    const base = this.mem.base;
    const opt = base;
    const lin = align16(opt + book.opt.length * F64);
    const agg = align16(lin + book.lin.length * F64);
    const nodeOffsets = align16(agg + book.linAgg.length * F64);
    const slices = align16(nodeOffsets + book.nodeOffsets.length * 4);
    const xs = align16(slices + book.slices.length * F64);
    const tables = align16(xs + book.xs.length * F64);
    const scratch = align16(tables + book.nOpt * book.slots * F64);
    // The smile kernel's scratch row lies in the revalue scratch, free until a revaluation.
    this.mem.ensure(scratch + book.slots * F64 - base);
    this.ptr = { opt, lin, agg, nodeOffsets, scratch };
    const L = this.layout;
    for (let row = 0; row < book.nOpt; row++) {
      book.opt[L.opt.table * book.optCap + row] = tables + row * book.slots * F64;
    }
    this.mem.f64(opt, book.opt.length).set(book.opt);
    this.mem.f64(lin, book.lin.length).set(book.lin);
    this.mem.f64(agg, book.linAgg.length).set(book.linAgg);
    new Int32Array(this.k.memory.buffer, nodeOffsets, book.nodeOffsets.length).set(book.nodeOffsets);
    this.mem.f64(slices, book.slices.length).set(book.slices);
    this.mem.f64(xs, book.xs.length).set(book.xs);
    this.k.smileTablesF64(opt, book.nOpt, book.optCap, slices, xs, book.slots, zeroMoveSlot(book) * F64, scratch);
    this.resident = book;
    if (!book.baseReady) this.fillBase(book);
  }

  /**
   * Scratch after the resident book for `n` scenarios: three scenario planes, the
   * kernel's work area and `rows` output rows, made addressable.
   */
  private scratch(nUnd: number, n: number, rows: number): { scen: number; work: number; out: number } {
    const scen = this.ptr.scratch;
    const work = align16(scen + 3 * nUnd * n * F64);
    const out = align16(work + this.k.revalueWorkBytes(nUnd));
    this.mem.ensure(out + rows * n * F64 - this.mem.base);
    return { scen, work, out };
  }

  /**
   * The book's columns of now: each option's USD value, from the kernel's zero scenario
   * (the base its PnL is taken from), and its vol, which the smile kernel wrote.
   */
  private fillBase(book: Book): void {
    const nUnd = book.underlyings.length;
    const { scen, work, out } = this.scratch(nUnd, 1, 1 + book.positions.length);
    this.mem.f64(scen, 3 * nUnd).fill(0);
    this.runRevalue(book, scen, 1, 0, -1, 1, out, true, work);
    const values = this.mem.f64(out + F64, book.nOpt);
    const baseCol = this.layout.opt.base * book.optCap;
    book.opt.set(values, baseCol);
    this.mem.f64(this.ptr.opt + baseCol * F64, book.nOpt).set(values);
    const volCol = this.layout.opt.vol * book.optCap;
    book.opt.set(this.mem.f64(this.ptr.opt + volCol * F64, book.nOpt), volCol);
    book.baseReady = true;
  }
}

export const createEngine = (options?: EngineOptions): Promise<Engine> => Engine.create(options);
