// The portfolio.json schema: exactly the Portfolio type of src/model/types.ts.
import * as v from "valibot";
import type { Portfolio, Position } from "../model/types.js";
import { atKey, isoDate, MAX_QUANTITY, oneOf, price, quantity, rule, size, strict, symbol, text, schemaRef, group, within, PARSE } from "./fields.js";
import { toInputError } from "./issues.js";
import { markParsed } from "./checked.js";

const base = { id: v.optional(text), underlying: symbol, quantity };
const settlement = oneOf(["linear", "inverse"]);

const spot = strict("a spot position", { kind: v.literal("spot"), ...base });

/** Each settlement has its own size field; naming the right one beats a bare "unknown field". */
const SIZE_FIELD = { linear: "contractSize", inverse: "faceValue" } as const;
const SIZE_MEANING = { contractSize: "coins per contract", faceValue: "USD per contract" } as const;

const future = v.pipe(
  strict("a future", {
    kind: v.literal("future"),
    ...base,
    settlement,
    expiry: v.optional(isoDate),
    contractSize: v.optional(size),
    faceValue: v.optional(size),
    entryPrice: v.optional(price),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const position = dataset.value;
    const wrong = position.settlement === "linear" ? SIZE_FIELD.inverse : SIZE_FIELD.linear;
    if (position[wrong] === undefined) return;
    const right = SIZE_FIELD[position.settlement];
    addIssue({
      message: `${wrong} does not apply to ${position.settlement} futures; their size is ${right} (${SIZE_MEANING[right]})`,
      path: [atKey(position, wrong)],
    });
  }),
);

const option = strict("an option", {
  kind: v.literal("option"),
  ...base,
  settlement,
  right: oneOf(["call", "put"]),
  strike: price,
  expiry: isoDate,
  contractSize: v.optional(size),
});

const KINDS = "expected one of spot, future, option";
export const position = v.variant("kind", [spot, future, option], (issue) =>
  // valibot gives a path only when the object is fine but its kind is not.
  issue.path ? rule(KINDS)(issue) : rule("must be an object (a position)")(issue),
);

/**
 * `position`, dispatched on `kind` before valibot runs: the kind's own schema when it names one
 * (what the variant would run, with the same output and issues), else the variant (its error).
 * The variant tries every kind's discriminator first: 2.4 µs a position against 0.9.
 */
const KIND_SCHEMAS = { spot, future, option } as const;
const positionByKind = v.lazy((input: unknown) => {
  const kind = input !== null && typeof input === "object" ? (input as { kind?: unknown }).kind : undefined;
  return typeof kind === "string" && Object.hasOwn(KIND_SCHEMAS, kind) ? KIND_SCHEMAS[kind as keyof typeof KIND_SCHEMAS] : position;
});

/** The portfolio schema over a position schema: the published one (JSON Schema) and the parser's are one shape. */
const portfolioOf = <P extends v.GenericSchema>(positionSchema: P) => group("a portfolio", {
  ...schemaRef,
  name: v.optional(text),
  positions: v.pipe(
    v.array(positionSchema, rule("must be an array of positions")),
    v.minLength(1, "empty portfolio: positions must hold at least one position"),
  ),
  mmp: v.optional(v.array(strict("an MMP setting", {
    underlying: symbol, quantityLimit: within(0, MAX_QUANTITY), deltaLimit: v.optional(within(0, MAX_QUANTITY)),
  }), rule("must be an array of MMP settings"))),
});

export const portfolioSchema = portfolioOf(position);
const portfolioByKind = portfolioOf(positionByKind);

/**
 * Validates a parsed portfolio.json; throws InputError naming the first bad field.
 *
 * @example
 * ```ts
 * import { parsePortfolio } from "pmargin";
 * const portfolio = parsePortfolio({ positions: [{ id: "btc", kind: "spot", underlying: "BTC", quantity: 1 }] });
 * ```
 */
export function parsePortfolio(input: unknown, source?: string): Portfolio {
  const result = v.safeParse(portfolioByKind, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  for (const p of result.output.positions as Position[]) markParsed(p, "position");
  return markParsed(result.output, "portfolio");
}

/** Validates one position (a library caller's, or an order); throws InputError naming the field. */
export function parsePosition(input: unknown, source?: string): Position {
  const result = v.safeParse(positionByKind, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  return markParsed(result.output as Position, "position");
}
