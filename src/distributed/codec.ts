// The queue's wire format: JSON text with a closed set of tagged values for what JSON
// cannot hold — −0, NaN, ±Infinity, undefined and Float64Array (its raw bytes, so
// every bit travels) — and nothing else: no prototypes, no classes, no code. JSON
// numbers round-trip doubles exactly, so a value decoded here is the value encoded
// there, bit for bit. Decoding refuses anything outside the format.
import { PmarginError } from "../errors.js";

/** The tag key; a plain object that has it travels wrapped (`{ "$t": "o", "v": … }`). */
const TAG = "$t";

function toWire(value: unknown, path: string): unknown {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { [TAG]: "n", v: Object.is(value, -0) ? "-0" : String(value) };
    case "string":
    case "boolean":
      return value;
    case "undefined":
      return { [TAG]: "u" };
    case "object": {
      if (value === null) return null;
      if (value instanceof Float64Array) return { [TAG]: "f64", v: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
      if (Array.isArray(value)) return Array.from(value, (item, i) => toWire(item, `${path}[${i}]`));
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new PmarginError(`queue payload ${path}: cannot send a ${(value as object).constructor?.name ?? "non-plain object"}`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = toWire(v, `${path}.${k}`);
      return TAG in out ? { [TAG]: "o", v: out } : out;
    }
    default:
      throw new PmarginError(`queue payload ${path}: cannot send a ${typeof value}`);
  }
}

/** A value as the queue's JSON text; anything the format cannot carry is a PmarginError naming where it is. */
export const encode = (value: unknown): string => JSON.stringify(toWire(value, "$"));

class FormatError extends PmarginError {
  override name = "FormatError";
}

const NUMBERS: Record<string, number> = { "-0": -0, NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY };

function fromWire(value: unknown, path: string): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item, i) => fromWire(item, `${path}[${i}]`));
  const o = value as Record<string, unknown>;
  if (!Object.hasOwn(o, TAG)) return plainObject(o, path);
  const tag = o[TAG];
  const keys = Object.keys(o).length;
  if (tag === "u" && keys === 1) return undefined;
  if (tag === "n" && keys === 2 && typeof o.v === "string" && Object.hasOwn(NUMBERS, o.v)) return NUMBERS[o.v];
  if (tag === "f64" && keys === 2 && typeof o.v === "string") {
    const bytes = Buffer.from(o.v, "base64");
    if (bytes.length % 8 !== 0 || bytes.toString("base64") !== o.v) throw new FormatError(`${path}: not the bytes of a Float64Array`);
    // Copied into an aligned buffer of its own.
    return new Float64Array(new Uint8Array(bytes).buffer);
  }
  if (tag === "o" && keys === 2 && typeof o.v === "object" && o.v !== null && !Array.isArray(o.v)) return plainObject(o.v as Record<string, unknown>, path);
  throw new FormatError(`${path}: unknown tagged value ${JSON.stringify(o).slice(0, 80)}`);
}

function plainObject(o: Record<string, unknown>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    // JSON.parse makes "__proto__" an own key; assigned here it would set the prototype.
    if (k === "__proto__") throw new FormatError(`${path}: the key "__proto__" is refused`);
    out[k] = fromWire(v, `${path}.${k}`);
  }
  return out;
}

/** The value of the queue's JSON text; text outside the format is a PmarginError saying where. */
export function decode(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FormatError(`not JSON: ${(error as Error).message}`);
  }
  return fromWire(parsed, "$");
}
