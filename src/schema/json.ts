// JSON text to a value, with errors that say where the text is broken.
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";
import { InputError } from "../errors.js";
import { describe } from "./issues.js";

// jsonc-parser's error codes in words; strict JSON, so comments and trailing commas are errors.
const REASONS: Record<string, string> = {
  InvalidSymbol: "expected a value",
  InvalidNumberFormat: "expected a number",
  PropertyNameExpected: "expected a double-quoted property name",
  ValueExpected: "expected a value",
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected ',' or '}'",
  CloseBracketExpected: "expected ',' or ']'",
  EndOfFileExpected: "expected the end of the text after the JSON value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "comments are not allowed in JSON",
  UnexpectedEndOfString: "expected a closing quote",
  UnexpectedEndOfNumber: "expected a number",
  InvalidUnicode: "invalid \\u escape",
  InvalidEscapeCharacter: "invalid escape in a string",
  InvalidCharacter: "control characters are not allowed in strings",
};

/** Line and column (both from 1) of a character offset. */
function lineColumn(text: string, offset: number): string {
  const lines = text.slice(0, offset).split("\n");
  return `line ${lines.length} column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

/** The first flaw in text JSON.parse rejected: Node 20's own messages often give no position. */
function describeFlaw(text: string): string | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  const code = printParseErrorCode(first.error);
  const found = first.offset < text.length ? JSON.stringify(text[first.offset]) : "the end of the text";
  return `${REASONS[code] ?? code}, found ${found} at ${lineColumn(text, first.offset)}`;
}

/**
 * Parses JSON text; malformed text throws InputError("", "malformed JSON: ...", source).
 *
 * @example
 * ```ts
 * import { parseJson, parsePortfolio } from "pmargin";
 * const portfolio = parsePortfolio(parseJson(await readFile("portfolio.json", "utf8"), "portfolio.json"), "portfolio.json");
 * ```
 */
export function parseJson(text: string, source?: string): unknown {
  if (typeof text !== "string") throw new InputError("", `must be JSON text (a string), got ${describe(text)}`, source);
  // Editors on Windows save a byte-order mark, which JSON.parse rejects.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const reason = describeFlaw(body) ?? (error instanceof Error ? error.message : String(error));
    throw new InputError("", `malformed JSON: ${reason}`, source);
  }
  checkDepth(value, source);
  return value;
}

/** Nesting deeper than this is no pmargin document (a record nests about 10 levels): refused before anything recurses into it. */
export const MAX_DEPTH = 100;

/**
 * Throws an InputError unless `value` nests at most MAX_DEPTH objects and arrays deep,
 * found without recursion, so that 20,000 levels are an error and not a stack overflow.
 */
export function checkDepth(value: unknown, source?: string): void {
  const stack: [unknown, number][] = [[value, 0]];
  // An object met again (shared, as library callers may pass) is walked once.
  const seen = new WeakSet<object>();
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (x === null || typeof x !== "object" || ArrayBuffer.isView(x) || seen.has(x)) continue;
    seen.add(x);
    if (depth >= MAX_DEPTH) throw new InputError("", `nested more than ${MAX_DEPTH} levels deep (docs/limits.md)`, source);
    for (const item of Object.values(x)) stack.push([item, depth + 1]);
  }
}
