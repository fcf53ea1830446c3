import { describe, expect, it } from "vitest";
import { parseJson } from "../../src/schema/index.js";
import { expectInputError } from "./helpers.js";

describe("parseJson", () => {
  it("parses well-formed JSON", () => {
    expect(parseJson('{"a": [1, -2.5e3, "x\\u00e9", true, null]}')).toEqual({ a: [1, -2500, "xé", true, null] });
  });

  it("ignores a leading byte-order mark", () => {
    expect(parseJson('\uFEFF{"a": 1}')).toEqual({ a: 1 });
  });

  it("rejects a trailing comma with its line and column", () => {
    const error = expectInputError(() => parseJson('{\n  "a": 1,\n}', "portfolio.json"), "", "malformed JSON: expected a double-quoted property name");
    expect(error.reason).toContain("line 3 column 1");
    expect(error.message).toMatch(/^portfolio\.json: malformed JSON/);
  });

  it("locates an unexpected token, which Node's own message leaves unplaced", () => {
    expectInputError(() => parseJson('{\n  "strike": 100000,\n  "vol": NaN\n}'), "", 'expected a value, found "N" at line 3 column 10');
  });

  it("locates a missing comma", () => {
    expectInputError(() => parseJson('[1\n 2]'), "", "expected ',', found \"2\" at line 2 column 2");
  });

  it("rejects text after the value", () => {
    expectInputError(() => parseJson('{"a": 1} 2'), "", "after the JSON value");
  });

  it("rejects comments, which JSON does not have", () => {
    expectInputError(() => parseJson('{"a": 1} // comment'), "", "comments are not allowed in JSON");
  });

  it("rejects an unterminated string", () => {
    expectInputError(() => parseJson('{"a": "b'), "", "expected a closing quote");
  });

  it("rejects empty text", () => {
    expectInputError(() => parseJson(""), "", "malformed JSON: expected a value, found the end of the text at line 1 column 1");
  });
});
