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
  const aggregate = (x: number): number => Math.min(x, 0) + offset * Math.max(x, 0);
  const standardIdx = m.scenarios.flatMap((sc, s) => (sc.extended ? [] : [s]));
  const extendedIdx = m.scenarios.flatMap((sc, s) => (sc.extended ? [s] : []));
  const vectorsOf = (pnl: (s: number) => number, extended: (s: number, x: number) => number): RiskVectors => ({
    standard: standardIdx.map(pnl),
    extended: extendedIdx.map((s) => extended(s, pnl(s))),
  });
  const initial = positions && Object.fromEntries(positions.map((q) => [q.id, vectorsOf(
    (s) => (inCoin ? coinPnl(q.valueUsd, q.pnlUsd[s]!, s0, 1 + m.scenarios[s]!.move) : q.pnlUsd[s]!),
    (s, x) => x * factor[s]!,
  )]));
  const book = inCoin ? m.pnlCoin : m.pnlUsd;
  const aggregated = vectorsOf((s) => book[s]!, (s, x) => dampen(x * factor[s]!, damp[s]!));
  aggregated.standard = aggregated.standard.map(aggregate);
  aggregated.extended = aggregated.extended.map(aggregate);

  const bucket = worstBucket(aggregated, m, p, standardIdx, extendedIdx);
  const worst = Math.max(0, -Math.min(...aggregated.standard, ...aggregated.extended));
  const inCurrency = (a: { usd: number; coin: number } | undefined): number => (a === undefined ? 0 : inCoin ? a.coin : a.usd);
  const c = m.contingencies;
  const riskMatrix = worst + inCurrency(c.roll) + inCurrency(c.deltaShock) + inCurrency(c.shortOption);
  return {
    currency: m.reportCurrency,
    worst_case: worst,
    worst_case_bucket: bucket,
    roll_shock: inCurrency(c.roll),
    delta_shock: inCurrency(c.deltaShock),
    risk_matrix_margin: riskMatrix,
    maintenance_margin: mmFactor * riskMatrix,
    mmp_margin: inCurrency(c.mmp),
    initial_margin: riskMatrix + inCurrency(c.mmp),
    aggregated_risk_vectors: aggregated,
    ...(initial ? { initial_risk_vectors: initial } : {}),
  };
}

function worstBucket(
  v: RiskVectors, m: GridOutcome, p: UnderlyingGridParams, standardIdx: number[], extendedIdx: number[],
): DeribitRiskMatrix["worst_case_bucket"] {
  const unshocked = new Set(p.volStates.filter((s) => s.shift === 0).map((s) => s.name));
  const moves = [...p.moves].sort((a, b) => a - b);
  let best = { value: Infinity, source: "standard" as "standard" | "extended", index: 0, preferred: false };
  const offer = (value: number, source: "standard" | "extended", index: number, s: number): void => {
    const preferred = unshocked.has(m.scenarios[s]!.vol);
    if (value < best.value || (value === best.value && preferred && !best.preferred && source === best.source)) best = { value, source, index, preferred };
  };
  v.standard.forEach((x, i) => offer(x, "standard", i, standardIdx[i]!));
  v.extended.forEach((x, i) => offer(x, "extended", i, extendedIdx[i]!));
  const sc = m.scenarios[best.source === "standard" ? standardIdx[best.index]! : extendedIdx[best.index]!]!;
  const side = sc.move < 0 ? "left" : sc.move > 0 ? "right" : "center";
  const bucket = best.source === "standard" ? moves.indexOf(sc.move) + 1 : best.index + 1;
  return { bucket, side, source: best.source, index: best.index };
}
