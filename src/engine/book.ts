// Compiles a portfolio against a market into the structure-of-arrays the
// revalue kernel reads (assembly/revalue.ts): per option the constants it needs
// hoisted out of the scenario loop, and a smile table; per linear position
// (spot, futures) the two coefficients of its USD value alpha + beta·m, where
// m = S'/S0 is the scenario's price factor of its underlying.
import type { Market, UnderlyingCurves } from "../market/market.js";
import { SLICE_HEADER } from "../market/vol-surface.js";
import type { OptionPosition, Position } from "../model/types.js";
import type { Black76Inputs } from "../math/black76.js";
import type { KernelLayout } from "./wasm.js";
import { InputError } from "../errors.js";
import { log } from "../math/deterministic.js";

export interface CompileOptions {
  /**
   * Weight of a scenario's relative vol shift for an option `days` from expiry
   * (σ' = σ·(1 + weight·shift)); default 1. Venues scale shocks by (30/DTE)^p.
   */
  volShiftWeight?: (days: number, underlying: string) => number;
  /**
   * The only log moves the book will be revalued at: the smile tables hold just the
   * nodes they read (a venue grid reads ~36 of the 161). Default: all.
   */
  moves?: ArrayLike<number>;
  /**
   * Sticky strike: a scenario shocks each option's own vol at its strike, whatever the
   * price move (every smile slot holds the vol now); default sticky moneyness, the smile
   * re-read at the moved moneyness.
   */
  stickyStrike?: boolean;
}

/** Where a position lives in the book: an option row or a linear row. */
export interface PositionRef {
  kind: "option" | "linear";
  row: number;
}

/** Pricing inputs of an option, for Engine.greeks. */
export type OptionTerms = Black76Inputs;

export interface Book {
  readonly layout: KernelLayout;
  /** Underlying symbols in scenario-plane order. */
  readonly underlyings: readonly string[];
  /** Index price now, per underlying. */
  readonly indexPrices: Float64Array;
  readonly positions: readonly Position[];
  readonly refs: readonly PositionRef[];
  readonly nOpt: number;
  /** Column stride of `opt` (even, ≥ nOpt). */
  readonly optCap: number;
  /** layout.opt.cols columns of optCap f64. */
  readonly opt: Float64Array;
  /**
   * Smile table slots per option: the smile nodes filled, all layout.smileNodes or
   * those CompileOptions.moves read. The tables are built from `slices` where the
   * kernel reads them (assembly/smile.ts; src/reference/smile.ts for the JS kernel).
   */
  readonly slots: number;
  /** The log move of each slot, increasing. */
  readonly xs: Float64Array;
  /** Per smile node, its byte offset in an option's table (slot · 8), −1 when not filled. */
  readonly nodeOffsets: Int32Array;
  /** The vol-surface slices the options read, packed (VolSurface.packed of each underlying, one after another). */
  readonly slices: Float64Array;
  readonly nLin: number;
  readonly linCap: number;
  /** layout.lin.cols columns of linCap f64, one row per linear position. */
  readonly lin: Float64Array;
  /** The same, summed per underlying: enough when no per-position PnL is wanted. */
  readonly linAgg: Float64Array;
  readonly nLinAgg: number;
}

const even = (n: number): number => Math.max(2, (n + 1) & ~1);

/** A shared array of n zeros (books only read their xs). */
function zeros(n: number): Float64Array {
  let z = zerosOf.get(n);
  if (!z) zerosOf.set(n, (z = new Float64Array(n)));
  return z;
}
const zerosOf = new Map<number, Float64Array>();

export function compileBook(
  positions: readonly Position[],
  market: Market,
  layout: KernelLayout,
  options: CompileOptions = {},
): Book {
  const named = new Set<string>();
  let nOpt = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    named.add(p.underlying);
    if (p.kind === "option") nOpt++;
  }
  const underlyings = market.names.filter((name) => named.has(name));
  const uIndex = new Map(underlyings.map((name, i) => [name, i]));
  const nUnd = underlyings.length;
  const nLin = positions.length - nOpt;
  const optCap = even(nOpt);
  const linCap = even(nLin);
  const aggCap = even(nUnd);
  // The book's columns and index prices share one array: a typed array's own buffer costs more than filling it.
  const sizes = [layout.opt.cols * optCap, layout.lin.cols * linCap, layout.lin.cols * aggCap, nUnd];
  const buffer = new Float64Array(sizes.reduce((a, b) => a + b));
  let offset = 0;
  const [opt, lin, linAgg, indexPrices] = sizes.map((size) => buffer.subarray(offset, (offset += size))) as [Float64Array, Float64Array, Float64Array, Float64Array];
  underlyings.forEach((name, u) => (indexPrices[u] = market.get(name)!.index));
  const refs: PositionRef[] = [];
  // Rows filled so far: options and linear positions each have their own.
  let optRow = 0;
  let linRow = 0;
  const O = layout.opt;
  const L = layout.lin;
  const slots = smileSlots(layout, options.moves);
  const { nodeOffsets } = slots;
  // Every slot read at the zero move: a flat table per option, its vol now.
  const xs = options.stickyStrike ? zeros(slots.xs.length) : slots.xs;
  // Each underlying's packed surface slices, at their offset in the book's, and what
  // the options of one expiry share (a book holds many strikes of few expiries).
  const surfaces: Float64Array[] = [];
  let sliceCount = 0;
  const held = new Map<string, { curves: UnderlyingCurves; u: number; slices?: Float64Array; base: number; expiries: Map<string, ExpiryTerms> }>();
  const heldOf = (name: string) => {
    let h = held.get(name);
    if (!h) held.set(name, (h = { curves: market.get(name)!, u: uIndex.get(name)!, base: 0, expiries: new Map() }));
    return h;
  };

  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    const h = heldOf(p.underlying);
    const { curves, u } = h;
    if (p.kind === "option") {
      const row = optRow++;
      if (!h.slices) {
        h.slices = curves.volSurface().packed;
        h.base = sliceCount;
        surfaces.push(h.slices);
        sliceCount += h.slices.length;
      }
      let e = h.expiries.get(p.expiry);
      if (!e) h.expiries.set(p.expiry, (e = based(expiryTerms(market, curves, p.expiry, options.volShiftWeight), h.base)));
      const { t, f } = e;
      const k0 = log(p.strike / f);
      const size = p.contractSize ?? 1;
      // An option with its own mark IV reads a slice of its own: one node, a flat smile at that IV.
      const markIv = p.id === undefined ? undefined : curves.markIvs.get(p.id);
      if (markIv !== undefined) {
        surfaces.push(Float64Array.of(t, 1, 0, markIv, 0));
        opt[O.sliceA * optCap + row] = sliceCount;
        opt[O.sliceB * optCap + row] = -1;
        opt[O.sliceW * optCap + row] = 0;
        sliceCount += SLICE_HEADER + 3;
      } else {
        opt[O.sliceA * optCap + row] = e.a;
        opt[O.sliceB * optCap + row] = e.b;
        opt[O.sliceW * optCap + row] = e.w;
      }
      opt[O.u * optCap + row] = u;
      opt[O.lnFK * optCap + row] = -k0;
      opt[O.fk * optCap + row] = f / p.strike;
      opt[O.kf * optCap + row] = p.strike / f;
      opt[O.f * optCap + row] = f;
      opt[O.k * optCap + row] = p.strike;
      opt[O.t * optCap + row] = t;
      opt[O.rate * optCap + row] = curves.rate;
      opt[O.phi * optCap + row] = p.right === "call" ? 1 : -1;
      // USD value per unit of Black-76 price; an inverse option's coin premium
      // B/F is worth B·S/F dollars, and S/F is constant under proportional moves.
      opt[O.weight * optCap + row] = p.quantity * size * (p.settlement === "inverse" ? curves.index / f : 1);
      opt[O.volW * optCap + row] = e.volW;
      refs.push({ kind: "option", row });
    } else {
      const row = linRow++;
      const beta = linearBeta(p, market);
      lin[L.u * linCap + row] = u;
      // Spot is worth q·S now; a future is worth 0 at today's price (PnL from now).
      lin[L.alpha * linCap + row] = p.kind === "spot" ? 0 : -beta;
      lin[L.beta * linCap + row] = beta;
      refs.push({ kind: "linear", row });
    }
  }

  const nLinAgg = nUnd;
  for (let u = 0; u < nLinAgg; u++) linAgg[L.u * aggCap + u] = u;
  for (let row = 0; row < nLin; row++) {
    const u = lin[L.u * linCap + row]!;
    linAgg[L.alpha * aggCap + u]! += lin[L.alpha * linCap + row]!;
    linAgg[L.beta * aggCap + u]! += lin[L.beta * linCap + row]!;
  }

  // One underlying's book (a grid's) reads its surface's own packed slices.
  let slices = surfaces.length === 1 ? surfaces[0]! : new Float64Array(sliceCount);
  if (surfaces.length > 1) {
    let at = 0;
    for (const packed of surfaces) {
      slices.set(packed, at);
      at += packed.length;
    }
  }
  const book: Book = {
    layout, underlyings, indexPrices, positions, refs, nOpt, optCap, opt, slots: xs.length, xs, nodeOffsets, slices,
    nLin, linCap, lin, linAgg, nLinAgg,
  };
  Object.defineProperty(book, COMPILED, { value: true });
  return book;
}

/** The mark of a book compileBook made (checked once): a hidden property, as a WeakSet entry costs ~0.7 µs a book. */
const COMPILED = Symbol("pmargin.book");

/** Whether `b` has a compiled book's shape: its planes as long as its counts say, so no kernel reads past them. */
function bookShaped(b: Partial<Book>): boolean {
  const { layout, underlyings, positions, refs, opt, lin, linAgg, indexPrices, xs, slices, nodeOffsets } = b;
  const whole = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
  return typeof layout?.opt?.cols === "number" && typeof layout.lin?.cols === "number" && Array.isArray(underlyings) && Array.isArray(positions) && Array.isArray(refs) &&
    opt instanceof Float64Array && lin instanceof Float64Array && linAgg instanceof Float64Array && indexPrices instanceof Float64Array &&
    xs instanceof Float64Array && slices instanceof Float64Array && nodeOffsets instanceof Int32Array &&
    whole(b.nOpt) && whole(b.nLin) && whole(b.optCap) && whole(b.linCap) && whole(b.nLinAgg) && b.slots === xs.length &&
    b.nOpt <= b.optCap && b.nLin <= b.linCap && b.nOpt + b.nLin === positions.length && refs.length === positions.length &&
    opt.length === layout.opt.cols * b.optCap && lin.length === layout.lin.cols * b.linCap && indexPrices.length === underlyings.length;
}

/**
 * Throws an InputError naming `path` unless `book` is a compiled book: one compiled here, or
 * one with a compiled book's shape (a book may be compiled in one place and sent to another).
 */
export function assertBook(book: unknown, path = "book"): asserts book is Book {
  if (typeof book === "object" && book !== null && (Object.prototype.hasOwnProperty.call(book, COMPILED) || bookShaped(book))) return;
  throw new InputError(path, "must be a book a backend compiled (backend.compile(positions, market))");
}

/** What the options of one underlying and expiry share: time, forward, surface slices (offsets in the book's), vol-shift weight. */
interface ExpiryTerms {
  t: number;
  f: number;
  a: number;
  b: number;
  w: number;
  volW: number;
}

/** An expiry's terms with its slice offsets moved to where its surface lies in the book's slices. */
const based = (e: ExpiryTerms, base: number): ExpiryTerms => ({ ...e, a: base + e.a, b: e.b < 0 ? -1 : base + e.b });

/**
 * An expiry's terms, slice offsets within its own surface: found once per curves, date and
 * vol-shift weight (a batch compiles thousands of books on the same few expiries).
 */
function expiryTerms(market: Market, curves: UnderlyingCurves, expiry: string, volShiftWeight: CompileOptions["volShiftWeight"]): ExpiryTerms {
  let byCurves = termsKept.get(curves);
  if (byCurves?.asOfMs !== market.asOfMs) termsKept.set(curves, (byCurves = { asOfMs: market.asOfMs, terms: new Map() }));
  const key = volShiftWeight ?? noWeight;
  let byWeight = byCurves.terms.get(key);
  if (!byWeight) byCurves.terms.set(key, (byWeight = new Map()));
  let e = byWeight.get(expiry);
  if (!e) {
    const t = market.yearFraction(expiry);
    const { a, b, w } = curves.volSurface().locate(t);
    e = { t, f: curves.forwards.forward(t), a, b, w, volW: volShiftWeight ? volShiftWeight(t * 365, curves.name) : 1 };
    // A long-lived weight function (a profile's) would otherwise keep every expiry ever seen.
    if (byWeight.size < MAX_KEPT_EXPIRIES) byWeight.set(expiry, e);
  }
  return e;
}
const noWeight = (): number => 1;
const MAX_KEPT_EXPIRIES = 4096;
const termsKept = new WeakMap<UnderlyingCurves, { asOfMs: number; terms: Map<NonNullable<CompileOptions["volShiftWeight"]>, Map<string, ExpiryTerms>> }>();

/** The slot of the zero move in an option's smile table: the vol now. */
export const zeroMoveSlot = (book: Book): number => book.nodeOffsets[Math.round(-book.layout.smileXMin * book.layout.smileInvStep)]! / 8;

/** Where a log move falls on the smile grid, in nodes from the first, clamped to the grid, as the kernel finds it. */
export function smilePosition(layout: KernelLayout, x: number): number {
  return Math.min(Math.max((x - layout.smileXMin) * layout.smileInvStep, 0), layout.smileNodes - 1);
}

/** The node a position on the grid reads first: it interpolates between that node and the next. */
export function smileNode(layout: KernelLayout, pos: number): number {
  return Math.min(Math.trunc(pos), layout.smileNodes - 2);
}

/** Refuses scenarios whose moves read smile nodes a book compiled for other moves left out. */
export function assertMovesCompiled(book: Book, logMoves: Float64Array): void {
  const offsets = book.nodeOffsets;
  if (book.slots === book.layout.smileNodes) return;
  for (let i = 0; i < logMoves.length; i++) {
    const x = logMoves[i]!;
    const j = smileNode(book.layout, smilePosition(book.layout, x));
    if (offsets[j]! < 0 || offsets[j + 1]! < 0) {
      throw new InputError("scenarios.logMoves", `move ${x} was not among the moves the book was compiled for (CompileOptions.moves)`);
    }
  }
}

/**
 * The smile nodes a book's tables hold, in increasing order — every node, or those
 * `moves` read and those of the zero move (base values, padding) — as the log move
 * of each slot and each node's byte offset in a table (−1 when left out).
 */
function smileSlots(layout: KernelLayout, moves: ArrayLike<number> | undefined): { xs: Float64Array; nodeOffsets: Int32Array } {
  if (!moves) {
    let all = allSlots.get(layout);
    if (!all) allSlots.set(layout, (all = slotsOf(layout, new Uint8Array(layout.smileNodes).fill(1))));
    return all;
  }
  // A grid's moves are one array per profile: their slots are found once.
  let byLayout = movesSlots.get(moves);
  const kept = byLayout?.get(layout);
  if (kept) return kept;
  if (!byLayout) movesSlots.set(moves, (byLayout = new WeakMap()));
  const filled = new Uint8Array(layout.smileNodes);
  const read = (x: number): void => {
    const j = smileNode(layout, smilePosition(layout, x));
    filled[j] = filled[j + 1] = 1;
  };
  read(0);
  for (let i = 0; i < moves.length; i++) read(moves[i]!);
  const slots = slotsOf(layout, filled);
  // Only a frozen list cannot change after its slots were found.
  if (Object.isFrozen(moves)) byLayout.set(layout, slots);
  return slots;
}
const movesSlots = new WeakMap<ArrayLike<number>, WeakMap<KernelLayout, { xs: Float64Array; nodeOffsets: Int32Array }>>();

/** Every node's slots, shared by the books of an engine (its layout) that hold them all. */
const allSlots = new WeakMap<KernelLayout, { xs: Float64Array; nodeOffsets: Int32Array }>();

function slotsOf(layout: KernelLayout, filled: Uint8Array): { xs: Float64Array; nodeOffsets: Int32Array } {
  const nodeOffsets = new Int32Array(layout.smileNodes);
  let slots = 0;
  for (let j = 0; j < layout.smileNodes; j++) nodeOffsets[j] = filled[j] === 1 ? 8 * slots++ : -1;
  const xs = new Float64Array(slots);
  for (let j = 0; j < layout.smileNodes; j++) if (filled[j] === 1) xs[nodeOffsets[j]! / 8] = layout.smileXMin + j / layout.smileInvStep;
  return { xs, nodeOffsets };
}

/**
 * USD value of a linear position per unit of price factor m (value = alpha + beta·m):
 * spot q·S0; linear future q·size·F0; inverse future q·face·S0/F0, because its coin
 * PnL q·face·(1/F0 − 1/F0m) is worth that times S0·m dollars.
 */
function linearBeta(p: Exclude<Position, OptionPosition>, market: Market): number {
  const curves = market.get(p.underlying)!;
  const s0 = curves.index;
  if (p.kind === "spot") return p.quantity * s0;
  const f0 = futurePrice(p, market);
  return p.settlement === "linear" ? p.quantity * (p.contractSize ?? 1) * f0 : (p.quantity * (p.faceValue ?? 1) * s0) / f0;
}

/** Forward price a future or perpetual trades at now: its mark when the market gives one, else the forward curve (perpetuals the index). */
export function futurePrice(p: Position, market: Market): number {
  const curves = market.get(p.underlying)!;
  const mark = p.kind === "future" && p.id !== undefined ? curves.marks.get(p.id) : undefined;
  if (mark !== undefined) return mark;
  if (p.kind !== "future" || p.expiry === undefined) return curves.index;
  return curves.forwards.forward(market.yearFraction(p.expiry));
}
