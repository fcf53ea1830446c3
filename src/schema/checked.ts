// What the parsers made, so that an entry point checks a value once: the parsers' outputs are
// frozen (a checked value cannot turn bad afterwards) and remembered; anything else a library
// caller passes is parsed at the entry, with the error named under the argument it came in.
import { InputError } from "../errors.js";

/** What a parser makes: an entry point taking one kind accepts no other kind's output. */
export type Parsed =
  | "portfolio" | "position" | "market" | "profile" | "model" | "scenario" | "account" | "candidate" | "orders"
  | "derivePortfolio" | "deriveMarket" | "deriveProfile";

/**
 * The mark: a hidden (non-enumerable, symbol-keyed) property set before freezing, which
 * neither JSON, spreads, structured clones nor equality checks see; a value frozen before
 * it was marked is remembered in a WeakMap instead (slower to keep in bulk).
 */
const KIND = Symbol("pmargin.parsed");
const frozenBefore = new WeakMap<object, Parsed>();

/** Freezes `value` and everything in it (plain objects and arrays: what a parser outputs). */
function deepFreeze(value: object): void {
  Object.freeze(value);
  // Loops over what is there, not Object.values: a batch freezes millions of positions.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) freezeItem(value[i]);
  } else {
    for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) freezeItem((value as Record<string, unknown>)[key]);
  }
}

function freezeItem(item: unknown): void {
  if (item !== null && typeof item === "object" && !Object.isFrozen(item)) deepFreeze(item);
}

/** Marks a parser's output as a checked `kind` (and freezes it); returns it. */
export function markParsed<T>(value: T, kind: Parsed): T {
  if (value !== null && typeof value === "object") {
    if (Object.isFrozen(value)) frozenBefore.set(value, kind);
    else {
      Object.defineProperty(value, KIND, { value: kind });
      deepFreeze(value);
    }
  }
  return value;
}

/** Whether `value` is a parser's output of `kind`. */
export function isParsed(value: unknown, kind: Parsed): boolean {
  if (value === null || typeof value !== "object") return false;
  return Object.prototype.hasOwnProperty.call(value, KIND) ? (value as Record<symbol, unknown>)[KIND] === kind : frozenBefore.get(value) === kind;
}

/** Re-raises `run`'s InputError with its path under `prefix` (`options.profile` + `mmFactor`). */
export function under<T>(prefix: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof InputError && prefix !== "") {
      const path = e.path === "" ? prefix : e.path.startsWith("[") ? prefix + e.path : `${prefix}.${e.path}`;
      throw new InputError(path, e.reason, e.source);
    }
    throw e;
  }
}

/**
 * `input` as `parse` types it: a parser's output passes as it is, anything else is parsed
 * (an InputError naming `path` and the field under it when it is wrong).
 */
export function checked<T>(input: unknown, kind: Parsed, parse: (input: unknown) => T, path: string): T {
  return isParsed(input, kind) ? (input as T) : under(path, () => parse(input));
}
