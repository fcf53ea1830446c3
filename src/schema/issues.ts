// Turning valibot issues into one InputError whose path reads like the user's JSON.
import type * as v from "valibot";
import { InputError } from "../errors.js";

/** How many issues after the first one an error message spells out. */
const MORE_SHOWN = 3;

/** A value as a user would recognise it in a message: 5, "swap", null, an object. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  if (value !== null && typeof value === "object") return "an object";
  return String(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `positions[3].strike`, `underlyings.BTC.surface[0]`; keys that are not identifiers are quoted. */
export function formatPath(keys: readonly (string | number)[]): string {
  let path = "";
  for (const key of keys) {
    if (typeof key === "number") path += `[${key}]`;
    else if (IDENTIFIER.test(key)) path += path === "" ? key : `.${key}`;
    else path += `[${JSON.stringify(key)}]`;
  }
  return path;
}

function issuePath(issue: v.BaseIssue<unknown>): string {
  return formatPath((issue.path ?? []).map((item) => (typeof item.key === "number" ? item.key : String(item.key))));
}

/** The error's path is the first issue's; its reason also lists a few of the others. */
export function toInputError(issues: readonly [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]], source?: string): InputError {
  const [first, ...rest] = issues;
  const others = rest.slice(0, MORE_SHOWN).map((issue) => `; also ${issuePath(issue) || "(top level)"}: ${issue.message}`);
  const unshown = rest.length - others.length;
  const tail = unshown > 0 ? `; and ${unshown} more` : "";
  return new InputError(issuePath(first), `${first.message}${others.join("")}${tail}`, source);
}
