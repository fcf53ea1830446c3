// A margin profile: a venue's or CCP's scenario-grid parameters, as data.
// Profiles live in profiles/*.json; every number there carries its public source.

/** How a vol shock scales with days to expiry: shock × (refDays / max(DTE, minDays))^power. */
export interface VolTermScaling {
  refDays: number;
  minDays: number;
  /** Power below refDays (Deribit short_term_vega_power 0.30). */
  shortPower: number;
  /** Power from refDays on (Deribit long_term_vega_power 0.13). */
  longPower: number;
}

/** One vol state of the grid: relative shock (+0.5 = vols × 1.5 at refDays) and an optional floor. */
export interface VolState {
  name: string;
  /** Relative shift before term scaling: +up or −down. 0 leaves vols unchanged. */
  shift: number;
  /** Shocked vol never below this (Deribit min_volatility_for_shock_up), vol-up states only. */
  floor?: number;
}

/** A tail move whose loss counts at `weight` (Deribit/Paradex extended table, SPAN extreme moves). */
export interface ExtendedMove {
  move: number;
  /** Omitted when the grid sets extendedTableFactor: then factor × range / |move|. */
  weight?: number;
  /** Vol state it is evaluated in (default the first, i.e. vol up). */
  vol?: string;
}

/**
 * How an extended move's weighted PnL enters the grid. "measured": weight × the PnL in the
 * currency the book is measured in. "usdAtRangeEdge" (Deribit): weight × the PnL in USD (a
 * coin book's coin PnL valued at the scenario's price), expressed in the measured currency
 * at the price at the edge of the regular range, index·(1 ± range), on the move's side.
 */
export type ExtendedWeighting = "measured" | "usdAtRangeEdge";

/**
 * Deribit's extended dampener, USD, per kind of book (a coin-settled book's, a USD one's):
 * on the book's weighted extended PnL, (|move|/range − 1) × amount, expressed in the measured
 * currency at the range-edge price, moves the PnL toward 0 (never past it).
 */
export interface ExtendedDampener {
  coinUsd: number;
  usdUsd: number;
}

/** How an option's vol moves within the grid: its smile re-read at the moved moneyness, or its own vol at its strike shocked. */
export type SmileDynamics = "stickyMoneyness" | "stickyStrike";

/**
 * Roll shock: per futures position |size in coin| × max(annualisedMoveRisk × τ(T), minMove) × index,
 * T its years to expiry (a perpetual 0). basis "offset" (default) charges only the part
 * that offsets across expiries (a calendar spread), "gross" every position (Deribit);
 * time "sqrt" (default) takes τ(T) = √T, "linear" τ(T) = T.
 */
export interface RollShock {
  annualisedMoveRisk: number;
  minMove: number;
  basis?: "offset" | "gross";
  time?: "sqrt" | "linear";
}

export interface UnderlyingGridParams {
  /** Regular price moves, simple returns (0.16 = +16%); include 0. */
  moves: number[];
  volStates: VolState[];
  volScaling?: VolTermScaling;
  extended: ExtendedMove[];
  /** Deribit's extended_table_factor: each extended weight is factor × (largest regular move) / |move|. */
  extendedTableFactor?: number;
  /** Default "measured". */
  extendedWeighting?: ExtendedWeighting;
  extendedDampener?: ExtendedDampener;
  /** Gains count at this fraction in the book's aggregated vectors (Deribit pnl_offset; S:PM 0): reported, never a margin. */
  pnlOffset?: number;
  /** Default "stickyMoneyness". */
  smile?: SmileDynamics;
  /** Short option minimum: per net short option, this fraction of the index (USD value). */
  shortOptionMinimum?: number;
  rollShock?: RollShock;
  /** Delta shock: this fraction of |net delta| × index (Paradex 2%, Deribit max_delta_shock). */
  deltaShock?: number;
  /**
   * A floor from delta (Paradex's minimum delta requirement): the requirement is at least
   * (net·|net delta| + hedged·hedged delta) × index, the hedged delta being the long and
   * short deltas that offset, min(Σ long, Σ |short|).
   */
  minimumDelta?: { net: number; hedged: number };
  /** Minimum requirement per underlying with positions, USD. */
  minimum?: number;
  /**
   * Margin reserved for market-maker protection, added to initial margin only: this
   * fraction × each MMP setting's quantity limit (its delta limit when the quantity
   * limit is 0), coins × index (Deribit 3 %).
   */
  mmpMarginRate?: number;
}

/**
 * Paradex's portfolio-margin pipeline beyond the scan (paradexMargin, docs/paradex.md):
 * open orders, the funding and fee provisions, spot balances and the settlement TWAP.
 */
export interface ParadexRules {
  /** Hours of expected funding reserved, at the perpetual's 8-hour funding rate (Paradex funding_provision_hour 8). */
  fundingProvisionHours: number;
  /**
   * How perpetual orders enter the funding provision: "separate", each order's funding cost
   * on its own, never offsetting (Paradex's pm-pipeline.md); "netted", orders netted with
   * the positions before the floor at 0 (paradex-py's compute_pm).
   */
  orderFunding: "separate" | "netted";
  /** An option's fee provision per unit is min(fee rate × index, optionFeeCap × its mark) (paradex-py OPTION_FEE_CAP 0.125). */
  optionFeeCap: number;
  /** Within this many minutes of expiry an option's scenario PnL counts × minutes left / this (the settlement TWAP, 30). */
  settlementTwapMinutes: number;
}

/**
 * OKX's portfolio-margin measures beyond the grid (okxMargin, docs/okx.md): MR1 is the
 * grid's regular scan, MR6 its extended moves, MR4 its roll shock; these add MR7 and IMR.
 */
export interface OkxRules {
  /** IMR = imFactor × MMR (OKX 1.3). */
  imFactor: number;
  /** MR7's raw charge, the cost of reducing positions: this rate × Σ |cash delta| (USD), per underlying (`default` for the others). */
  mr7Rates: Record<string, number>;
  /** MR7's scaling: the raw charge's slice above each tier's `from` (USD) counts × its multiplier; ascending, the first from 0. */
  mr7Tiers: { from: number; multiplier: number }[];
}

/**
 * Bybit's portfolio-margin figures beyond the scan (bybitMargin, docs/bybit.md): the scan is the
 * grid's regular moves × vol states, each price scale at its worst vol state; these add the
 * contingency Bybit's API reports as futureContingency and the IM factor.
 */
export interface BybitRules {
  /** assetIM = imFactor × assetMM (1.2 in Bybit's Get Portfolio Margin Info example). */
  imFactor: number;
  /** futureContingency: this rate × Σ |futures size| × index, per underlying (`default` for the others). */
  futureContingencyRates: Record<string, number>;
}

export interface MarginProfile {
  name: string;
  description: string;
  /** Where each parameter comes from: URLs or document names, with what they support. */
  sources: string[];
  /** Parameters for any underlying not listed under `underlyings`. */
  defaults: UnderlyingGridParams;
  /** Per-underlying overrides (merged over defaults field by field). */
  underlyings?: Record<string, Partial<UnderlyingGridParams>>;
  /**
   * Parameters of a USD-settled book (linear futures and options only), merged over its
   * underlying's: Deribit publishes its `usd` currency's roll shock apart from the coins'.
   */
  usdSettled?: Partial<UnderlyingGridParams>;
  /** Maintenance margin = mmFactor × initial margin. */
  mmFactor: number;
  /**
   * Across underlyings: "sum" of per-underlying requirements, or SPAN-style credits:
   * for a pair of underlyings whose requirements come from opposite-direction moves,
   * credit × min(requirement A, requirement B) is given back.
   */
  crossUnderlying: "sum" | { spreadCredits: { underlyings: [string, string]; credit: number }[] };
  /** "deribit": each underlying's result also carries Deribit's private/pme/simulate figures under Deribit's names. */
  report?: "deribit";
  /**
   * "separate" (Deribit S:PM): an underlying's coin-settled positions (inverse, spot) and its
   * USD-settled ones (linear) are margined as two books and their requirements summed;
   * "together" (default): one book, measured in USD when it mixes both.
   */
  settlementBooks?: "together" | "separate";
  /** Paradex's pipeline beyond the scan, read by paradexMargin (the grid alone ignores it). */
  paradex?: ParadexRules;
  /** OKX's measures beyond the scan, read by okxMargin (the grid alone ignores it). */
  okx?: OkxRules;
  /** Bybit's figures beyond the scan, read by bybitMargin (the grid alone ignores it). */
  bybit?: BybitRules;
}

/** The names of the margin profiles that ship with pmargin (src/profiles/*.json). */
export type BuiltInProfileName = "deribit" | "paradex" | "bybit" | "okx" | "span";
