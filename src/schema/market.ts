// The market.json schema: exactly the MarketData type of src/model/types.ts, plus the
// rules that need asOf (nothing in the market may expire at or before it).
import * as v from "valibot";
import { InputError } from "../errors.js";
import type { MarketData, UnderlyingMarket } from "../model/types.js";
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

/** One expiry of a vol surface: vols on strike or log-moneyness nodes. */
export const slice = v.pipe(
  strict("a surface slice", {
    expiry: isoDate,
    logMoneyness: v.optional(nodes(within(-10, 10, " (ln K/F)"))),
    strikes: v.optional(nodes(price)),
    vols: v.pipe(
      v.array(volatility, rule("must be an array of vols")),
      v.minLength(1, "must hold at least one vol"),
    ),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { strikes, logMoneyness, vols } = dataset.value;
    const grid = strikes ?? logMoneyness;
    if (grid === undefined || (strikes && logMoneyness)) {
      addIssue({ message: `give exactly one of strikes and logMoneyness, got ${grid ? "both" : "neither"}` });
      return;
    }
    if (grid.length !== vols.length) {
      addIssue({
        message: `has ${vols.length} vols for ${grid.length} ${strikes ? "strikes" : "logMoneyness"} nodes; give one vol per node`,
        path: [atKey(dataset.value, "vols")],
      });
    }
  }),
);

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
  const market = result.output;
  for (const [name, u] of Object.entries(market.underlyings)) {
    checkDated(u.forwards, ["underlyings", name, "forwards"], market.asOf, source);
    checkDated(u.surface, ["underlyings", name, "surface"], market.asOf, source);
  }
  return markParsed(market, "market");
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
  return result.output;
}
