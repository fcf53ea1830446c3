// Binance Portfolio Margin's unified maintenance margin ratio, as Binance publishes it:
// uniMMR = Σ adjusted equity / Σ maintenance margin, in USD. Per asset, equity = Cross Margin
// balance − loan + futures wallet + futures unrealised PnL, counted at min(value × collateral
// rate, value); maintenance margin = Σ the futures' |notional| × bracket rate − cum + loan × rate.
// Results under the names of Binance's GET /papi/v1/account (docs/binance.md).
import { InputError } from "../../errors.js";
import { binanceNotional, type BinanceAccount, type BinanceAsset, type BinanceCollateralTier, type BinancePosition } from "../../model/binance.js";
import { parseBinanceAccount } from "../../schema/binance.js";

/** One futures position's maintenance margin and PnL, in its margin asset. */
export interface BinancePositionMargin {
  symbol: string;
  asset: string;
  /** |notional| in the asset its brackets measure (USDⓈ-M: the quote; COIN-M: the coin). */
  notional: number;
  /** The bracket's maintenance margin ratio and amount. */
  maintMarginRatio: number;
  cum: number;
  /** notional × maintMarginRatio − cum, in the asset (futuresMM). */
  maintMargin: number;
  /** (mark − entry) × amount (USDⓈ-M), contracts × size × (1/entry − 1/mark) (COIN-M); 0 without an entry price. */
  unrealizedProfit: number;
}

/** One asset's part, amounts in the asset, values in USD. */
export interface BinanceAssetMargin {
  asset: string;
  /** MarginAsset − MarginLoan + futuresAsset + futuresUnrealPnL. */
  equity: number;
  /** The futures' unrealised PnL in this asset. */
  futuresUnrealPnL: number;
  /** equity × index price, USD. */
  actualEquity: number;
  /** min(actualEquity × collateral rate, actualEquity), USD (tiered rates slice by slice). */
  accountEquity: number;
  /** Loan × its maintenance margin rate, in the asset (MarginMM). */
  marginMM: number;
  /** Σ the positions' maintMargin in this asset (futuresMM). */
  futuresMM: number;
  /** (futuresMM + marginMM) × index price, USD. */
  maintMargin: number;
}

/** The account's uniMMR and its parts, under Binance's names, USD. */
export interface BinanceUniMmrResult {
  /** Σ adjusted equity / Σ maintenance margin; null when the account needs no maintenance margin. */
  uniMMR: number | null;
  /** Σ accountEquity − totalMarginOpenLoss: the adjusted equity uniMMR divides. */
  adjustedEquity: number;
  /** Σ equity with collateral rates. */
  accountEquity: number;
  /** Σ equity without collateral rates. */
  actualEquity: number;
  /** Σ maintenance margin (futures and Cross Margin loans). */
  accountMaintMargin: number;
  /** Σ open loss of Cross Margin orders × index price. */
  totalMarginOpenLoss: number;
  assets: BinanceAssetMargin[];
  positions: BinancePositionMargin[];
}

/**
 * Binance Portfolio Margin uniMMR of an account (docs/binance.md).
 *
 * @example
 * ```ts
 * import { binanceUniMMR } from "pmargin";
 * const r = binanceUniMMR({ assets: [{ asset: "USDT", indexPrice: 1, futuresAsset: 1000 }], positions: [] });
 * r.uniMMR; // null: nothing to maintain
 * ```
 */
export function binanceUniMMR(account: BinanceAccount): BinanceUniMmrResult {
  const a = parseBinanceAccount(account, "account");
  const positions = (a.positions ?? []).map(positionMargin);
  const assets = a.assets.map((x, i) => assetMargin(x, i, positions));
  const sum = (f: (m: BinanceAssetMargin) => number): number => assets.reduce((t, m) => t + f(m), 0);
  const accountEquity = sum((m) => m.accountEquity);
  const totalMarginOpenLoss = a.assets.reduce((t, x) => t + (x.openLoss ?? 0) * x.indexPrice, 0);
  const accountMaintMargin = sum((m) => m.maintMargin);
  const adjustedEquity = accountEquity - totalMarginOpenLoss;
  return {
    uniMMR: accountMaintMargin > 0 ? adjustedEquity / accountMaintMargin : null,
    adjustedEquity, accountEquity, actualEquity: sum((m) => m.actualEquity), accountMaintMargin, totalMarginOpenLoss, assets, positions,
  };
}

function positionMargin(p: BinancePosition): BinancePositionMargin {
  const notional = binanceNotional(p);
  const b = p.brackets.find((x) => notional <= x.notionalCap)!;
  const upnl = p.entryPrice === undefined ? 0
    : p.type === "UM" ? p.positionAmt * (p.markPrice - p.entryPrice)
    : p.positionAmt * (p.contractSize ?? 1) * (1 / p.entryPrice - 1 / p.markPrice);
  return { symbol: p.symbol, asset: p.asset, notional, maintMarginRatio: b.maintMarginRatio, cum: b.cum, maintMargin: Math.max(notional * b.maintMarginRatio - b.cum, 0), unrealizedProfit: upnl };
}

function assetMargin(x: BinanceAsset, i: number, positions: BinancePositionMargin[]): BinanceAssetMargin {
  const mine = positions.filter((p) => p.asset === x.asset);
  const futuresUnrealPnL = mine.reduce((t, p) => t + p.unrealizedProfit, 0);
  const loan = x.marginLoan ?? 0;
  const equity = (x.marginAsset ?? 0) - loan + (x.futuresAsset ?? 0) + futuresUnrealPnL;
  const actualEquity = equity * x.indexPrice;
  const marginMM = loan * (x.marginMMR ?? 0);
  const futuresMM = mine.reduce((t, p) => t + p.maintMargin, 0);
  return {
    asset: x.asset, equity, futuresUnrealPnL, actualEquity, accountEquity: collateralValue(actualEquity, x, i),
    marginMM, futuresMM, maintMargin: (futuresMM + marginMM) * x.indexPrice,
  };
}

/** min(value × rate, value): a debt counts in full; tiers rate each slice of a positive value. */
function collateralValue(value: number, x: BinanceAsset, i: number): number {
  if (value <= 0) return value;
  if (x.collateralTiers) {
    const last = x.collateralTiers[x.collateralTiers.length - 1]!;
    if (value > last.tierCap) throw new InputError(`assets[${i}].collateralTiers`, `${x.asset}'s value ${value} USD is above the last tier's cap ${last.tierCap}`, "account");
    return tiered(value, x.collateralTiers);
  }
  return value * (x.collateralRate ?? 1);
}

function tiered(value: number, tiers: BinanceCollateralTier[]): number {
  return tiers.reduce((t, s) => t + Math.max(0, Math.min(value, s.tierCap) - s.tierFloor) * s.collateralRate, 0);
}
