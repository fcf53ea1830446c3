// pmargin/risk: the statistics the methods reduce revaluations with — tail risk
// (VaR, ES and their standard errors from the largest losses, merged across
// parts), the reducers written once (coin PnL, worst weighted loss, losses),
// backtest statistics (Kupiec, Christoffersen, the Basel traffic light), and the
// estimators and correlation tools a Monte Carlo model is built from.
export {
  tailRisk, tailRiskOfLargest, tailCount, largest, mergeLargest, mergeWorst, histogram, worstIndices,
  type TailRisk, type TailEstimate, type WorstLosses,
} from "./tail.js";
export { coinPnl, WorstWeightedLoss, worstWeightedLoss, lossesOf } from "./reduce.js";
export { kupiec, christoffersen, trafficLight, type Kupiec, type Christoffersen, type TrafficLight } from "./backtest-stats.js";
export { realisedVol, ewmaVol, correlationFrom } from "../history/estimate.js";
export { returnWindows, OUTLIER_DEVIATIONS, type PriceHistory, type PriceOutlier, type ReturnWindows } from "../history/history.js";
export { prepareCorrelation, nearestCorrelation, type Correlation, type CorrelationInput } from "../math/correlation.js";
export type { Selector } from "../engine/select.js";
