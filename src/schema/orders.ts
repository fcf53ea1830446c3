// The open-orders file ({ "orders": [...] }): resting orders on USD-settled futures and options.
import * as v from "valibot";
import type { OpenOrder } from "../model/orders.js";
import { isoDate, oneOf, price, quantity, rule, size, strict, symbol, text, schemaRef, group, PARSE } from "./fields.js";
import { markParsed } from "./checked.js";
import { toInputError } from "./issues.js";

const LINEAR = rule('must be "linear": an order\'s price is USD per coin, so only USD-settled instruments take orders');
const base = { id: v.optional(text), underlying: symbol, quantity, settlement: v.literal("linear", LINEAR), price };

const futureOrder = strict("a future order", { kind: v.literal("future"), ...base, expiry: v.optional(isoDate), contractSize: v.optional(size) });
const optionOrder = strict("an option order", {
  kind: v.literal("option"), ...base, right: oneOf(["call", "put"]), strike: price, expiry: isoDate, contractSize: v.optional(size),
});

const order = v.variant("kind", [futureOrder, optionOrder], (issue) =>
  issue.path ? rule("expected one of future, option")(issue) : rule("must be an object (an order)")(issue),
);

export const ordersSchema = group("an orders file", {
  ...schemaRef,
  orders: v.array(order, rule("must be an array of orders")),
});

/**
 * Validates a parsed orders file, `{ "orders": [...] }`; throws InputError naming the first bad field.
 *
 * @example
 * ```ts
 * import { parseOpenOrders } from "pmargin";
 * const orders = parseOpenOrders({ orders: [{ id: "BTC-USD-PERP", kind: "future", settlement: "linear", underlying: "BTC", quantity: 0.5, price: 76_000 }] });
 * ```
 */
export function parseOpenOrders(input: unknown, source?: string): OpenOrder[] {
  const result = v.safeParse(ordersSchema, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  return markParsed(result.output.orders, "orders");
}
