// Schema of a stress-scenario file (src/methods/stress/stress.ts): a list of
// historical windows, given shocks and correlation-to-one shocks.
import * as v from "valibot";
import type { StressScenario } from "../model/stress.js";
import { finite, isoDate, keyed, rule, strict, symbol, text, schemaRef, group, volatility, within, PARSE } from "./fields.js";
import { describe, toInputError } from "./issues.js";
import { checked, markParsed } from "./checked.js";
import { InputError } from "../errors.js";

const MOVE = rule("must be a move > −100% and ≤ +10,000%");
const move = v.pipe(finite, v.gtValue(-1, MOVE), v.maxValue(100, MOVE));
const SHIFT = rule("must be a relative vol shift > −1 and ≤ 100");
const shift = v.pipe(finite, v.gtValue(-1, SHIFT), v.maxValue(100, SHIFT));
const days = within(0, 365, " (days)");
const perUnderlying = <T extends v.GenericSchema>(value: T, what: string) => keyed(value, rule(`must map underlyings to ${what}`));

const scenario = v.variant("type", [
  strict("a historical scenario", {
    type: v.literal("historical"), name: symbol, description: v.optional(text), from: isoDate, to: isoDate,
    volRule: v.optional(v.union([v.literal("realised"), v.literal("unchanged"), shift], rule('must be "realised", "unchanged" or a relative shift'))),
    proxy: v.optional(symbol),
  }),
  strict("a shock", {
    type: v.literal("shock"), name: symbol, description: v.optional(text),
    moves: v.optional(perUnderlying(move, "moves")), volShifts: v.optional(perUnderlying(shift, "vol shifts")), horizonDays: v.optional(days),
  }),
  strict("a correlation-to-one shock", {
    type: v.literal("correlation-to-one"), name: symbol, description: v.optional(text), sigmas: within(-50, 50, " (sigmas)"),
    horizonDays: v.optional(days), volShift: v.optional(shift), vols: v.optional(perUnderlying(volatility, "annualised vols")),
  }),
], rule('must be a scenario with type "historical", "shock" or "correlation-to-one"'));

export const stressFileSchema = group("a stress-scenario file", { ...schemaRef, scenarios: v.pipe(v.array(scenario, rule("must be an array of scenarios")), v.nonEmpty(rule("must list at least one scenario"))) });

/** `scenarios` as stressTest takes them: parseStressScenarios' as they are, others parsed (errors under `path[i]`). */
export function checkedScenarios(scenarios: unknown, path = "scenarios"): StressScenario[] {
  if (!Array.isArray(scenarios)) throw new InputError(path, `must be an array of scenarios, got ${describe(scenarios)}`);
  return scenarios.map((s: unknown, i) => checked(s, "scenario", (x) => {
    const result = v.safeParse(scenario, x, PARSE);
    if (!result.success) throw toInputError(result.issues);
    return markParsed(result.output as StressScenario, "scenario");
  }, `${path}[${i}]`));
}

/**
 * Validates a stress-scenario file ({ scenarios: [...] }); throws InputError naming the field.
 *
 * @example
 * ```ts
 * import { builtInStressScenarios, parseStressScenarios, stressTest } from "pmargin";
 * const mine = parseStressScenarios({ scenarios: [{ name: "btc -30%", type: "shock", moves: { BTC: -0.3 } }] });
 * const results = stressTest(engine, portfolio.positions, market, [...builtInStressScenarios(), ...mine]);
 * ```
 */
export function parseStressScenarios(input: unknown, source?: string): StressScenario[] {
  const result = v.safeParse(stressFileSchema, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  return result.output.scenarios.map((s) => markParsed(s as StressScenario, "scenario"));
}
