// Memory a pool's parts travel in, used again (src/parallel/recycle.ts): the buffers of a
// run's parts are dealt back to the workers, and a worker lends them out for its parts' arrays.
import { describe, expect, it } from "vitest";
import { buffersOf, dealBuffers, KEPT_BYTES, KeptBuffers, RECYCLED_BYTES } from "../src/parallel/recycle.js";

const KiB = 1024;

describe("buffersOf", () => {
  it("finds every typed array's buffer once, however deep, and leaves shared memory alone", () => {
    const a = new Float64Array(4), b = new Uint32Array(2);
    const shared = new Float64Array(new SharedArrayBuffer(64));
    const found = buffersOf({ x: a, y: [a.subarray(1), { z: b }], s: shared, n: 3, t: "text", nothing: null });
    expect([...found]).toEqual([a.buffer, b.buffer]);
  });
});

describe("dealBuffers", () => {
  it("deals the buffers worth moving back, largest first, in turn", () => {
    const sizes = [100 * KiB, 4_000 * KiB, 8 * KiB, 3_000 * KiB, 200 * KiB];
    const hands = dealBuffers(sizes.map((n) => new ArrayBuffer(n)), 2);
    expect(hands.map((h) => h.map((b) => b.byteLength / KiB))).toEqual([[4_000, 200], [3_000, 100]]);
    expect(dealBuffers([], 3)).toEqual([[], [], []]);
  });

  it("skips buffers moved away already (detached: 0 bytes)", () => {
    const moved = new ArrayBuffer(RECYCLED_BYTES);
    structuredClone(moved, { transfer: [moved] });
    expect(dealBuffers([moved], 1)).toEqual([[]]);
  });
});

describe("KeptBuffers", () => {
  it("lends the smallest kept buffer that holds an array, zeroed, once", () => {
    const kept = new KeptBuffers();
    const small = new ArrayBuffer(RECYCLED_BYTES * 2), large = new ArrayBuffer(RECYCLED_BYTES * 8);
    new Float64Array(small).fill(7);
    kept.add([large, small]);
    const a = kept.take(RECYCLED_BYTES / 8 + 1);
    expect(a.buffer).toBe(small);
    expect(a.length).toBe(RECYCLED_BYTES / 8 + 1);
    expect(a.every((x) => x === 0)).toBe(true);
    // The small one is out: the next array of that size gets the large one, the one after a new buffer.
    expect(kept.take(RECYCLED_BYTES / 8 + 1).buffer).toBe(large);
    const fresh = kept.take(RECYCLED_BYTES / 8 + 1);
    expect(fresh.buffer).not.toBe(small);
    expect(fresh.buffer).not.toBe(large);
    expect(kept.bytes()).toBe(0);
  });

  it("makes a new buffer with room to spare, so that a slightly longer array fits it next time", () => {
    const kept = new KeptBuffers();
    const a = kept.take(100_000);
    expect(a.length).toBe(100_000);
    expect(a.buffer.byteLength).toBeGreaterThan(8 * 110_000);
    kept.add([a.buffer as ArrayBuffer]);
    expect(kept.take(110_000).buffer).toBe(a.buffer);
  });

  it("gives arrays too short to be worth it their own memory, and keeps no more than KEPT_BYTES, the latest", () => {
    const kept = new KeptBuffers();
    const b = new ArrayBuffer(RECYCLED_BYTES);
    kept.add([b]);
    const tiny = kept.take(16);
    expect(tiny.buffer).not.toBe(b);
    expect(tiny.buffer.byteLength).toBe(128);
    const latest = new ArrayBuffer(KEPT_BYTES);
    kept.add([latest]);
    expect(kept.bytes()).toBe(KEPT_BYTES);
    expect(kept.take(KEPT_BYTES / 8).buffer).toBe(latest);
  });
});
