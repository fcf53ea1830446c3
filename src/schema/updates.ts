// The live updates a margin monitor consumes (`pmargin watch` reads them as JSON lines):
// prices, vol surfaces, fills, hypothetical orders, closed positions and the clock.
import * as v from "valibot";
import type { ForwardQuote, Position, VolSlice } from "../model/types.js";
import { isoDate, PARSE, price, rule, strict, symbol, text } from "./fields.js";
import { toInputError } from "./issues.js";
import { forwardQuote, slice } from "./market.js";
import { position } from "./portfolio.js";

/** When an update happened (ISO-8601); the monitor samples returns for its EWMA estimates by it. */
const time = v.optional(isoDate);

export const updateSchema = v.variant("type", [
  strict("a price update", {
    type: v.literal("price"), time, underlying: symbol, index: price,
    forwards: v.optional(v.array(forwardQuote, rule("must be an array of forward quotes"))),
  }),
  strict("a surface update", {
    type: v.literal("surface"), time, underlying: symbol,
    surface: v.array(slice, rule("must be an array of surface slices")),
  }),
  strict("a fill", { type: v.literal("fill"), time, position }),
  strict("an order", { type: v.literal("order"), time, position }),
  strict("a removal", { type: v.literal("remove"), time, id: text }),
  strict("a clock update", { type: v.literal("asOf"), asOf: isoDate }),
], rule("must be an update with type price, surface, fill, order, remove or asOf"));

/**
 * - price: a new index; the quoted forwards and a strike-noded smile move in proportion
 *   (sticky moneyness, the scenario model's assumption), or the `forwards` given replace the quotes.
 * - surface: the underlying's vol surface replaced.
 * - fill: a trade; it adds to the position with the same id (the same instrument), or opens one.
 * - order: a hypothetical order — its incremental margin, the book unchanged.
 * - remove: the position with this id closed.
 * - asOf: the valuation time moves (options age); everything is re-margined.
 */
export type Update =
  | { type: "price"; time?: string; underlying: string; index: number; forwards?: ForwardQuote[] }
  | { type: "surface"; time?: string; underlying: string; surface: VolSlice[] }
  | { type: "fill"; time?: string; position: Position }
  | { type: "order"; time?: string; position: Position }
  | { type: "remove"; time?: string; id: string }
  | { type: "asOf"; asOf: string };

/**
 * Validates one update; throws InputError naming the first bad field.
 *
 * @example
 * ```ts
 * import { parseUpdate } from "pmargin";
 * const update = parseUpdate({ type: "price", underlying: "BTC", index: 97_500 });
 * live.update(update); // a LiveGridMargin
 * ```
 */
export function parseUpdate(input: unknown, source?: string): Update {
  const result = v.safeParse(updateSchema, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  return result.output as Update;
}
