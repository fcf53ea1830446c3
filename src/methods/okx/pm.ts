// OKX portfolio margin as the venue reports it: per risk unit (underlying) the measures
// MR1 … MR9 of OKX's position builder, the risk unit's MMR and IMR. MR1 is the profile's
// regular grid, MR6 its extended moves at their weight, MR4 its roll shock (gross): the
// grid pieces, revalued by the engine; MR7 (the cost of reducing positions) is tiered here.
// Results under the names of POST /api/v5/account/position-builder (docs/okx.md).
import type { Backend } from "../../engine/backend.js";
import { checkedPositions } from "../../market/positions.js";
import type { Market } from "../../market/market.js";
import type { MarginProfile, OkxRules } from "../../model/profile.js";
import type { Position } from "../../model/types.js";
import { WorstWeightedLoss } from "../../risk/reduce.js";
import { requireVolStates, venueProfile } from "../venue-profile.js";
import { futureTerms, valuedUnderlyingMargin, type GridScenario } from "../grid/grid.js";

/** OKX's three vol states, in the order of the profile's grid and of mr1Scenarios. */
const VOL_STATES = ["up", "same", "down"] as const;

/** What okxMargin reads beside the positions and the market. */
export interface OkxOptions {
  /** A profile with an `okx` section (the built-in "okx"). */
  profile: MarginProfile;
}

const OPTIONS: readonly (keyof OkxOptions)[] = ["profile"];

/** PnL (USD) per price change ("0.04" = +4 %), as the position builder's mr1Scenarios lists it. */
export type OkxScenarioPnl = Record<string, number>;

/** One risk unit, in USD, under the names of OKX's position builder (riskUnitData[]). */
export interface OkxRiskUnit {
  /** The underlying, e.g. BTC. */
  riskUnit: string;
  /** Maintenance margin: max{max(mr1, mr2, mr6) + mr3 + mr4 + mr5 + mr9, mr7}. */
  mmr: number;
  /** Initial margin: imFactor (1.3) × mmr. */
  imr: number;
  /** Spot and vol shock: the largest loss over the regular grid. */
  mr1: number;
  /** Time value (options): no published formula, 0. */
  mr2: number;
  /** Vol term structure (options): no published formula, 0. */
  mr3: number;
  /** Basis: the profile's roll shock on every futures position (gross). */
  mr4: number;
  /** Interest rate (options): no published formula, 0. */
  mr5: number;
  /** Extreme move: the largest weighted loss over the extended moves. */
  mr6: number;
  /** Cost of reducing positions: the raw charge scaled tier by tier (mr7Raw). */
  mr7: number;
  /** USDT–USDC–USD hedge: no published formula, 0. */
  mr9: number;
  /** MR7 before the tiers: rate × Σ |cash delta|. */
  mr7Raw: number;
  /** The regular grid's PnL by vol state, keyed by price change. */
  mr1Scenarios: { volShockUp: OkxScenarioPnl; volSame: OkxScenarioPnl; volShockDown: OkxScenarioPnl };
  /** MR1's scenario: its PnL, price change and vol state ("up", "same", "down"). */
  mr1FinalResult: { pnl: number; spotShock: number; volShock: string };
  /** MR6's scenario: its unweighted PnL and price change. */
  mr6FinalResult: { pnl: number; spotShock: number };
  /** Cash delta, USD: futures their size in coin × index, options and spot their delta × index. */
  delta: number;
}

/** An account's OKX derivatives margin: the risk units' sum (borrowing, MR8, is not modelled). */
export interface OkxMarginResult {
  /** The profile's name. */
  profile: string;
  /** The currency of every figure. */
  currency: "USD";
  /** Σ of the risk units' mmr (OKX's derivMmr). */
  derivMmr: number;
  /** Σ of the risk units' imr. */
  derivImr: number;
  /** Per risk unit, in market order. */
  riskUnitData: OkxRiskUnit[];
}

/**
 * OKX portfolio margin of positions (docs/okx.md).
 *
 * @example
 * ```ts
 * import { builtInProfile, createEngine, okxMargin, prepareInputs } from "pmargin";
 * const { portfolio, market } = prepareInputs(portfolioJson, marketJson);
 * const r = okxMargin(await createEngine(), portfolio.positions, market, { profile: builtInProfile("okx") });
 * r.derivMmr; // USD
 * ```
 */
export function okxMargin(backend: Backend, book: readonly Position[], market: Market, options: OkxOptions): OkxMarginResult {
  const profile = venueProfile(backend, market, options, OPTIONS, "{ profile }", "okx");
  const rules = profile.okx;
  const positions = checkedPositions(book, market);
  requireVolStates(profile, market, VOL_STATES, "OKX");
  const riskUnitData = market.names
    .filter((u) => positions.some((q) => q.underlying === u))
    .map((u) => riskUnit(backend, positions.filter((q) => q.underlying === u), u, market, profile, rules));
  const derivMmr = riskUnitData.reduce((a, r) => a + r.mmr, 0);
  return { profile: profile.name, currency: "USD", derivMmr, derivImr: riskUnitData.reduce((a, r) => a + r.imr, 0), riskUnitData };
}

/** MR7 after OKX's scaling: each slice of the raw charge between tiers × its multiplier (tiers as a parsed profile holds them). */
export function okxTieredCharge(raw: number, tiers: OkxRules["mr7Tiers"]): number {
  let total = 0;
  tiers.forEach((t, i) => {
    const to = tiers[i + 1]?.from ?? Infinity;
    if (raw > t.from) total += (Math.min(raw, to) - t.from) * t.multiplier;
  });
  return total;
}

function riskUnit(backend: Backend, positions: Position[], u: string, market: Market, profile: MarginProfile, rules: OkxRules): OkxRiskUnit {
  const { margin, values } = valuedUnderlyingMargin(backend, positions, u, market, { profile, measureIn: "USD" });
  const index = margin.index;
  const scenarios = margin.scenarios;
  const pnl = margin.pnlUsd;
  const worst = (take: (s: GridScenario) => boolean): { loss: number; at: number } => {
    const w = new WorstWeightedLoss();
    scenarios.forEach((s, k) => take(s) && w.offer(k, s.weight, pnl[k]!));
    return { loss: w.loss, at: w.index };
  };
  const m1 = worst((s) => !s.extended);
  const m6 = worst((s) => s.extended);
  const byState = (name: string): OkxScenarioPnl =>
    Object.fromEntries(scenarios.flatMap((s, k) => (!s.extended && s.vol === name ? [[String(s.move), pnl[k]!]] : [])));
  const futures = futureTerms(positions, market);
  // Each position's cash delta: a future's size in coin, else its delta, × index.
  const cash = positions.map((_, k) => (futures[k]?.coins ?? values[k]!.delta) * index);
  const delta = cash.reduce((a, c) => a + c, 0);
  const grossDelta = cash.reduce((a, c) => a + Math.abs(c), 0);
  const mr7Raw = (rules.mr7Rates[u] ?? rules.mr7Rates["default"]!) * grossDelta;
  const mr1 = Math.max(m1.loss, 0);
  const mr6 = Math.max(m6.loss, 0);
  const mr4 = margin.contingencies.roll.usd;
  const mr7 = okxTieredCharge(mr7Raw, rules.mr7Tiers);
  const mmr = Math.max(Math.max(mr1, mr6) + mr4, mr7);
  const s1 = scenarios[m1.at]!;
  const s6 = m6.at >= 0 ? scenarios[m6.at]! : undefined;
  return {
    riskUnit: u, mmr, imr: rules.imFactor * mmr,
    mr1, mr2: 0, mr3: 0, mr4, mr5: 0, mr6, mr7, mr9: 0, mr7Raw,
    mr1Scenarios: { volShockUp: byState("up"), volSame: byState("same"), volShockDown: byState("down") },
    mr1FinalResult: { pnl: pnl[m1.at]!, spotShock: s1.move, volShock: s1.vol },
    mr6FinalResult: s6 ? { pnl: pnl[m6.at]!, spotShock: s6.move } : { pnl: 0, spotShock: 0 },
    delta,
  };
}
