// The JS twin of assembly/reduce.ts: worst weighted losses of PnL rows over a grid's
// scenarios, in USD and in coin, operation for operation as the kernel computes them
// (coinPnl of src/risk/reduce.ts and dampen of src/methods/grid/extended.ts, written out).
import type { LossWeights, WorstLosses } from "../engine/backend.js";

/**
 * For each row of USD PnL per scenario of a holding worth values[r] USD now (index s0),
 * the largest weighted loss −dampen(x·factor, damp) and the first scenario that gives it,
 * x the PnL in USD and in coin, (v0 + x)/(s0·priceFactor) − v0/s0.
 */
export function worstLossesReference(rows: readonly ArrayLike<number>[], values: ArrayLike<number>, w: LossWeights, s0: number): WorstLosses {
  const n = rows.length;
  const out: WorstLosses = { usd: new Float64Array(n), usdAt: new Float64Array(n), coin: new Float64Array(n), coinAt: new Float64Array(n) };
  const nScen = w.priceFactor.length;
  for (let r = 0; r < n; r++) {
    const row = rows[r]!;
    const v0 = 0 + values[r]!;
    let usd = -Infinity, usdAt = -1, coin = -Infinity, coinAt = -1;
    for (let s = 0; s < nScen; s++) {
      const pnl = 0 + row[s]!;
      const inCoin = (v0 + pnl) / (s0 * w.priceFactor[s]!) - v0 / s0;
      const lossUsd = -1 * dampen(pnl * w.usdFactor[s]!, w.usdDamp[s]!);
      const lossCoin = -1 * dampen(inCoin * w.coinFactor[s]!, w.coinDamp[s]!);
      if (lossUsd > usd) {
        usd = lossUsd;
        usdAt = s;
      }
      if (lossCoin > coin) {
        coin = lossCoin;
        coinAt = s;
      }
    }
    out.usd[r] = usd;
    out.usdAt[r] = usdAt;
    out.coin[r] = coin;
    out.coinAt[r] = coinAt;
  }
  return out;
}

/** x moved toward 0 by `amount`, never past it. */
export function dampen(x: number, amount: number): number {
  return x > 0 ? Math.max(x - amount, 0) : Math.min(x + amount, 0);
}
