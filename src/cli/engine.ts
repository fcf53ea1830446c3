// The CLI's engine: the library's, with the limits PMARGIN_LIMITS raises or lowers
// (PMARGIN_LIMITS=revaluations=1e11,positions=200000; docs/limits.md) and the build of
// the kernels --wasm-module chooses (docs/kernel.md).
import { DEFAULT_LIMITS, type Limits } from "../engine/backend.js";
import { createEngine, type Engine } from "../engine/engine.js";
import { resolveModule, type WasmModuleName } from "../engine/wasm.js";
import { InputError } from "../errors.js";

const VARIABLE = "PMARGIN_LIMITS";

/** The limits PMARGIN_LIMITS sets (name=value pairs, comma-separated); an unknown name or a bad value is an InputError naming it. */
export function limitsFromEnvironment(text = process.env[VARIABLE] ?? ""): Partial<Limits> {
  const limits: Partial<Limits> = {};
  for (const pair of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const [name = "", value = ""] = pair.split("=").map((s) => s.trim());
    if (!Object.hasOwn(DEFAULT_LIMITS, name)) throw new InputError(VARIABLE, `unknown limit ${JSON.stringify(name)} (limits: ${Object.keys(DEFAULT_LIMITS).join(", ")})`);
    const x = Number(value);
    if (value === "" || !(Number.isFinite(x) && x > 0)) throw new InputError(`${VARIABLE} ${name}`, `must be a number > 0, got ${JSON.stringify(value)}`);
    limits[name as keyof Limits] = x;
  }
  return limits;
}

const MODULE_FLAG = "--wasm-module";

/** The --wasm-module of this process: portable, fma or fastest (checked when an engine is made). */
let moduleChoice = "portable";

/** Sets the build of the kernels every engine of this process runs (pmargin --wasm-module fma). */
export function useWasmModule(choice: string | undefined): void {
  moduleChoice = choice ?? "portable";
}

/** The module --wasm-module resolves to here; a bad name, or fma without relaxed SIMD, is an InputError naming the flag. */
export const cliModule = (): WasmModuleName => resolveModule(moduleChoice, MODULE_FLAG);

/** createEngine with the limits of PMARGIN_LIMITS and the module of --wasm-module. */
export const cliEngine = (): Promise<Engine> => createEngine({ limits: limitsFromEnvironment(), module: cliModule() });

/** Refuses the FMA module for work done by engines the CLI does not make (the pool's and the queue's run the portable module). */
export function portableOnly(what: string): void {
  if (cliModule() !== "portable") throw new InputError(MODULE_FLAG, `${what} runs the portable module: drop --wasm-module, or use one thread without --queue`);
}

/** How a CLI user raises the limit a LimitError names, when it is one of the engine's. */
export function raiseHint(limit: string): string {
  const name = /^\w+/.exec(limit)?.[0] ?? "";
  return Object.hasOwn(DEFAULT_LIMITS, name) ? `: lower the work, or raise it with ${VARIABLE}=${name}=<n> (docs/limits.md)` : "";
}
