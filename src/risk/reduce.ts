// The reductions every method applies to revalued PnL, each written once:
// portfolio losses from rows, the worst weighted loss, and PnL in coin.
// (The revalue kernel converts to a coin itself, per position, when asked for a
// currency: RevalueOptions.currency; the methods convert books' sums here.)

/**
 * Coin PnL of a book worth `v0` USD now whose USD PnL in a scenario is `pnl`: its coin
 * value then less now, (v0 + pnl)/(s0·factor) − v0/s0, where `factor` is the scenario's
 * price factor S′/S0 as the scenario states it (1 + move for a grid's simple move,
 * e^x for a path's log move).
 */
export function coinPnl(v0: number, pnl: number, s0: number, factor: number): number {
  return (v0 + pnl) / (s0 * factor) - v0 / s0;
}

/** The largest weighted loss −weight·PnL seen, and the first scenario that gave it; scenarios are offered in order. */
export class WorstWeightedLoss {
  loss = -Infinity;
  index = -1;

  offer(scenario: number, weight: number, pnl: number): void {
    const loss = -weight * pnl;
    if (loss > this.loss) {
      this.loss = loss;
      this.index = scenario;
    }
  }
}

/** The largest weighted loss −weight·PnL over the scenarios, and the first scenario that gives it. */
export function worstWeightedLoss(scenarios: readonly { weight: number }[], pnl: ArrayLike<number>): { loss: number; index: number } {
  const worst = new WorstWeightedLoss();
  for (let s = 0; s < scenarios.length; s++) worst.offer(s, scenarios[s]!.weight, pnl[s]!);
  return { loss: worst.loss, index: worst.index };
}

/**
 * Losses (−Σ PnL) of the rows summed in order: every method adds them the same way, so
 * the same bits. Into `out` when given (a million-path array is costly to allocate afresh).
 */
export function lossesOf(rows: readonly Float64Array[], out = new Float64Array(rows[0]!.length)): Float64Array {
  out.fill(0);
  for (const row of rows) subtract(out, row);
  return out;
}

/**
 * out −= row. A function of its own: inlined in lossesOf, V8 optimised the million-element
 * loop on the stack (OSR) without feedback for the rest of lossesOf, and deoptimised it on
 * leaving the loop ("insufficient type feedback", --trace-deopt), so the next rows ran interpreted.
 */
function subtract(out: Float64Array, row: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = out[i]! - row[i]!;
}
