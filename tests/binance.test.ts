// Binance Portfolio Margin uniMMR (binanceUniMMR) against the figures Binance publishes: the
// rows of the "Collateral Calculation and Liquidation Example" of its uniMMR FAQ (the stored
// copies stop before the example's results, so the account's uniMMR is hand-computed from the
// FAQ's formula), the tiered collateral example of its Cross Margin FAQ, and hand-computed brackets.
import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import { binanceUniMMR } from "../src/methods/binance/unimmr.js";
import type { BinanceAccount, BinanceBracket } from "../src/model/binance.js";

const flat = (rate: number): BinanceBracket[] => [{ notionalFloor: 0, notionalCap: 1e12, maintMarginRatio: rate, cum: 0 }];
const close = (a: number, b: number): void => {
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(b)));
};

// Binance FAQ "Binance Portfolio Margin Pro Maintenance Margin Ratio Calculation",
// https://www.binance.com/en/support/faq/5e33af8e6ac04d57a1d0a3398e0a0752 (stored copies read
// 2026-12-07; the uniMMR FAQ 4868b2f1aa6c4d08af973328462bb0bd, "last updated 6 Feb 2025", states
// the same formula). Published rows: Cross Margin USDT 1,000 / loan 0; BTC 0.1 / loan 0.04,
// equity 0.06, Margin MM 0.004; ETH 20 / loan 15, equity 5, Margin MM 1.5. USDⓈ-M wallet 5,000
// USDT, COIN-M wallet 0.1 BTC; MMR bracket 0.5 %; BTCUSDT_PERP short 0.05 BTC at 52,000, mark
// 40,000, unrealised PnL 600 USDT; BTCUSDT_20220624 long 0.04 BTC at 52,350, mark 42,000, −414
// USDT; BTCUSD_PERP long 10,000 USD at 50,000, mark 40,000. Not in the stored copies, chosen
// here: the index prices (USDT 1, BTC 40,000, ETH 3,000) and collateral rates (USDT 1, BTC and
// ETH 0.95).
const faq = (): BinanceAccount => ({
  assets: [
    { asset: "USDT", indexPrice: 1, marginAsset: 1000, futuresAsset: 5000, collateralRate: 1 },
    { asset: "BTC", indexPrice: 40_000, marginAsset: 0.1, marginLoan: 0.04, marginMMR: 0.1, futuresAsset: 0.1, collateralRate: 0.95 },
    { asset: "ETH", indexPrice: 3_000, marginAsset: 20, marginLoan: 15, marginMMR: 0.1, collateralRate: 0.95 },
  ],
  positions: [
    { symbol: "BTCUSDT_PERP", type: "UM", asset: "USDT", positionAmt: -0.05, entryPrice: 52_000, markPrice: 40_000, brackets: flat(0.005) },
    { symbol: "BTCUSDT_20220624", type: "UM", asset: "USDT", positionAmt: 0.04, entryPrice: 52_350, markPrice: 42_000, brackets: flat(0.005) },
    { symbol: "BTCUSD_PERP", type: "CM", asset: "BTC", positionAmt: 100, contractSize: 100, entryPrice: 50_000, markPrice: 40_000, brackets: flat(0.005) },
  ],
});

describe("Binance's uniMMR FAQ example (Portfolio Margin Pro maintenance margin ratio)", () => {
  it("reproduces its published rows: unrealised PnL 600 and −414 USDT, equities 0.06 BTC and 5 ETH, Margin MM 0.004 BTC and 1.5 ETH", () => {
    const r = binanceUniMMR(faq());
    const pos = new Map(r.positions.map((p) => [p.symbol, p]));
    close(pos.get("BTCUSDT_PERP")!.unrealizedProfit, 600);
    close(pos.get("BTCUSDT_20220624")!.unrealizedProfit, -414);
    const asset = new Map(r.assets.map((a) => [a.asset, a]));
    close(asset.get("BTC")!.marginMM, 0.004);
    close(asset.get("ETH")!.marginMM, 1.5);
    close(asset.get("ETH")!.equity, 5);
    // BTC: Cross Margin 0.06 + COIN-M wallet 0.1 + the COIN-M PnL.
    close(asset.get("BTC")!.equity, 0.06 + 0.1 + asset.get("BTC")!.futuresUnrealPnL);
  });

  it("its uniMMR, hand-computed from the FAQ's formula: 24,616 / 4,728.4", () => {
    const r = binanceUniMMR(faq());
    // COIN-M PnL: 10,000 USD × (1/50,000 − 1/40,000) = −0.05 BTC; futuresMM 0.5 % × 10,000 / 40,000 = 0.00125 BTC.
    const pos = new Map(r.positions.map((p) => [p.symbol, p]));
    close(pos.get("BTCUSD_PERP")!.unrealizedProfit, -0.05);
    close(pos.get("BTCUSD_PERP")!.maintMargin, 0.00125);
    close(pos.get("BTCUSDT_PERP")!.maintMargin, 10);
    close(pos.get("BTCUSDT_20220624")!.maintMargin, 8.4);
    // Equity: USDT 1,000 + 5,000 + 600 − 414 = 6,186; BTC 0.11 × 40,000 = 4,400 → × 0.95 = 4,180; ETH 15,000 → 14,250.
    close(r.actualEquity, 6_186 + 4_400 + 15_000);
    close(r.accountEquity, 6_186 + 4_180 + 14_250);
    // MM: USDT 18.4; BTC (0.00125 + 0.004) × 40,000 = 210; ETH 1.5 × 3,000 = 4,500.
    close(r.accountMaintMargin, 18.4 + 210 + 4_500);
    close(r.uniMMR!, 24_616 / 4_728.4);
    expect(r.totalMarginOpenLoss).toBe(0);
    close(r.adjustedEquity, 24_616);
  });

  it("open loss of Cross Margin orders lowers the adjusted equity by its USD value (the FAQ's ∑Equity − OpenLoss × assetIndexPrice)", () => {
    const a = faq();
    a.assets[1] = { ...a.assets[1]!, openLoss: 0.01 };
    const r = binanceUniMMR(a);
    close(r.totalMarginOpenLoss, 400);
    close(r.uniMMR!, (24_616 - 400) / 4_728.4);
  });
});

describe("tiered collateral and brackets", () => {
  it("Binance's tiered collateral example: 6,000 BTC at 20,000 counts 100,000,000 × 100 % + 20,000,000 × 97.5 % = 119,500,000 USD", () => {
    // Binance FAQ "Binance Cross Margin Collateral Haircuts", https://www.binance.com/en-BH/support/faq/4bec9126c021472285b20874f9380dfb,
    // example 1 (the Cross Margin program's tiered collateral ratio, the shape of Portfolio Margin's tierFloor/tierCap/collateralRate).
    const tiers = [
      { tierFloor: 0, tierCap: 100e6, collateralRate: 1 }, { tierFloor: 100e6, tierCap: 120e6, collateralRate: 0.975 },
      { tierFloor: 120e6, tierCap: 150e6, collateralRate: 0.95 }, { tierFloor: 150e6, tierCap: 180e6, collateralRate: 0.9 },
      { tierFloor: 180e6, tierCap: 200e6, collateralRate: 0.85 },
    ];
    const r = binanceUniMMR({ assets: [{ asset: "BTC", indexPrice: 20_000, marginAsset: 6_000, collateralTiers: tiers }] });
    expect(r.accountEquity).toBe(119_500_000);
    expect(r.actualEquity).toBe(120_000_000);
    expect(r.uniMMR).toBeNull();
    expect(() => binanceUniMMR({ assets: [{ asset: "BTC", indexPrice: 20_000, marginAsset: 20_000, collateralTiers: tiers }] })).toThrow(/assets\[0\]\.collateralTiers/);
  });

  it("a bracket's cum makes notional × rate − cum the tier-by-tier sum (hand-computed: 0.4 % to 50,000, 0.5 % above, cum 50)", () => {
    const brackets = [
      { notionalFloor: 0, notionalCap: 50_000, maintMarginRatio: 0.004, cum: 0 },
      { notionalFloor: 50_000, notionalCap: 250_000, maintMarginRatio: 0.005, cum: 50_000 * (0.005 - 0.004) },
    ];
    const r = binanceUniMMR({
      assets: [{ asset: "USDT", indexPrice: 1, futuresAsset: 1_000 }],
      positions: [{ symbol: "BTCUSDT", type: "UM", asset: "USDT", positionAmt: 2, markPrice: 50_000, brackets }],
    });
    close(r.positions[0]!.maintMargin, 50_000 * 0.004 + 50_000 * 0.005);
    close(r.uniMMR!, 1_000 / 450);
  });

  it("a debt counts in full: a negative equity is not reduced by its collateral rate", () => {
    const r = binanceUniMMR({ assets: [{ asset: "ETH", indexPrice: 3_000, marginAsset: 1, marginLoan: 2, marginMMR: 0.1, collateralRate: 0.9 }] });
    close(r.accountEquity, -3_000);
    close(r.accountMaintMargin, 600);
  });

  it("refuses bad accounts with the field named", () => {
    expect(() => binanceUniMMR({ assets: [{ asset: "USDT", indexPrice: -1 }] })).toThrow(InputError);
    expect(() => binanceUniMMR({ assets: [{ asset: "USDT", indexPrice: 1 }, { asset: "USDT", indexPrice: 1 }] })).toThrow(/assets\[1\]\.asset/);
    expect(() => binanceUniMMR({ assets: [{ asset: "USDT", indexPrice: 1 }], positions: [{ symbol: "X", type: "UM", asset: "BTC", positionAmt: 1, markPrice: 1, brackets: flat(0.01) }] })).toThrow(/positions\[0\]\.asset/);
    expect(() => binanceUniMMR({ assets: [{ asset: "USDT", indexPrice: 1 }], positions: [{ symbol: "X", type: "UM", asset: "USDT", positionAmt: 1, markPrice: 1, brackets: [{ notionalFloor: 5, notionalCap: 10, maintMarginRatio: 0.01, cum: 0 }] }] })).toThrow(/brackets/);
    expect(() => binanceUniMMR({ assets: [{ asset: "USDT", indexPrice: 1, extra: 1 } as never] })).toThrow(/unknown field/);
  });
});
