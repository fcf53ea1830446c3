// Worst weighted losses of PnL rows over a grid's scenarios, in USD and in the coin,
// where the revaluation left them: one pass per row, no allocation. The arithmetic is
// src/risk/reduce.ts's coinPnl and src/methods/grid/extended.ts's dampen, operation for
// operation and in the same order (no fused multiply-add), so the figures keep their bits;
// src/reference/reduce.ts is its JS twin.

/** x moved toward 0 by `amount`, never past it. */
@inline function dampen(x: f64, amount: f64): f64 {
  return x > 0 ? max(x - amount, 0) : min(x + amount, 0);
}

/**
 * For each of `nRows` rows of `nScen` USD PnLs (row r at rows + r·nScen·8) of a holding
 * worth values[r] USD now, the largest weighted loss −dampen(x·factor, damp) and the first
 * scenario giving it, x the PnL in USD and in coin ((v0 + x)/(s0·priceFactor) − v0/s0).
 * `weights` holds five planes of nScen: priceFactor (S′/S0), usdFactor, usdDamp,
 * coinFactor, coinDamp. Writes four planes of nRows at `out`: USD loss, its scenario,
 * coin loss, its scenario (−Infinity and −1 without scenarios).
 */
export function worstLossesF64(rows: usize, nRows: i32, nScen: i32, values: usize, weights: usize, s0: f64, out: usize): void {
  const stride = <usize>nScen << 3;
  const plane = <usize>nRows << 3;
  for (let r = 0; r < nRows; r++) {
    const row = rows + <usize>r * stride;
    const v0: f64 = 0.0 + load<f64>(values + (<usize>r << 3));
    let usd: f64 = -Infinity;
    let usdAt: i32 = -1;
    let coin: f64 = -Infinity;
    let coinAt: i32 = -1;
    for (let s = 0; s < nScen; s++) {
      const at = <usize>s << 3;
      const pnl: f64 = 0.0 + load<f64>(row + at);
      const inCoin = (v0 + pnl) / (s0 * load<f64>(weights + at)) - v0 / s0;
      const lossUsd = -1.0 * dampen(pnl * load<f64>(weights + stride + at), load<f64>(weights + 2 * stride + at));
      const lossCoin = -1.0 * dampen(inCoin * load<f64>(weights + 3 * stride + at), load<f64>(weights + 4 * stride + at));
      if (lossUsd > usd) {
        usd = lossUsd;
        usdAt = s;
      }
      if (lossCoin > coin) {
        coin = lossCoin;
        coinAt = s;
      }
    }
    const o = out + (<usize>r << 3);
    store<f64>(o, usd);
    store<f64>(o + plane, <f64>usdAt);
    store<f64>(o + 2 * plane, coin);
    store<f64>(o + 3 * plane, <f64>coinAt);
  }
}
