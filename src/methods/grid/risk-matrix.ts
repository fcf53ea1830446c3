// An underlying's grid margin as Deribit's private/pme/simulate reports it, under
// Deribit's names, in the book's settlement currency, so that a user can set the
// two side by side: per-instrument risk vectors (standard: every regular move × vol
// state; extended: the weighted extended moves, before the dampener), the book's
// aggregated vectors (dampened; gains × pnl_offset) and the margin built from them.
import type { UnderlyingGridParams } from "../../model/profile.js";
import { coinPnl } from "../../risk/reduce.js";
import { dampen, type Weighing } from "./extended.js";

export interface RiskVectors {
  standard: number[];
  extended: number[];
}

export interface DeribitRiskMatrix {
  /** The currency of every figure: the coin of a coin-settled book, else USD. */
  currency: string;
  worst_case: number;
  /**
   * Where the worst case is: bucket 1…n of the regular moves from the lowest (or of the
   * extended moves in profile order), side left (down) or right (up; "center" for no move),
   * source standard or extended, index in that vector. Equal losses in one price bucket
   * are reported at the vol state with no shift, as both of Deribit's published examples do.
   */
  worst_case_bucket: { bucket: number; side: "left" | "right" | "center"; source: "standard" | "extended"; index: number };
  roll_shock: number;
  delta_shock: number;
  /** worst_case + roll_shock + delta_shock (+ the profile's short-option minimum, none at Deribit). */
  risk_matrix_margin: number;
  /** mm_factor × risk_matrix_margin. */
  maintenance_margin: number;
  /** Margin reserved for market-maker protection (profile.mmpMarginRate × the account's MMP limits). */
  mmp_margin: number;
  /** risk_matrix_margin + mmp_margin (Deribit adds open_orders_margin, which pmargin does not model). */
  initial_margin: number;
  aggregated_risk_vectors: RiskVectors;
  /** Per instrument (position id), with the grid's perPosition option. */
  initial_risk_vectors?: Record<string, RiskVectors>;
}

/** What the report reads of an underlying's grid margin (UnderlyingGridMargin). */
interface GridOutcome {
  index: number;
  reportCurrency: string;
  scenarios: readonly { move: number; vol: string; extended: boolean }[];
  pnlUsd: readonly number[];
  pnlCoin: readonly number[];
  contingencies: Record<"roll" | "deltaShock" | "shortOption", { usd: number; coin: number }> & { mmp?: { usd: number; coin: number } };
}

/** One position's inputs (with perPosition): its USD value now and its USD PnL per grid scenario. */
export interface PositionPnl {
  id: string;
  valueUsd: number;
  pnlUsd: ArrayLike<number>;
}

export function deribitRiskMatrix(m: GridOutcome, w: Weighing, p: UnderlyingGridParams, positions: PositionPnl[] | undefined, mmFactor: number): DeribitRiskMatrix {
  const inCoin = m.reportCurrency !== "USD";
  const s0 = m.index;
  const factor = inCoin ? w.coinFactor : w.usdFactor;
  const damp = inCoin ? w.coinDamp : w.usdDamp;
  const offset = p.pnlOffset ?? 0;
  const at = layoutOf(m.scenarios, p);
  const initial = positions && Object.fromEntries(positions.map((q) => [q.id, vectorsOf(inCoin ? coinRow(q, m, s0) : q.pnlUsd, at, factor)]));
  const aggregated = vectorsOf(inCoin ? m.pnlCoin : m.pnlUsd, at, factor, damp);
  const lowest = Math.min(offsetGains(aggregated.standard, offset), offsetGains(aggregated.extended, offset));
  const bucket = worstBucket(aggregated, m, p, at);
  const worst = Math.max(0, -lowest);
  const c = m.contingencies;
  const roll = inCurrency(c.roll, inCoin);
  const deltaShock = inCurrency(c.deltaShock, inCoin);
  const mmp = inCurrency(c.mmp, inCoin);
  const riskMatrix = worst + roll + deltaShock + inCurrency(c.shortOption, inCoin);
  return {
    currency: m.reportCurrency,
    worst_case: worst,
    worst_case_bucket: bucket,
    roll_shock: roll,
    delta_shock: deltaShock,
    risk_matrix_margin: riskMatrix,
    maintenance_margin: mmFactor * riskMatrix,
    mmp_margin: mmp,
    initial_margin: riskMatrix + mmp,
    aggregated_risk_vectors: aggregated,
    ...(initial ? { initial_risk_vectors: initial } : {}),
  };
}

/** Gains in `v` counted at `offset` × their size (losses as they are), in place; the lowest entry (Infinity when none). */
function offsetGains(v: number[], offset: number): number {
  let lowest = Infinity;
  for (let i = 0; i < v.length; i++) {
    v[i] = Math.min(v[i]!, 0) + offset * Math.max(v[i]!, 0);
    lowest = Math.min(lowest, v[i]!);
  }
  return lowest;
}

/** An amount in the report's currency (0 when absent). */
function inCurrency(a: { usd: number; coin: number } | undefined, inCoin: boolean): number {
  return a === undefined ? 0 : inCoin ? a.coin : a.usd;
}

/** A PnL row's standard vector (the regular scenarios' PnL) and extended one (weighted, and with `damp` dampened). */
function vectorsOf(pnl: ArrayLike<number>, at: Layout, factor: Float64Array, damp?: Float64Array): RiskVectors {
  const standard = new Array<number>(at.standardIdx.length);
  for (let i = 0; i < at.standardIdx.length; i++) standard[i] = pnl[at.standardIdx[i]!]!;
  const extended = new Array<number>(at.extendedIdx.length);
  for (let i = 0; i < at.extendedIdx.length; i++) {
    const s = at.extendedIdx[i]!;
    extended[i] = damp ? dampen(pnl[s]! * factor[s]!, damp[s]!) : pnl[s]! * factor[s]!;
  }
  return { standard, extended };
}

/** A position's PnL per scenario in coin. */
function coinRow(q: PositionPnl, m: GridOutcome, s0: number): number[] {
  const row = new Array<number>(m.scenarios.length);
  for (let s = 0; s < row.length; s++) row[s] = coinPnl(q.valueUsd, q.pnlUsd[s]!, s0, 1 + m.scenarios[s]!.move);
  return row;
}

interface Layout {
  count: number;
  standardIdx: number[];
  extendedIdx: number[];
  /** Per scenario: whether its vol state has no shift (where ties in a price bucket are reported). */
  unshocked: boolean[];
}

/** The grid's regular and extended scenarios' indices and unshocked states, found once per (frozen) scenario list. */
function layoutOf(scenarios: GridOutcome["scenarios"], p: UnderlyingGridParams): Layout {
  const key = scenarios[0];
  const known = key && Object.isFrozen(key) ? layouts.get(key) : undefined;
  if (known && known.count === scenarios.length) return known;
  const standardIdx: number[] = [];
  const extendedIdx: number[] = [];
  scenarios.forEach((sc, s) => (sc.extended ? extendedIdx : standardIdx).push(s));
  const unshocked = scenarios.map((sc) => p.volStates.some((st) => st.shift === 0 && st.name === sc.vol));
  const found = { count: scenarios.length, standardIdx, extendedIdx, unshocked };
  if (key && Object.isFrozen(key)) layouts.set(key, found);
  return found;
}
const layouts = new WeakMap<object, Layout>();

/** The lowest entry of the vectors scanned so far: its value, vector and index, and whether its vol state is unshocked. */
interface Lowest {
  value: number;
  source: "standard" | "extended";
  index: number;
  preferred: boolean;
}

/** Scans vector `from` (its scenarios `idx`) into `w`: a lower entry wins; an equal one only for an unshocked vol state in the same vector. */
function lowestOf(w: Lowest, from: Lowest["source"], xs: readonly number[], idx: readonly number[], unshocked: readonly boolean[]): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const u = unshocked[idx[i]!]!;
    if (x < w.value || (x === w.value && u && !w.preferred && from === w.source)) {
      w.value = x;
      w.source = from;
      w.index = i;
      w.preferred = u;
    }
  }
}

function worstBucket(v: RiskVectors, m: GridOutcome, p: UnderlyingGridParams, at: Layout): DeribitRiskMatrix["worst_case_bucket"] {
  const worst: Lowest = { value: Infinity, source: "standard", index: 0, preferred: false };
  lowestOf(worst, "standard", v.standard, at.standardIdx, at.unshocked);
  lowestOf(worst, "extended", v.extended, at.extendedIdx, at.unshocked);
  const { source, index } = worst;
  const sc = m.scenarios[source === "standard" ? at.standardIdx[index]! : at.extendedIdx[index]!]!;
  const side = sc.move < 0 ? "left" : sc.move > 0 ? "right" : "center";
  // The bucket of a regular move: its rank among the grid's moves from the lowest.
  let rank = 1;
  for (let i = 0; i < p.moves.length; i++) if (p.moves[i]! < sc.move) rank++;
  const bucket = source === "standard" ? rank : index + 1;
  return { bucket, side, source, index };
}
