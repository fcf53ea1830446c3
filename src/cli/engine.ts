// The CLI's engine: the library's, with the limits PMARGIN_LIMITS raises or lowers
// (PMARGIN_LIMITS=revaluations=1e11,positions=200000; docs/limits.md).
import { DEFAULT_LIMITS, type Limits } from "../engine/backend.js";
import { createEngine, type Engine } from "../engine/engine.js";
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

/** createEngine with the limits of PMARGIN_LIMITS. */
export const cliEngine = (): Promise<Engine> => createEngine({ limits: limitsFromEnvironment() });

/** How a CLI user raises the limit a LimitError names, when it is one of the engine's. */
export function raiseHint(limit: string): string {
  const name = /^\w+/.exec(limit)?.[0] ?? "";
  return Object.hasOwn(DEFAULT_LIMITS, name) ? `: lower the work, or raise it with ${VARIABLE}=${name}=<n> (docs/limits.md)` : "";
}
