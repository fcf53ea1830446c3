// pmargin: portfolio margin and risk for crypto derivatives, on a SIMD WebAssembly core.
export * from "./model/types.js";
export { PmarginError, InputError, LimitError } from "./errors.js";
export { parseJson, parsePortfolio, parseMarket, checkAgainstMarket } from "./schema/index.js";
export { buildMarket, type Market } from "./market/market.js";
export { impliedVol } from "./market/implied-vol.js";
export { prepareInputs, type Inputs } from "./inputs.js";
export { Engine, createEngine, DEFAULT_LIMITS, type EngineOptions, type Limits, type RevalueOptions, type RevalueResult } from "./engine/engine.js";
export type { Book, CompileOptions, OptionTerms } from "./engine/book.js";
export { ScenarioSet } from "./engine/scenarios.js";
export type { WasmSource } from "./engine/wasm.js";
export { valueBook, type Valuation, type PositionValue, type UnderlyingTotals } from "./valuation.js";
export { black76, black76Price, type Black76Greeks, type Black76Inputs } from "./reference/black76.js";
export { normCdf } from "./reference/normal.js";
export { revalueReference } from "./reference/revalue.js";
export { gridMargin, gridScenarios, termWeight, worstWeightedLoss, type GridMargin, type GridOptions, type GridScenario, type UnderlyingGridMargin, type Amount, type Contingencies } from "./methods/grid/grid.js";
export type { MarginProfile, UnderlyingGridParams, VolState, VolTermScaling, ExtendedMove } from "./methods/grid/profile.js";
export { builtInProfile, builtInProfileNames } from "./methods/grid/profiles.js";
export { parseProfile } from "./schema/index.js";
