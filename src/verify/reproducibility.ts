// Verifiable results: a result carries a record of everything that made it — the
// package version, the WASM's digest, the method and its parameters (seed included)
// and the inputs themselves with their digest — so that anyone can re-run it and
// get the same figures, bit for bit (every kernel is deterministic, in Node and in
// browsers, for one build of the kernels). `verify` re-runs a saved result and compares.
import type { Engine } from "../engine/engine.js";
import type { WasmModuleName } from "../engine/wasm.js";
import { InputError } from "../errors.js";
import { checkedRun } from "../runs/checked-run.js";
import { runRecorded, type RecordedInputs, type RunSpec } from "../runs/registry.js";
import { checkDepth } from "../schema/json.js";
import { VERSION } from "../version.js";
import { checkSignature, keyFingerprint, sign, type RecordSignature } from "./signing.js";

// The methods, their recorded form and how a record runs are the registry's (src/runs).
export { runRecorded, type MarginRun, type RecordedInputs, type RunSpec } from "../runs/registry.js";
export type { RecordSignature } from "./signing.js";

export interface Reproducibility {
  pmargin: string;
  /** SHA-256 of the WASM module that computed the result. */
  wasmSha256?: string;
  /** Which build of the kernels computed it (EngineOptions.module); a record without it is the portable one's. */
  wasmModule?: WasmModuleName;
  run: RunSpec;
  /** The inputs, unless the record was made without them: then verify() takes them and checks their digest. */
  inputs?: RecordedInputs;
  /** SHA-256 of the canonical JSON of `inputs`: the same digest means the same inputs. */
  inputsSha256: string;
  /**
   * SHA-256 of the canonical JSON of the whole record but this digest and the signature:
   * version, WASM, method, parameters and inputs. Records from 0.4 on carry it; 0.3.0's
   * have inputsSha256 only, which verify still accepts (and says so).
   */
  recordSha256?: string;
  /** An Ed25519 signature of the record (without it), when it was made with --sign. */
  signature?: RecordSignature;
}

/** JSON with object keys sorted and typed arrays as arrays: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The canonical JSON a record's digest and signature cover: the record without them. */
function covered(rec: Reproducibility): string {
  const { recordSha256: _digest, signature: _signature, ...rest } = rec;
  return canonicalJson(rest);
}

/** The record of a run, to save with its result; `withInputs: false` keeps only the inputs' digest. */
export async function record(engine: Engine, run: RunSpec, inputs: RecordedInputs, { withInputs = true }: { withInputs?: boolean } = {}): Promise<Reproducibility> {
  const rec: Reproducibility = {
    pmargin: VERSION,
    ...(engine.wasmSha256 ? { wasmSha256: engine.wasmSha256 } : {}),
    wasmModule: engine.module,
    run,
    ...(withInputs ? { inputs } : {}),
    inputsSha256: await sha256Hex(canonicalJson(inputs)),
  };
  return { ...rec, recordSha256: await sha256Hex(covered(rec)) };
}

/**
 * The record signed with an Ed25519 private key (PKCS#8 PEM, as `openssl genpkey
 * -algorithm ed25519` writes it): verify with the public key then proves who made it.
 */
export async function signRecord(rec: Reproducibility, privateKeyPem: string): Promise<Reproducibility> {
  return { ...rec, signature: await sign(covered(rec), privateKeyPem) };
}

/**
 * How far the FMA and the portable modules' figures may be apart: a figure a and its
 * re-run b agree when |a − b| ≤ 1e-9 · max(|a|, |b|, 1) (relative, and absolute below 1).
 */
export const ACROSS_MODULES_TOLERANCE = 1e-9;

export interface Verification {
  /** Every figure the same, bit for bit; across modules (VerifyOptions.acrossModules), within `tolerance`. */
  identical: boolean;
  /** The relative tolerance the figures were compared to, when across modules. */
  tolerance?: number;
  /** Where the re-run first differs from the saved result (a JSON path), when it does. */
  difference?: string;
  /** Why the re-run may differ: another version or WASM build than the one recorded. */
  notes: string[];
}

export interface VerifyOptions {
  /** An Ed25519 public key (SPKI PEM): the record must carry a signature that verifies with it. */
  publicKey?: string;
  /** The inputs of a record made without them (--no-inputs): they must have its digest. */
  inputs?: RecordedInputs;
  /**
   * Re-run a record made by the other build of the kernels (portable or FMA) and compare
   * its figures within ACROSS_MODULES_TOLERANCE instead of bit for bit; without it such a
   * record is refused.
   */
  acrossModules?: boolean;
}

/**
 * Re-runs a saved result ({ ...result, reproducibility }) and compares every figure,
 * bit for bit (canonical JSON: the shortest text that reads back to each double). The
 * record's digest must match (a 0.3.0 record's covers its inputs only; a note says so),
 * its method and parameters pass the parsers a command's files pass, and with
 * `publicKey` its signature must verify. A record made without its inputs takes them as
 * `inputs`, which must have the recorded digest. A record made by the other build of the
 * kernels (its `wasmModule`) is refused unless `acrossModules`: then figures are compared
 * within ACROSS_MODULES_TOLERANCE, and a note says so.
 *
 * @example
 * ```ts
 * import { createEngine, verify } from "pmargin";
 * const saved = JSON.parse(await readFile("result.json", "utf8")); // pmargin mc … --json > result.json
 * const { identical, difference, notes } = await verify(await createEngine(), saved);
 * const signed = await verify(await createEngine(), saved, { publicKey: await readFile("desk.pub.pem", "utf8") });
 * const fromFma = await verify(await createEngine(), saved, { acrossModules: true }); // saved by the FMA module
 * ```
 */
export async function verify(engine: Engine, saved: unknown, options: VerifyOptions = {}): Promise<Verification> {
  checkDepth(saved);
  const { inputs } = options;
  if (saved === null || typeof saved !== "object" || !("reproducibility" in saved)) {
    throw new InputError("reproducibility", "not a pmargin result with a reproducibility record (run the command with --json)");
  }
  const { reproducibility: rec, ...result } = saved as { reproducibility: Reproducibility } & Record<string, unknown>;
  if (!rec || typeof rec !== "object" || !rec.run) throw new InputError("reproducibility", "the record lacks its run");
  if (rec.inputs && inputs) throw new InputError("inputs", "the record carries its inputs: give inputs only for a record made without them");
  const given = rec.inputs ?? inputs;
  if (!given) throw new InputError("reproducibility.inputs", "the record has only the inputs' digest: give the inputs it was made from (pmargin verify: --portfolio, --market, --history)");
  const notes: string[] = [];
  if ((await sha256Hex(canonicalJson(given))) !== rec.inputsSha256) {
    throw rec.inputs
      ? new InputError("reproducibility.inputs", "the inputs do not match their recorded digest: the file was edited")
      : new InputError("inputs", "these are not the inputs the result was made from (their digest differs from the record's)");
  }
  if (rec.recordSha256 === undefined) {
    notes.push("a record without recordSha256 (pmargin 0.3.0): its digest covers the inputs, not the method and parameters");
  } else if ((await sha256Hex(covered(rec))) !== rec.recordSha256) {
    throw new InputError("reproducibility.recordSha256", "the record does not match its digest: its method, parameters or versions were edited");
  }
  if (options.publicKey !== undefined) {
    await checkSignature(covered(rec), rec.signature, options.publicKey);
    notes.push(`signature verified: signed by the key given (sha256 ${(await keyFingerprint(rec.signature!.publicKey)).slice(0, 16)}…)`);
  } else if (rec.signature !== undefined) {
    const signer = typeof rec.signature?.publicKey === "string" ? ` (key sha256 ${(await keyFingerprint(rec.signature.publicKey)).slice(0, 16)}…)` : "";
    notes.push(`the record is signed${signer}, not checked: give the signer's public key to check it`);
  }
  if (rec.pmargin !== VERSION) notes.push(`recorded with pmargin ${rec.pmargin}, re-run with ${VERSION}`);
  const tolerance = moduleTolerance(rec, engine, options.acrossModules === true, notes);
  if (tolerance === 0 && rec.wasmSha256 && engine.wasmSha256 && rec.wasmSha256 !== engine.wasmSha256) notes.push("recorded with another pmargin.wasm build");
  const again = runRecorded(engine, checkedRun(rec.run), given);
  const difference = firstDifference(JSON.parse(canonicalJson(result)), JSON.parse(canonicalJson(again)), "", tolerance);
  const compared = tolerance === 0 ? {} : { tolerance };
  return difference === undefined ? { identical: true, ...compared, notes } : { identical: false, difference, ...compared, notes };
}

/** 0 (bit for bit) when the record's module is the engine's; else, when allowed, the tolerance across modules. */
function moduleTolerance(rec: Reproducibility, engine: Engine, acrossModules: boolean, notes: string[]): number {
  const recorded = rec.wasmModule ?? "portable";
  if (recorded !== "portable" && recorded !== "fma") {
    throw new InputError("reproducibility.wasmModule", `must be "portable" or "fma", got ${JSON.stringify(recorded)}`);
  }
  if (recorded === engine.module) return 0;
  if (!acrossModules) {
    throw new InputError("reproducibility.wasmModule", `the result was made by the ${recorded} module and this engine runs the ${engine.module} one: their figures agree within ${ACROSS_MODULES_TOLERANCE} relative, not bit for bit; re-run with the ${recorded} module, or compare across modules (acrossModules, pmargin verify --across-modules)`);
  }
  notes.push(`across modules: made by the ${recorded} module, re-run by the ${engine.module} one; figures compared within ${ACROSS_MODULES_TOLERANCE} relative (|a − b| ≤ ${ACROSS_MODULES_TOLERANCE}·max(|a|, |b|, 1)), not bit for bit`);
  return ACROSS_MODULES_TOLERANCE;
}

function firstDifference(a: unknown, b: unknown, path: string, tolerance: number): string | undefined {
  if (a === b) return undefined;
  if (typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b), 1)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path || "(top)"}: ${a.length} items saved, ${b.length} now`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`, tolerance);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k, tolerance);
      if (d) return d;
    }
    return undefined;
  }
  return `${path || "(top)"}: saved ${JSON.stringify(a)}, now ${JSON.stringify(b)}`;
}
