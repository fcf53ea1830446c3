// The public data model: what a user writes in portfolio.json and market.json.
// Dates are ISO-8601 strings (UTC when no offset is given); amounts are plain numbers
// whose currency each type states.

/** linear: premium, PnL and margin in USD (USDT/USDC); inverse: in the underlying coin. */
export type Settlement = "linear" | "inverse";
export type OptionRight = "call" | "put";

export interface PositionBase {
  /** Free-form label echoed in results (defaults to the position's index). */
  id?: string;
  /** Underlying symbol; must have an entry in the market data. */
  underlying: string;
  /** Signed number of units or contracts: positive long, negative short. */
  quantity: number;
}

/** A holding of the coin itself; quantity in coins. */
export interface SpotPosition extends PositionBase {
  kind: "spot";
}

/**
 * Future or perpetual (no expiry).
 * linear: PnL (USD) = quantity × contractSize × (F1 − F0), contractSize in coin (default 1).
 * inverse: PnL (coin) = quantity × faceValue × (1/F0 − 1/F1), faceValue in USD (default 1;
 * Deribit BTC = 10, ETH = 1).
 */
export interface FuturePosition extends PositionBase {
  kind: "future";
  settlement: Settlement;
  /** Expiry; omitted for a perpetual, which is valued at the index. */
  expiry?: string;
  contractSize?: number;
  faceValue?: number;
  /** Optional entry price, for the unrealised PnL in valuations. */
  entryPrice?: number;
}

/**
 * European option on the forward of its expiry, priced with Black-76.
 * linear: premium in USD = Black-76 price × contractSize.
 * inverse (Deribit BTC/ETH): premium in coin = Black-76 USD price / F × contractSize.
 * contractSize in coin, default 1.
 */
export interface OptionPosition extends PositionBase {
  kind: "option";
  settlement: Settlement;
  right: OptionRight;
  strike: number;
  expiry: string;
  contractSize?: number;
}

export type Position = SpotPosition | FuturePosition | OptionPosition;

/** Whether every position settles in the coin (inverse, or the coin itself): such a book's risk is measured in coin. */
export const isCoinSettled = (positions: readonly Position[]): boolean =>
  positions.every((p) => p.kind === "spot" || p.settlement === "inverse");

export interface Portfolio {
  name?: string;
  positions: Position[];
  /** Market-maker-protection settings of the account, for a venue that reserves margin for them (Deribit). */
  mmp?: MmpSetting[];
}

/** One market-maker-protection configuration: its limits in the underlying's coin (Deribit's MMP settings). */
export interface MmpSetting {
  underlying: string;
  /** Quantity limit, coins (0: none). */
  quantityLimit: number;
  /** Delta limit, coins (0 or absent: none). */
  deltaLimit?: number;
}

/** One expiry of an implied-volatility surface: vols on strike or log-moneyness nodes. */
export interface VolSlice {
  expiry: string;
  /** ln(K / F) nodes, increasing. Exactly one of logMoneyness and strikes. */
  logMoneyness?: number[];
  /** Strike nodes, increasing; converted to ln(K / F) with the slice's forward. */
  strikes?: number[];
  /** Implied vols (decimal, 0.55 = 55%) at the nodes. */
  vols: number[];
}

export interface ForwardQuote {
  expiry: string;
  price: number;
}

export interface UnderlyingMarket {
  /** Index (spot) price in USD. */
  index: number;
  /** Continuous risk-free rate used to discount option premiums (default 0, as Deribit). */
  rate?: number;
  /** Quoted futures prices; forwards between them interpolate in log price, constant carry. */
  forwards?: ForwardQuote[];
  /** Annualised continuous basis for expiries without quotes, F = index·e^(basis·T) (default 0). */
  basis?: number;
  /** Implied-vol surface; required when the portfolio holds options on this underlying. */
  surface?: VolSlice[];
  /** How easily positions on this underlying close: the account add-ons' inputs (src/account/addons.ts). */
  liquidity?: UnderlyingLiquidity;
  /**
   * Mark prices of futures by instrument id (a position's `id`), USD per coin: a perpetual
   * or dated future listed here is valued at its own mark, not at the index or the forward curve.
   */
  marks?: Record<string, number>;
  /**
   * Mark implied vols of options by instrument id (a position's `id`): an option listed here
   * is valued at its own mark IV, and the vol shocks apply to it (its smile is flat at that
   * IV, sticky strike), instead of reading the surface.
   */
  markIvs?: Record<string, number>;
  /** The perpetual's funding rate per 8 hours (Paradex's market summary funding_rate): Paradex's funding provision. */
  fundingRate8h?: number;
}

/** Market depth of an underlying, for the liquidity and concentration add-ons. */
export interface UnderlyingLiquidity {
  /** Full bid–ask spread as a fraction of the price (0.0002 = 2 bp). */
  spread: number;
  /** Average daily volume, coins. */
  adv: number;
  /** Open interest, coins; concentration is measured against it (against adv when absent). */
  openInterest?: number;
  /** Daily volatility (decimal) for the impact law; default the surface's 30-day ATM implied vol / √365. */
  dailyVol?: number;
  /** Y of the square-root impact law, cost = Y·σ_daily·√(Q / adv) of the notional (default 1). */
  impact?: number;
}

export interface MarketData {
  /** Valuation time. */
  asOf: string;
  underlyings: Record<string, UnderlyingMarket>;
}

/** What makes two positions the same instrument (the same contract, whatever their ids and sizes). */
export function instrumentKey(p: Position): string {
  switch (p.kind) {
    case "spot": return `spot ${p.underlying}`;
    case "future": return `future ${p.underlying} ${p.settlement} ${p.expiry ?? "perpetual"} ${p.contractSize ?? p.faceValue ?? 1}`;
    case "option": return `option ${p.underlying} ${p.settlement} ${p.right} ${p.strike} ${p.expiry} ${p.contractSize ?? 1}`;
  }
}
