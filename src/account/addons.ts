// Add-ons to every method's margin, each reported on its own:
// - liquidity: the cost of closing each instrument's net position in a stressed market —
//   half the bid–ask spread plus square-root market impact, so size costs more than linearly;
// - concentration: a tiered charge on an underlying's exposure against its open interest.
// Sizes are delta-equivalent coins |∂V/∂S|: what closing (or hedging) a position trades in
// the underlying's market, the same measure for spot, futures and options.
import { InputError } from "../errors.js";
import { referenceVol, type Market } from "../market/market.js";
import { instrumentKey, type MarketData, type Position, type UnderlyingLiquidity } from "../model/types.js";
import type { PositionValue } from "../methods/valuation.js";
import { checkedTiers, DEFAULT_LIQUIDITY_STRESS, type AddOnParams, type ConcentrationTier } from "../model/account.js";

/** The close-out of one instrument: its positions netted, so splitting a position cannot lower the charge. */
export interface PositionLiquidity {
  /** The ids of the instrument's positions, comma-separated. */
  id: string;
  underlying: string;
  /** Delta-equivalent size of the instrument's net position, coins. */
  coins: number;
  notionalUsd: number;
  /** notional × stress × spread / 2. */
  spreadUsd: number;
  /** notional × Y × stress × σ_daily × √(coins / adv). */
  impactUsd: number;
  usd: number;
}

export interface LiquidityAddOn {
  currency: "USD";
  usd: number;
  stress: number;
  positions: PositionLiquidity[];
  /** Underlyings held without liquidity data in the market: no charge for them. */
  unpriced: string[];
}

export interface UnderlyingConcentration {
  underlying: string;
  /** Gross delta-equivalent exposure, coins. */
  coins: number;
  /** What the exposure is measured against, and its share of it. */
  against: "openInterest" | "adv";
  share: number;
  usd: number;
}

export interface ConcentrationAddOn {
  currency: "USD";
  usd: number;
  tiers: ConcentrationTier[];
  underlyings: UnderlyingConcentration[];
  unpriced: string[];
}

export interface AddOns {
  liquidity: LiquidityAddOn;
  concentration: ConcentrationAddOn;
}

/** Marginal tiers: each rate applies to the part of `coins` between its threshold and the next one's (thresholds × base). */
export function tieredCharge(coins: number, base: number, tiers: readonly ConcentrationTier[]): number {
  return tiers.reduce((sum, t, i) => {
    const next = tiers[i + 1];
    const upper = next ? Math.min(coins, next.above * base) : coins;
    return sum + t.rate * Math.max(0, upper - t.above * base);
  }, 0);
}

/** The daily vol the impact law uses: given, or the surface's 30-day ATM implied vol over √365. */
function dailyVol(liquidity: UnderlyingLiquidity, market: Market, u: string): number {
  if (liquidity.dailyVol !== undefined) return liquidity.dailyVol;
  return referenceVol(market, u, `underlyings.${u}.liquidity.dailyVol`, "its daily vol") / Math.sqrt(365);
}

/**
 * Add-ons of `positions`, valued in `values` (valueBook's rows, in the same order: their
 * deltas), with the liquidity data of `data` and the index levels of `market`.
 */
export function addOns(positions: readonly Position[], values: readonly PositionValue[], data: MarketData, market: Market, params: AddOnParams = {}): AddOns {
  const stress = params.liquidity?.stress ?? DEFAULT_LIQUIDITY_STRESS;
  if (!(stress >= 1 && stress <= 100)) throw new InputError("addOns.liquidity.stress", `must be within [1, 100] (a multiplier of today's spread and vol), got ${stress}`);
  const tiers = checkedTiers(params.concentration?.tiers);
  const held = [...new Set(values.map((p) => p.underlying))];
  const liquidityOf = (u: string): UnderlyingLiquidity | undefined => data.underlyings[u]?.liquidity;
  const unpriced = held.filter((u) => !liquidityOf(u));

  // Positions in the same instrument are closed as one: their deltas net first.
  const instruments = new Map<string, { ids: string[]; underlying: string; delta: number }>();
  positions.forEach((p, i) => {
    const key = instrumentKey(p);
    const held = instruments.get(key) ?? { ids: [], underlying: p.underlying, delta: 0 };
    held.ids.push(values[i]!.id);
    held.delta += values[i]!.delta;
    instruments.set(key, held);
  });
  const closeOuts = [...instruments.values()].flatMap((h): PositionLiquidity[] => {
    const l = liquidityOf(h.underlying);
    if (!l) return [];
    const coins = Math.abs(h.delta);
    const notionalUsd = coins * market.get(h.underlying)!.index;
    const spreadUsd = (notionalUsd * stress * l.spread) / 2;
    const impactUsd = notionalUsd * (l.impact ?? 1) * stress * dailyVol(l, market, h.underlying) * Math.sqrt(coins / l.adv);
    return [{ id: h.ids.join(", "), underlying: h.underlying, coins, notionalUsd, spreadUsd, impactUsd, usd: spreadUsd + impactUsd }];
  });

  const underlyings = held.flatMap((u): UnderlyingConcentration[] => {
    const l = liquidityOf(u);
    if (!l) return [];
    const coins = values.reduce((a, p) => a + (p.underlying === u ? Math.abs(p.delta) : 0), 0);
    const against = l.openInterest !== undefined ? "openInterest" : "adv";
    const base = l.openInterest ?? l.adv;
    return [{ underlying: u, coins, against, share: coins / base, usd: tieredCharge(coins, base, tiers) * market.get(u)!.index }];
  });

  return {
    liquidity: { currency: "USD", usd: closeOuts.reduce((a, p) => a + p.usd, 0), stress, positions: closeOuts, unpriced },
    concentration: { currency: "USD", usd: underlyings.reduce((a, u) => a + u.usd, 0), tiers, underlyings, unpriced },
  };
}
