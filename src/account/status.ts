// Margin status as exchanges report it: equity against IM and MM, the margin ratio
// MM / equity, available funds, and the state the thresholds put the account in.
import { expectFinite } from "../errors.js";
import { checkedThresholds, type StatusThresholds } from "../model/account.js";

export type MarginState = "healthy" | "margin-call" | "liquidation";

export interface MarginStatus {
  currency: "USD";
  equity: number;
  initial: number;
  maintenance: number;
  /** MM / equity; null when equity ≤ 0 (no ratio: the account is past liquidation unless it holds nothing). */
  marginRatio: number | null;
  /** Equity − IM: what new orders can still use (negative: none, and reduce-only). */
  availableFunds: number;
  state: MarginState;
}

/**
 * A ratio at or above a threshold puts the account in that threshold's state.
 *
 * @example
 * ```ts
 * import { DEFAULT_THRESHOLDS, marginStatus } from "pmargin";
 * marginStatus(10_000, 6_000, 4_500, DEFAULT_THRESHOLDS).state; // ratio 0.45: "healthy"
 * ```
 */
export function marginStatus(equity: number, initial: number, maintenance: number, thresholds: StatusThresholds): MarginStatus {
  expectFinite(equity, "equity");
  expectFinite(initial, "initial");
  expectFinite(maintenance, "maintenance");
  thresholds = checkedThresholds(thresholds);
  const marginRatio = equity > 0 ? maintenance / equity : null;
  // Without equity: bankrupt if anything is owed or held at risk, else an empty account.
  const empty = equity === 0 && maintenance === 0;
  const state: MarginState = marginRatio === null
    ? (empty ? "healthy" : "liquidation")
    : marginRatio >= thresholds.liquidation ? "liquidation" : marginRatio >= thresholds.marginCall ? "margin-call" : "healthy";
  return { currency: "USD", equity, initial, maintenance, marginRatio: empty ? 0 : marginRatio, availableFunds: equity - initial, state };
}
