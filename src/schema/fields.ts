// Field schemas shared by the portfolio and market schemas. Every schema carries its own
// message so that a reason states the rule and the offending value, never valibot's wording.
import * as v from "valibot";
import { isoDateToMillis } from "./dates.js";
import { describe } from "./issues.js";

/** A message stating `rule` and the value that broke it. */
export function rule(requirement: string) {
  return (issue: v.BaseIssue<unknown>) => `${requirement}, got ${describe(issue.input)}`;
}

const FINITE = rule("must be a finite number");
const POSITIVE = rule("must be a finite number > 0");
const VOL = rule("must be a finite number > 0 and ≤ 10 (a decimal: 0.55 means 55%)");
const DATE = rule("must be an ISO-8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ)");

/** v.number already rejects NaN; v.finite adds ±Infinity, which API callers can pass. */
export const finite = v.pipe(v.number(FINITE), v.finite(FINITE));
export const positive = v.pipe(v.number(POSITIVE), v.finite(POSITIVE), v.gtValue(0, POSITIVE));
export const volatility = v.pipe(v.number(VOL), v.finite(VOL), v.gtValue(0, VOL), v.maxValue(10, VOL));

export const text = v.string(rule("must be a string"));

/** A document may name its JSON Schema ("$schema": "…/portfolio.schema.json") for editor support. */
export const schemaRef = { $schema: v.optional(v.string(rule("must be a string (the URL of this file's JSON Schema)"))) };
export const symbol = v.pipe(v.string(rule("must be a non-empty string")), v.nonEmpty(rule("must be a non-empty string")));
export const isoDate = v.pipe(v.string(DATE), v.check((s) => isoDateToMillis(s) !== undefined, DATE));

export function oneOf<const T extends readonly [string, ...string[]]>(options: T) {
  return v.picklist(options, rule(`expected one of ${options.join(", ")}`));
}

/**
 * An object that rejects unknown keys, so a typo (`strik`) fails instead of being ignored;
 * `what` names it in the reason ("unknown field; an option takes ...").
 */
export function strict<const E extends v.ObjectEntries>(what: string, entries: E) {
  return v.strictObject(entries, (issue) => {
    if (issue.expected === "never") return `unknown field; ${what} takes ${Object.keys(entries).join(", ")}`;
    // valibot sets a path only on key issues: a missing key here, since unknown keys are handled above.
    if (issue.path) return `is required for ${what}`;
    return `must be an object (${what}), got ${describe(issue.input)}`;
  });
}

/** Path items for rawCheck issues, which point below the checked value. */
export function atKey(input: Record<string, unknown>, key: string): v.ObjectPathItem {
  return { type: "object", origin: "value", input, key, value: input[key] };
}

export function atIndex(input: readonly unknown[], key: number): v.ArrayPathItem {
  return { type: "array", origin: "value", input, key, value: input[key] };
}
