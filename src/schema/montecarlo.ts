// Schema of a Monte Carlo model file (src/methods/montecarlo/model.ts): every
// field optional (defaults fill in), unknown fields refused so a typo fails.
import * as v from "valibot";
import type { MonteCarloModelInput } from "../methods/montecarlo/model.js";
import { finite, positive, rule, strict, symbol, schemaRef } from "./fields.js";
import { toInputError } from "./issues.js";

const level = v.pipe(finite, v.gtValue(0, rule("must be a level within (0, 1)")), v.ltValue(1, rule("must be a level within (0, 1)")));
const levels = v.pipe(v.array(level, rule("must be an array of levels")), v.nonEmpty(rule("must list at least one level")));
const nonNegative = v.pipe(finite, v.minValue(0, rule("must be ≥ 0")));
const correlationValue = v.pipe(finite, v.minValue(-1, rule("must be within [−1, 1]")), v.maxValue(1, rule("must be within [−1, 1]")));
const whole = (what: string) => v.pipe(finite, v.integer(rule(`must be a whole number (${what})`)), v.minValue(1, rule(`must be ≥ 1 (${what})`)));

const jump = { intensity: nonNegative, mean: finite, vol: nonNegative };

export const modelSchema = strict("a Monte Carlo model", {
  ...schemaRef,
  paths: v.optional(whole("paths")),
  seed: v.optional(v.pipe(finite, v.integer(rule("must be a whole number")), v.minValue(0, rule("must be ≥ 0")),
    v.maxValue(Number.MAX_SAFE_INTEGER, rule("must be < 2^53")))),
  horizon: v.optional(v.union([strict("a horizon", { days: positive }), strict("a horizon", { hours: positive })],
    rule('must be { "days": d } or { "hours": h }'))),
  levels: v.optional(strict("levels", { var: v.optional(levels), es: v.optional(levels) })),
  marginal: v.optional(v.variant("type", [
    strict("a normal marginal", { type: v.literal("normal") }),
    strict("a Student-t marginal", { type: v.literal("student-t"), nu: v.pipe(finite, v.gtValue(2, rule("must be > 2 (finite variance)"))) }),
  ], rule('must be { "type": "normal" } or { "type": "student-t", "nu": ν }'))),
  vols: v.optional(v.record(symbol, positive, rule("must map underlyings to annualised vols"))),
  correlation: v.optional(strict("a correlation", {
    underlyings: v.array(symbol, rule("must be an array of underlyings")),
    matrix: v.array(v.array(correlationValue, rule("must be a row of correlations")), rule("must be an array of rows")),
  })),
  jumps: v.optional(strict("jumps", {
    idiosyncratic: v.optional(strict("idiosyncratic jumps", {
      ...jump,
      underlyings: v.optional(v.record(symbol, strict("an underlying's jumps", jump))),
    })),
    common: v.optional(strict("common jumps", { ...jump, beta: v.optional(v.record(symbol, finite)) })),
  })),
  volDynamics: v.optional(strict("volDynamics", {
    volOfVol: v.optional(nonNegative),
    spotVolCorrelation: v.optional(correlationValue),
    underlyings: v.optional(v.record(symbol, strict("an underlying's vol dynamics", {
      volOfVol: v.optional(nonNegative), spotVolCorrelation: v.optional(correlationValue),
    }))),
    termScaling: v.optional(strict("termScaling", { refDays: positive, minDays: positive, shortPower: finite, longPower: finite })),
  })),
  output: v.optional(strict("output", { histogramBins: v.optional(whole("bins")), worstPaths: v.optional(v.pipe(finite, v.integer(), v.minValue(0))) })),
});

/** Validates a Monte Carlo model (parsed JSON); throws InputError naming the field. */
export function parseMonteCarloModel(input: unknown, source?: string): MonteCarloModelInput {
  const result = v.safeParse(modelSchema, input);
  if (!result.success) throw toInputError(result.issues, source);
  return result.output as MonteCarloModelInput;
}
