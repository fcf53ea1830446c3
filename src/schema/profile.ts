// Schema of a margin profile file (src/methods/grid/profile.ts), so a user's own
// profile fails with the field named, like a portfolio or a market.
import * as v from "valibot";
import type { MarginProfile } from "../methods/grid/profile.js";
import { finite, positive, rule, strict, symbol, text, schemaRef } from "./fields.js";
import { toInputError } from "./issues.js";

const moveSchema = v.pipe(v.number(rule("must be a move > −100%")), v.finite(rule("must be a move > −100%")), v.gtValue(-1, rule("must be a move > −100%")));
const nonNegative = v.pipe(finite, v.minValue(0, rule("must be ≥ 0")));
const fraction = v.pipe(finite, v.minValue(0, rule("must be within 0..1")), v.maxValue(1, rule("must be within 0..1")));

const volState = strict("a vol state", { name: symbol, shift: v.pipe(finite, v.gtValue(-1, rule("must be > −1"))), floor: v.optional(nonNegative) });
const params = {
  moves: v.pipe(v.array(moveSchema, rule("must be an array of moves")), v.nonEmpty(rule("must list at least one move"))),
  volStates: v.pipe(v.array(volState, rule("must be an array of vol states")), v.nonEmpty(rule("must list at least one vol state"))),
  volScaling: v.optional(strict("volScaling", { refDays: positive, minDays: positive, shortPower: finite, longPower: finite })),
  extended: v.array(strict("an extended move", { move: moveSchema, weight: fraction, vol: v.optional(symbol) }), rule("must be an array")),
  shortOptionMinimum: v.optional(nonNegative),
  rollShock: v.optional(strict("rollShock", { annualisedMoveRisk: nonNegative, minMove: nonNegative })),
  deltaShock: v.optional(nonNegative),
  minimumDelta: v.optional(strict("minimumDelta", { net: fraction, hedged: fraction })),
  minimum: v.optional(nonNegative),
};

export const profileSchema = v.pipe(
  strict("a margin profile", {
    ...schemaRef,
    name: symbol,
    description: text,
    sources: v.array(text, rule("must be an array of strings")),
    defaults: strict("defaults", params),
    underlyings: v.optional(v.record(symbol, v.partial(strict("an underlying's parameters", params)))),
    mmFactor: v.pipe(positive, v.maxValue(1, rule("must be within (0, 1]"))),
    crossUnderlying: v.union(
      [v.literal("sum"), strict("crossUnderlying", {
        spreadCredits: v.array(strict("a spread credit", { underlyings: v.strictTuple([symbol, symbol], rule("must be a pair of underlyings")), credit: fraction })),
      })],
      rule('must be "sum" or { spreadCredits: [...] }'),
    ),
  }),
  // Extended moves name a vol state of their grid.
  v.check((p) => p.defaults.extended.every((e) => e.vol === undefined || p.defaults.volStates.some((s) => s.name === e.vol)),
    "defaults.extended: every vol must name one of defaults.volStates"),
);

export function parseProfile(input: unknown, source?: string): MarginProfile {
  const result = v.safeParse(profileSchema, input);
  if (!result.success) throw toInputError(result.issues, source);
  return result.output as MarginProfile;
}
