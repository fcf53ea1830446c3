// What a stage shares with all its ranges goes to the workers in shared memory, copied
// once (src/parallel/shared-memory.ts).
import { MessageChannel } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { inSharedMemory, sharesMemory } from "../src/parallel/shared-memory.js";

describe("inSharedMemory", () => {
  it("copies every typed array, however deep, into shared memory and leaves the rest as it was", () => {
    const paths = new Float64Array([3, 1, 2]), counts = new Uint32Array([7, 8, 9, 10]);
    const value = { paths, nested: [{ counts: counts.subarray(1) }, "text"], n: 3, nothing: null };
    const copy = inSharedMemory(value);
    expect(copy.paths).not.toBe(paths);
    expect(copy.paths.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(copy.paths)).toEqual([3, 1, 2]);
    const inner = (copy.nested[0] as { counts: Uint32Array }).counts;
    expect(inner).toBeInstanceOf(Uint32Array);
    expect(inner.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(inner)).toEqual([8, 9, 10]);
    expect(copy.nested[1]).toBe("text");
    expect([copy.n, copy.nothing]).toEqual([3, null]);
    // The original is untouched, and the copy does not follow it.
    paths[0] = 99;
    expect(copy.paths[0]).toBe(3);
    expect(value.paths.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it("reaches every thread it is posted to as the same memory", async () => {
    const { port1, port2 } = new MessageChannel();
    const copy = inSharedMemory({ weights: new Float64Array(4) });
    const received = new Promise<{ weights: Float64Array }>((resolve) => port2.once("message", resolve));
    port1.postMessage(copy);
    const there = await received;
    there.weights[2] = 5;
    expect(copy.weights[2]).toBe(5);
    port1.close();
  });
});

describe("sharesMemory", () => {
  const isolated = Object.getOwnPropertyDescriptor(globalThis, "crossOriginIsolated");
  afterEach(() => {
    if (isolated) Object.defineProperty(globalThis, "crossOriginIsolated", isolated);
    else delete (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  });

  it("is true in Node, false in a browser page that is not cross-origin isolated", () => {
    expect(sharesMemory()).toBe(true);
    Object.defineProperty(globalThis, "crossOriginIsolated", { value: false, configurable: true });
    expect(sharesMemory()).toBe(false);
  });
});
