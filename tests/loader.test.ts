import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { PmarginError } from "../src/errors.js";

const wasmUrl = new URL("../build/pmargin.wasm", import.meta.url);
const price = async (engine: Awaited<ReturnType<typeof createEngine>>): Promise<number> =>
  engine.greeks([{ forward: 19, strike: 19, time: 0.75, vol: 0.28, rate: 0.1, phi: 1 }])[0]!.price;

describe("loading the one pmargin.wasm", () => {
  it("loads the packaged module by default, from bytes, from a compiled module and from a file URL, with identical results", async () => {
    const bytes = readFileSync(wasmUrl);
    const engines = await Promise.all([
      createEngine(),
      createEngine({ wasm: bytes }),
      createEngine({ wasm: await WebAssembly.compile(bytes) }),
      createEngine({ wasm: wasmUrl }),
      createEngine({ wasm: wasmUrl.href }),
    ]);
    const prices = await Promise.all(engines.map(price));
    expect(new Set(prices).size).toBe(1);
    expect(prices[0]).toBeCloseTo(1.7011, 4);
  });

  it("gives every engine its own memory", async () => {
    const [a, b] = await Promise.all([createEngine(), createEngine()]);
    a.greeks(Array.from({ length: 50_000 }, () => ({ forward: 1, strike: 1, time: 1, vol: 1, rate: 0, phi: 1 as const })));
    expect(a.memoryBytes).toBeGreaterThan(b.memoryBytes);
  });

  it("a module that is not pmargin's is refused with a PmarginError naming the missing export", async () => {
    // The smallest valid module: magic and version, no exports.
    const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    await expect(createEngine({ wasm: empty })).rejects.toThrow(PmarginError);
    await expect(createEngine({ wasm: empty })).rejects.toThrow(/lacks export/);
  });
});
