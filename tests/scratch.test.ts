// Working arrays a backend's runs reuse (src/methods/scratch.ts): zeroed on every loan,
// the same memory for a run shaped like the last, never one array lent twice at once,
// nothing kept beyond its cap, and no loan after its scope.
import { describe, expect, it } from "vitest";
import { SCRATCH_KEEP_BYTES, withScratch } from "../src/methods/scratch.js";

describe("withScratch", () => {
  it("lends zeroed arrays of the length asked, and the same memory to the next scope that asks alike", () => {
    const owner = {};
    const first = withScratch(owner, (take) => {
      const a = take(1_000);
      const b = take(10);
      expect([a.length, b.length]).toEqual([1_000, 10]);
      a.fill(7);
      b.fill(9);
      return [a.buffer, b.buffer];
    });
    withScratch(owner, (take) => {
      const a = take(600);
      const b = take(10);
      expect([a.buffer, b.buffer]).toEqual(first);
      expect(a.every((x) => x === 0) && b.every((x) => x === 0)).toBe(true);
    });
  });

  it("never lends one array twice at once: a nested scope gets arrays after the outer one's, which it leaves as they were", () => {
    const owner = {};
    withScratch(owner, (take) => {
      const outer = take(100).fill(1);
      const inner = withScratch(owner, (takeInner) => takeInner(100).fill(2).buffer);
      expect(inner).not.toBe(outer.buffer);
      expect(outer.every((x) => x === 1)).toBe(true);
      // After the inner scope, the outer's next loan is the inner's array, zeroed.
      const next = take(100);
      expect(next.buffer).toBe(inner);
      expect(next.every((x) => x === 0)).toBe(true);
    });
  });

  it("keeps what an outer scope takes while an inner one is open out of later loans", () => {
    const owner = {};
    withScratch(owner, (outer) => {
      let late: Float64Array | undefined;
      withScratch(owner, (inner) => {
        inner(10);
        late = outer(10).fill(3);
      });
      // The inner scope's array is free again; the outer's, taken after it, is not.
      const next = [outer(10), outer(10)];
      expect(next.every((a) => a.buffer !== late!.buffer)).toBe(true);
      expect(late!.every((x) => x === 3)).toBe(true);
    });
  });

  it("keeps each owner's arrays apart", () => {
    const [x, y] = [{}, {}];
    const a = withScratch(x, (take) => take(64).buffer);
    const b = withScratch(y, (take) => take(64).buffer);
    expect(b).not.toBe(a);
    expect(withScratch(x, (take) => take(64).buffer)).toBe(a);
  });

  it("keeps no more than SCRATCH_KEEP_BYTES: beyond it every loan is a new array", () => {
    const owner = {};
    const half = SCRATCH_KEEP_BYTES / 8 / 2;
    const loans = () => withScratch(owner, (take) => [take(half).buffer, take(half).buffer, take(half).buffer]);
    const [a, b, c] = loans();
    const [a2, b2, c2] = loans();
    expect([a2, b2]).toEqual([a, b]);
    expect(c2).not.toBe(c);
  });

  it("refuses a loan after its scope has ended", () => {
    let late: ((length: number) => Float64Array) | undefined;
    withScratch({}, (take) => void (late = take));
    expect(() => late!(8)).toThrow(/after its scope ended/);
  });
});
