// Compiles a portfolio against a market into the structure-of-arrays the
// revalue kernel reads (assembly/revalue.ts): per option the constants it needs
// hoisted out of the scenario loop, and a smile table; per linear position
// (spot, futures) the two coefficients of its USD value alpha + beta·m, where
// m = S'/S0 is the scenario's price factor of its underlying.
import type { Market } from "../market/market.js";
import type { OptionPosition, Position } from "../model/types.js";
import type { Black76Inputs } from "../reference/black76.js";
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
   * The only log moves the book will be revalued at: just the smile nodes they read
   * are filled (a venue grid reads ~36 of the 161), the others are NaN. Default: all.
   */
  moves?: ArrayLike<number>;
}

/** Where a position lives in the book: an option row or a linear row. */
export interface PositionRef {
  kind: "option" | "linear";
  row: number;
}

/** Per-option pricing inputs kept for valuation and Greeks. */
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
  readonly optionTerms: readonly OptionTerms[];
  /** nOpt smile tables of layout.smileNodes vols each. */
  readonly tables: Float64Array;
  /** With CompileOptions.moves: 1 at each smile node filled; absent when all are. */
  readonly filledNodes?: Uint8Array;
  readonly nLin: number;
  readonly linCap: number;
  /** layout.lin.cols columns of linCap f64, one row per linear position. */
  readonly lin: Float64Array;
  /** The same, summed per underlying: enough when no per-position PnL is wanted. */
  readonly linAgg: Float64Array;
  readonly nLinAgg: number;
  /** Whether the base column holds the value now (filled by the engine). */
  baseReady: boolean;
}

const even = (n: number): number => Math.max(2, (n + 1) & ~1);

export function compileBook(
  positions: readonly Position[],
  market: Market,
  layout: KernelLayout,
  options: CompileOptions = {},
): Book {
  const underlyings = market.names.filter((name) => positions.some((p) => p.underlying === name));
  const uIndex = new Map(underlyings.map((name, i) => [name, i]));
  const indexPrices = new Float64Array(underlyings.map((name) => market.get(name)!.index));
  const options_ = positions.filter((p): p is OptionPosition => p.kind === "option");
  const nOpt = options_.length;
  const nLin = positions.length - nOpt;
  const optCap = even(nOpt);
  const linCap = even(nLin);
  const opt = new Float64Array(layout.opt.cols * optCap);
  const lin = new Float64Array(layout.lin.cols * linCap);
  const tables = new Float64Array(nOpt * layout.smileNodes);
  const optionTerms: OptionTerms[] = [];
  const refs: PositionRef[] = [];
  const O = layout.opt;
  const L = layout.lin;
  const filledNodes = options.moves ? nodesRead(layout, options.moves) : undefined;
  if (filledNodes) tables.fill(NaN);
  // The nodes to fill, in increasing order (a loop: a spread of the keys costs more than the rest of a small book).
  const nodeList: number[] = [];
  for (let j = 0; j < layout.smileNodes; j++) if (!filledNodes || filledNodes[j] === 1) nodeList.push(j);
  const ks = new Float64Array(nodeList.length);
  const vols = new Float64Array(nodeList.length);

  const centre = centreNode(layout);
  for (const p of positions) {
    const curves = market.get(p.underlying)!;
    const u = uIndex.get(p.underlying)!;
    const s0 = curves.index;
    if (p.kind === "option") {
      const row = optionTerms.length;
      const t = market.yearFraction(p.expiry);
      const f = curves.forwards.forward(t);
      const k0 = log(p.strike / f);
      const size = p.contractSize ?? 1;
      const phi = p.right === "call" ? 1 : -1;
      const table = row * layout.smileNodes;
      // Sticky moneyness: under a move x the forward is F·e^x and the strike's
      // log-moneyness k0 − x, which falls as the nodes' x rise.
      for (let i = 0; i < nodeList.length; i++) ks[i] = k0 - (layout.smileXMin + nodeList[i]! / layout.smileInvStep);
      curves.smileDescending(t, ks, vols);
      for (let i = 0; i < nodeList.length; i++) tables[table + nodeList[i]!] = vols[i]!;
      opt[O.u * optCap + row] = u;
      opt[O.lnFK * optCap + row] = -k0;
      opt[O.fk * optCap + row] = f / p.strike;
      opt[O.kf * optCap + row] = p.strike / f;
      opt[O.f * optCap + row] = f;
      opt[O.k * optCap + row] = p.strike;
      opt[O.t * optCap + row] = t;
      opt[O.rate * optCap + row] = curves.rate;
      opt[O.phi * optCap + row] = phi;
      // USD value per unit of Black-76 price; an inverse option's coin premium
      // B/F is worth B·S/F dollars, and S/F is constant under proportional moves.
      opt[O.weight * optCap + row] = p.quantity * size * (p.settlement === "inverse" ? s0 / f : 1);
      opt[O.volW * optCap + row] = options.volShiftWeight ? options.volShiftWeight(t * 365, p.underlying) : 1;
      optionTerms.push({ forward: f, strike: p.strike, time: t, vol: tables[table + centre]!, rate: curves.rate, phi });
      refs.push({ kind: "option", row });
    } else {
      const row = refs.length - optionTerms.length;
      const beta = linearBeta(p, market);
      lin[L.u * linCap + row] = u;
      // Spot is worth q·S now; a future is worth 0 at today's price (PnL from now).
      lin[L.alpha * linCap + row] = p.kind === "spot" ? 0 : -beta;
      lin[L.beta * linCap + row] = beta;
      refs.push({ kind: "linear", row });
    }
  }

  const nLinAgg = underlyings.length;
  const linAgg = new Float64Array(layout.lin.cols * even(nLinAgg));
  const aggCap = even(nLinAgg);
  for (let u = 0; u < nLinAgg; u++) linAgg[L.u * aggCap + u] = u;
  for (let row = 0; row < nLin; row++) {
    const u = lin[L.u * linCap + row]!;
    linAgg[L.alpha * aggCap + u]! += lin[L.alpha * linCap + row]!;
    linAgg[L.beta * aggCap + u]! += lin[L.beta * linCap + row]!;
  }

  return {
    layout, underlyings, indexPrices, positions, refs, nOpt, optCap, opt, optionTerms, tables,
    nLin, linCap, lin, linAgg, nLinAgg, baseReady: false, ...(filledNodes ? { filledNodes } : {}),
  };
}

/** The smile node a log move reads first (it reads that node and the next), as the kernel finds it. */
export function smileNode(layout: KernelLayout, x: number): number {
  const pos = Math.min(Math.max((x - layout.smileXMin) * layout.smileInvStep, 0), layout.smileNodes - 1);
  return Math.min(Math.trunc(pos), layout.smileNodes - 2);
}

/** Refuses scenarios whose moves read smile nodes a book compiled for other moves left unfilled. */
export function assertMovesCompiled(book: Book, logMoves: Float64Array): void {
  const filled = book.filledNodes;
  if (!filled) return;
  for (const x of logMoves) {
    const j = smileNode(book.layout, x);
    if (filled[j] !== 1 || filled[j + 1] !== 1) {
      throw new InputError("scenarios.logMoves", `move ${x} was not among the moves the book was compiled for (CompileOptions.moves)`);
    }
  }
}

/** 1 at every node the moves read, and those of the zero move (base values, padding). */
function nodesRead(layout: KernelLayout, moves: ArrayLike<number>): Uint8Array {
  const filled = new Uint8Array(layout.smileNodes);
  const read = (x: number): void => {
    const j = smileNode(layout, x);
    filled[j] = filled[j + 1] = 1;
  };
  read(0);
  for (let i = 0; i < moves.length; i++) read(moves[i]!);
  filled[centreNode(layout)] = 1;
  return filled;
}

/** Smile node of the zero move: the option's vol today. */
export const centreNode = (layout: KernelLayout): number => Math.round(-layout.smileXMin * layout.smileInvStep);

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

/** Forward price a future or perpetual trades at now (perpetuals at the index). */
export function futurePrice(p: Position, market: Market): number {
  const curves = market.get(p.underlying)!;
  if (p.kind !== "future" || p.expiry === undefined) return curves.index;
  return curves.forwards.forward(market.yearFraction(p.expiry));
}
