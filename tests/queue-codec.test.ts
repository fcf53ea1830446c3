// The queue's wire format and seals, without Redis: every bit of what the coordinator
// and workers exchange survives the trip, and nothing outside the format gets in.
import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { decode, encode } from "../src/distributed/codec.js";
import { RunSeal, SealError } from "../src/distributed/seal.js";
import { PmarginError } from "../src/errors.js";

describe("the queue's JSON format", () => {
  it("round-trips −0, NaN, ±Infinity, undefined (in objects and arrays), Float64Array bytes (NaN payloads too) and a key named $t", () => {
    const raw = new Float64Array([1.5, -0, Number.NaN, Number.NEGATIVE_INFINITY, 5e-324]);
    // A NaN with a payload: its bytes travel as they are.
    new DataView(raw.buffer).setUint32(16, 0x7ff80001, true);
    const value = {
      n: [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1 + 0.2, Number.MIN_VALUE, -Number.MAX_VALUE],
      u: undefined,
      a: [undefined, null, "x", true],
      f: raw,
      sub: raw.subarray(1, 3),
      tagged: { $t: "u", v: 1 },
    };
    const back = decode(encode(value)) as typeof value;
    expect(back).toStrictEqual(value);
    expect(Object.hasOwn(back, "u")).toBe(true);
    expect(new Uint8Array(back.f.buffer)).toEqual(new Uint8Array(raw.buffer));
    expect(back.sub).toHaveLength(2);
  });

  it("refuses what it cannot carry, naming where it is", () => {
    expect(() => encode({ a: [new Map()] })).toThrow(new PmarginError("queue payload $.a[0]: cannot send a Map"));
    expect(() => encode({ f: () => 1 })).toThrow(/\$\.f: cannot send a function/);
    expect(() => encode({ d: new Date(0) })).toThrow(/cannot send a Date/);
    expect(() => encode(new Int32Array(2))).toThrow(/cannot send a Int32Array/);
  });

  it("refuses text outside the format: not JSON, unknown tags, bad bytes, __proto__ keys, V8 payloads", () => {
    for (const text of [
      "{", '{"$t":"date","v":0}', '{"$t":"n","v":"1"}', '{"$t":"u","x":1}', '{"$t":"f64","v":"AAA"}', '{"$t":"f64","v":"AAAAAAAAAA=="}',
      '{"a":{"__proto__":{"polluted":1}}}', serialize({ a: 1 }).toString("latin1"),
    ]) {
      expect(() => decode(text), text).toThrow(PmarginError);
    }
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });
});

describe("seals", () => {
  const secret = Buffer.from("a-shared-secret-of-some-length");
  const seal = new RunSeal(secret, "pmargin", "run-1", "00ff");

  it("open what was sealed under the same secret, queue, run, nonce and label; nothing else", () => {
    const sealed = seal.seal("result:margins:3", "[1,2]");
    expect(seal.open("result:margins:3", sealed)).toBe("[1,2]");
    const refused = (s: RunSeal, label: string, text: string): string => {
      try {
        s.open(label, text);
      } catch (error) {
        expect(error).toBeInstanceOf(SealError);
        return (error as Error).message;
      }
      return "opened";
    };
    expect(refused(seal, "result:margins:4", sealed)).toMatch(/HMAC does not verify/);
    for (const other of [
      new RunSeal(Buffer.from("another-secret-of-some-length"), "pmargin", "run-1", "00ff"),
      new RunSeal(secret, "other-queue", "run-1", "00ff"),
      new RunSeal(secret, "pmargin", "run-2", "00ff"),
      new RunSeal(secret, "pmargin", "run-1", "00fe"),
    ]) expect(refused(other, "result:margins:3", sealed)).toMatch(/HMAC does not verify/);
    const mac = sealed.slice(0, 64);
    expect(sealed).toBe(`${mac}:[1,2]`);
    expect(refused(seal, "result:margins:3", `${mac}:[1,3]`)).toMatch(/HMAC does not verify/);
    expect(refused(seal, "result:margins:3", `${mac.slice(1)}:[1,2]`)).toMatch(/not a sealed payload/);
    expect(refused(seal, "result:margins:3", `${mac.toUpperCase()}:[1,2]`)).toMatch(/not a sealed payload/);
    expect(refused(seal, "result:margins:3", "[1,2]")).toMatch(/not a sealed payload/);
  });
});
