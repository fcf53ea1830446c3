// Schema of a margin profile file (src/model/profile.ts), so a user's own
// profile fails with the field named, like a portfolio or a market.
import * as v from "valibot";
import type { MarginProfile } from "../model/profile.js";
import { finite, keyed, positive, rule, strict, symbol, text, schemaRef, group, termScaling, within, PARSE } from "./fields.js";
import { toInputError } from "./issues.js";
import { checked, markParsed } from "./checked.js";

const MOVE = rule("must be a move > −100% and ≤ +10,000%");
const moveSchema = v.pipe(v.number(MOVE), v.finite(MOVE), v.gtValue(-1, MOVE), v.maxValue(100, MOVE));
const nonNegative = within(0, 1e12);
const fraction = v.pipe(finite, v.minValue(0, rule("must be within 0..1")), v.maxValue(1, rule("must be within 0..1")));

const SHIFT = rule("must be a relative shift > −1 and ≤ 100");
const volState = strict("a vol state", {
  name: symbol, shift: v.pipe(finite, v.gtValue(-1, SHIFT), v.maxValue(100, SHIFT)), floor: v.optional(within(0, 10, " (a vol)")),
});
/** A grid's size (docs/limits.md): every venue's lists a few dozen; a grid is revalued per underlying on every call. */
export const MAX_MOVES = 1_000;
export const MAX_VOL_STATES = 100;
const atMost = <T>(n: number, what: string) => v.maxLength<T[], number, string>(n, `must list at most ${n.toLocaleString("en-US")} ${what} (docs/limits.md), got more`);

/** Rates per underlying, with the `default` for the others. */
const ratesByUnderlying = v.pipe(keyed(fraction, rule("must map underlyings to rates")), v.check((r) => r["default"] !== undefined, rule("must give a default rate")));

/** OKX's MR7 scaling tiers: from 0, ascending. */
const mr7Tiers = v.pipe(
  v.array(strict("an MR7 tier", { from: nonNegative, multiplier: within(0, 1000) }), rule("must be an array of tiers")),
  v.nonEmpty(rule("must list at least one tier")),
  v.check((t) => t[0]!.from === 0 && t.every((x, i) => i === 0 || x.from > t[i - 1]!.from), rule("must start from 0 and ascend")),
);

const params = {
  moves: v.pipe(v.array(moveSchema, rule("must be an array of moves")), v.nonEmpty(rule("must list at least one move")), atMost<number>(MAX_MOVES, "moves")),
  volStates: v.pipe(v.array(volState, rule("must be an array of vol states")), v.nonEmpty(rule("must list at least one vol state")), atMost<v.InferOutput<typeof volState>>(MAX_VOL_STATES, "vol states")),
  volScaling: v.optional(termScaling("volScaling")),
  extended: v.pipe(v.array(strict("an extended move", { move: moveSchema, weight: v.optional(fraction), vol: v.optional(symbol) }), rule("must be an array")), atMost<{ move: number; weight?: number | undefined; vol?: string | undefined }>(MAX_MOVES, "extended moves")),
  extendedTableFactor: v.optional(within(0, 10)),
  extendedWeighting: v.optional(v.picklist(["measured", "usdAtRangeEdge"], rule('must be "measured" or "usdAtRangeEdge"'))),
  extendedDampener: v.optional(strict("extendedDampener", { coinUsd: nonNegative, usdUsd: nonNegative })),
  pnlOffset: v.optional(fraction),
  smile: v.optional(v.picklist(["stickyMoneyness", "stickyStrike"], rule('must be "stickyMoneyness" or "stickyStrike"'))),
  shortOptionMinimum: v.optional(fraction),
  rollShock: v.optional(strict("rollShock", {
    annualisedMoveRisk: within(0, 10), minMove: fraction,
    basis: v.optional(v.picklist(["offset", "gross"], rule('must be "offset" or "gross"'))),
    time: v.optional(v.picklist(["sqrt", "linear"], rule('must be "sqrt" or "linear"'))),
  })),
  deltaShock: v.optional(fraction),
  minimumDelta: v.optional(strict("minimumDelta", { net: fraction, hedged: fraction })),
  minimum: v.optional(nonNegative),
  mmpMarginRate: v.optional(fraction),
};

export const profileSchema = v.pipe(
  group("a margin profile", {
    ...schemaRef,
    name: symbol,
    description: text,
    sources: v.array(text, rule("must be an array of strings")),
    defaults: strict("defaults", params),
    underlyings: v.optional(keyed(v.partial(strict("an underlying's parameters", params)), rule("must map underlyings to their parameters"))),
    usdSettled: v.optional(v.partial(strict("a USD-settled book's parameters", params))),
    mmFactor: v.pipe(positive, v.maxValue(1, rule("must be within (0, 1]"))),
    report: v.optional(v.literal("deribit", rule('must be "deribit"'))),
    settlementBooks: v.optional(v.picklist(["together", "separate"], rule('must be "together" or "separate"'))),
    paradex: v.optional(strict("paradex", {
      fundingProvisionHours: within(0, 24 * 365),
      orderFunding: v.picklist(["separate", "netted"], rule('must be "separate" or "netted"')),
      optionFeeCap: fraction,
      settlementTwapMinutes: within(0, 24 * 60),
    })),
    okx: v.optional(strict("okx", {
      imFactor: within(1, 100),
      mr7Rates: ratesByUnderlying,
      mr7Tiers,
    })),
    bybit: v.optional(strict("bybit", {
      imFactor: within(1, 100),
      futureContingencyRates: ratesByUnderlying,
    })),
    crossUnderlying: v.union(
      [v.literal("sum"), strict("crossUnderlying", {
        spreadCredits: v.array(strict("a spread credit", { underlyings: v.strictTuple([symbol, symbol], rule("must be a pair of underlyings")), credit: fraction })),
      })],
      rule('must be "sum" or { spreadCredits: [...] }'),
    ),
  }),
  // Extended moves name a vol state of their grid (the defaults', and each underlying's with its
  // overrides), and have a weight exactly when the grid has no extendedTableFactor.
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const p = dataset.value;
    const grids: [string, {
      moves: number[]; extended: { move: number; vol?: string; weight?: number }[]; volStates: { name: string }[];
      extendedTableFactor?: number; extendedDampener?: unknown; extendedWeighting?: string;
    }][] = [
      ["defaults", p.defaults],
      ...Object.entries(p.underlyings ?? {}).map(([u, o]): [string, typeof p.defaults] => [`underlyings.${u}`, { ...p.defaults, ...o }]),
      ...(p.usdSettled ? [["usdSettled", { ...p.defaults, ...p.usdSettled }] as [string, typeof p.defaults]] : []),
    ];
    for (const [where, g] of grids) {
      const bad = g.extended.find((e) => e.vol !== undefined && !g.volStates.some((s) => s.name === e.vol));
      if (bad) {
        addIssue({ message: `${where}: extended move ${bad.vol === undefined ? "" : `vol "${bad.vol}" `}names none of its vol states (${g.volStates.map((s) => s.name).join(", ")})` });
        return;
      }
      const byFactor = g.extendedTableFactor !== undefined;
      const rangeBased = byFactor || g.extendedDampener !== undefined || g.extendedWeighting === "usdAtRangeEdge";
      if (rangeBased && !g.moves.some((m) => m !== 0)) {
        addIssue({ message: `${where}: extendedTableFactor, extendedDampener and usdAtRangeEdge are relative to the largest regular move, and every move is 0` });
        return;
      }
      // An extended move lies beyond the regular range, so factor × range / |move| ≤ factor.
      const range = Math.max(...g.moves.map(Math.abs));
      const inside = g.extended.findIndex((e) => Math.abs(e.move) < range);
      if (byFactor && inside >= 0) {
        addIssue({ message: `${where}: extended[${inside}].move ${g.extended[inside]!.move} lies within the regular range ±${range}: with extendedTableFactor an extended move must lie beyond it` });
        return;
      }
      const i = g.extended.findIndex((e) => (e.weight === undefined) !== byFactor);
      if (i >= 0) {
        addIssue({ message: `${where}: extended[${i}] ${byFactor ? "has a weight although extendedTableFactor sets every weight" : "needs a weight (or the grid an extendedTableFactor)"}` });
        return;
      }
    }
  }),
);

/**
 * Validates a margin profile (parsed JSON, the shape of src/profiles/*.json); throws InputError naming the first bad field.
 *
 * @example
 * ```ts
 * import { gridMargin, parseProfile } from "pmargin";
 * const profile = parseProfile(JSON.parse(await readFile("my-venue.json", "utf8")), "my-venue.json");
 * const margin = gridMargin(engine, portfolio.positions, market, { profile });
 * ```
 */
export function parseProfile(input: unknown, source?: string): MarginProfile {
  const result = v.safeParse(profileSchema, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  return markParsed(result.output as MarginProfile, "profile");
}

/** `profile` as a method takes it: parseProfile's output as it is, anything else parsed (errors under `path`). */
export function checkedProfile(profile: unknown, path: string): MarginProfile {
  return checked(profile, "profile", parseProfile, path);
}
