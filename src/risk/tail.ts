/**
 * Tail statistics of a Monte Carlo loss sample: value at risk, expected
 * shortfall, their uncertainty, a histogram and the worst paths.
 *
 * Conventions. Losses are L = −PnL, one per path, n paths; L(1) ≤ … ≤ L(n)
 * is the sample sorted ascending (ranks 1-based).
 *
 * - VaR_α = L(k) with k = ⌈n·α⌉: the lower empirical α-quantile, the smallest
 *   loss with at least a fraction α of the paths at or below it. n·α within
 *   1e-9 (relative) of a whole number counts as whole, so floating error cannot
 *   move k up by one (1000 · 0.99 is 990, not 991).
 * - ES_α (Acerbi & Tasche 2002, coherent):
 *   ES_α = [ Σ_{i>k} L(i) + (k − n·α)·L(k) ] / (n·(1 − α)).
 *   When n·α is whole this is the mean of the n·(1 − α) largest losses; when it
 *   is not, L(k) enters with the fraction of a path that lies beyond α. It is
 *   computed as VaR_α + Σ_{i>k} (L(i) − VaR_α) / (n·(1 − α)), the same number,
 *   which cannot round below VaR_α; n·(1 − α) is taken as n − n·α.
 * - VaR uncertainty: a distribution-free 95% interval from order statistics,
 *   [L(k_lo), L(k_hi)] with k_lo, k_hi = ⌈n·α ∓ 1.96·√(n·α·(1 − α))⌉ clamped to
 *   [1, n] (the normal approximation to the binomial count of losses below the
 *   true quantile), and standard error (L(k_hi) − L(k_lo)) / (2·1.96).
 * - ES uncertainty: the asymptotic standard error
 *   √( (Var(L | L ≥ VaR_α) + α·(ES_α − VaR_α)²) / (n·(1 − α)) )
 *   (Brazauskas, Jones, Puri & Zitikis 2008; Yamai & Yoshiba 2002), where the
 *   variance is the plug-in variance (divided by the count) of L(k), …, L(n);
 *   ci95 = ES ± 1.96·SE.
 *
 * Worked example, losses 1, 2, …, 10 (n = 10):
 *
 *   α = 0.9:  n·α = 9, k = 9     VaR = L(9) = 9
 *             ES = (L(10) + 0·L(9)) / 1            = 10
 *   α = 0.85: n·α = 8.5, k = 9   VaR = L(9) = 9
 *             ES = (L(10) + 0.5·L(9)) / 1.5 = 14.5 / 1.5 = 9.667
 *   VaR_0.9 interval: 1.96·√(10·0.9·0.1) = 1.86, ranks ⌈7.14⌉ = 8 and
 *             ⌈10.86⌉ = 11 → 10, so [8, 10] and SE = 2 / 3.92 = 0.51.
 *
 * The order statistics come from selection, not a sort: every rank needed
 * (k, k_lo, k_hi of every level) is selected on one working copy, smallest
 * first, each later selection confined to the part right of the previous
 * rank, which holds the upper tail intact. For tail levels the first
 * selection costs O(n) and the rest O(n·(1 − α)). A Selector runs the same
 * code on the WASM kernel or on the JS reference.
 */
import type { Selector } from "../engine/select.js";
import { expectObject, InputError } from "../errors.js";
import { jsSelector } from "../reference/select.js";
import { MAX_BINS } from "../model/montecarlo.js";
import { radixOrder, sortAscending } from "./order.js";

export interface TailEstimate {
  level: number;
  value: number;
  standardError: number;
  ci95: [number, number];
}

export interface TailRisk {
  paths: number;
  var: TailEstimate[];
  es: TailEstimate[];
}

const Z95 = 1.96;

/** x, or the whole number within 1e-9 (relative) of it: undoes rounding error in n·α. */
function snap(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-9 * Math.abs(x) ? r : x;
}

const ceilRank = (x: number): number => Math.ceil(snap(x));

/**
 * ES_α's 1-based rank k = ⌈nα⌉ and nα itself (rounding error undone): the ES
 * weighs L(k) by (k − nα) and every larger loss by 1, over n(1 − α).
 */
export function esRank(n: number, alpha: number): { k: number; na: number } {
  const na = snap(n * alpha);
  return { k: ceilRank(na), na };
}

function checkLosses(losses: Float64Array, field: string): void {
  if (losses.length < 1) throw new InputError(field, "at least one loss is needed");
  for (let i = 0; i < losses.length; i++) {
    if (!Number.isFinite(losses[i])) throw new InputError(`${field}[${i}]`, `must be finite, got ${losses[i]}`);
  }
}

function checkLevels(levels: number[], field: string): void {
  if (!Array.isArray(levels)) throw new InputError(field, "must be an array of levels in (0, 1)");
  levels.forEach((a, i) => {
    if (!(typeof a === "number" && a > 0 && a < 1)) throw new InputError(`${field}[${i}]`, `must be in (0, 1), got ${a}`);
  });
}

/** The 1-based ranks VaR_α needs: k and the bounds of its 95% interval. */
function varRanks(n: number, alpha: number): { k: number; lo: number; hi: number } {
  const na = snap(n * alpha);
  const half = Z95 * Math.sqrt(na * (1 - alpha));
  const clamp = (r: number): number => Math.min(n, Math.max(1, r));
  return { k: ceilRank(na), lo: clamp(ceilRank(na - half)), hi: clamp(ceilRank(na + half)) };
}

/**
 * How many of the largest losses of n every statistic at `levels` reads: from
 * the lowest rank any of them needs (a VaR interval's lower bound, an ES's k) up.
 */
export function tailCount(n: number, levels: { var: number[]; es: number[] }): number {
  const ranks = [...levels.var.map((a) => varRanks(n, a).lo), ...levels.es.map((a) => ceilRank(n * a))];
  return ranks.length === 0 ? 0 : n - Math.min(...ranks) + 1;
}

/**
 * The `count` largest of `losses` (all if count ≥ n), ascending in Float64Array
 * order: one selection on the selector's copy, then a sort of those alone.
 */
export function largest(losses: Float64Array, count: number, selector: Selector): Float64Array {
  checkLosses(losses, "losses");
  const n = losses.length;
  const want = Math.min(count, n);
  if (want === 0) return new Float64Array(0);
  selector.load(losses);
  selector.select(0, n - 1, n - want);
  return sortAscending(selector.view().slice(n - want));
}

/**
 * The `count` largest of the whole from each part's `count` largest (ascending, as
 * `largest` gives them): the same array whatever the split. Merged from the top.
 */
export function mergeLargest(parts: readonly Float64Array[], count: number): Float64Array {
  const out = new Float64Array(Math.min(count, parts.reduce((a, p) => a + p.length, 0)));
  if (parts.length === 1) return (out.set(parts[0]!.subarray(parts[0]!.length - out.length)), out);
  const at = parts.map((p) => p.length - 1);
  for (let i = out.length - 1; i >= 0; i--) {
    let best = -1, top = 0;
    for (let j = 0; j < parts.length; j++) {
      const a = at[j]!;
      if (a < 0) continue;
      const x = parts[j]![a]!;
      if (best < 0 || before(top, x)) {
        best = j;
        top = x;
      }
    }
    out[i] = top;
    at[best]!--;
  }
  return out;
}

/** a sorts before b in Float64Array order, where −0 comes before +0. */
const before = (a: number, b: number): boolean => a < b || (a === 0 && b === 0 && 1 / a < 0 && 1 / b > 0);

/**
 * VaR and ES at the given levels with standard errors and 95% intervals (see
 * the module doc for the conventions). `losses` is not modified: the selector
 * works on its own copy.
 */
export function tailRisk(losses: Float64Array, levels: { var: number[]; es: number[] }, selector: Selector): TailRisk {
  if (!(losses instanceof Float64Array)) throw new InputError("losses", "must be a Float64Array of losses");
  expectObject(levels, "levels", "{ var: [...], es: [...] }");
  if (typeof selector?.load !== "function" || typeof selector.select !== "function" || typeof selector.view !== "function") {
    throw new InputError("selector", "must be a Selector (backend.selector())");
  }
  checkLevels(levels.var, "levels.var");
  checkLevels(levels.es, "levels.es");
  return tailRiskOfLargest(largest(losses, tailCount(losses.length, levels), selector), losses.length, levels);
}

/**
 * tailRisk from the tailCount(n, levels) largest of n losses, ascending: all it
 * reads. Computed in their sorted order, so parts of the losses summarised apart
 * (mergeLargest) give the same bits as the whole.
 */
export function tailRiskOfLargest(top: Float64Array, n: number, levels: { var: number[]; es: number[] }): TailRisk {
  const offset = n - top.length;
  const L = (rank: number): number => top[rank - 1 - offset]!;

  const vars = levels.var.map((level): TailEstimate => {
    const { k, lo, hi } = varRanks(n, level);
    return { level, value: L(k), standardError: (L(hi) - L(lo)) / (2 * Z95), ci95: [L(lo), L(hi)] };
  });

  const es = levels.es.map((level): TailEstimate => {
    const { k, na } = esRank(n, level);
    const varValue = L(k);
    // One pass over L(k) … L(n) in excesses over VaR: their sum gives ES in the
    // form VaR + Σ_{i>k} (L(i) − VaR) / (n·(1 − α)), equal to the definition and
    // never below VaR in floating point; Welford's update gives their variance.
    let mean = 0, m2 = 0, excess = 0;
    for (let rank = k, count = 1; rank <= n; rank++, count++) {
      const x = L(rank) - varValue;
      const d = x - mean;
      mean += d / count;
      m2 += d * (x - mean);
      excess += x;
    }
    const tailWeight = n - na;
    const shortfall = excess / tailWeight;
    const value = varValue + shortfall;
    const variance = m2 / (n - k + 1);
    const se = Math.sqrt((variance + level * shortfall ** 2) / tailWeight);
    return { level, value, standardError: se, ci95: [value - Z95 * se, value + Z95 * se] };
  });

  return { paths: n, var: vars, es };
}

/**
 * Equal-width histogram over [min, max]: bin i holds edges[i] ≤ L < edges[i+1],
 * the last bin also L = max. An all-equal sample gives one bin [v, v] holding
 * every path.
 */
export function histogram(losses: Float64Array | readonly Float64Array[], bins: number): { edges: number[]; counts: number[] } {
  // Parts (workers' ranges) count into the same bins as their whole would.
  const parts = losses instanceof Float64Array ? [losses] : losses;
  if (!Array.isArray(parts) || !parts.every((p) => p instanceof Float64Array)) throw new InputError("losses", "must be a Float64Array of losses, or an array of them");
  if (parts.every((p) => p.length === 0)) throw new InputError("losses", "at least one loss is needed");
  // [min, max, whether every loss is finite] over the parts.
  const range = new Float64Array([Infinity, -Infinity, 1]);
  let n = 0;
  for (const part of parts) {
    n += part.length;
    rangeInto(part, range);
  }
  const min = range[0]!, max = range[1]!, finite = range[2] === 1;
  if (!finite) parts.forEach((p, j) => p.length > 0 && checkLosses(p, parts.length === 1 ? "losses" : `losses[${j}]`));
  if (!Number.isInteger(bins) || bins < 1 || bins > MAX_BINS) throw new InputError("bins", `must be a whole number within 1..${MAX_BINS}, got ${bins}`);
  if (min === max) return { edges: [min, max], counts: [n] };
  const span = max - min;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + (span * i) / bins));
  // Whole-number counts: an f64 counter's add would chain its latency through equal bins.
  const counts = new Uint32Array(bins);
  for (const part of parts) countInto(part, counts, Float64Array.from(edges), min, bins / span);
  return { edges, counts: Array.from(counts) };
}

/**
 * Widens `range` ([min, max, 1 while every value is finite]) by the values of `part`. Its
 * own function, as countInto: a loop in a function called once per run would run in
 * V8's interpreter (or code it keeps leaving) instead of optimised code.
 */
function rangeInto(part: Float64Array, range: Float64Array): void {
  let min = range[0]!, max = range[1]!, finite = range[2] === 1;
  for (let i = 0; i < part.length; i++) {
    const x = part[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
    // x − x is 0 unless x is NaN or infinite; the range and the check in one pass.
    if (x - x !== 0) finite = false;
  }
  range[0] = min;
  range[1] = max;
  range[2] = finite ? 1 : 0;
}

/** Adds each loss of `part` to its bin of `counts` (the bins' `edges`, from `min`, `scale` bins per unit). */
function countInto(part: Float64Array, counts: Uint32Array, edges: Float64Array, min: number, scale: number): void {
  const last = counts.length - 1;
  for (let i = 0; i < part.length; i++) {
    const x = part[i]!;
    // (x − min)·scale lies in [0, bins]: truncation is its floor.
    let b = Math.min(last, ((x - min) * scale) | 0);
    // The division can round across an edge: settle on the edges as reported.
    if (x < edges[b]!) b--;
    else if (b < last && x >= edges[b + 1]!) b++;
    counts[b]!++;
  }
}

/**
 * Path indices of the `count` largest losses (all of them if count ≥ n),
 * largest first, equal losses by lower index. Selects the threshold on a copy,
 * then scans `losses`, which is left as it was.
 */
export function worstIndices(losses: Float64Array, count: number, selector: Selector = jsSelector()): Float64Array {
  checkLosses(losses, "losses");
  if (!Number.isInteger(count) || count < 0) throw new InputError("count", `must be a whole number ≥ 0, got ${count}`);
  const n = losses.length;
  const want = Math.min(count, n);
  if (want === 0) return new Float64Array(0);
  selector.load(losses);
  selector.select(0, n - 1, n - want);
  const threshold = selector.view()[n - want]!;
  // Fewer than `want` losses exceed the threshold; the rest of the places go to
  // the losses equal to it, lowest indices first.
  let above = 0;
  for (let i = 0; i < n; i++) if (losses[i]! > threshold) above++;
  let equalPlaces = want - above;
  const picked = new Float64Array(want), values = new Float64Array(want);
  for (let i = 0, p = 0; i < n; i++) {
    const x = losses[i]!;
    if (x > threshold || (x === threshold && equalPlaces-- > 0)) {
      picked[p] = i;
      values[p++] = x;
    }
  }
  // Picked in index order, so a stable order by loss puts equal losses by lower index.
  const order = radixOrder(values, true, true);
  const out = new Float64Array(want);
  for (let r = 0; r < want; r++) out[r] = picked[order[r]!]!;
  return out;
}

/** Some scenarios' losses, in worstIndices order (largest first, ties lower index first): typed arrays, moved between threads as bytes. */
export interface WorstLosses {
  indices: Float64Array;
  losses: Float64Array;
}

/**
 * The `count` largest losses of several lists, each in worstIndices order, in that
 * order: when each list holds its part's `count` worst, this is worstIndices of the
 * whole, which is how workers that each saw some scenarios find the overall tail.
 */
export function mergeWorst(lists: readonly WorstLosses[], count: number): WorstLosses {
  const at = lists.map(() => 0);
  // As many as asked (a fraction rounds up, NaN is none), or all there are; filled, not pushed.
  const m = Math.max(0, Math.min(Math.ceil(count), lists.reduce((a, l) => a + l.indices.length, 0)) || 0);
  const out: WorstLosses = { indices: new Float64Array(m), losses: new Float64Array(m) };
  for (let i = 0; i < m; i++) {
    let best = -1, bestLoss = 0, bestIndex = 0;
    for (let j = 0; j < lists.length; j++) {
      const l = lists[j]!, a = at[j]!;
      if (a >= l.indices.length) continue;
      const x = l.losses[a]!, index = l.indices[a]!;
      if (best < 0 || x > bestLoss || (x === bestLoss && index < bestIndex)) {
        best = j;
        bestLoss = x;
        bestIndex = index;
      }
    }
    out.indices[i] = bestIndex;
    out.losses[i] = bestLoss;
    at[best]!++;
  }
  return out;
}
