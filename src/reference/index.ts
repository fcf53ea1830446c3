// pmargin/reference: the pure-JS twins of the WASM kernels — the oracle in the
// tests and the baseline in the benchmarks — and the closed forms they rest on.
// ReferenceBackend implements the same Backend interface as the WASM Engine
// (pmargin/engine), so any method runs on either.
export { ReferenceBackend, referenceBackend } from "./backend.js";
export { revalueReference } from "./revalue.js";
export { pathsReference, pathsAtReference } from "./paths.js";
export { smileTablesReference } from "./smile.js";
export { worstLossesReference } from "./reduce.js";
export { jsSelector, selectReference } from "./select.js";
export { philox4x32, uniformsReference, normalsReference, gammaReference, cosSin2PiReference } from "./random.js";
export { black76, black76Price, type Black76Greeks, type Black76Inputs } from "../math/black76.js";
export { normCdf } from "../math/normal.js";
export { sviVol, type SviSmile, type SviParams, type SviGuards } from "../math/svi.js";
export { impliedVol, type ImpliedVolInputs } from "../market/implied-vol.js";
// The engine tier's types the twins' signatures mention (the same as pmargin/engine's).
export type {
  Backend, BookGreeks, Book, CompileOptions, KernelLayout, Limits, OptionTerms, PathBlock, PathLayout, PathPlan, PositionRef, Reduction,
  RevalueOptions, RevalueResult, ScenarioPlanes, ScenarioSet, Selector, Correlation, LossWeights, WorstLosses,
  Position, PositionBase, SpotPosition, FuturePosition, OptionPosition, Settlement, OptionRight, UnderlyingLiquidity,
  Market, UnderlyingCurves, ForwardCurve, ForwardNode, VolSurface, SurfaceSlice, SliceRef,
} from "../engine/index.js";
