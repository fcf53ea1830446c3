// The pure-JS backend: every kernel's twin behind the Backend interface, so a
// method runs on it unchanged — the oracle of the WASM backend in tests and its
// baseline in benchmarks. It reads books in the kernels' layout, which it takes
// from a WASM backend (the module's exported globals).
import {
  checkRevalue, checkWorstLosses, lossPlanes, compileWithin, DEFAULT_LIMITS, pathPlanes, type Backend, type BookGreeks, type Limits, type LossWeights,
  type RevalueOptions, type RevalueResult, type WorstLosses,
} from "../engine/backend.js";
import { zeroMoveSlot, type Book, type CompileOptions, type OptionTerms } from "../engine/book.js";
import type { PathBlock, PathPlan } from "../engine/path-plan.js";
import type { ScenarioSet } from "../engine/scenarios.js";
import type { Selector } from "../engine/select.js";
import type { KernelLayout } from "../engine/wasm.js";
import type { Market } from "../market/market.js";
import type { Position } from "../model/types.js";
import { black76, type Black76Greeks } from "../math/black76.js";
import { pathsAtReference, pathsReference } from "./paths.js";
import { revalueReference } from "./revalue.js";
import { worstLossesReference } from "./reduce.js";
import { jsSelector } from "./select.js";
import { smileTablesReference } from "./smile.js";

export class ReferenceBackend implements Backend {
  readonly name = "reference";

  constructor(
    readonly layout: KernelLayout,
    readonly limits: Limits = DEFAULT_LIMITS,
  ) {}

  compile(positions: readonly Position[], market: Market, options?: CompileOptions): Book {
    return compileWithin(this.limits, this.layout, positions, market, options);
  }

  revalue(book: Book, scenarios: ScenarioSet, options: RevalueOptions = {}): RevalueResult {
    const { dt, currency, rows, into } = checkRevalue(this.limits, book, scenarios, options);
    const r = revalueReference(book, scenarios, { dt, currency, reduce: rows ? "rows" : "sum" });
    if (!into) return r;
    // The PnL, then each position's row.
    const count = scenarios.count;
    const views = [r.pnl, ...(r.positions ?? [])].map((row, i) => {
      const view = into.subarray(i * count, (i + 1) * count);
      view.set(row);
      return view;
    });
    return rows ? { currency, pnl: views[0]!, positions: views.slice(1) } : { currency, pnl: views[0]! };
  }

  greeks(terms: readonly OptionTerms[]): Black76Greeks[] {
    return terms.map(black76);
  }

  smileTables(book: Book): Float64Array {
    return smileTablesReference(book).slice();
  }

  bookGreeks(book: Book): BookGreeks[] {
    const { layout: L, optCap, opt, slots } = book;
    const tables = smileTablesReference(book);
    const zero = zeroMoveSlot(book);
    return Array.from({ length: book.nOpt }, (_, row) => {
      const col = (c: number): number => opt[c * optCap + row]!;
      const vol = tables[row * slots + zero]!;
      const g = black76({ forward: col(L.opt.f), strike: col(L.opt.k), time: col(L.opt.t), vol, rate: col(L.opt.rate), phi: col(L.opt.phi) as 1 | -1 });
      return { price: g.price, delta: g.delta, gamma: g.gamma, vega: g.vega, theta: g.theta, coinValue: g.coinValue, coinDelta: g.coinDelta, vol };
    });
  }

  optionPricesAndDeltas(book: Book): { price: number[]; delta: number[] } {
    const greeks = this.bookGreeks(book);
    return { price: greeks.map((g) => g.price), delta: greeks.map((g) => g.delta) };
  }

  paths(plan: PathPlan, start: number, n: number, into?: PathBlock): PathBlock {
    if (!into) return pathsReference(plan, start, n);
    const out = pathPlanes(plan.underlyings.length * n, into);
    const block = pathsReference(plan, start, n);
    out.logMoves.set(block.logMoves);
    out.volShifts.set(block.volShifts);
    return out;
  }

  pathsAt(plan: PathPlan, list: ArrayLike<number>): PathBlock {
    return pathsAtReference(plan, list);
  }

  selector(): Selector {
    return jsSelector();
  }

  /** Worst weighted losses by the reduction's twin (src/reference/reduce.ts). */
  worstLosses(rows: readonly Float64Array[], values: ArrayLike<number>, weights: LossWeights, s0: number, into?: Float64Array): WorstLosses {
    checkWorstLosses(rows, values, weights, into);
    const worst = worstLossesReference(rows, values, weights, s0);
    if (!into) return worst;
    const n = rows.length;
    [worst.usd, worst.usdAt, worst.coin, worst.coinAt].forEach((plane, p) => into.set(plane, p * n));
    return lossPlanes(into, n);
  }

  /** Nothing to keep: the twin reads the JS book itself. */
  withResident<T>(run: () => T): T {
    return run();
  }
}

/**
 * The reference twin of a WASM backend: its layout and limits, every kernel in JS.
 *
 * @example
 * ```ts
 * import { builtInProfile, createEngine, gridMargin, referenceBackend } from "pmargin";
 * const engine = await createEngine();
 * const js = referenceBackend(engine); // the same figures from the pure-JS twins
 * const margin = gridMargin(js, portfolio.positions, market, { profile: builtInProfile("deribit") });
 * ```
 */
export const referenceBackend = (of: Pick<Backend, "layout" | "limits">): ReferenceBackend => new ReferenceBackend(of.layout, of.limits);
