// Schema of a Monte Carlo model file (src/model/montecarlo.ts): every
// field optional (defaults fill in), unknown fields refused so a typo fails.
import * as v from "valibot";
import { MAX_BINS, MAX_WORST, type MonteCarloModelInput } from "../model/montecarlo.js";
import { finite, group, keyed, positive, rule, strict, symbol, schemaRef, termScaling, volatility, within, PARSE } from "./fields.js";
import { toInputError } from "./issues.js";
import { checked, markParsed } from "./checked.js";

const level = v.pipe(finite, v.gtValue(0, rule("must be a level within (0, 1)")), v.ltValue(1, rule("must be a level within (0, 1)")));
const levels = v.pipe(v.array(level, rule("must be an array of levels")), v.nonEmpty(rule("must list at least one level")));
const volOfVol = within(0, 10, " (annualised vol of the vol)");
const correlationValue = v.pipe(finite, v.minValue(-1, rule("must be within [−1, 1]")), v.maxValue(1, rule("must be within [−1, 1]")));
const whole = (what: string) => v.pipe(finite, v.integer(rule(`must be a whole number (${what})`)), v.minValue(1, rule(`must be ≥ 1 (${what})`)));

const jump = { intensity: within(0, 1e4, " (jumps a year)"), mean: within(-5, 5, " (a log move)"), vol: within(0, 5, " (a log move)") };
const underlyingMap = <T extends v.GenericSchema>(value: T, what: string) => keyed(value, rule(`must map underlyings to ${what}`));

export const modelSchema = group("a Monte Carlo model", {
  ...schemaRef,
  paths: v.optional(whole("paths")),
  seed: v.optional(v.pipe(finite, v.integer(rule("must be a whole number")), v.minValue(0, rule("must be ≥ 0")),
    v.maxValue(Number.MAX_SAFE_INTEGER, rule("must be < 2^53")))),
  horizon: v.optional(v.union([strict("a horizon", { days: positive }), strict("a horizon", { hours: positive })],
    rule('must be { "days": d } or { "hours": h }'))),
  levels: v.optional(group("levels", { var: v.optional(levels), es: v.optional(levels) })),
  marginal: v.optional(v.variant("type", [
    strict("a normal marginal", { type: v.literal("normal") }),
    strict("a Student-t marginal", { type: v.literal("student-t"), nu: v.pipe(finite, v.gtValue(2, rule("must be > 2 (finite variance)"))) }),
  ], rule('must be { "type": "normal" } or { "type": "student-t", "nu": ν }'))),
  vols: v.optional(underlyingMap(volatility, "annualised vols")),
  correlation: v.optional(group("a correlation", {
    underlyings: v.array(symbol, rule("must be an array of underlyings")),
    matrix: v.array(v.array(correlationValue, rule("must be a row of correlations")), rule("must be an array of rows")),
  })),
  jumps: v.optional(group("jumps", {
    idiosyncratic: v.optional(group("idiosyncratic jumps", {
      ...jump,
      underlyings: v.optional(underlyingMap(strict("an underlying's jumps", jump), "their jumps")),
    })),
    common: v.optional(group("common jumps", { ...jump, beta: v.optional(underlyingMap(within(-10, 10), "multipliers of the common jump")) })),
  })),
  volDynamics: v.optional(group("volDynamics", {
    volOfVol: v.optional(volOfVol),
    spotVolCorrelation: v.optional(correlationValue),
    underlyings: v.optional(underlyingMap(strict("an underlying's vol dynamics", {
      volOfVol: v.optional(volOfVol), spotVolCorrelation: v.optional(correlationValue),
    }), "their vol dynamics")),
    termScaling: v.optional(termScaling("termScaling")),
  })),
  output: v.optional(group("output", {
    histogramBins: v.optional(v.pipe(whole("bins"), v.maxValue(MAX_BINS, rule(`must be ≤ ${MAX_BINS}`)))),
    worstPaths: v.optional(v.pipe(within(0, MAX_WORST), v.integer(rule("must be a whole number")))),
  })),
});

/**
 * Validates a Monte Carlo model (parsed JSON); throws InputError naming the field.
 *
 * @example
 * ```ts
 * import { monteCarlo, parseMonteCarloModel } from "pmargin";
 * const model = parseMonteCarloModel({ paths: 100_000, seed: 7, marginal: { type: "student-t", nu: 5 } });
 * const result = monteCarlo(engine, portfolio.positions, market, model);
 * ```
 */
export function parseMonteCarloModel(input: unknown, source?: string): MonteCarloModelInput {
  const result = v.safeParse(modelSchema, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  return markParsed(result.output as MonteCarloModelInput, "model");
}

/** `model` as monteCarlo takes it: parseMonteCarloModel's output as it is, anything else parsed (errors under `path`). */
export function checkedModel(model: unknown, path: string): MonteCarloModelInput {
  return checked(model, "model", parseMonteCarloModel, path);
}
