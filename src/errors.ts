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
  // The message only when it is thrown: methods check their options on every call.
  if (typeof options !== "object" || options === null || Array.isArray(options)) expectObject(options, path, `an object of options (${known.join(", ")})`);
  for (const key in options) {
    if (Object.hasOwn(options, key) && !known.includes(key)) throw new InputError(`${path}.${key}`, REMOVED[key] ?? `unknown option (known: ${known.join(", ")})`);
  }
}

/**
 * Names a plain object must not be looked up by: they reach Object.prototype's members
 * (`obj["constructor"]` is a function), and valibot's records drop them silently.
 */
export const RESERVED_NAMES: readonly string[] = ["__proto__", "constructor", "prototype"];

/** `map[key]` when `key` is the map's own key: a name like "toString" must not find Object.prototype's member. */
export function own<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Edit distance (insertions, deletions, substitutions), for suggesting the name a typo meant. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The known name `name` most likely meant: the same letters in another case, else one within 2 edits. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const folded = known.find((k) => k.toLowerCase() === name.toLowerCase());
  if (folded !== undefined) return folded;
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(name.length / 2));
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d <= bestDistance && (best === undefined || d < bestDistance)) [best, bestDistance] = [k, d];
  }
  return best;
}

/** "unknown underlying btc (did you mean BTC? the market has BTC, ETH)". */
export function unknownName(name: string, known: readonly string[], what = "underlying", where = "the market has"): string {
  const guess = closestName(name, known);
  return `unknown ${what} ${JSON.stringify(name)} (${guess !== undefined ? `did you mean ${guess}? ` : ""}${where} ${known.join(", ") || "none"})`;
}

/**
 * Throws an InputError naming `path.key` for the first key of `map` (keyed by underlying,
 * asset…) that is not in `known`: a typo (`btc` for `BTC`) must fail, not match nothing.
 */
export function refuseUnknownNames(
  map: object | undefined, known: readonly string[], path: string, what = "underlying", where = "the market has", source?: string,
): void {
  if (map === undefined) return;
  const key = Object.keys(map).find((k) => !known.includes(k));
  if (key !== undefined) throw new InputError(`${path}.${key}`, unknownName(key, known, what, where), source);
}

/** A value as a message shows what was passed instead: 5, "swap", null, an array, an object. */
function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  if (value !== null && typeof value === "object") return value.constructor?.name && value.constructor !== Object ? `a ${value.constructor.name}` : "an object";
  return String(value);
}

/** Throws an InputError naming `path` unless `value` is an object (not null, an array or a function); undefined passes when `optional`. */
export function expectObject(value: unknown, path: string, what: string, optional = false): asserts value is object {
  if (optional && value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError(path, `must be ${what}, got ${shown(value)}`);
}

/** Throws an InputError naming `path` unless `value` is a finite number. */
export function expectFinite(value: unknown, path: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new InputError(path, `must be a finite number, got ${shown(value)}`);
}

/** Throws an InputError naming `path` unless `value` is an array of non-empty strings. */
export function expectNames(value: unknown, path: string): asserts value is string[] {
  if (!Array.isArray(value)) throw new InputError(path, `must be an array of names, got ${shown(value)}`);
  const i = value.findIndex((name) => typeof name !== "string" || name === "");
  if (i >= 0) throw new InputError(`${path}[${i}]`, `must be a non-empty name, got ${shown(value[i])}`);
}
