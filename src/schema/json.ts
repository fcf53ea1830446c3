// JSON text to a value, with errors that say where the text is broken.
import { InputError } from "../errors.js";

/** Where and why JSON text is malformed. */
class Flaw {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;
const WHITESPACE = /[ \t\n\r]*/y;

/**
 * Finds the first flaw in text that JSON.parse rejected. Node 20's own messages carry a
 * position for only some errors (none for "Unexpected token"), so it is found here instead.
 */
function findFlaw(text: string): Flaw | undefined {
  let i = 0;
  const fail = (expected: string): never => {
    const found = i < text.length ? JSON.stringify(text[i]) : "the end of the text";
    throw new Flaw(i, `expected ${expected}, found ${found}`);
  };
  const match = (pattern: RegExp): string => {
    pattern.lastIndex = i;
    const token = pattern.exec(text)?.[0] ?? "";
    i += token.length;
    return token;
  };
  const eat = (char: string): boolean => text[i] === char && ++i > 0;
  const skip = (char: string, expected: string) => eat(char) || fail(expected);
  const restOfString = () => {
    match(STRING_BODY);
    skip('"', "a closing quote (control characters and bad escapes are not allowed in strings)");
  };
  const value = (): void => {
    match(WHITESPACE);
    const c = text[i];
    if (c === "{") {
      i++;
      match(WHITESPACE);
      if (!eat("}")) {
        do {
          match(WHITESPACE);
          skip('"', "a double-quoted property name");
          restOfString();
          match(WHITESPACE);
          skip(":", "':'");
          value();
          match(WHITESPACE);
        } while (eat(","));
        skip("}", "',' or '}'");
      }
    } else if (c === "[") {
      i++;
      match(WHITESPACE);
      if (!eat("]")) {
        do {
          value();
          match(WHITESPACE);
        } while (eat(","));
        skip("]", "',' or ']'");
      }
    } else if (c === '"') {
      i++;
      restOfString();
    } else {
      const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
      if (word) i += word.length;
      else if (!match(NUMBER)) fail("a value");
    }
  };
  try {
    value();
    match(WHITESPACE);
    if (i < text.length) fail("the end of the text after the JSON value");
    return undefined;
  } catch (error) {
    // Anything else (a stack overflow on absurd nesting) leaves JSON.parse's message to speak.
    if (error instanceof Flaw) return error;
    return undefined;
  }
}

/** Line and column (both from 1) of a character offset. */
function lineColumn(text: string, offset: number): string {
  const lines = text.slice(0, offset).split("\n");
  return `line ${lines.length} column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

/** Parses JSON text; malformed text throws InputError("", "malformed JSON: ...", source). */
export function parseJson(text: string, source?: string): unknown {
  // Editors on Windows save a byte-order mark, which JSON.parse rejects.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const flaw = findFlaw(body);
    const reason = flaw
      ? `${flaw.reason} at ${lineColumn(body, flaw.offset)}`
      : error instanceof Error
        ? error.message
        : String(error);
    throw new InputError("", `malformed JSON: ${reason}`, source);
  }
}
