// A Monte Carlo path plan: the model resolved into the flat parameters the path
// kernel (assembly/paths.ts) and its JS twin read, like a Book is for revalue.
import type { Correlation } from "../math/correlation.js";
import type { PathLayout } from "./wasm.js";

/** Random streams: each use of randomness has its own, so draws never overlap. */
export const STREAM = { moves: 1, gamma: 2, jumpUniforms: 3, jumpNormals: 4 } as const;

export interface PathPlan {
  layout: PathLayout;
  underlyings: string[];
  /** The 64-bit seed as two 32-bit words: the Philox key. */
  seedLo: number;
  seedHi: number;
  /** Horizon in years: options age by it. */
  horizon: number;
  /** Student-t degrees of freedom, 0 for Gaussian moves. */
  nu: number;
  jumps: boolean;
  correlation: Correlation;
  /** layout.globals values, then one row of layout.cols per underlying. */
  params: Float64Array;
}

/** Log moves and relative vol shifts of a range of n paths: planes [u·n + i]. */
export interface PathBlock {
  logMoves: Float64Array;
  volShifts: Float64Array;
}
