import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { PARSE } from "../../src/schema/fields.js";
import { toInputError } from "../../src/schema/issues.js";
import { portfolioSchema } from "../../src/schema/portfolio.js";
import { parsePortfolio } from "../../src/schema/index.js";
import { expectInputError, portfolio } from "./helpers.js";

/** The fixture with `patch` merged into position `i`. */
function withPosition(i: number, patch: Record<string, unknown>) {
  const p = portfolio();
  p.positions[i] = { ...p.positions[i], ...patch };
  return p;
}

/** The fixture with `field` removed from position `i`. */
function without(i: number, field: string) {
  const p = portfolio();
  const { [field]: _removed, ...rest } = p.positions[i] ?? {};
  p.positions[i] = rest;
  return p;
}

describe("parsePortfolio", () => {
  it("returns a valid portfolio unchanged, as a copy", () => {
    const input = portfolio();
    const parsed = parsePortfolio(input);
    expect(parsed).toEqual(input);
    expect(parsed).not.toBe(input);
  });

  it("accepts a zero quantity", () => {
    expect(parsePortfolio(withPosition(0, { quantity: 0 })).positions[0]?.quantity).toBe(0);
  });

  it("rejects a NaN quantity", () => {
    expectInputError(() => parsePortfolio(withPosition(0, { quantity: Number.NaN })), "positions[0].quantity", "must be a finite number, got NaN");
  });

  it("rejects an infinite quantity", () => {
    expectInputError(() => parsePortfolio(withPosition(1, { quantity: Infinity })), "positions[1].quantity", "must be a finite number, got Infinity");
  });

  it("rejects a quantity given as a string", () => {
    expectInputError(() => parsePortfolio(withPosition(0, { quantity: "1.5" })), "positions[0].quantity", 'got "1.5"');
  });

  it("rejects a negative strike, quoting it", () => {
    expectInputError(() => parsePortfolio(withPosition(3, { strike: -5 })), "positions[3].strike", "must be a finite number > 0, got -5");
  });

  it("rejects a zero strike", () => {
    expectInputError(() => parsePortfolio(withPosition(4, { strike: 0 })), "positions[4].strike", "> 0, got 0");
  });

  it("rejects a -Infinity strike", () => {
    expectInputError(() => parsePortfolio(withPosition(3, { strike: -Infinity })), "positions[3].strike", "got -Infinity");
  });

  it("rejects a zero contractSize", () => {
    expectInputError(() => parsePortfolio(withPosition(4, { contractSize: 0 })), "positions[4].contractSize", "> 0");
  });

  it("rejects a negative faceValue", () => {
    expectInputError(() => parsePortfolio(withPosition(1, { faceValue: -10 })), "positions[1].faceValue", "> 0, got -10");
  });

  it("rejects a zero entryPrice", () => {
    expectInputError(() => parsePortfolio(withPosition(2, { entryPrice: 0 })), "positions[2].entryPrice", "> 0");
  });

  it("rejects an unknown kind, listing the known ones", () => {
    expectInputError(() => parsePortfolio(withPosition(0, { kind: "swap" })), "positions[0].kind", 'expected one of spot, future, option, got "swap"');
  });

  it("rejects a position without a kind", () => {
    expectInputError(() => parsePortfolio(without(0, "kind")), "positions[0].kind", "expected one of spot, future, option");
  });

  it("rejects an unknown settlement", () => {
    expectInputError(() => parsePortfolio(withPosition(3, { settlement: "quanto" })), "positions[3].settlement", "expected one of linear, inverse");
  });

  it("rejects an unknown option right", () => {
    expectInputError(() => parsePortfolio(withPosition(3, { right: "straddle" })), "positions[3].right", "expected one of call, put");
  });

  it("rejects a misspelt field as unknown, listing the fields an option takes", () => {
    const error = expectInputError(() => parsePortfolio(withPosition(3, { strik: 1 })), "positions[3].strik", "unknown field");
    expect(error.reason).toContain("strike");
  });

  it("rejects an unknown top-level field", () => {
    expectInputError(() => parsePortfolio({ ...portfolio(), owner: "desk" }), "owner", "unknown field");
  });

  it("rejects an option without a strike, naming the missing field", () => {
    expectInputError(() => parsePortfolio(without(3, "strike")), "positions[3].strike", "is required for an option");
  });

  it("rejects an option without an expiry", () => {
    expectInputError(() => parsePortfolio(without(4, "expiry")), "positions[4].expiry", "is required");
  });

  it("rejects a faceValue on a linear future and says contractSize applies", () => {
    expectInputError(() => parsePortfolio(withPosition(2, { faceValue: 10 })), "positions[2].faceValue", "does not apply to linear futures; their size is contractSize");
  });

  it("rejects a contractSize on an inverse future and says faceValue applies", () => {
    expectInputError(() => parsePortfolio(withPosition(1, { contractSize: 1 })), "positions[1].contractSize", "does not apply to inverse futures; their size is faceValue");
  });

  it("rejects a faceValue on an option as an unknown field", () => {
    expectInputError(() => parsePortfolio(withPosition(3, { faceValue: 10 })), "positions[3].faceValue", "unknown field");
  });

  it("rejects an empty portfolio", () => {
    expectInputError(() => parsePortfolio({ positions: [] }), "positions", "empty portfolio");
  });

  it("rejects positions that are not an array", () => {
    expectInputError(() => parsePortfolio({ positions: {} }), "positions", "must be an array of positions, got an object");
  });

  it("rejects a position that is not an object", () => {
    expectInputError(() => parsePortfolio({ positions: [42] }), "positions[0]", "must be an object (a position), got 42");
  });

  it("rejects a portfolio that is not an object", () => {
    expectInputError(() => parsePortfolio(null), "", "must be an object (a portfolio), got null");
  });

  it("rejects an empty underlying", () => {
    expectInputError(() => parsePortfolio(withPosition(0, { underlying: "" })), "positions[0].underlying", "non-empty string");
  });

  it("rejects an id that is not a string", () => {
    expectInputError(() => parsePortfolio(withPosition(0, { id: 7 })), "positions[0].id", "must be a string, got 7");
  });

  it.each(["25DEC26", "2026/12/25", "2026-12-25 08:00:00", "20261225", "2026-02-30", "2026-13-01", "2026-12-25T24:00:00Z", "2026-12-25T08:00:00+0200", "2026-12-25T08Z", ""])(
    "rejects the non-ISO-8601 expiry %j",
    (expiry) => {
      expectInputError(() => parsePortfolio(withPosition(3, { expiry })), "positions[3].expiry", "must be an ISO-8601 date (YYYY-MM-DD) or date-time");
    },
  );

  it.each(["2026-12-25", "2026-12-25T08:00Z", "2026-12-25T08:00:00", "2026-12-25T08:00:00.123+02:00", "2028-02-29"])(
    "accepts the ISO-8601 expiry %j",
    (expiry) => {
      expect(parsePortfolio(withPosition(3, { expiry })).positions[3]).toMatchObject({ expiry });
    },
  );

  it("names the source in the error message", () => {
    const error = expectInputError(() => parsePortfolio(withPosition(3, { strike: -5 }), "book.json"), "positions[3].strike", "> 0");
    expect(error.source).toBe("book.json");
    expect(error.message).toBe("book.json: positions[3].strike: must be a finite number > 0, got -5");
  });

  it("points at the first of several problems and mentions the others", () => {
    const p = withPosition(0, { quantity: Number.NaN });
    p.positions[3] = { ...p.positions[3], strike: 0 };
    const error = expectInputError(() => parsePortfolio(p), "positions[0].quantity", "got NaN");
    expect(error.reason).toContain("also positions[3].strike");
  });
});

describe("parsePortfolio dispatches on kind, as the published schema's variant does", () => {
  /** The error (or output) of the published portfolio schema, as parsePortfolio words it. */
  function published(input: unknown): unknown {
    const r = v.safeParse(portfolioSchema, input, PARSE);
    return r.success ? r.output : toInputError(r.issues, "p").message;
  }
  const viaParser = (input: unknown): unknown => {
    try {
      return parsePortfolio(input, "p");
    } catch (e) {
      return (e as Error).message;
    }
  };

  it("gives the same output or the same error on 400 mutated portfolios (every kind, bad and missing fields, wrong kinds, arrays)", () => {
    const values: unknown[] = [undefined, null, 0, -1, Number.NaN, "x", "", [], {}, true, "2020-01-01", "call", "linear", 1e12, "option", "spot"];
    let rnd = 17;
    const next = (n: number): number => ((rnd = (Math.imul(rnd, 1664525) + 1013904223) >>> 0) % n);
    let errors = 0;
    for (let t = 0; t < 400; t++) {
      const input = portfolio() as { positions: unknown[] };
      const i = next(input.positions.length);
      const p = { ...(input.positions[i] as Record<string, unknown>) };
      const keys = [...Object.keys(p), "kind", "extra", "faceValue", "contractSize", "right", "strike", "expiry", "settlement"];
      for (let m = 0; m <= next(3); m++) {
        const key = keys[next(keys.length)]!;
        if (next(4) === 0) delete p[key];
        else p[key] = values[next(values.length)];
      }
      input.positions[i] = next(20) === 0 ? [p] : p;
      const expected = published(input);
      if (typeof expected === "string") errors++;
      expect(viaParser(input)).toEqual(expected);
    }
    // Most mutations broke something: the errors were compared, not just outputs.
    expect(errors).toBeGreaterThan(300);
  });
});
