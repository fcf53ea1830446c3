// A Binance Portfolio Margin account as its uniMMR reads it: per asset the Cross Margin
// balance and loan, the futures wallets and the index price; the USDⓈ-M and COIN-M
// positions with their maintenance brackets; the collateral rate of each asset.

/** A collateral-rate tier (Binance's tiered collateral rate): the part of an asset's USD value within [tierFloor, tierCap) counts at collateralRate. */
export interface BinanceCollateralTier {
  tierFloor: number;
  tierCap: number;
  collateralRate: number;
}

/** One asset of the account (USDT, BTC, …), amounts in the asset. */
export interface BinanceAsset {
  asset: string;
  /** The asset's index price, USD (Binance's assetIndexPrice). */
  indexPrice: number;
  /** Cross Margin balance (MarginAsset); default 0. */
  marginAsset?: number;
  /** Cross Margin loan (MarginLoan); default 0. */
  marginLoan?: number;
  /** USDⓈ-M or COIN-M futures wallet balance in this asset (futuresAsset); default 0. */
  futuresAsset?: number;
  /** The maintenance margin rate of a Cross Margin loan of this asset (MarginMM = loan × rate); default 0. */
  marginMMR?: number;
  /** Open loss of Cross Margin orders, in the asset (OpenLoss); default 0. */
  openLoss?: number;
  /** A flat collateral rate, or tiers on the asset's USD value; without either, 1. */
  collateralRate?: number;
  collateralTiers?: BinanceCollateralTier[];
}

/**
 * A maintenance-margin bracket (Binance's leverage brackets): a notional in (notionalFloor,
 * notionalCap] has maintMarginRatio and the maintenance amount cum, both in the position's
 * margin asset (USDⓈ-M: the quote, e.g. USDT; COIN-M: the coin).
 */
export interface BinanceBracket {
  notionalFloor: number;
  notionalCap: number;
  maintMarginRatio: number;
  cum: number;
}

/**
 * A futures position. "UM" (USDⓈ-M): positionAmt in the base coin, PnL and margin in the
 * margin asset (USDT, USDC). "CM" (COIN-M): positionAmt in contracts of contractSize USD,
 * PnL and margin in the coin.
 */
export interface BinancePosition {
  symbol: string;
  type: "UM" | "CM";
  /** The asset the position's PnL and margin are in (USDT for BTCUSDT, BTC for BTCUSD_PERP). */
  asset: string;
  /** Signed: + long, − short. */
  positionAmt: number;
  markPrice: number;
  /** Gives the unrealised PnL (futuresUnrealPnL) when present. */
  entryPrice?: number;
  /** COIN-M contract size, USD (default 1). */
  contractSize?: number;
  brackets: BinanceBracket[];
}

export interface BinanceAccount {
  assets: BinanceAsset[];
  positions?: BinancePosition[];
}

/** A position's notional as its brackets measure it: USDⓈ-M |amount| × mark in the margin asset, COIN-M |contracts| × size / mark in the coin. */
export function binanceNotional(p: BinancePosition): number {
  return p.type === "UM" ? Math.abs(p.positionAmt) * p.markPrice : (Math.abs(p.positionAmt) * (p.contractSize ?? 1)) / p.markPrice;
}
