// pmargin/engine: what the methods compute on. Backends (the WASM Engine; the
// pure-JS twin is in pmargin/reference), books compiled from positions, scenario
// sets, Monte Carlo path plans and blocks, limits, selection, and the layout
// types the kernels read. For a user's view (inputs, methods, results) import
// "pmargin"; this tier is for callers who revalue books themselves.
export { Engine, createEngine, type EngineOptions } from "./engine.js";
export { DEFAULT_LIMITS, type Backend, type BookGreeks, type Limits, type LossWeights, type Reduction, type RevalueOptions, type RevalueResult, type WorstLosses } from "./backend.js";
export type { Book, CompileOptions, OptionTerms, PositionRef } from "./book.js";
export { ScenarioSet, type ScenarioPlanes } from "./scenarios.js";
export { STREAM, type PathBlock, type PathPlan } from "./path-plan.js";
export type { Selector } from "./select.js";
export { relaxedSimdSupported, type KernelLayout, type Kernels, type PathLayout, type WasmModuleChoice, type WasmModuleName, type WasmSource } from "./wasm.js";
// The inputs and closed-form types the signatures above mention, from the layers below.
export type { Position, PositionBase, SpotPosition, FuturePosition, OptionPosition, Settlement, OptionRight, UnderlyingLiquidity } from "../model/types.js";
export type { Market, UnderlyingCurves } from "../market/market.js";
export type { ForwardCurve, ForwardNode } from "../market/forward-curve.js";
export type { VolSurface, SurfaceSlice, SliceRef } from "../market/vol-surface.js";
export type { Black76Greeks, Black76Inputs } from "../math/black76.js";
export type { Correlation } from "../math/correlation.js";
