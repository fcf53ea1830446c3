// The WebAssembly module's exports. Kernels take raw pointers into linear
// memory owned by the TypeScript engine (src/engine); nothing here allocates.
import { expF64x2, logF64x2, normCdfF64x2 } from "./math";

export { black76GreeksF64x2Soa } from "./black76";
export {
  revalueBlack76F64x2Soa, revalueWorkBytes, BLOCK,
  SMILE_NODES, SMILE_X_MIN, SMILE_INV_STEP, VOL_FLOOR,
  OPT_U, OPT_LN_FK, OPT_FK, OPT_KF, OPT_F, OPT_K, OPT_T, OPT_RATE, OPT_PHI, OPT_WEIGHT, OPT_VOL_W, OPT_BASE, OPT_TABLE,
  OPT_SLICE_A, OPT_SLICE_B, OPT_SLICE_W, OPT_VOL, OPT_COLS,
  LIN_U, LIN_ALPHA, LIN_BETA, LIN_COLS,
} from "./revalue";
export { smileTablesF64, SLICE_HEADER } from "./smile";
export {
  correlatedMovesF64x2Soa, POISSON_MAX,
  PATH_SD, PATH_DRIFT, PATH_INV_SD, PATH_RHO, PATH_RHO_C, PATH_ETA, PATH_JUMP_LAMBDA, PATH_JUMP_MEAN, PATH_JUMP_VOL, PATH_JUMP_P0, PATH_BETA, PATH_COLS,
  PATH_NU, PATH_JUMPS, PATH_COMMON_LAMBDA, PATH_COMMON_MEAN, PATH_COMMON_VOL, PATH_COMMON_P0, PATH_GLOBALS,
} from "./paths";

/** First free byte after the module's static data: the engine's arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}

// Array forms of the vectorised math, for accuracy tests and benchmarks:
// `n` f64 from `src` to `dst` (both 16-byte aligned, n rounded up to even).
export function expF64x2Array(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) v128.store(dst + (<usize>i << 3), expF64x2(v128.load(src + (<usize>i << 3))));
}
export function logF64x2Array(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) v128.store(dst + (<usize>i << 3), logF64x2(v128.load(src + (<usize>i << 3))));
}
export function normCdfF64x2Array(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) v128.store(dst + (<usize>i << 3), normCdfF64x2(v128.load(src + (<usize>i << 3))));
}

export { simdPeakF64x2 } from "./peak";
export { selectF64 } from "./select";
export { worstLossesF64 } from "./reduce";
export { normalsF64x2Soa, uniformsF64x2Soa, gammaF64Soa } from "./random";
