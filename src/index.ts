// pmargin: portfolio margin and risk for crypto derivatives, on a SIMD WebAssembly core.
//
// The main entry is a user's view: inputs, the methods, their options and results,
// errors, profiles, and the backend a method takes. Lower tiers, each its own entry
// with its own API report (api/*.api.md): pmargin/engine (backends, books, scenarios,
// path plans, limits, the kernels' layout), pmargin/reference (the pure-JS twins and
// closed forms), pmargin/risk (tail statistics, reducers, backtest statistics,
// estimators). See docs/architecture.md.

// Errors
export { PmarginError, InputError, LimitError } from "./errors.js";

// Inputs: parse and validate once, then build the market.
export type {
  Settlement, OptionRight, SpotPosition, FuturePosition, OptionPosition, Position, Portfolio,
  VolSlice, ForwardQuote, UnderlyingMarket, UnderlyingLiquidity, MarketData, PositionBase, MmpSetting,
} from "./model/types.js";
export { parseJson, parsePortfolio, parseMarket, checkAgainstMarket, parseProfile, parseMonteCarloModel, parseStressScenarios } from "./schema/index.js";
export { parseAccount, checkAccountAgainstMarket } from "./schema/account.js";
export { parseUpdate, type Update } from "./schema/updates.js";
export { buildMarket, type Market, type UnderlyingCurves } from "./market/market.js";
export type { ForwardCurve, ForwardNode } from "./market/forward-curve.js";
export type { VolSurface, SurfaceSlice, SliceRef } from "./market/vol-surface.js";
export { prepareInputs, type Inputs } from "./market/inputs.js";
export { loadPriceHistory, loadPriceSeries, alignHistory, parsePriceCsv, type PriceHistory, type PriceOutlier, type PriceSeries, type AlignOptions, type LoadOptions, type PriceCsvOptions } from "./history/history.js";
export { estimateModelInputs, type ModelInputOptions } from "./history/estimate.js";

// The backend a method takes: the WASM engine, or its pure-JS twin.
export { createEngine, type Engine, type EngineOptions } from "./engine/engine.js";
export { referenceBackend, type ReferenceBackend } from "./reference/backend.js";
export type { Backend, BookGreeks, Limits, LossWeights, Reduction, RevalueOptions, RevalueResult, WorstLosses } from "./engine/backend.js";
export type { Book, CompileOptions, OptionTerms, PositionRef } from "./engine/book.js";
export type { ScenarioPlanes, ScenarioSet } from "./engine/scenarios.js";
export type { PathBlock, PathPlan } from "./engine/path-plan.js";
export type { Selector } from "./engine/select.js";
export type { KernelLayout, Kernels, PathLayout, WasmModuleChoice, WasmModuleName, WasmSource } from "./engine/wasm.js";
export type { Black76Greeks, Black76Inputs } from "./math/black76.js";
export type { Correlation, CorrelationInput } from "./math/correlation.js";

// Profiles
export type {
  BuiltInProfileName, MarginProfile, UnderlyingGridParams, VolState, VolTermScaling, ExtendedMove, ExtendedWeighting, ExtendedDampener, SmileDynamics, RollShock,
  ParadexRules,
  OkxRules,
  BybitRules,
} from "./model/profile.js";
export { builtInProfile, builtInProfileNames } from "./schema/profiles.js";

// Methods, their options and results
export { valueBook, type ValuationResult, type PositionValue, type UnderlyingTotals } from "./methods/valuation.js";
export { gridMargin, type GridMarginResult, type GridOptions, type GridScenario, type UnderlyingGridMargin, type Amount, type Contingencies } from "./methods/grid/grid.js";
export type { DeribitRiskMatrix, RiskVectors } from "./methods/grid/risk-matrix.js";
export { gridAttribution, type PositionAttribution } from "./methods/grid/attribution.js";
export { deriveMargin } from "./methods/derive/pmrm2.js";
export { compareDerive, type DeriveComparison } from "./methods/derive/conformance.js";
export type {
  DerivePortfolio, DeriveOption, DeriveMarket, DeriveExpiryFeed, DeriveProfile, DeriveScenario, DeriveVolShock,
  DeriveMarginResult, DeriveScenarioPnl, DeriveExpiryResult, DeriveReport, ConfidentPrice,
} from "./model/derive.js";
export { builtInDeriveProfile, parseDeriveInputs } from "./schema/derive.js";
export type { DeriveCase, DeriveCaseOptions, DeriveExpected } from "./schema/derive-case.js";
export type { SviSmile, SviParams, SviGuards } from "./math/svi.js";
export { paradexMargin, type ParadexOptions, type ParadexMarginResult, type ParadexUnderlyingMargin, type ParadexScenario } from "./methods/paradex/pm.js";
export { okxMargin, type OkxOptions, type OkxMarginResult, type OkxRiskUnit, type OkxScenarioPnl } from "./methods/okx/pm.js";
export { bybitMargin, type BybitOptions, type BybitMarginResult, type BybitRiskUnit, type BybitPnlRange } from "./methods/bybit/pm.js";
export { binanceUniMMR, type BinanceUniMmrResult, type BinanceAssetMargin, type BinancePositionMargin } from "./methods/binance/unimmr.js";
export type { BinanceAccount, BinanceAsset, BinancePosition, BinanceBracket, BinanceCollateralTier } from "./model/binance.js";
export type { OpenOrder } from "./model/orders.js";
export { parseOpenOrders } from "./schema/orders.js";
export { greeksMargin, type GreeksMarginUnderlying, type GreeksScenario } from "./methods/greeks-margin.js";
export { monteCarlo, type MonteCarloResult, type MonteCarloOptions, type EsContribution, type PathPnl, type UnderlyingRisk, type WorstPath } from "./methods/montecarlo/montecarlo.js";
export type { UnderlyingDynamics } from "./methods/montecarlo/plan.js";
export { DEFAULT_MODEL, type MonteCarloModel, type MonteCarloModelInput, type JumpParams, type CommonJumpParams } from "./model/montecarlo.js";
export type { Diversification, ScenarioPnl, UnderlyingTail } from "./methods/scenario-risk.js";
export type { TailEstimate, TailRisk } from "./risk/tail.js";
export { historicalVaR, type HistoricalOptions, type HistoricalProgress, type HistoricalResult, type HistoricalWindow, type VolRule } from "./methods/historical/historical.js";
export { stressTest, builtInStressScenarios, type StressResult, type StressOptions } from "./methods/stress/stress.js";
export type { StressScenario, HistoricalStress, ShockStress, CorrelationToOneStress } from "./model/stress.js";
export { backtest, DEFAULT_BACKTEST_MODELS, type BacktestOptions, type BacktestResult, type BacktestModel, type BacktestModelResult } from "./methods/backtest/backtest.js";
export type { Kupiec, Christoffersen, TrafficLight } from "./risk/backtest-stats.js";
export { headlineMargin, whatIf, DEFAULT_MM_RATIO, type MarginMethod, type MarginResult, type WhatIfResult } from "./methods/margin.js";
export { deltaHedge, type DeltaHedge, type DeltaHedgeOptions, type DeltaHedgeResult } from "./methods/hedge.js";
export { optimiseMargin, type SizedHedge, type MarginOptimisationResult } from "./methods/optimise.js";
export type { HedgeCandidate } from "./model/hedge.js";

// Accounts
export { accountMargin, type AccountMarginResult, type AccountMarginOptions } from "./account/account.js";
export { USD_STABLES, DEFAULT_THRESHOLDS, type Account, type Venue, type CollateralBalance, type StatusThresholds, type ConcentrationTier, type AddOnParams } from "./model/account.js";
export { marginStatus, type MarginStatus, type MarginState } from "./account/status.js";
export type { HoldingsMargin } from "./account/holdings.js";
export type { CollateralValue } from "./account/collateral.js";
export type { AddOns, LiquidityAddOn, ConcentrationAddOn, PositionLiquidity, UnderlyingConcentration } from "./account/addons.js";
export type { LiquidationDistance, LiquidationPoint } from "./account/liquidation.js";
export type { DepegStress } from "./account/depeg.js";
export type { VenueMargin, VenueFailure, CrossVenue } from "./account/venues.js";

// Live margin and monitoring
export { LiveGridMargin, type LiveGridOptions, type LiveResult } from "./live/live-grid.js";
export { MarginMonitor, watch, type MonitorEvent, type MonitorOptions, type Stamped, type StreamError } from "./live/monitor.js";
export { EwmaTracker, type EwmaOptions } from "./live/ewma.js";

// Verifiable results
// (a saved --json result re-run from its record; recording through the library, record() and
// runRecorded(), takes the method registry's run specs and stays internal with it for now)
export { verify, ACROSS_MODULES_TOLERANCE, type Verification, type VerifyOptions, type RecordedInputs } from "./verify/reproducibility.js";
export { VERSION } from "./version.js";
