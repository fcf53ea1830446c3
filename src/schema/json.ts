// JSON text to a value, with errors that say where the text is broken.
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";
import { InputError } from "../errors.js";

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
  // Editors on Windows save a byte-order mark, which JSON.parse rejects.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const reason = describeFlaw(body) ?? (error instanceof Error ? error.message : String(error));
    throw new InputError("", `malformed JSON: ${reason}`, source);
  }
}
