// Loads pmargin.wasm in Node and in browsers/bundlers.
//
// Two builds of the same kernels ship: the portable module (SIMD; the same bits on every
// machine) and the FMA module (relaxed SIMD: fused multiply-adds where the CPU has them;
// faster, last bits machine-dependent; assembly/madd.ts). The portable one is the default.
// By default the module is the package's own (#pmargin-wasm, package.json "imports"): a
// file: URL read from disk in Node, the bytes themselves (dist/engine/wasm-inline.js) under
// the "browser" condition, so bundlers need no asset handling. The kernels take raw pointers
// into memory this package owns, so no generated bindings or loader library are needed: a
// plain WebAssembly.instantiate.
import { InputError, PmarginError } from "../errors.js";
import { SLICE_HEADER } from "../market/vol-surface.js";
import { packagedWasm } from "#pmargin-wasm";

/** The raw exports of build/pmargin.wasm (see assembly/index.ts). */
export interface Kernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  black76GreeksF64x2Soa(n: number, f: number, k: number, t: number, vol: number, rate: number, phi: number, out: number): void;
  revalueBlack76F64x2Soa(
    opt: number, nOpt: number, optCap: number, lin: number, nLin: number, linCap: number,
    scen: number, nScen: number, nUnd: number, dt: number, ccy: number, ccyPrice: number,
    out: number, perPosition: number, work: number, nodeMap: number,
  ): void;
  smileTablesF64(opt: number, nOpt: number, optCap: number, slices: number, xs: number, nSlots: number, zero: number, scratch: number): void;
  revalueWorkBytes(nUnd: number): number;
  correlatedMovesF64x2Soa(
    nUnd: number, n: number, params: number, factor: number, z: number, gamma: number,
    jumpU: number, jumpZ: number, outMoves: number, outVols: number,
  ): void;
  expF64x2Array(src: number, dst: number, n: number): void;
  logF64x2Array(src: number, dst: number, n: number): void;
  normCdfF64x2Array(src: number, dst: number, n: number): void;
  simdPeakF64x2(iters: number): number;
  /**
   * out[d·nPaths + i] = normal draw d of path pathStart + i (Philox4x32-10, Box–Muller; see assembly/random.ts),
   * or of path pathList[i] when pathList (a pointer to u32s, readable in fours) is not 0.
   */
  normalsF64x2Soa(seedLo: number, seedHi: number, stream: number, pathStart: number, nPaths: number, nDraws: number, out: number, pathList: number): void;
  /** out[d·nPaths + i] = uniform draw d of path pathStart + i (or pathList[i]), in (0, 1). */
  uniformsF64x2Soa(seedLo: number, seedHi: number, stream: number, pathStart: number, nPaths: number, nDraws: number, out: number, pathList: number): void;
  /** out[i] = Gamma(shape, 1) variate of path pathStart + i (or pathList[i]) (shape ≥ 1, else NaN). */
  gammaF64Soa(seedLo: number, seedHi: number, stream: number, pathStart: number, nPaths: number, shape: number, out: number, pathList: number): void;
  selectF64(ptr: number, left: number, right: number, k: number): void;
  /** Worst weighted losses of PnL rows in USD and coin, four planes of nRows at out (see assembly/reduce.ts). */
  worstLossesF64(rows: number, nRows: number, nScen: number, values: number, weights: number, s0: number, out: number): void;
}

/** Layout constants the kernel exports as globals, read once at load time. */
export interface KernelLayout {
  smileNodes: number;
  smileXMin: number;
  smileInvStep: number;
  volFloor: number;
  block: number;
  /** f64 before a packed slice's nodes: t, n. */
  opt: Record<"u" | "lnFK" | "fk" | "kf" | "f" | "k" | "t" | "rate" | "phi" | "weight" | "volW" | "base" | "table" | "sliceA" | "sliceB" | "sliceW" | "vol" | "cols", number>;
  lin: Record<"u" | "alpha" | "beta" | "cols", number>;
  paths: PathLayout;
}

/** Where the path kernel (assembly/paths.ts) reads its parameters: globals, then per-underlying columns. */
export type PathLayout = Record<
  | "sd" | "drift" | "invSd" | "rho" | "rhoC" | "eta" | "jumpLambda" | "jumpMean" | "jumpVol" | "jumpP0" | "beta" | "cols"
  | "nu" | "jumps" | "commonLambda" | "commonMean" | "commonVol" | "commonP0" | "globals" | "poissonMax",
  number
>;

/** Where the module comes from: bytes, a compiled module, a URL, or a fetch Response. */
export type WasmSource = BufferSource | WebAssembly.Module | URL | string | Response;

/** The two builds of the kernels: "portable" (the same bits everywhere) and "fma" (relaxed SIMD). */
export type WasmModuleName = "portable" | "fma";

/** Which module an engine runs: one of the two, or "fastest": "fma" where relaxed SIMD validates, else "portable". */
export type WasmModuleChoice = WasmModuleName | "fastest";

const WASM_MODULES: readonly WasmModuleChoice[] = ["portable", "fma", "fastest"];

// The smallest module using relaxed SIMD: one function returning f64x2.relaxed_madd of three zero vectors.
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: () -> v128
  0x03, 0x02, 0x01, 0x00, // functions: one of type 0
  0x0a, 0x3d, 0x01, 0x3b, 0x00, ...V128_ZERO, ...V128_ZERO, ...V128_ZERO, 0xfd, 0x87, 0x02, 0x0b, // code: f64x2.relaxed_madd
]);

/** Whether this runtime validates relaxed SIMD (Chromium ≥ 114; Node 20 only with --experimental-wasm-relaxed-simd). */
export const relaxedSimdSupported = (): boolean => WebAssembly.validate(RELAXED_PROBE);

/** The module a choice names here: "fastest" resolved by feature detection; "fma" refused where it cannot run. */
export function resolveModule(choice: unknown, field = "module"): WasmModuleName {
  if (!WASM_MODULES.includes(choice as WasmModuleChoice)) {
    throw new InputError(field, `must be one of ${WASM_MODULES.join(", ")}, got ${JSON.stringify(choice)}`);
  }
  if (choice === "fastest") return relaxedSimdSupported() ? "fma" : "portable";
  if (choice === "fma" && !relaxedSimdSupported()) {
    throw new InputError(field, "\"fma\" needs relaxed SIMD, which this runtime does not validate (Node 20: run node with --experimental-wasm-relaxed-simd); \"fastest\" falls back to \"portable\"");
  }
  return choice as WasmModuleName;
}

const NODE_FS = "node:fs/promises";

/** Bytes from a URL: read from disk for file: URLs (Node), fetched otherwise. */
async function fromUrl(url: URL): Promise<BufferSource | Response> {
  if (url.protocol !== "file:") return fetch(url);
  // Not analysable by bundlers on purpose: browsers never take this branch.
  const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ NODE_FS)) as typeof import("node:fs/promises");
  return fs.readFile(url);
}

/** The compiled module and, when its bytes passed through here, their SHA-256 (hex). */
async function toModule(source: WasmSource): Promise<{ module: WebAssembly.Module; sha256?: string }> {
  if (source instanceof WebAssembly.Module) return { module: source };
  if (typeof source === "string" || source instanceof URL) {
    return toModule(await fromUrl(new URL(source, globalThis.location?.href)));
  }
  if (typeof Response !== "undefined" && source instanceof Response) {
    if (!source.ok) throw new PmarginError(`cannot load pmargin.wasm: HTTP ${source.status} for ${source.url}`);
    return toModule(await source.arrayBuffer());
  }
  const bytes = source as BufferSource;
  const [module, digest] = await Promise.all([WebAssembly.compile(bytes), crypto.subtle.digest("SHA-256", bytes)]);
  return { module, sha256: Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("") };
}

const imports = {
  env: {
    abort(): never {
      throw new PmarginError("pmargin.wasm aborted");
    },
  },
};

/**
 * Instantiates the kernels; each call gives an independent instance with its own memory.
 * `source` defaults to the packaged build of `module` (which otherwise names the build given).
 */
export async function instantiateKernels(source?: WasmSource, module: WasmModuleName = "portable"): Promise<{ kernels: Kernels; layout: KernelLayout; sha256?: string }> {
  const { module: compiled, sha256 } = await toModule(source ?? packagedWasm(module));
  const instance = await WebAssembly.instantiate(compiled, imports);
  const ex = instance.exports as unknown as Kernels & Record<string, WebAssembly.Global>;
  const g = (name: string): number => {
    const global = ex[name];
    if (!(global instanceof WebAssembly.Global)) throw new PmarginError(`pmargin.wasm lacks export ${name}: stale build?`);
    return Number(global.value);
  };
  if (g("SLICE_HEADER") !== SLICE_HEADER) throw new PmarginError("pmargin.wasm packs surface slices differently from VolSurface: stale build?");
  const layout: KernelLayout = {
    smileNodes: g("SMILE_NODES"),
    smileXMin: g("SMILE_X_MIN"),
    smileInvStep: g("SMILE_INV_STEP"),
    volFloor: g("VOL_FLOOR"),
    block: g("BLOCK"),
    opt: {
      u: g("OPT_U"), lnFK: g("OPT_LN_FK"), fk: g("OPT_FK"), kf: g("OPT_KF"), f: g("OPT_F"), k: g("OPT_K"),
      t: g("OPT_T"), rate: g("OPT_RATE"), phi: g("OPT_PHI"), weight: g("OPT_WEIGHT"), volW: g("OPT_VOL_W"),
      base: g("OPT_BASE"), table: g("OPT_TABLE"), sliceA: g("OPT_SLICE_A"), sliceB: g("OPT_SLICE_B"), sliceW: g("OPT_SLICE_W"),
      vol: g("OPT_VOL"), cols: g("OPT_COLS"),
    },
    lin: { u: g("LIN_U"), alpha: g("LIN_ALPHA"), beta: g("LIN_BETA"), cols: g("LIN_COLS") },
    paths: {
      sd: g("PATH_SD"), drift: g("PATH_DRIFT"), invSd: g("PATH_INV_SD"), rho: g("PATH_RHO"), rhoC: g("PATH_RHO_C"),
      eta: g("PATH_ETA"), jumpLambda: g("PATH_JUMP_LAMBDA"), jumpMean: g("PATH_JUMP_MEAN"), jumpVol: g("PATH_JUMP_VOL"),
      jumpP0: g("PATH_JUMP_P0"), beta: g("PATH_BETA"), cols: g("PATH_COLS"),
      nu: g("PATH_NU"), jumps: g("PATH_JUMPS"), commonLambda: g("PATH_COMMON_LAMBDA"), commonMean: g("PATH_COMMON_MEAN"),
      commonVol: g("PATH_COMMON_VOL"), commonP0: g("PATH_COMMON_P0"), globals: g("PATH_GLOBALS"), poissonMax: g("POISSON_MAX"),
    },
  };
  return { kernels: ex, layout, ...(sha256 ? { sha256 } : {}) };
}
