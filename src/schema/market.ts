// The market.json schema: exactly the MarketData type of src/model/types.ts, plus the
// rules that need asOf (nothing in the market may expire at or before it).
import * as v from "valibot";
import { InputError } from "../errors.js";
import { yearFraction } from "../conventions.js";
import { sampleSvi, SVI_DEFAULT_RANGE } from "../math/svi.js";
import type { MarketData, UnderlyingMarket, VolSlice } from "../model/types.js";
import { expiredReason, toMillis } from "./dates.js";
import { atIndex, atKey, isoDate, keyed, MAX_QUANTITY, positive, price, rule, strict, symbol, volatility, schemaRef, group, within, PARSE } from "./fields.js";
import { formatPath, toInputError } from "./issues.js";
import { markParsed } from "./checked.js";

/** Nodes are interpolated between, so each must lie strictly above the previous one. */
function nodes(item: v.GenericSchema<unknown, number>) {
  return v.pipe(
    v.array(item, rule("must be an array of numbers")),
    v.rawCheck<number[]>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const values = dataset.value;
      let previous = Number.NEGATIVE_INFINITY;
      for (const [j, x] of values.entries()) {
        if (x <= previous) {
          addIssue({
            message: `nodes must be strictly increasing: ${x} is not above the previous node ${previous}`,
            path: [atIndex(values, j)],
          });
          return;
        }
        previous = x;
      }
    }),
  );
}

/** Raw SVI parameters of one expiry: total variance a + b·(ρ·(k − m) + √((k − m)² + σ²)) in k = ln(K/F). */
const sviSmile = strict("SVI parameters", {
  a: within(-10, 10),
  b: within(0, 100),
  rho: v.pipe(v.number(rule("must be a number within (−1, 1)")), v.gtValue(-1, rule("must be > −1")), v.ltValue(1, rule("must be < 1"))),
  m: within(-10, 10, " (ln K/F)"),
  sigma: v.pipe(positive, v.maxValue(10, rule("must be ≤ 10"))),
});

/** One expiry of a vol surface: vols on strike or log-moneyness nodes, or an SVI smile. */
export const slice = v.pipe(
  strict("a surface slice", {
    expiry: isoDate,
    logMoneyness: v.optional(nodes(within(-10, 10, " (ln K/F)"))),
    strikes: v.optional(nodes(price)),
    vols: v.optional(v.pipe(
      v.array(volatility, rule("must be an array of vols")),
      v.minLength(1, "must hold at least one vol"),
    )),
    svi: v.optional(sviSmile),
    sviRange: v.optional(v.pipe(
      v.array(within(-10, 10), rule("must be [lowest, highest] log-moneyness")),
      v.length(2, "must be [lowest, highest] log-moneyness"),
      v.check((r) => r[0]! < 0 && r[1]! > 0, "must hold the forward: [lowest < 0, highest > 0]"),
    )),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { strikes, logMoneyness, vols, svi, sviRange } = dataset.value;
    const forms = [strikes && "strikes", logMoneyness && "logMoneyness", svi && "svi"].filter(Boolean);
    if (forms.length !== 1) {
      addIssue({ message: `give exactly one of strikes (with vols), logMoneyness (with vols) and svi, got ${forms.length === 0 ? "none" : forms.join(" and ")}` });
      return;
    }
    if (svi) {
      if (vols) addIssue({ message: "an SVI slice gives no vols: they are read off its parameters", path: [atKey(dataset.value, "vols")] });
      return;
    }
    if (sviRange) addIssue({ message: "sviRange goes with svi only", path: [atKey(dataset.value, "sviRange")] });
    const grid = (strikes ?? logMoneyness)!;
    if (!vols) {
      addIssue({ message: `give the vols at the ${strikes ? "strikes" : "logMoneyness"} nodes` });
    } else if (grid.length !== vols.length) {
      addIssue({
        message: `has ${vols.length} vols for ${grid.length} ${strikes ? "strikes" : "logMoneyness"} nodes; give one vol per node`,
        path: [atKey(dataset.value, "vols")],
      });
    }
  }),
);

type ParsedSlice = v.InferOutput<typeof slice>;

/** An underlying's parsed data with its surface as node slices. */
function withNodeSlices(u: v.InferOutput<typeof underlyingSchema>, path: [string, string, string], asOf: string, source?: string): UnderlyingMarket {
  const { surface, ...rest } = u;
  return surface ? { ...u, surface: asNodeSlices(surface, path, asOf, source) } : rest;
}

/**
 * A surface's slices as node slices: an SVI slice sampled on log-moneyness nodes (math/svi.ts
 * sampleSvi: within SVI_SAMPLING_TOLERANCE in vol over its sviRange, flat beyond), node slices as given.
 */
function asNodeSlices(surface: readonly ParsedSlice[], path: [string, string, string], asOf: string, source?: string): VolSlice[] {
  return surface.map((s, j): VolSlice => {
    if (!s.svi) return s as VolSlice;
    const t = yearFraction(toMillis(asOf), toMillis(s.expiry));
    const at = formatPath([...path, j, "svi"]);
    const range = s.sviRange ? ([s.sviRange[0]!, s.sviRange[1]!] as const) : SVI_DEFAULT_RANGE;
    const { logMoneyness, vols } = sampleSvi(s.svi, t, range, at, source);
    return { expiry: s.expiry, logMoneyness, vols };
  });
}

/** Depth of an underlying's market (UnderlyingLiquidity): volumes in coins, spread and vol as decimals. */
const liquidity = strict("liquidity", {
  spread: within(0, 1, " (the full bid–ask spread as a fraction of the price)"),
  adv: v.pipe(positive, v.maxValue(MAX_QUANTITY, rule(`must be ≤ ${MAX_QUANTITY} (coins a day)`))),
  openInterest: v.optional(v.pipe(positive, v.maxValue(MAX_QUANTITY, rule(`must be ≤ ${MAX_QUANTITY} (coins)`)))),
  dailyVol: v.optional(v.pipe(positive, v.maxValue(1, rule("must be ≤ 1 (a daily vol: 0.03 means 3%)")))),
  impact: v.optional(within(0, 10, " (the square-root law's Y, of order 1)")),
});

export const forwardQuote = strict("a forward quote", { expiry: isoDate, price });

export const underlyingSchema = strict("an underlying", {
  index: price,
  rate: v.optional(within(-1, 1, " (a continuous annual rate)")),
  forwards: v.optional(v.array(forwardQuote, rule("must be an array of forward quotes"))),
  basis: v.optional(within(-10, 10, " (a continuous annual basis)")),
  surface: v.optional(v.array(slice, rule("must be an array of surface slices"))),
  liquidity: v.optional(liquidity),
  marks: v.optional(keyed(price, rule("must map instrument ids to mark prices"))),
  markIvs: v.optional(keyed(volatility, rule("must map option instrument ids to mark implied vols"))),
  fundingRate8h: v.optional(within(-1, 1, " (a funding rate per 8 hours: 0.0001 means 0.01%)")),
});

export const marketSchema = group("a market", {
  ...schemaRef,
  asOf: isoDate,
  underlyings: v.pipe(
    keyed(underlyingSchema, rule("must be an object keyed by underlying symbol")),
    v.check((u) => Object.keys(u).length > 0, "no underlyings: the market must describe at least one"),
  ),
});

/**
 * Forward quotes and surface slices must expire after asOf (a time to expiry ≤ 0 has no
 * forward or vol), and at most one of each per expiry, or interpolation would be ambiguous.
 */
export function checkDated(
  entries: readonly { expiry: string }[] | undefined,
  path: [string, string, string],
  asOf: string,
  source?: string,
): void {
  const seen = new Map<number, number>();
  entries?.forEach(({ expiry }, j) => {
    const where = formatPath([...path, j, "expiry"]);
    const t = toMillis(expiry);
    if (!(t > toMillis(asOf))) throw new InputError(where, expiredReason(expiry, asOf), source);
    const first = seen.get(t);
    if (first !== undefined) {
      throw new InputError(where, `duplicate expiry: ${path[2]}[${first}] is also ${entries[first]?.expiry}`, source);
    }
    seen.set(t, j);
  });
}

/**
 * Validates a parsed market.json; throws InputError naming the first bad field.
 *
 * @example
 * ```ts
 * import { buildMarket, parseMarket } from "pmargin";
 * const data = parseMarket(JSON.parse(marketText), "market.json");
 * const market = buildMarket(data);
 * ```
 */
export function parseMarket(input: unknown, source?: string): MarketData {
  const result = v.safeParse(marketSchema, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  const { asOf, underlyings } = result.output;
  const sampled: Record<string, UnderlyingMarket> = {};
  for (const [name, u] of Object.entries(underlyings)) {
    checkDated(u.forwards, ["underlyings", name, "forwards"], asOf, source);
    checkDated(u.surface, ["underlyings", name, "surface"], asOf, source);
    sampled[name] = withNodeSlices(u, ["underlyings", name, "surface"], asOf, source);
  }
  return markParsed({ ...result.output, underlyings: sampled }, "market");
}

/** Validates one underlying's market data against asOf (a live update); errors name `underlyings.<name>.…`. */
export function parseUnderlyingMarket(name: string, input: unknown, asOf: string, source?: string): UnderlyingMarket {
  const result = v.safeParse(underlyingSchema, input, PARSE);
  if (!result.success) {
    const error = toInputError(result.issues, source);
    throw new InputError(formatPath(["underlyings", name]) + (error.path ? `.${error.path}` : ""), error.reason, source);
  }
  checkDated(result.output.forwards, ["underlyings", name, "forwards"], asOf, source);
  checkDated(result.output.surface, ["underlyings", name, "surface"], asOf, source);
  return withNodeSlices(result.output, ["underlyings", name, "surface"], asOf, source);
}
