// Scenario-grid (risk-matrix) margin: per underlying, the worst weighted loss over
// a grid of price moves × vol shocks with full revaluation by the kernel, plus
// contingencies; single-position and portfolio margin side by side.
import { assertBackend, type Backend, type WorstLosses } from "../../engine/backend.js";
import { futurePrice, type Book, type CompileOptions } from "../../engine/book.js";
import { ScenarioSet } from "../../engine/scenarios.js";
import { expectObject, InputError, own, refuseUnknownKeys } from "../../errors.js";
import { log } from "../../math/deterministic.js";
import { assertMarket, type Market } from "../../market/market.js";
import { isCoinSettled, type MmpSetting, type Position } from "../../model/types.js";
import { coinPnl } from "../../risk/reduce.js";
import { usdValuesAndDeltas, valueBook, type PositionValue } from "../valuation.js";
import type { MarginProfile, RollShock, UnderlyingGridParams, VolTermScaling } from "../../model/profile.js";
import { extendedWeight, priceRange, weighing, type Weighing } from "./extended.js";
import { compiledOnce } from "./compiled.js";
import { deribitRiskMatrix, type DeribitRiskMatrix } from "./risk-matrix.js";
import { checkedProfile } from "../../schema/profile.js";
import { checkedPositions, isFrozenBook, positionsOn } from "../../market/positions.js";
import { Recent } from "../../model/recent.js";
import { withScratch, type Take } from "../scratch.js";

/** One cell of an underlying's risk matrix. */
export interface GridScenario {
  underlying: string;
  /** Simple return of the underlying (−0.16 = −16%). */
  move: number;
  /** Name of the vol state (profile.volStates[].name). */
  vol: string;
  /** Weight its loss counts at: 1 for regular moves, < 1 for extended ones. */
  weight: number;
  extended: boolean;
}

/** An amount in USD and in the underlying's coin (at today's index). */
export interface Amount {
  usd: number;
  coin: number;
  /** The coin of `coin`. */
  currency: string;
}

export interface Contingencies {
  shortOption: Amount;
  roll: Amount;
  deltaShock: Amount;
  /** With a profile's mmpMarginRate: market-maker-protection margin (× the MMP limits), in initial margin only. */
  mmp?: Amount;
  /** How much the floors (minimum delta requirement, minimum) added. */
  minimum: Amount;
}

export interface UnderlyingGridMargin {
  underlying: string;
  index: number;
  /** Net delta of the underlying's positions, coins. */
  netDelta: number;
  /** The positions' value now, USD (options at their premium, futures at their PnL against entryPrice, spot at its value). */
  valueUsd: number;
  /** The currency the venue would report in: the coin when every position here is coin-settled, else USD. */
  reportCurrency: string;
  /** Worst weighted loss over the grid (≥ 0), measured in reportCurrency, and the scenario that gives it. */
  worstLoss: Amount;
  worstScenario: GridScenario | null;
  contingencies: Contingencies;
  initial: Amount;
  maintenance: Amount;
  /** Sum of the positions' single-position initial margins. */
  standalone: Amount;
  /** The grid, each scenario frozen (every result under the same profile shares them). */
  scenarios: GridScenario[];
  /** Portfolio PnL of each scenario (unweighted), USD and coin. */
  pnlUsd: number[];
  pnlCoin: number[];
  /** With perPosition: each position's PnL per scenario, USD. */
  positions?: { id: string; pnlUsd: number[] }[];
  /** With a profile that reports as Deribit: the figures of Deribit's private/pme/simulate, under its names. */
  deribit?: DeribitRiskMatrix;
  /**
   * With a profile's settlementBooks "separate" and both kinds held: the coin-settled book's
   * margin and the USD-settled book's, which this entry sums (its worst scenario is the
   * larger book's; its PnL vectors are the two books' USD and coin sums).
   */
  settlements?: UnderlyingGridMargin[];
}

export interface GridMarginResult {
  profile: string;
  /** Portfolio totals in USD. */
  currency: "USD";
  initial: number;
  maintenance: number;
  standalone: number;
  /** standalone − initial: what portfolio margining saves. */
  offsetBenefit: number;
  /** SPAN-style inter-underlying credit subtracted from the sum (0 with "sum"). */
  spreadCredit: number;
  underlyings: UnderlyingGridMargin[];
}

export interface GridOptions {
  profile: MarginProfile;
  /** Also return each position's PnL per scenario (the per-position risk matrix). */
  perPosition?: boolean;
  /**
   * "USD" measures every underlying's PnL in USD. By default an all coin-settled book is
   * measured in its coin, as the venue does; an account whose equity is in USD, with coin
   * collateral, must be measured in USD or the collateral's fall would never count.
   */
  measureIn?: "venue" | "USD";
  /** The account's market-maker-protection settings (Portfolio.mmp), for a profile with an mmpMarginRate. */
  mmp?: readonly MmpSetting[];
}

const GRID_OPTIONS: readonly (keyof GridOptions)[] = ["profile", "perPosition", "measureIn", "mmp"];

/** A profile's parameters for one underlying: its overrides merged over the defaults. */
export function paramsFor(profile: MarginProfile, underlying: string): UnderlyingGridParams {
  let byName = mergedParams.get(profile);
  if (!byName) mergedParams.set(profile, (byName = new Map()));
  let p = byName.get(underlying);
  if (!p) byName.set(underlying, (p = Object.freeze({ ...profile.defaults, ...own(profile.underlyings, underlying) })));
  return p;
}
/** Merged once per profile object and underlying (frozen: every caller shares them). */
const mergedParams = new WeakMap<MarginProfile, Map<string, UnderlyingGridParams>>();

/** Weight of a vol shock for an option `days` from expiry: (ref / max(days, min))^p. */
export function termWeight(s: VolTermScaling | undefined, days: number): number {
  if (!s) return 1;
  return (s.refDays / Math.max(days, s.minDays)) ** (days < s.refDays ? s.shortPower : s.longPower);
}

/** The grid of one underlying: regular moves × vol states, then the extended moves. */
export function gridScenarios(underlying: string, p: UnderlyingGridParams): GridScenario[] {
  const regular = p.moves.flatMap((move) => p.volStates.map((v) => ({ underlying, move, vol: v.name, weight: 1, extended: false })));
  const extended = p.extended.map((e) => ({ underlying, move: e.move, vol: e.vol ?? p.volStates[0]!.name, weight: extendedWeight(p, e), extended: true }));
  return [...regular, ...extended];
}

/**
 * Scenario-grid margin of a portfolio under a profile.
 *
 * @example
 * ```ts
 * import { builtInProfile, createEngine, gridMargin, prepareInputs } from "pmargin";
 * const { portfolio, market } = prepareInputs(portfolioJson, marketJson);
 * const margin = gridMargin(await createEngine(), portfolio.positions, market, { profile: builtInProfile("deribit") });
 * margin.initial; // USD, as margin.currency says
 * ```
 */
export function gridMargin(backend: Backend, positions: readonly Position[], market: Market, options: GridOptions): GridMarginResult {
  assertBackend(backend);
  assertMarket(market);
  expectObject(options, "options", "{ profile, ... }");
  refuseUnknownKeys(options, GRID_OPTIONS, "options");
  const checked = { ...options, profile: checkedProfile(options.profile, "options.profile") };
  const book = checkedPositions(positions, market);
  return combineInMarketOrder(checked.profile, market, (u) => heldUnderlyingMargin(backend, book, u, market, checked));
}

/** The grid margin of the book's positions on `u`; undefined if it holds none. */
export function heldUnderlyingMargin(backend: Backend, positions: readonly Position[], u: string, market: Market, options: GridOptions): UnderlyingGridMargin | undefined {
  const mine = positionsOn(positions, u);
  return mine.length > 0 ? underlyingMargin(backend, mine, u, market, options) : undefined;
}

/**
 * The portfolio's grid margin from each underlying's, taken in market order
 * (`undefined`: the book holds none of it). Every caller that re-measures only
 * some underlyings combines through here, so its result is gridMargin()'s bit for bit.
 */
export function combineInMarketOrder(profile: MarginProfile, market: Market, marginOf: (u: string) => UnderlyingGridMargin | undefined): GridMarginResult {
  return combineGridMargins(profile, market.names.map(marginOf).filter((m): m is UnderlyingGridMargin => m !== undefined));
}

/** Positions of a batch compiled and revalued together, at most (fewer when the backend's limits say so). */
const UNION_POSITIONS = 4_096;

/**
 * The grid margins of many books on one market, each gridMargin()'s bit for bit. Per
 * underlying the books' (or, under separate settlement books, their settlement books')
 * positions are compiled and revalued together, in slices of up to UNION_POSITIONS, and each
 * book measured from its positions' rows: a batch of small accounts pays the compile's and the
 * kernel call's fixed costs once a slice, not once an account.
 *
 * @example
 * ```ts
 * import { gridMargins } from "pmargin/parallel";
 * const margins = gridMargins(engine, accounts.map((a) => a.positions), market, { profile: builtInProfile("deribit") });
 * margins[0]!.initial; // USD: gridMargin(engine, accounts[0].positions, market, …).initial, bit for bit
 * ```
 */
export function gridMargins(backend: Backend, books: readonly (readonly Position[])[], market: Market, options: GridOptions): GridMarginResult[] {
  return byBook(backend, books, market, options, FULL, combineGridMargins);
}

/** gridMargins' initial and maintenance margins and spread credit alone (what a batch reports): the same bits, without building the rest. */
export function gridHeadlines(backend: Backend, books: readonly (readonly Position[])[], market: Market, options: GridOptions): ReturnType<typeof headlineTotals>[] {
  return byBook(backend, books, market, options, HEADLINE, headlineTotals);
}

/** Each book's result: its underlyings' (by `measure`, together with the other books') combined in market order. */
function byBook<T extends UnderlyingHeadline, R>(
  backend: Backend, books: readonly (readonly Position[])[], market: Market, options: GridOptions, measure: Measure<T>, combine: (profile: MarginProfile, underlyings: T[]) => R,
): R[] {
  assertBackend(backend);
  assertMarket(market);
  if (!Array.isArray(books)) throw new InputError("books", "must be an array of books (arrays of positions)");
  expectObject(options, "options", "{ profile, ... }");
  refuseUnknownKeys(options, GRID_OPTIONS, "options");
  const checked = { ...options, profile: checkedProfile(options.profile, "options.profile") };
  const all = books.map((b, i) => checkedPositions(b, market, `books[${i}]`));
  const { names } = market;
  // Each book's positions on each underlying (market order), in one pass: a batch sees each book once.
  const on = all.map((b) => {
    const mine = names.map((): Position[] => []);
    for (const q of b) mine[market.index(q.underlying)]!.push(q);
    return mine;
  });
  const byUnderlying = names.map((u, j) => underlyingMargins(backend, on.map((mine) => mine[j]!), u, market, checked, measure));
  return all.map((_, i) => {
    const held: T[] = [];
    for (const margins of byUnderlying) if (margins[i] !== undefined) held.push(margins[i]!);
    return combine(checked.profile, held);
  });
}

/** What a headline reads of an underlying's margin (an UnderlyingGridMargin is one). */
interface UnderlyingHeadline {
  underlying: string;
  index: number;
  netDelta: number;
  initial: { usd: number };
  contingencies: { mmp?: { usd: number } };
}

/** How a union's books are measured: each member from its rows and reduction, a book's settlement books together, and a book margined alone. */
interface Measure<T extends UnderlyingHeadline> {
  member(m: UnionMember, u: string, revalued: Pick<Revalued, "rows" | "values" | "deltas">, reduced: Reduced): T;
  together(parts: T[], groups: readonly SettlementGroup[], n: number, u: string, options: GridOptions): T;
  alone(backend: Backend, positions: readonly Position[], u: string, market: Market, options: GridOptions): T;
}

const FULL: Measure<UnderlyingGridMargin> = {
  member: (m, u, revalued, reduced) => marginOf(m.positions, u, m.options, m.terms, revalued, reduced),
  together: settlementsTogether,
  alone: underlyingMargin,
};

const HEADLINE: Measure<UnderlyingHeadline> = {
  member: (m, u, { deltas }, reduced) => {
    const r = requirementOf(m.positions, u, m.options, m.terms, deltas, reduced);
    return { underlying: u, index: m.terms.s0, netDelta: r.netDelta, initial: { usd: r.initialUsd }, contingencies: m.terms.p.mmpMarginRate ? { mmp: { usd: r.mmpUsd } } : {} };
  },
  together: (parts, _groups, _n, u, options) => {
    const p = paramsFor(options.profile, u);
    const s0 = parts[0]!.index;
    const mmpUsd = mmpCharge(options.mmp, u, p, s0);
    return { underlying: u, index: s0, netDelta: sumOf(parts, (m) => m.netDelta), initial: { usd: settledInitial(parts, mmpUsd) }, contingencies: p.mmpMarginRate ? { mmp: { usd: mmpUsd } } : {} };
  },
  alone: underlyingMargin,
};

/** Each book's margin on `u` (undefined: it holds none), as heldUnderlyingMargin gives it, from revaluations of slices of their union. */
function underlyingMargins<T extends UnderlyingHeadline>(
  backend: Backend, books: readonly (readonly Position[])[], u: string, market: Market, options: GridOptions, measure: Measure<T>,
): (T | undefined)[] {
  const out = new Array<T | undefined>(books.length);
  const nScenarios = gridPlan(options.profile, u, []).scenarios.length;
  const most = Math.min(UNION_POSITIONS, backend.limits.positions, Math.floor(backend.limits.perPositionCells / nScenarios));
  // The slice gathered so far: its positions, its plan (its first unit's), its units and the books they make.
  let positions: Position[] = [];
  let plan: GridPlan | undefined;
  let units: { unit: Unit; offset: number }[] = [];
  let owners: { index: number; units: number; combine: (parts: T[]) => T }[] = [];
  const flush = (): void => {
    if (positions.length === 0) return;
    const all = compileOn(backend, positions, market, plan!);
    const members = units.map(({ unit, offset }): UnionMember => {
      const at = unit.at.map((k) => offset + k);
      return { at, positions: unit.positions, options: unit.options, terms: termsIn(all, at, unit.positions, unit.plan) };
    });
    const parts = measuredFromUnion(backend, all, market, u, members, measure.member);
    let k = 0;
    for (const o of owners) out[o.index] = o.combine(parts.slice(k, (k += o.units)));
    [positions, plan, units, owners] = [[], undefined, [], []];
  };
  books.forEach((mine, i) => {
    if (mine.length === 0) return;
    const mineUnits = unitsOf(mine, u, options);
    const first = mineUnits[0]!.plan;
    // A book too large for a slice, or whose settlement books revalue differently, is margined alone.
    if (mine.length > most || !mineUnits.every((x) => revaluesAlike(first, x.plan))) {
      out[i] = measure.alone(backend, mine, u, market, options);
      return;
    }
    if (positions.length + mine.length > most || (plan && !revaluesAlike(plan, first))) flush();
    const offset = positions.length;
    for (const q of mine) positions.push(q);
    plan ??= first;
    for (const unit of mineUnits) units.push({ unit, offset });
    const groups = mineUnits.map((x) => x.group!);
    owners.push({ index: i, units: mineUnits.length, combine: (parts) => (parts.length === 1 ? parts[0]! : measure.together(parts, groups, mine.length, u, options)) });
  });
  flush();
  return out;
}

/** A book, or one of its settlement books, as a union measures it: its positions, their indices in the book, its plan and options. */
interface Unit {
  positions: readonly Position[];
  at: readonly number[];
  plan: GridPlan;
  options: GridOptions;
  group?: SettlementGroup;
}

/** A book's units on `u`: its settlement books under separate settlement books when it holds both kinds, else itself. */
function unitsOf(mine: readonly Position[], u: string, options: GridOptions): Unit[] {
  const { profile } = options;
  // A batch sees each book once: nothing of it is kept.
  const groups = profile.settlementBooks === "separate" ? groupsBySettlement(mine, false) : [];
  if (groups.length < 2) return [{ positions: mine, at: mine.map((_, k) => k), plan: gridPlan(profile, u, mine), options }];
  const alone = settlementBookOptions(options);
  return groups.map((g) => ({ positions: g.positions, at: g.at, plan: groupPlan(g, alone.profile, u), options: alone, group: g }));
}

/** How a settlement book is margined: as a book of its own (settlement books "together"), its MMP margin left to the underlying's. */
function settlementBookOptions({ profile, perPosition, measureIn }: GridOptions): GridOptions {
  return { profile: togetherOf(profile), ...(perPosition ? { perPosition } : {}), ...(measureIn ? { measureIn } : {}) };
}

/** The portfolio's grid margin from its underlyings' (in market order). */
function combineGridMargins(profile: MarginProfile, underlyings: UnderlyingGridMargin[]): GridMarginResult {
  const { initial, maintenance, spreadCredit } = headlineTotals(profile, underlyings);
  const standalone = underlyings.reduce((a, m) => a + m.standalone.usd, 0);
  return { profile: profile.name, currency: "USD", initial, maintenance, standalone, offsetBenefit: standalone - initial, spreadCredit, underlyings };
}

/** The portfolio's initial and maintenance margin from its underlyings' (in market order), and the spread credit taken off. */
function headlineTotals(profile: MarginProfile, underlyings: readonly UnderlyingHeadline[]): { initial: number; maintenance: number; spreadCredit: number } {
  const sum = underlyings.reduce((a, m) => a + m.initial.usd, 0);
  const spreadCredit = interUnderlyingCredit(profile, underlyings);
  const initial = sum - spreadCredit;
  // Maintenance leaves out the margin reserved for market-maker protection.
  const mmp = underlyings.reduce((a, m) => a + (m.contingencies.mmp?.usd ?? 0), 0);
  return { initial, maintenance: profile.mmFactor * (initial - mmp), spreadCredit };
}

/**
 * One underlying's grid: its positions compiled alone and revalued under its own
 * scenarios only (the others do not move there, so they need no evaluation).
 * Underlyings are independent until combined, which is what lets a live engine
 * recompute just the one that changed.
 */
export function underlyingMargin(backend: Backend, positions: readonly Position[], u: string, market: Market, options: GridOptions): UnderlyingGridMargin {
  return measuredUnderlying(backend, positions, u, market, options, false).margin;
}

/** underlyingMargin, with each position's value and Greeks now, found on the way. */
export function valuedUnderlyingMargin(
  backend: Backend, positions: readonly Position[], u: string, market: Market, options: GridOptions,
): { margin: UnderlyingGridMargin; values: PositionValue[] } {
  const { margin, values } = measuredUnderlying(backend, positions, u, market, options, true);
  return { margin, values: values! };
}

/** underlyingMargin, and with `withValues` each position's valuation (valueBook's). */
function measuredUnderlying(
  backend: Backend, positions: readonly Position[], u: string, market: Market, options: GridOptions, withValues: boolean,
): { margin: UnderlyingGridMargin; values?: PositionValue[] } {
  const { profile } = options;
  if (profile.settlementBooks === "separate") {
    const groups = settlementGroups(positions);
    if (groups.length > 1) return separateSettlements(backend, positions, groups, u, market, options, withValues);
  }
  const compiled = compiledOnce(backend, market, u, profile, positions, () => compileGrid(backend, positions, u, market, profile));
  return withScratch(backend, (take) => {
    const r = revalueGrid(backend, compiled, market, withValues, take);
    const margin = marginOf(positions, u, options, compiled, r, reducedBook(backend, compiled, r, take(4 * (positions.length + 1))));
    return r.valued ? { margin, values: r.valued } : { margin };
  });
}

/**
 * A book revalued on its grid: each position's row (input order), USD value and delta, with
 * withValues its valuation, and room for more rows right after the rows (the PnL of the books
 * measured from it, so that the reduction copies them all in one piece).
 */
interface Revalued {
  rows: Float64Array[];
  values: readonly number[];
  deltas: readonly number[];
  valued?: PositionValue[];
  spare: Float64Array;
}

function revalueGrid(backend: Backend, c: CompiledGrid, market: Market, withValues: boolean, take: Take, spareRows = 1): Revalued {
  const count = c.scenarios.length;
  const cells = (1 + c.book.positions.length) * count;
  const block = take(cells + spareRows * count);
  const rows = backend.revalue(c.book, c.set, { reduce: "rows", into: block.subarray(0, cells) }).positions!;
  // The margin reads each position's USD value and delta; the whole valuation only when asked for.
  const valued = withValues ? valueBook(backend, c.book, market).positions : undefined;
  const { valueUsd: values, delta: deltas } = valued
    ? { valueUsd: valued.map((v) => v.valueUsd), delta: valued.map((v) => v.delta) }
    : (c.now ??= usdValuesAndDeltas(c.book, market, backend.optionPricesAndDeltas(c.book)));
  return { rows, values, deltas, ...(valued ? { valued } : {}), spare: block.subarray(cells) };
}

/** A book's rows reduced: its PnL per scenario and value now, and the worst losses of each position (row terms.rowOf[k]) and of the book (row `bookRow`). */
interface Reduced {
  pnl: Float64Array;
  v0: number;
  losses: WorstLosses;
  bookRow: number;
}

/** A book's own reduction: its PnL summed into `r.spare`, then its rows and PnL in one call of the reduction kernel, into `lossesInto` (4 × (positions + 1)). */
function reducedBook(backend: Backend, t: CompiledGrid, r: Revalued, lossesInto: Float64Array): Reduced {
  const { losses, pnls, v0s } = reducedWith(backend, t, r, [r], [0], t.weighed, lossesInto);
  return { pnl: pnls[0]!, v0: v0s[0]!, losses, bookRow: r.rows.length };
}

/**
 * The rows of a revaluation of `t` reduced in one call of the reduction kernel: its rows in the
 * kernel's order (one block, copied in one piece), then each book's PnL (its positions' rows
 * summed in input order, into spare row `spare[i]`) and value now.
 */
function reducedWith(
  backend: Backend, t: CompiledGrid, r: Revalued, books: readonly Pick<Revalued, "rows" | "values">[], spare: readonly number[], weighed: Weighing, lossesInto: Float64Array,
): { losses: WorstLosses; pnls: Float64Array[]; v0s: number[] } {
  const n = r.rows.length;
  const nScen = t.scenarios.length;
  const rows = new Array<Float64Array>(n + books.length);
  const values = new Array<number>(n + books.length);
  for (let k = 0; k < n; k++) {
    rows[t.rowOf[k]!] = r.rows[k]!;
    values[t.rowOf[k]!] = r.values[k]!;
  }
  const pnls = new Array<Float64Array>(books.length);
  const v0s = new Array<number>(books.length);
  for (let i = 0; i < books.length; i++) {
    rows[n + i] = pnls[i] = sumRows(books[i]!.rows, r.spare.subarray(spare[i]! * nScen, (spare[i]! + 1) * nScen));
    values[n + i] = v0s[i] = sumOfValues(books[i]!.values);
  }
  return { losses: backend.worstLosses(rows, values, weighed, t.s0, lossesInto), pnls, v0s };
}

/** Σ values, in order from 0. */
function sumOfValues(values: readonly number[]): number {
  let v0 = 0;
  for (let k = 0; k < values.length; k++) v0 += values[k]!;
  return v0;
}

/** A book's requirement on its grid, USD: its worst loss (measured in coin when `inCoin`), contingencies, floors and MMP margin. */
interface Requirement {
  inCoin: boolean;
  worstUsd: number;
  shortOptionUsd: number;
  rollUsd: number;
  deltaShockUsd: number;
  /** Worst loss and contingencies, before the floors. */
  usd: number;
  /** With the floors: what maintenance is a share of. */
  coreUsd: number;
  mmpUsd: number;
  initialUsd: number;
  netDelta: number;
}

function requirementOf(positions: readonly Position[], u: string, options: GridOptions, t: GridTerms, deltas: readonly number[], { losses, bookRow }: Reduced): Requirement {
  const { p, members, coinSettled, futures, s0 } = t;
  // A coin-settled book is margined on its coin PnL, as Deribit does; others on USD PnL.
  // The book is measured in coin when all of it is coin-settled; single positions are
  // measured the same way as their book, or their sum could fall below the book's.
  const inCoin = options.measureIn !== "USD" && coinSettled;
  const worstUsd = inCoin ? Math.max(losses.coin[bookRow]!, 0) * s0 : Math.max(losses.usd[bookRow]!, 0);
  const netDelta = deltas.reduce((a, d) => a + d, 0);
  const shortOptionUsd = shortOptionCharge(positions, p, s0);
  const rollUsd = rollCharge(members, futures, deltas, p, s0);
  const deltaShockUsd = (p.deltaShock ?? 0) * Math.abs(netDelta) * s0;
  const usd = worstUsd + shortOptionUsd + rollUsd + deltaShockUsd;
  const coreUsd = Math.max(usd, minimumDeltaCharge(deltas, p, s0), p.minimum ?? 0);
  const mmpUsd = mmpCharge(options.mmp, u, p, s0);
  return { inCoin, worstUsd, shortOptionUsd, rollUsd, deltaShockUsd, usd, coreUsd, mmpUsd, initialUsd: coreUsd + mmpUsd, netDelta };
}

/** The margin of a book from its positions' rows, USD values and deltas on the grid of `t`, and their reduction. */
function marginOf(
  positions: readonly Position[], u: string, options: GridOptions, t: GridTerms,
  { rows, values, deltas }: Pick<Revalued, "rows" | "values" | "deltas">, reduced: Reduced,
): UnderlyingGridMargin {
  const { profile } = options;
  const { p, futures, weighed, s0 } = t;
  const { pnl, v0, losses, bookRow } = reduced;
  // Each result its own array of the (frozen) scenarios.
  const scenarios = t.scenarios.slice();
  const r = requirementOf(positions, u, options, t, deltas, reduced);
  const m = measureBook(pnl, v0, losses, bookRow, weighed, s0);
  const worst = amount(r.worstUsd, s0, u);
  const margin: UnderlyingGridMargin = {
    underlying: u,
    index: s0,
    reportCurrency: r.inCoin ? u : "USD",
    worstLoss: worst,
    worstScenario: worst.usd > 0 ? scenarios[r.inCoin ? m.worstCoinIndex : m.worstIndex]! : null,
    contingencies: {
      shortOption: amount(r.shortOptionUsd, s0, u), roll: amount(r.rollUsd, s0, u), deltaShock: amount(r.deltaShockUsd, s0, u),
      minimum: amount(r.coreUsd - r.usd, s0, u), ...(p.mmpMarginRate ? { mmp: amount(r.mmpUsd, s0, u) } : {}),
    },
    initial: amount(r.initialUsd, s0, u),
    maintenance: amount(profile.mmFactor * r.coreUsd, s0, u),
    standalone: amount(standalone(positions, t.rowOf, losses, deltas, futures, p, s0, r.inCoin), s0, u),
    scenarios,
    pnlUsd: m.pnlUsd,
    pnlCoin: m.pnlCoin,
    ...(options.perPosition ? { positions: positions.map((q, k) => ({ id: q.id ?? String(k), pnlUsd: Array.from(rows[k]!) })) } : {}),
    netDelta: r.netDelta,
    valueUsd: v0,
  };
  if (profile.report === "deribit") {
    const each = options.perPosition ? positions.map((q, k) => ({ id: q.id ?? String(k), valueUsd: values[k]!, pnlUsd: rows[k]! })) : undefined;
    margin.deribit = deribitRiskMatrix(margin, weighed, p, each, profile.mmFactor);
  }
  return margin;
}

/** What a profile's grid is for an underlying's book, whatever its positions: made once per profile object. */
interface GridPlan {
  p: UnderlyingGridParams;
  /** Frozen: the results of every book on this plan share them. */
  scenarios: readonly GridScenario[];
  compileOptions: CompileOptions;
  set: ScenarioSet;
  /** Its weighing, shared with the profile's plans on `u` that weigh alike (their books reduce in one call). */
  weighs: WeighingSlot;
  /** revaluesAlike with other plans, found once. */
  alike?: Map<GridPlan, boolean>;
}

/** A weighing at the index it was made for last (a batch margins every account at one index). */
interface WeighingSlot {
  s0?: number;
  w?: Weighing;
}

const plans = new WeakMap<MarginProfile, { plans: Map<string, GridPlan>; slots: Map<string, WeighingSlot> }>();

/** The plan of a book of `positions` on `u`: its underlying's, or its USD-settled books' (profile.usdSettled). */
function gridPlan(profile: MarginProfile, u: string, positions: readonly Position[]): GridPlan {
  const usdSettled = profile.usdSettled !== undefined && positions.length > 0 && positions.every((q) => q.kind !== "spot" && q.settlement === "linear");
  const key = `${usdSettled ? "usd" : "any"}|${u}`;
  let kept = plans.get(profile);
  if (!kept) plans.set(profile, (kept = { plans: new Map(), slots: new Map() }));
  let plan = kept.plans.get(key);
  if (!plan) {
    const p = usdSettled ? { ...paramsFor(profile, u), ...profile.usdSettled } : paramsFor(profile, u);
    const scenarios = gridScenarios(u, p).map((sc) => Object.freeze(sc));
    // Only the smile nodes the grid's moves read are compiled.
    const moves = Object.freeze(scenarios.map((sc) => log(1 + sc.move)));
    const compileOptions = { volShiftWeight: (days: number) => termWeight(p.volScaling, days), moves, stickyStrike: p.smile === "stickyStrike" };
    // What weighing() reads: the cells, the regular range, the weighting and the dampener.
    const weighs = `${u}|${JSON.stringify([scenarios.map((c) => [c.move, c.weight, c.extended]), priceRange(p), p.extendedWeighting, p.extendedDampener])}`;
    let slot = kept.slots.get(weighs);
    if (!slot) kept.slots.set(weighs, (slot = {}));
    kept.plans.set(key, (plan = { p, scenarios, compileOptions, set: gridScenarioSet([u], scenarios, p), weighs: slot }));
  }
  return plan;
}

/** What a book's margin reads of its grid and positions besides their rows, values and deltas. */
interface GridTerms {
  p: UnderlyingGridParams;
  scenarios: readonly GridScenario[];
  weighed: Weighing;
  futures: readonly (FutureTerms | undefined)[];
  /** 0 … positions − 1. */
  members: readonly number[];
  coinSettled: boolean;
  s0: number;
  /** Each position's row in the kernel's output of the book it is revalued in (its own, or a union's). */
  rowOf: readonly number[];
}

/** What the grid of a book compiles: its plan, book and terms. */
interface CompiledGrid extends GridTerms {
  plan: GridPlan;
  book: Book;
  set: ScenarioSet;
  /** Its positions' USD values and deltas now, found on its first revaluation (the book's market is its own). */
  now?: { readonly valueUsd: readonly number[]; readonly delta: readonly number[] };
}

function compileGrid(backend: Backend, positions: readonly Position[], u: string, market: Market, profile: MarginProfile): CompiledGrid {
  return compileOn(backend, positions, market, gridPlan(profile, u, positions));
}

function compileOn(backend: Backend, positions: readonly Position[], market: Market, plan: GridPlan): CompiledGrid {
  const book = backend.compile(positions, market, plan.compileOptions);
  const s0 = book.indexPrices[0]!;
  return {
    plan, book, set: plan.set, p: plan.p, scenarios: plan.scenarios, weighed: weighingAt(plan, s0), futures: futureTerms(positions, market),
    members: positions.map((_, k) => k), coinSettled: isCoinSettled(positions), s0,
    // Each position's row in the kernel's output (options, then linear positions).
    rowOf: book.refs.map((ref) => (ref.kind === "option" ? ref.row : book.nOpt + ref.row)),
  };
}

/** The plan's weighing at index s0 (kept for the last index: a batch margins every account at one). */
function weighingAt(plan: GridPlan, s0: number): Weighing {
  const slot = plan.weighs;
  if (slot.s0 !== s0) [slot.s0, slot.w] = [s0, weighing(plan.scenarios, plan.p, s0)];
  return slot.w!;
}

/**
 * Whether two plans revalue alike: the same scenario set and the same compile options (smile
 * nodes, smile dynamics, vol-shift scaling); they may differ in what the margin reads after
 * (Deribit's USD-settled books: the roll shock). Found once per pair.
 */
function revaluesAlike(a: GridPlan, b: GridPlan): boolean {
  if (a === b) return true;
  let known = a.alike?.get(b);
  if (known === undefined) {
    const same = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => x.length === y.length && Array.prototype.every.call(x, (v: number, i: number) => Object.is(v, y[i]));
    known = same(a.set.logMoves, b.set.logMoves) && same(a.set.volShifts, b.set.volShifts) && same(a.set.volFloors, b.set.volFloors) &&
      same(a.compileOptions.moves!, b.compileOptions.moves!) && a.compileOptions.stickyStrike === b.compileOptions.stickyStrike &&
      JSON.stringify(a.p.volScaling) === JSON.stringify(b.p.volScaling);
    (a.alike ??= new Map()).set(b, known);
  }
  return known;
}

/** The coin-settled positions (inverse, spot) and the USD-settled ones (linear), each with its indices in `positions`, an empty group left out. */
interface SettlementGroup {
  at: number[];
  positions: readonly Position[];
  /** Its plan under a profile, and its terms for the underlying's compiled whole they were taken from. */
  plan?: { profile: MarginProfile; plan: GridPlan };
  terms?: { all: CompiledGrid; plan: GridPlan; terms: GridTerms };
}

/** settlementGroups of a book, kept while it is seen when it is frozen (margining it again finds the same groups). */
function settlementGroups(positions: readonly Position[]): SettlementGroup[] {
  const kept = recentGroups.get(positions);
  if (kept) return kept;
  const frozen = isFrozenBook(positions);
  const groups = groupsBySettlement(positions, frozen);
  if (frozen) recentGroups.set(positions, groups);
  return groups;
}

/** The coin-settled and the USD-settled positions of a book, each group's frozen with `freeze`. */
function groupsBySettlement(positions: readonly Position[], freeze: boolean): SettlementGroup[] {
  const coin: number[] = [];
  const usd: number[] = [];
  for (let k = 0; k < positions.length; k++) (isCoinSettled([positions[k]!]) ? coin : usd).push(k);
  return [coin, usd].filter((g) => g.length > 0).map((at) => {
    const mine = at.map((k) => positions[k]!);
    return { at, positions: freeze ? Object.freeze(mine) : mine };
  });
}
const recentGroups = new Recent<readonly Position[], SettlementGroup[]>(16);

/**
 * Separate settlement books (S:PM): each group margined as a book of its own — the
 * coin-settled one measured in coin, the USD-settled one in USD — and their requirements
 * summed; the market-maker-protection margin is reserved once for the underlying.
 */
function separateSettlements(
  backend: Backend, positions: readonly Position[], groups: SettlementGroup[], u: string, market: Market, options: GridOptions, withValues: boolean,
): { margin: UnderlyingGridMargin; values?: PositionValue[] } {
  const alone = settlementBookOptions(options);
  const together = alone.profile;
  const plans = groups.map((g) => groupPlan(g, together, u));
  let parts: UnderlyingGridMargin[];
  let values: PositionValue[] | undefined;
  // Values name an id-less position by its index in its own book: those callers take the books one by one.
  if (!withValues && plans.every((plan) => revaluesAlike(plans[0]!, plan))) {
    // The books revalue alike: the underlying's positions are compiled and revalued once, each
    // book measured from its positions' rows (a position's row is its own whatever book holds it).
    const all = compiledOnce(backend, market, u, together, positions, () => compileGrid(backend, positions, u, market, together));
    parts = measuredFromUnion(backend, all, market, u, groups.map((g, i) => ({ at: g.at, positions: g.positions, options: alone, terms: groupTerms(g, plans[i]!, all) })), FULL.member);
  } else {
    const books = groups.map((g) => measuredUnderlying(backend, g.positions, u, market, alone, withValues));
    parts = books.map((b) => b.margin);
    if (withValues) values = inPositionOrder(groups, positions.length, books.map((b) => b.values!));
  }
  const margin = settlementsTogether(parts, groups, positions.length, u, options);
  return values ? { margin, values } : { margin };
}

/** An underlying's margin from its settlement books' (`groups`, of its `n` positions): their requirements summed, the MMP margin reserved once. */
function settlementsTogether(parts: UnderlyingGridMargin[], groups: readonly SettlementGroup[], n: number, u: string, options: GridOptions): UnderlyingGridMargin {
  const { profile, perPosition } = options;
  const s0 = parts[0]!.index;
  const p = paramsFor(profile, u);
  const mmpUsd = mmpCharge(options.mmp, u, p, s0);
  // Each sum in order from 0, as sumOf adds.
  let [netDelta, valueUsd, worstUsd, shortOption, roll, deltaShock, minimum, initial, standaloneUsd] = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  let worst = parts[0]!;
  for (const m of parts) {
    const c = m.contingencies;
    netDelta += m.netDelta;
    valueUsd += m.valueUsd;
    worstUsd += m.worstLoss.usd;
    shortOption += c.shortOption.usd;
    roll += c.roll.usd;
    deltaShock += c.deltaShock.usd;
    minimum += c.minimum.usd;
    initial += m.initial.usd;
    standaloneUsd += m.standalone.usd;
    if (m.worstLoss.usd > worst.worstLoss.usd) worst = m;
  }
  return {
    underlying: u,
    index: s0,
    netDelta,
    valueUsd,
    reportCurrency: "USD",
    worstLoss: amount(worstUsd, s0, u),
    worstScenario: worst.worstScenario,
    contingencies: {
      shortOption: amount(shortOption, s0, u), roll: amount(roll, s0, u), deltaShock: amount(deltaShock, s0, u), minimum: amount(minimum, s0, u),
      ...(p.mmpMarginRate ? { mmp: amount(mmpUsd, s0, u) } : {}),
    },
    initial: amount(settledInitial(parts, mmpUsd), s0, u),
    maintenance: amount(profile.mmFactor * initial, s0, u),
    standalone: amount(standaloneUsd, s0, u),
    scenarios: parts[0]!.scenarios,
    pnlUsd: sumRowsOf(parts.map((m) => m.pnlUsd)),
    pnlCoin: sumRowsOf(parts.map((m) => m.pnlCoin)),
    ...(perPosition ? { positions: inPositionOrder(groups, n, parts.map((m) => m.positions!)) } : {}),
    settlements: parts,
  };
}

/** An underlying's initial margin from its settlement books': theirs summed, with the MMP margin reserved once. */
function settledInitial(parts: readonly UnderlyingHeadline[], mmpUsd: number): number {
  return sumOf(parts, (m) => m.initial.usd) + mmpUsd;
}

/** A book measured from the rows of a union it is part of: its positions' indices there, its options and its terms. */
interface UnionMember {
  at: readonly number[];
  positions: readonly Position[];
  options: GridOptions;
  terms: GridTerms;
}

/**
 * Books of one underlying measured from one revaluation of `all`, the union of their positions
 * (compiled on a plan each book's revalues alike with): a position's row is its own whatever
 * book holds it, so each margin is its book's margined alone, bit for bit.
 */
function measuredFromUnion<T>(
  backend: Backend, all: CompiledGrid, market: Market, u: string, members: readonly UnionMember[],
  measure: (m: UnionMember, u: string, revalued: Pick<Revalued, "rows" | "values" | "deltas">, reduced: Reduced) => T,
): T[] {
  return withScratch(backend, (take) => {
    const r = revalueGrid(backend, all, market, false, take, members.length);
    const picked = members.map((m) => ({ rows: pick(r.rows, m.at), values: pick(r.values, m.at), deltas: pick(r.deltas, m.at) }));
    const reduced = reducedTogether(backend, all, r, members, picked, take);
    return members.map((m, i) => measure(m, u, picked[i]!, reduced[i]!));
  });
}

/**
 * The books' reductions in one call of the reduction kernel per weighing (a row's worst
 * losses are its own, whatever rows share the call): the union's rows, then the books' PnL.
 */
function reducedTogether(backend: Backend, all: CompiledGrid, r: Revalued, members: readonly UnionMember[], picked: readonly Pick<Revalued, "rows" | "values">[], take: Take): Reduced[] {
  const n = r.rows.length;
  const out = new Array<Reduced>(members.length);
  for (let i = 0; i < members.length; i++) {
    if (out[i]) continue;
    const weighed = members[i]!.terms.weighed;
    const ids: number[] = [];
    for (let j = i; j < members.length; j++) if (members[j]!.terms.weighed === weighed) ids.push(j);
    const books = ids.map((j) => picked[j]!);
    const { losses, pnls, v0s } = reducedWith(backend, all, r, books, ids, weighed, take(4 * (n + ids.length)));
    ids.forEach((j, q) => (out[j] = { pnl: pnls[q]!, v0: v0s[q]!, losses, bookRow: n + q }));
  }
  return out;
}

/** A settlement book's plan under `profile` (kept with the group). */
function groupPlan(g: SettlementGroup, profile: MarginProfile, u: string): GridPlan {
  if (g.plan?.profile !== profile) g.plan = { profile, plan: gridPlan(profile, u, g.positions) };
  return g.plan.plan;
}

/** A settlement book's terms on its own plan, its positions' taken from the underlying's compiled whole (kept with the group for that whole). */
function groupTerms(g: SettlementGroup, plan: GridPlan, all: CompiledGrid): GridTerms {
  if (g.terms?.all === all && g.terms.plan === plan) return g.terms.terms;
  const terms = termsIn(all, g.at, g.positions, plan);
  g.terms = { all, plan, terms };
  return terms;
}

/** The terms on `plan` of the book of `positions`, at indices `at` of the compiled union `all`. */
function termsIn(all: CompiledGrid, at: readonly number[], positions: readonly Position[], plan: GridPlan): GridTerms {
  const members = positions.map((_, k) => k);
  return {
    p: plan.p, scenarios: plan.scenarios, weighed: weighingAt(plan, all.s0), futures: at.map((k) => all.futures[k]),
    members, coinSettled: isCoinSettled(positions), s0: all.s0, rowOf: at.map((k) => all.rowOf[k]!),
  };
}

/** xs[k] of each k in `at`. */
function pick<T>(xs: readonly T[], at: readonly number[]): T[] {
  const out = new Array<T>(at.length);
  for (let j = 0; j < at.length; j++) out[j] = xs[at[j]!]!;
  return out;
}

/** Σ f(part), in order from 0. */
function sumOf<T>(parts: readonly T[], f: (m: T) => number): number {
  let a = 0;
  for (const m of parts) a += f(m);
  return a;
}

/** Per scenario, the rows' sum in order from 0. */
function sumRowsOf(rows: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  for (let s = 0; s < rows[0]!.length; s++) {
    let a = 0;
    for (let r = 0; r < rows.length; r++) a += rows[r]![s]!;
    out.push(a);
  }
  return out;
}

/** Each settlement book's per-position items back in the order of the underlying's `n` positions. */
function inPositionOrder<T>(groups: readonly SettlementGroup[], n: number, perBook: readonly (readonly T[])[]): T[] {
  const out = new Array<T>(n);
  groups.forEach((g, i) => g.at.forEach((k, j) => (out[k] = perBook[i]![j]!)));
  return out;
}

/** The profile with settlementBooks "together", one object per profile (compiled books are kept per profile object). */
function togetherOf(profile: MarginProfile): MarginProfile {
  let together = togetherProfiles.get(profile);
  if (!together) togetherProfiles.set(profile, (together = { ...profile, settlementBooks: "together" }));
  return together;
}
const togetherProfiles = new WeakMap<MarginProfile, MarginProfile>();

interface Measured {
  /** The book's PnL per scenario, USD and coin. */
  pnlUsd: number[];
  pnlCoin: number[];
  /** Where the largest weighted loss is, in USD and in coin. */
  worstIndex: number;
  worstCoinIndex: number;
}

/** The book's measure: its PnL per scenario (its positions' rows summed in input order) in USD and coin, and where its worst losses are (row `at` of `worst`). */
function measureBook(pnl: Float64Array, v0: number, worst: WorstLosses, at: number, wg: Weighing, s0: number): Measured {
  // Loops, not Array.from: V8 copies a typed array element by element through its iterator.
  const pnlUsd: number[] = [];
  const pnlCoin: number[] = [];
  for (let s = 0; s < pnl.length; s++) {
    pnlUsd.push(pnl[s]!);
    pnlCoin.push(coinPnl(v0, pnl[s]!, s0, wg.priceFactor[s]!));
  }
  return {
    pnlUsd, pnlCoin,
    worstIndex: worst.usdAt[at]!, worstCoinIndex: worst.coinAt[at]!,
  };
}

/**
 * The sum of the positions' single-position margins: each one's worst weighted loss (row
 * rowOf[k] of `worst`, measured in coin when its book is) and contingencies, without floors.
 */
function standalone(
  positions: readonly Position[], rowOf: readonly number[], worst: WorstLosses, deltas: readonly number[], futures: readonly (FutureTerms | undefined)[],
  p: UnderlyingGridParams, s0: number, inCoin: boolean,
): number {
  let total = 0;
  for (let k = 0; k < positions.length; k++) {
    const r = rowOf[k]!;
    const loss = inCoin ? Math.max(worst.coin[r]!, 0) * s0 : Math.max(worst.usd[r]!, 0);
    const deltaShock = (p.deltaShock ?? 0) * Math.abs(0 + deltas[k]!) * s0;
    total += loss + singleShortOption(positions[k]!, p, s0) + singleRollCharge(futures[k], deltas[k]!, p, s0) + deltaShock;
  }
  return total;
}

/** Sums rows in order, per scenario, into `sum`. */
function sumRows(rows: readonly Float64Array[], sum: Float64Array): Float64Array {
  sum.fill(0);
  for (const row of rows) for (let s = 0; s < sum.length; s++) sum[s] = sum[s]! + row[s]!;
  return sum;
}


/** The scenario set of one underlying's grid, for a book of that underlying. */
export function gridScenarioSet(underlyings: readonly string[], grid: readonly GridScenario[], p: UnderlyingGridParams): ScenarioSet {
  const set = new ScenarioSet(underlyings, grid.length);
  const states = new Map(p.volStates.map((v) => [v.name, v]));
  grid.forEach((sc, s) => {
    const state = states.get(sc.vol);
    if (!state) throw new InputError(`profile.underlyings.${sc.underlying}`, `a move is evaluated in vol state "${sc.vol}", which its grid does not have (${[...states.keys()].join(", ")})`);
    set.logMoves[s] = log(1 + sc.move);
    set.volShifts[s] = state.shift;
    set.volFloors[s] = state.floor ?? 0;
  });
  return set;
}

const amount = (usd: number, s0: number, currency: string): Amount => ({ usd, coin: usd / s0, currency });

/**
 * Short option minimum: per expiry and strike the net short contracts (calls and puts
 * together, as Deribit nets per strike) × factor × index.
 */
function shortOptionCharge(positions: readonly Position[], p: UnderlyingGridParams, s0: number): number {
  if (!p.shortOptionMinimum) return 0;
  // One position (a single-position margin) needs no netting.
  if (positions.length === 1) return singleShortOption(positions[0]!, p, s0);
  const net = new Map<string, number>();
  for (const q of positions) {
    if (q.kind !== "option") continue;
    // Per strike, calls and puts together, as Deribit's rule: "call +10 and put −20 on strike X: net short 10".
    const key = `${q.expiry}|${q.strike}`;
    net.set(key, (net.get(key) ?? 0) + q.quantity * (q.contractSize ?? 1));
  }
  let short = 0;
  for (const n of net.values()) if (n < 0) short -= n;
  return short * p.shortOptionMinimum * s0;
}

/** shortOptionCharge of one position, operation for operation. */
function singleShortOption(q: Position, p: UnderlyingGridParams, s0: number): number {
  if (!p.shortOptionMinimum) return 0;
  let short = 0;
  if (q.kind === "option") {
    const net = 0 + q.quantity * (q.contractSize ?? 1);
    if (net < 0) short -= net;
  }
  return short * p.shortOptionMinimum * s0;
}

/** Market-maker-protection margin on `u`, USD: rate × Σ (quantity limit, or the delta limit when it is 0) × index. */
function mmpCharge(settings: readonly MmpSetting[] | undefined, u: string, p: UnderlyingGridParams, s0: number): number {
  if (!p.mmpMarginRate || !settings) return 0;
  const coins = settings.reduce((a, m) => (m.underlying === u ? a + (m.quantityLimit > 0 ? m.quantityLimit : (m.deltaLimit ?? 0)) : a), 0);
  return p.mmpMarginRate * coins * s0;
}

/** The minimum delta requirement (0 without one): (net·|Σ δ| + hedged·min(Σ δ⁺, Σ |δ⁻|)) × index. */
function minimumDeltaCharge(deltas: readonly number[], p: UnderlyingGridParams, s0: number): number {
  if (!p.minimumDelta) return 0;
  const long = deltas.reduce((a, d) => a + Math.max(d, 0), 0);
  const short = deltas.reduce((a, d) => a - Math.min(d, 0), 0);
  return (p.minimumDelta.net * Math.abs(long - short) + p.minimumDelta.hedged * Math.min(long, short)) * s0;
}

/**
 * Roll charge (profile.ts RollShock). "gross": every futures contract's net size in coin,
 * |q·size| for linear and |q·face/F0| for inverse contracts, × its own horizon term.
 * "offset" (calendar spreads): the offsetting coin delta, min(long, short), × the term of
 * the longest of the futures' expiries. Term max(annualisedMoveRisk·τ(T), minMove), T in
 * years (a perpetual 0); × index.
 */
function rollCharge(members: readonly number[], futures: readonly (FutureTerms | undefined)[], deltas: readonly number[], p: UnderlyingGridParams, s0: number): number {
  if (!p.rollShock) return 0;
  const shock = p.rollShock;
  // One position (a single-position margin) needs no netting.
  if (members.length === 1) return singleRollCharge(futures[members[0]!], deltas[members[0]!]!, p, s0);
  if (shock.basis === "gross") {
    // A venue holds one position per contract: positions in the same contract net first.
    const sizes = new Map<string, { coins: number; years: number }>();
    for (const k of members) {
      const f = futures[k];
      if (f) sizes.set(f.contract, { coins: (sizes.get(f.contract)?.coins ?? 0) + f.coins, years: f.years });
    }
    let coin = 0;
    for (const { coins, years } of sizes.values()) coin += Math.abs(coins) * rollTerm(shock, years);
    return coin * s0;
  }
  // Positions in the same contract net first; only what offsets across expiries is a calendar spread.
  const net = new Map<number, number>();
  for (const k of members) {
    const f = futures[k];
    if (f) net.set(f.years, (net.get(f.years) ?? 0) + deltas[k]!);
  }
  let long = 0;
  let short = 0;
  let longestT = 0;
  // Only contracts still held after netting make a spread, and set its horizon.
  for (const [t, d] of net) {
    if (d > 0) long += d;
    else short -= d;
    if (d !== 0) longestT = Math.max(longestT, t);
  }
  return Math.min(long, short) * s0 * rollTerm(shock, longestT);
}

/** rollCharge of one position, operation for operation. */
function singleRollCharge(f: FutureTerms | undefined, delta: number, p: UnderlyingGridParams, s0: number): number {
  const shock = p.rollShock;
  if (!shock) return 0;
  if (shock.basis === "gross") return f ? Math.abs(f.coins) * rollTerm(shock, f.years) * s0 : 0;
  const d = f ? 0 + delta : 0;
  const long = d > 0 ? 0 + d : 0;
  const short = d < 0 ? 0 - d : 0;
  const longestT = f && d !== 0 ? Math.max(0, f.years) : 0;
  return Math.min(long, short) * s0 * rollTerm(shock, longestT);
}

/** max(annualisedMoveRisk × τ(T), minMove), τ(T) = √T or T. */
function rollTerm(r: RollShock, years: number): number {
  return Math.max(r.annualisedMoveRisk * (r.time === "linear" ? years : Math.sqrt(years)), r.minMove);
}

/** A futures position as the roll charge reads it: its contract, its size in coin, its years to expiry (a perpetual 0). */
export interface FutureTerms {
  contract: string;
  coins: number;
  years: number;
}

/** Each position's futures terms (undefined for spot and options), found once per underlying. */
export function futureTerms(positions: readonly Position[], market: Market): (FutureTerms | undefined)[] {
  return positions.map((q) => {
    if (q.kind !== "future") return undefined;
    const coins = q.settlement === "linear" ? q.quantity * (q.contractSize ?? 1) : (q.quantity * (q.faceValue ?? 1)) / futurePrice(q, market);
    return { contract: `${q.settlement}|${q.expiry ?? "perpetual"}|${q.contractSize ?? q.faceValue ?? 1}`, coins, years: q.expiry === undefined ? 0 : market.yearFraction(q.expiry) };
  });
}

/**
 * SPAN-style inter-underlying credit: for each configured pair whose net deltas have
 * opposite signs (one hedges the other), credit × the smaller of the two requirements.
 */
function interUnderlyingCredit(profile: MarginProfile, margins: readonly UnderlyingHeadline[]): number {
  if (profile.crossUnderlying === "sum") return 0;
  let credit = 0;
  for (const { underlyings: [a, b], credit: rate } of profile.crossUnderlying.spreadCredits) {
    const ma = margins.find((m) => m.underlying === a);
    const mb = margins.find((m) => m.underlying === b);
    if (ma && mb && ma.netDelta * mb.netDelta < 0) credit += rate * Math.min(ma.initial.usd, mb.initial.usd);
  }
  return credit;
}
