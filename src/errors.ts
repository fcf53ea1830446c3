/**
 * Base class of every error pmargin throws on purpose.
 *
 * @example
 * ```ts
 * import { PmarginError, gridMargin } from "pmargin";
 * try {
 *   gridMargin(engine, positions, market, { profile });
 * } catch (e) {
 *   if (e instanceof PmarginError) console.error(e.message); // an InputError or a LimitError
 *   else throw e;
 * }
 * ```
 */
export class PmarginError extends Error {
  override name = "PmarginError";
}

/**
 * The caller's input is wrong. `path` names the field the way a user finds it in
 * their JSON (e.g. `positions[3].strike`, `underlyings.BTC.surface[0].vols[2]`);
 * `source` names the file or argument when known.
 *
 * @example
 * ```ts
 * import { InputError, parsePortfolio } from "pmargin";
 * try {
 *   parsePortfolio({ positions: [{ kind: "spot", underlying: "BTC", quantity: "1" }] }, "my.json");
 * } catch (e) {
 *   if (e instanceof InputError) console.error(e.source, e.path, e.reason); // my.json positions[0].quantity …
 * }
 * ```
 */
export class InputError extends PmarginError {
  override name = "InputError";
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ""}${path ? `${path}: ` : ""}${reason}`);
  }
}

/**
 * A request is larger than the engine's configured limits (raise them in EngineOptions).
 *
 * @example
 * ```ts
 * import { createEngine, LimitError } from "pmargin";
 * const engine = await createEngine({ limits: { positions: 10 } });
 * try {
 *   engine.compile(positions, market); // 11 positions or more
 * } catch (e) {
 *   if (e instanceof LimitError) console.error(e.message);
 * }
 * ```
 */
export class LimitError extends PmarginError {
  override name = "LimitError";
  constructor(
    readonly limit: string,
    readonly requested: number,
    readonly allowed: number,
  ) {
    super(`${limit}: ${requested} requested, limit ${allowed} (raise it in the engine options)`);
  }
}

/** Options the library once took and no longer does, with what to do instead. */
const REMOVED: Record<string, string> = {
  kernels: "was removed in 0.4: pass referenceBackend(engine) as the method's backend for the JS reference kernels",
};

/**
 * Throws an InputError naming `path.key` for the first key of `options` that is not in
 * `known`: a misspelt or removed option must fail, not be ignored.
 */
export function refuseUnknownKeys(options: object | undefined, known: readonly string[], path: string): void {
  if (options === undefined) return;
  const key = Object.keys(options).find((k) => !known.includes(k));
  if (key !== undefined) throw new InputError(`${path}.${key}`, REMOVED[key] ?? `unknown option (known: ${known.join(", ")})`);
}
