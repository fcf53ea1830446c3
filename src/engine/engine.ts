import { InputError } from "../errors.js";
import type { Black76Greeks } from "../math/black76.js";
import type { Market } from "../market/market.js";
import type { Position } from "../model/types.js";
import {
  checkRevalue, checkWorstLosses, lossPlanes, compileWithin, DEFAULT_LIMITS, pathPlanes, type Backend, type BookGreeks, type Limits, type LossWeights,
  type RevalueOptions, type RevalueResult, type WorstLosses,
} from "./backend.js";
import { zeroMoveSlot, type Book, type CompileOptions, type OptionTerms } from "./book.js";
import { align16, LinearMemory } from "./memory.js";
import type { ScenarioSet } from "./scenarios.js";
import { STREAM, type PathBlock, type PathPlan } from "./path-plan.js";
import { wasmSelector, type Selector } from "./select.js";
import { instantiateKernels, resolveModule, type KernelLayout, type Kernels, type WasmModuleChoice, type WasmModuleName, type WasmSource } from "./wasm.js";

export interface EngineOptions {
  /** The module to use instead of the packaged one (`module` then says which build it is). */
  wasm?: WasmSource;
  /**
   * Which build of the kernels: "portable" (default: the same bits on every machine),
   * "fma" (relaxed SIMD, fused multiply-adds: faster, within 1e-9 relative of the portable
   * figures, last bits machine-dependent), or "fastest" ("fma" where the runtime validates
   * relaxed SIMD, else "portable"; packaged modules only). "fma" where relaxed SIMD is
   * missing is an InputError.
   */
  module?: WasmModuleChoice;
  limits?: Partial<Limits>;
}

/** What an engine keeps of a book (see Engine.key). */
interface BookState {
  region?: Region;
  epoch: number;
  built?: { tables: number[] | Float64Array; vol: number[]; base: number[] };
}

/** Where a resident book lives in linear memory. */
interface Region {
  opt: number;
  lin: number;
  agg: number;
  nodeOffsets: number;
  tables: number;
  end: number;
}

/**
 * Books not held that stay loaded: at most this many, in at most 1/RECENT_SHARE of the
 * memory limit (a larger book is loaded alone), the rest being scratch's.
 */
const RECENT_BOOKS = 8;
const RECENT_SHARE = 64;

/** Scratch memory one revalue chunk may use; the scenario count per chunk adapts to it. */
const SCRATCH_BUDGET = 64 << 20;
const F64 = 8;

/**
 * The WASM backend: a WebAssembly instance with its own linear memory.
 *
 * Books are resident in linear memory, each in its own region (its columns, smile
 * tables built there, values now). A book is loaded on its first use and stays loaded
 * while it is one of the few used last (RECENT_BOOKS, RECENT_SHARE: a grid margins an
 * account one book per underlying, and margining it again finds them all loaded), or
 * while it is held: within `withResident(run)` every book loaded stays loaded, side by
 * side, until `run` returns (Monte Carlo and a backtest revalue one book per underlying
 * in turn, chunk after chunk). `reset()` drops them all. The JS Book is never written:
 * addresses, base values and vols live in the region only. Scratch (scenario planes,
 * outputs, paths) lies after the last region. Calls are synchronous, so concurrent async
 * callers cannot interleave inside one; memory grows only up to `limits.memoryBytes`.
 */
export class Engine implements Backend {
  readonly name = "wasm";
  readonly limits: Limits;
  /**
   * Since the engine was made: books compiled, books copied into linear memory, and smile
   * tables built there (a book loaded again copies the tables it built the first time).
   */
  readonly counters = { compiles: 0, loads: 0, smileBuilds: 0 };
  /**
   * What the engine keeps of each book: its region while resident (the held books and the
   * latest; valid in the epoch it was loaded in), and its smile tables, vols now and base
   * values as first built, to load it again without rebuilding them. Kept on the book under
   * this engine's own symbol, as a WeakMap entry costs ~0.7 µs a book; in a WeakMap for a
   * book that cannot take it (frozen).
   */
  private readonly key = Symbol("pmargin.engine");
  private readonly sealedBooks = new WeakMap<Book, BookState>();
  /** Bumped by reset(): every region loaded before is gone. */
  private epoch = 0;
  /** Per withResident scope, innermost last, the books it holds. */
  private holding: Book[][] = [];
  /** The books loaded last and not held, oldest first: their regions lie after the held books'. */
  private recent: Book[] = [];
  /** The end of the held books' regions, where the recent books' lie. */
  private heldTop: number;
  /** The end of the last region: where scratch starts. */
  private top: number;

  private constructor(
    /** The raw kernel exports: internal, for tests and benchmarks. */
    readonly k: Kernels,
    readonly layout: KernelLayout,
    private readonly mem: LinearMemory,
    limits: Limits,
    /** Which build of the kernels runs: "portable" or "fma" (see EngineOptions.module). */
    readonly module: WasmModuleName,
    /** SHA-256 of the module's bytes, when it was loaded from bytes (not given compiled). */
    readonly wasmSha256?: string,
  ) {
    this.limits = limits;
    this.top = mem.base;
    this.heldTop = mem.base;
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    const choice = options.module ?? "portable";
    if (choice === "fastest" && options.wasm !== undefined) {
      throw new InputError("module", "\"fastest\" chooses between the packaged modules: with `wasm`, say which build it is (\"portable\" or \"fma\")");
    }
    const module = resolveModule(choice);
    const { kernels, layout, sha256 } = await instantiateKernels(options.wasm, module);
    return new Engine(kernels, layout, new LinearMemory(kernels.memory, kernels.heapBase(), limits.memoryBytes), limits, module, sha256);
  }

  compile(positions: readonly Position[], market: Market, options?: CompileOptions): Book {
    this.counters.compiles++;
    return compileWithin(this.limits, this.layout, positions, market, options);
  }

  revalue(book: Book, scenarios: ScenarioSet, options: RevalueOptions = {}): RevalueResult {
    const { dt, currency, ccy, rows: perPosition, into } = checkRevalue(this.limits, book, scenarios, options);
    const region = this.load(book);
    const count = scenarios.count;
    const nPos = book.positions.length;
    const nUnd = book.underlyings.length;
    const rows = 1 + (perPosition ? nPos : 0);
    const perScenario = (3 * nUnd + rows) * F64;
    const chunk = Math.min(count, Math.max(this.layout.block, Math.floor(SCRATCH_BUDGET / perScenario)));
    const { scen, work, out } = this.scratch(nUnd, chunk, rows);

    // The PnL and every position's row in one buffer laid out as the kernel writes them
    // (portfolio, options, linear positions), so that a chunk is one copy when it is
    // the whole run; `positions` views the rows in input order.
    const all = into ?? new Float64Array(rows * count);
    const pnl = all.subarray(0, count);
    const positions = perPosition ? book.refs.map((ref) => {
      const r = 1 + (ref.kind === "option" ? ref.row : book.nOpt + ref.row);
      return all.subarray(r * count, (r + 1) * count);
    }) : undefined;
    const ccyPrice = ccy < 0 ? 1 : book.indexPrices[ccy]!;
    for (let s0 = 0; s0 < count; s0 += chunk) {
      const n = Math.min(chunk, count - s0);
      const planes = this.mem.f64(scen, 3 * nUnd * n);
      copyPlane(planes, scenarios.logMoves, 0, nUnd, count, s0, n);
      copyPlane(planes, scenarios.volShifts, 1, nUnd, count, s0, n);
      copyPlane(planes, scenarios.volFloors, 2, nUnd, count, s0, n);
      this.runRevalue(book, region, scen, n, dt, ccy, ccyPrice, out, perPosition, work);
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
    const inputs = this.top;
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
    this.k.black76GreeksF64x2Soa(n, colAt(inputs, 0, stride), colAt(inputs, 1, stride), colAt(inputs, 2, stride), colAt(inputs, 3, stride), colAt(inputs, 4, stride), colAt(inputs, 5, stride), out);
    return this.readGreeks(out, n);
  }

  /**
   * Prices and Greeks of a book's options now, in its option-row order: the kernel reads
   * forward, strike, time, vol and rate from the book's region, where the smile kernel
   * wrote each option's vol now.
   */
  bookGreeks(book: Book): BookGreeks[] {
    if (book.nOpt === 0) return [];
    const { out, vols } = this.runBookGreeks(book);
    const c = this.greeksColumns(out, book.nOpt);
    // Written out field by field, not spread, in a loop: V8 builds these objects many times faster.
    const greeks = new Array<BookGreeks>(book.nOpt);
    for (let i = 0; i < book.nOpt; i++) {
      greeks[i] = {
        price: c.price[i]!, delta: c.delta[i]!, gamma: c.gamma[i]!, vega: c.vega[i]!, theta: c.theta[i]!,
        coinValue: c.coinValue[i]!, coinDelta: c.coinDelta[i]!, vol: vols[i]!,
      };
    }
    return greeks;
  }

  optionPricesAndDeltas(book: Book): { price: number[]; delta: number[] } {
    const n = book.nOpt;
    const price = new Array<number>(n);
    const delta = new Array<number>(n);
    if (n === 0) return { price, delta };
    const c = this.greeksColumns(this.runBookGreeks(book).out, n);
    for (let i = 0; i < n; i++) {
      price[i] = c.price[i]!;
      delta[i] = c.delta[i]!;
    }
    return { price, delta };
  }

  /** The greeks kernel on a book's option columns (loaded): where its output lies, and the vols now. */
  private runBookGreeks(book: Book): { out: number; vols: Float64Array } {
    const region = this.load(book);
    const stride = book.optCap;
    const out = this.top;
    this.mem.ensure(out + 7 * stride * F64 - this.mem.base);
    const O = this.layout.opt;
    const at = region.opt;
    this.k.black76GreeksF64x2Soa(book.nOpt, colAt(at, O.f, stride), colAt(at, O.k, stride), colAt(at, O.t, stride), colAt(at, O.vol, stride), colAt(at, O.rate, stride), colAt(at, O.phi, stride), out);
    return { out, vols: this.mem.f64(colAt(at, O.vol, stride), book.nOpt) };
  }

  smileTables(book: Book): Float64Array {
    const region = this.load(book);
    return this.mem.f64(region.tables, book.nOpt * book.slots).slice();
  }

  /** The greeks kernel's seven output columns (stride n rounded up to even) as objects. */
  private readGreeks(out: number, n: number): Black76Greeks[] {
    const c = this.greeksColumns(out, n);
    return Array.from({ length: n }, (_, i) => ({
      price: c.price[i]!, delta: c.delta[i]!, gamma: c.gamma[i]!, vega: c.vega[i]!, theta: c.theta[i]!,
      coinValue: c.coinValue[i]!, coinDelta: c.coinDelta[i]!,
    }));
  }

  /** Views of the greeks kernel's seven output columns (stride n rounded up to even). */
  private greeksColumns(out: number, n: number): Record<keyof Black76Greeks, Float64Array> {
    const stride = (n + 1) & ~1;
    const all = this.mem.f64(out, 7 * stride);
    const column = (c: number): Float64Array => all.subarray(c * stride, c * stride + n);
    return {
      price: column(0), delta: column(1), gamma: column(2), vega: column(3), theta: column(4), coinValue: column(5), coinDelta: column(6),
    };
  }

  /**
   * Monte Carlo paths [start, start + n) of a plan: random draws and path kernels
   * (assembly/random.ts, assembly/paths.ts) in scratch memory, copied out as planes.
   */
  paths(plan: PathPlan, start: number, n: number, into?: PathBlock): PathBlock {
    return this.generate(plan, n, start, undefined, into);
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

  private generate(plan: PathPlan, n: number, start: number, list?: ArrayLike<number>, into?: PathBlock): PathBlock {
    const nUnd = plan.underlyings.length;
    const { logMoves, volShifts } = pathPlanes(nUnd * n, into);
    // The kernels work on pairs of paths; an odd count generates one more (a valid path, unused).
    const m = (n + 1) & ~1;
    let at = this.top;
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
    for (let u = 0; u < nUnd; u++) {
      logMoves.set(this.mem.f64(moves + u * m * F64, n), u * n);
      volShifts.set(this.mem.f64(vols + u * m * F64, n), u * n);
    }
    return { logMoves, volShifts };
  }

  /** Selection by the WASM kernel (for tail statistics) on a work copy in scratch memory. */
  selector(): Selector {
    const ptr = this.top;
    return wasmSelector(this.k, ptr, (bytes) => this.mem.ensure(ptr + bytes - this.mem.base));
  }

  /** Worst weighted losses by the reduction kernel (assembly/reduce.ts), the rows copied into scratch memory. */
  worstLosses(rows: readonly Float64Array[], values: ArrayLike<number>, weights: LossWeights, s0: number, into?: Float64Array): WorstLosses {
    checkWorstLosses(rows, values, weights, into);
    const nRows = rows.length;
    const nScen = weights.priceFactor.length;
    const at = this.top;
    const valuesAt = at + nRows * nScen * F64;
    const weightsAt = valuesAt + nRows * F64;
    const out = weightsAt + 5 * nScen * F64;
    this.mem.ensure(out + 4 * nRows * F64 - this.mem.base);
    const heap = this.mem.f64(at, (out - at) / F64);
    // Rows lying one after another in one buffer (a revaluation's) are copied in one piece.
    const block = contiguous(rows, nScen);
    if (block) heap.set(block);
    else {
      for (let r = 0; r < nRows; r++) {
        const row = rows[r]!;
        heap.set(row.length === nScen ? row : row.subarray(0, nScen), r * nScen);
      }
    }
    // A loop, not set(): values are mostly a plain array, which set() converts element by element anyway.
    for (let r = 0; r < nRows; r++) heap[nRows * nScen + r] = values[r]!;
    const w = nRows * nScen + nRows;
    heap.set(weights.priceFactor, w);
    heap.set(weights.usdFactor, w + nScen);
    heap.set(weights.usdDamp, w + 2 * nScen);
    heap.set(weights.coinFactor, w + 3 * nScen);
    heap.set(weights.coinDamp, w + 4 * nScen);
    this.k.worstLossesF64(at, nRows, nScen, valuesAt, weightsAt, s0, out);
    const result = this.mem.f64(out, 4 * nRows);
    if (!into) return lossPlanes(result.slice(), nRows);
    into.set(result);
    return lossPlanes(into, nRows);
  }

  /** Bytes of linear memory in use (it never shrinks; it is reused). */
  get memoryBytes(): number {
    return this.mem.byteLength;
  }

  withResident<T>(run: () => T): T {
    const [epoch, heldTop] = [this.epoch, this.heldTop];
    const held: Book[] = [];
    this.holding.push(held);
    try {
      return run();
    } finally {
      this.holding.pop();
      // The books held here are released in one step: the regions above heldTop as it was
      // (unless run reset the engine, which released them all).
      if (this.epoch === epoch) {
        for (const book of held) this.stateOf(book).region = undefined;
        this.dropRecent();
        this.heldTop = this.top = heldTop;
      }
    }
  }

  /** Drops every resident book: each is loaded again on its next use. */
  reset(): void {
    this.epoch++;
    this.recent = [];
    this.heldTop = this.top = this.mem.base;
  }

  private stateOf(book: Book): BookState {
    const own = (book as unknown as Record<symbol, BookState | undefined>)[this.key];
    if (own) return own;
    let state = this.sealedBooks.get(book);
    if (state) return state;
    state = { epoch: -1 };
    if (Object.isExtensible(book)) Object.defineProperty(book, this.key, { value: state });
    else this.sealedBooks.set(book, state);
    return state;
  }

  private dropRecent(): void {
    for (const book of this.recent) this.stateOf(book).region = undefined;
    this.recent = [];
    this.top = this.heldTop;
  }

  private runRevalue(
    book: Book, region: Region, scen: number, n: number, dt: number, ccy: number, ccyPrice: number, out: number, perPosition: boolean, work: number,
  ): void {
    const lin = perPosition ? region.lin : region.agg;
    const nLin = perPosition ? book.nLin : book.nLinAgg;
    const linCap = perPosition ? book.linCap : book.linAgg.length / this.layout.lin.cols;
    this.k.revalueBlack76F64x2Soa(
      region.opt, book.nOpt, book.optCap, lin, nLin, linCap,
      scen, n, book.underlyings.length, dt, ccy, ccyPrice, out, perPosition ? 1 : 0, work, region.nodeOffsets,
    );
  }

  /**
   * The book's region, made on its first use: its columns copied into linear memory
   * after the other resident books, its smile tables built there (the smile kernel),
   * and its values now filled in.
   */
  private load(book: Book): Region {
    const scope = this.holding.at(-1);
    const state = this.stateOf(book);
    const known = state.epoch === this.epoch ? state.region : undefined;
    // A held book stays where it is; a recent one is moved onto the held stack in a scope.
    if (known && (!scope || !this.recent.includes(book))) return known;
    // The recent books make room: for the held stack to grow, or when they are as many or as large as kept.
    if (scope || this.recent.length >= RECENT_BOOKS || this.top - this.heldTop + regionBytes(book) > this.mem.limitBytes / RECENT_SHARE) this.dropRecent();
    const { opt, lin, agg, nodeOffsets, slices, xs, tables, end } = regionAt(book, this.top);
    // The smile kernel's scratch row lies in the revalue scratch, free until a revaluation.
    this.mem.ensure(end + book.slots * F64 - this.mem.base);
    const optCopy = this.mem.f64(opt, book.opt.length);
    optCopy.set(book.opt);
    const tableCol = this.layout.opt.table * book.optCap;
    for (let row = 0; row < book.nOpt; row++) optCopy[tableCol + row] = tables + row * book.slots * F64;
    this.mem.f64(lin, book.lin.length).set(book.lin);
    this.mem.f64(agg, book.linAgg.length).set(book.linAgg);
    new Int32Array(this.k.memory.buffer, nodeOffsets, book.nodeOffsets.length).set(book.nodeOffsets);
    this.mem.f64(slices, book.slices.length).set(book.slices);
    this.mem.f64(xs, book.xs.length).set(book.xs);
    const region: Region = { opt, lin, agg, nodeOffsets, tables, end };
    state.region = region;
    state.epoch = this.epoch;
    this.top = end;
    if (scope) {
      scope.push(book);
      this.heldTop = end;
    } else {
      this.recent.push(book);
    }
    this.counters.loads++;
    // What the smile kernel and the zero scenario write: the tables, the vol and base columns.
    // Kept in plain arrays: in V8 a typed array of more than 64 bytes costs a buffer of its
    // own, 1–2 µs, more than copying a small book's tables.
    const nTables = book.nOpt * book.slots;
    const [vol, base] = [this.layout.opt.vol, this.layout.opt.base];
    const built = state.built;
    if (built) {
      this.mem.f64(tables, nTables).set(built.tables);
      this.mem.f64(colAt(opt, vol, book.optCap), book.nOpt).set(built.vol);
      this.mem.f64(colAt(opt, base, book.optCap), book.nOpt).set(built.base);
    } else {
      this.k.smileTablesF64(opt, book.nOpt, book.optCap, slices, xs, book.slots, zeroMoveSlot(book) * F64, end);
      this.counters.smileBuilds++;
      this.fillBase(book, region);
      const kept = this.mem.f64(tables, nTables);
      state.built = { tables: nTables < TYPED_FROM ? plainCopy(kept) : kept.slice(), vol: plainCopy(this.mem.f64(colAt(opt, vol, book.optCap), book.nOpt)), base: plainCopy(this.mem.f64(colAt(opt, base, book.optCap), book.nOpt)) };
    }
    return region;
  }

  /**
   * Scratch after the resident books for `n` scenarios: three scenario planes, the
   * kernel's work area and `rows` output rows, made addressable.
   */
  private scratch(nUnd: number, n: number, rows: number): { scen: number; work: number; out: number } {
    const scen = this.top;
    const work = align16(scen + 3 * nUnd * n * F64);
    const out = align16(work + this.k.revalueWorkBytes(nUnd));
    this.mem.ensure(out + rows * n * F64 - this.mem.base);
    return { scen, work, out };
  }

  /** The region's base column: each option's USD value now, from the kernel's zero scenario (the base its PnL is taken from). */
  private fillBase(book: Book, region: Region): void {
    const nUnd = book.underlyings.length;
    const { scen, work, out } = this.scratch(nUnd, 1, 1 + book.positions.length);
    this.mem.f64(scen, 3 * nUnd).fill(0);
    this.runRevalue(book, region, scen, 1, 0, -1, 1, out, true, work);
    const baseCol = this.layout.opt.base * book.optCap;
    this.mem.f64(region.opt + baseCol * F64, book.nOpt).set(this.mem.f64(out + F64, book.nOpt));
  }
}

/**
 * Loads the WASM kernels into an Engine, the backend every method takes. One engine per thread, reused across calls.
 *
 * @example
 * ```ts
 * import { createEngine } from "pmargin";
 * const engine = await createEngine(); // build/pmargin.wasm in Node, its inline copy in browsers
 * const bigger = await createEngine({ limits: { positions: 1_000_000 } });
 * const fast = await createEngine({ module: "fastest" }); // the FMA module where relaxed SIMD runs: fast.module
 * ```
 */
export const createEngine = (options?: EngineOptions): Promise<Engine> => Engine.create(options);

/**
 * Kept smile tables of this many numbers or more are a typed array: its own buffer costs
 * 1–2 µs to allocate, and copying it back into linear memory is a memcpy, not a conversion.
 */
const TYPED_FROM = 256;

/** Where the parts of a book's region lie when it starts at `opt` (16-byte aligned), and those it is built from. */
function regionAt(book: Book, opt: number): Region & { slices: number; xs: number } {
  const lin = align16(opt + book.opt.length * F64);
  const agg = align16(lin + book.lin.length * F64);
  const nodeOffsets = align16(agg + book.linAgg.length * F64);
  const slices = align16(nodeOffsets + book.nodeOffsets.length * 4);
  const xs = align16(slices + book.slices.length * F64);
  const tables = align16(xs + book.xs.length * F64);
  return { opt, lin, agg, nodeOffsets, slices, xs, tables, end: align16(tables + book.nOpt * book.slots * F64) };
}

/** A book's region's size in bytes. */
const regionBytes = (book: Book): number => regionAt(book, 0).end;

/** A plain array of a typed array's numbers (a loop: Array.from goes through the iterator). */
function plainCopy(a: Float64Array): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]!;
  return out;
}

/** The byte address of column c of a structure-of-arrays at `base` with columns of `stride` f64. */
function colAt(base: number, c: number, stride: number): number {
  return base + c * stride * F64;
}

/** Scenarios [s0, s0 + n) of a plane (nUnd × count) into plane `p` of a chunk's planes (3 × nUnd × n). */
function copyPlane(planes: Float64Array, plane: Float64Array, p: number, nUnd: number, count: number, s0: number, n: number): void {
  if (n === count) planes.set(plane, p * nUnd * n);
  else for (let u = 0; u < nUnd; u++) planes.set(plane.subarray(u * count + s0, u * count + s0 + n), (p * nUnd + u) * n);
}

/** The rows as one view when each lies right after the previous in one buffer, nScen long each; else undefined. */
function contiguous(rows: readonly Float64Array[], nScen: number): Float64Array | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const { buffer, byteOffset } = first;
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.byteOffset !== byteOffset + r * nScen * F64 || row.buffer !== buffer) return undefined;
  }
  return new Float64Array(buffer, byteOffset, rows.length * nScen);
}
