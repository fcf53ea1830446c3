// The account a margin figure is held against: positions and collateral on one or
// more venues, haircuts, the status thresholds and the add-ons' parameters.
import { expectObject, InputError } from "../errors.js";
import type { BuiltInProfileName } from "./profile.js";
import type { Position } from "./types.js";

/** A balance of one asset: a USD stable (valued at 1 USD) or a coin of the market (at its index). */
export interface CollateralBalance {
  asset: string;
  /** Units of the asset held, ≥ 0. */
  quantity: number;
}

/** One venue (exchange or protocol): its own margin account. */
export interface Venue {
  name: string;
  /** Built-in grid profile the venue margins with (default: the method's). */
  profile?: BuiltInProfileName;
  positions?: Position[];
  collateral?: CollateralBalance[];
  /** Haircuts of this venue, overriding the account's per asset. */
  haircuts?: Record<string, number>;
  /** Share of the venue's equity lost when it fails (default 1: all of it, as at FTX). */
  failureLoss?: number;
}

/**
 * State thresholds on the margin ratio MM / equity, as Deribit and Bybit report it
 * (OKX reports its inverse, equity / MM): a margin call at `marginCall`, liquidation at `liquidation`.
 */
export interface StatusThresholds {
  marginCall: number;
  liquidation: number;
}

/** A marginal tier: `rate` of the notional beyond `above` × open interest (or × adv). */
export interface ConcentrationTier {
  above: number;
  rate: number;
}

export interface AddOnParams {
  /** Multiplies the market data's spread and daily vol: the close-out happens in a stressed market. */
  liquidity?: { stress?: number };
  concentration?: { tiers?: ConcentrationTier[] };
}

export interface Account {
  name?: string;
  venues: Venue[];
  /** Haircut per asset, a fraction of its value (0.05 = 5%); 0 for an asset not listed. */
  haircuts?: Record<string, number>;
  thresholds?: StatusThresholds;
  addOns?: AddOnParams;
  /** Stress prices of USD stables (USDC: 0.9); default every non-USD stable held at DEFAULT_DEPEG_PRICE. */
  depeg?: Partial<Record<string, number>>;
  /** Distance to liquidation is searched over moves within ±maxMove of each index, in `steps` steps a side. */
  liquidationSearch?: { maxMove?: number; steps?: number };
}

/**
 * Deribit liquidates "as soon as maintenance margin is higher than equity" (docs: Auto
 * Liquidation), so liquidation at a ratio of 100%; the 80% margin-call level is this
 * package's default for the warning venues send first (their levels vary and are unpublished).
 */
export const DEFAULT_THRESHOLDS: StatusThresholds = { marginCall: 0.8, liquidation: 1 };

/** USDC fell to about 0.87 on 11 March 2023, with SVB's failure; the default depeg stress takes 0.9. */
export const DEFAULT_DEPEG_PRICE = 0.9;

/**
 * This package's documented defaults, not a venue's published schedule: nothing below 5% of
 * open interest, then 2%, 5%, 10% of the notional beyond 5%, 10%, 25% (marginal, so the
 * charge is continuous in size, as venues' cumulative "maintenance amount" deductions make theirs).
 */
export const DEFAULT_CONCENTRATION_TIERS: ConcentrationTier[] = [
  { above: 0.05, rate: 0.02 },
  { above: 0.1, rate: 0.05 },
  { above: 0.25, rate: 0.1 },
];

/** Today's spread and vol doubled for a close-out in a crash: an assumption, not a fit; set `stress` to your own. */
export const DEFAULT_LIQUIDITY_STRESS = 2;

export const DEFAULT_LIQUIDATION_SEARCH = { maxMove: 0.9, steps: 18 };

/** USD and the dollar stablecoins: worth 1 USD each unless a depeg stress says otherwise. */
export const USD_STABLES = ["USD", "USDT", "USDC", "DAI", "FDUSD", "PYUSD", "USDE", "TUSD"] as const;

export const isStable = (asset: string): boolean => (USD_STABLES as readonly string[]).includes(asset);

/** The thresholds given, checked: 0 < marginCall ≤ liquidation. */
export function checkedThresholds(t: StatusThresholds = DEFAULT_THRESHOLDS): StatusThresholds {
  expectObject(t, "thresholds", "{ marginCall, liquidation }");
  if (!(t.liquidation > 0 && Number.isFinite(t.liquidation))) throw new InputError("thresholds.liquidation", `must be a finite ratio > 0, got ${t.liquidation}`);
  if (!(t.marginCall > 0 && t.marginCall <= t.liquidation)) {
    throw new InputError("thresholds.marginCall", `must be > 0 and ≤ thresholds.liquidation (${t.liquidation}), got ${t.marginCall}`);
  }
  return t;
}

/** Tiers sorted by threshold, each checked: `above` ≥ 0 and increasing, `rate` within [0, 1]. */
export function checkedTiers(tiers: readonly ConcentrationTier[] = DEFAULT_CONCENTRATION_TIERS): ConcentrationTier[] {
  tiers.forEach((t, i) => {
    const path = `addOns.concentration.tiers[${i}]`;
    if (!(t.above >= 0 && Number.isFinite(t.above))) throw new InputError(`${path}.above`, `must be a finite share ≥ 0, got ${t.above}`);
    if (i > 0 && !(t.above > tiers[i - 1]!.above)) throw new InputError(`${path}.above`, `tiers must rise: ${t.above} is not above the previous tier's ${tiers[i - 1]!.above}`);
    if (!(t.rate >= 0 && t.rate <= 1)) throw new InputError(`${path}.rate`, `must be within [0, 1] (a fraction of the notional), got ${t.rate}`);
  });
  return [...tiers];
}
