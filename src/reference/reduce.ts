// The JS twin of assembly/reduce.ts: worst weighted losses of PnL rows over a grid's
// scenarios, in USD and in coin, operation for operation as the kernel computes them
// (coinPnl of src/risk/reduce.ts and dampen, written out).
import type { LossWeights, WorstLosses } from "../engine/backend.js";

/**
 * For each row of USD PnL per scenario of a holding worth values[r] USD now (index s0),
 * the largest weighted loss −dampen(x·factor, damp) and the first scenario that gives it,
 * x the PnL in USD and in coin, (v0 + x)/(s0·priceFactor) − v0/s0.
 */
export function worstLossesReference(rows: readonly ArrayLike<number>[], values: ArrayLike<number>, w: LossWeights, s0: number): WorstLosses {
  const n = rows.length;
  const out: WorstLosses = { usd: new Float64Array(n), usdAt: new Float64Array(n), coin: new Float64Array(n), coinAt: new Float64Array(n) };
  rows.forEach((row, r) => {
    const v0 = 0 + values[r]!;
    const usd = (s: number): number => 0 + row[s]!;
    const coin = (s: number): number => (v0 + usd(s)) / (s0 * w.priceFactor[s]!) - v0 / s0;
    [out.usd[r], out.usdAt[r]] = worstOf(usd, w.usdFactor, w.usdDamp);
    [out.coin[r], out.coinAt[r]] = worstOf(coin, w.coinFactor, w.coinDamp);
  });
  return out;
}

/** The largest −dampen(pnl(s)·factor[s], damp[s]) over the scenarios and the first one giving it (−Infinity, −1 without any). */
function worstOf(pnl: (s: number) => number, factor: Float64Array, damp: Float64Array): [number, number] {
  let worst = -Infinity;
  let at = -1;
  for (let s = 0; s < factor.length; s++) {
    const loss = -1 * dampen(pnl(s) * factor[s]!, damp[s]!);
    if (loss > worst) [worst, at] = [loss, s];
  }
  return [worst, at];
}

/** x moved toward 0 by `amount`, never past it. */
export function dampen(x: number, amount: number): number {
  return x > 0 ? Math.max(x - amount, 0) : Math.min(x + amount, 0);
}
