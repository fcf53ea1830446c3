/** Base class of every error pmargin throws on purpose. */
export class PmarginError extends Error {
  override name = "PmarginError";
}

/**
 * The caller's input is wrong. `path` names the field the way a user finds it in
 * their JSON (e.g. `positions[3].strike`, `underlyings.BTC.surface[0].vols[2]`);
 * `source` names the file or argument when known.
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

/** A request is larger than the engine's configured limits (raise them in EngineOptions). */
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
