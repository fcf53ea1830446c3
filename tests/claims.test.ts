// How a pool's stage is split (src/parallel): ranges whose sizes differ by one at most, the
// larger last; work sharing (claims.ts): every piece of every range is computed once, by its
// range's owner from the front or by an idle worker from the back, however the workers
// interleave; and Monte Carlo parts cut so give one thread's bits.
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { buildMarket } from "../src/market/market.js";
import { DEFAULT_CHUNK, monteCarlo, prepareMonteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import { claimBoard, claimedParts, claimPieces, LEFT_TO_HELPERS, type ClaimBoard } from "../src/parallel/claims.js";
import { evenRanges } from "../src/parallel/tasks.js";
import type { Range } from "../src/runs/registry.js";
import { syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

/** A part that takes the pieces `more` gives; `pause` runs once, after its first piece (another worker's turn). */
function pieced(pause?: () => void): (range: Range, more?: () => number) => Range {
  return (range, more) => {
    if (!more) return range;
    let count = 0, paused = false;
    while (count < range.count) {
      const size = more();
      if (size <= 0) break;
      count += size;
      if (pause && !paused) {
        paused = true;
        pause();
      }
    }
    return { start: range.start, count };
  };
}

/** Whether parts cover 0..n once each. */
const covers = (parts: Range[], n: number): boolean => {
  const sorted = [...parts].sort((a, b) => a.start - b.start);
  let next = 0;
  for (const p of sorted) {
    if (p.start !== next || p.count < 1) return false;
    next += p.count;
  }
  return next === n;
};

describe("evenRanges", () => {
  it.each([[0, 2, []], [1, 2, [1]], [3, 2, [1, 2]], [25, 2, [12, 13]], [10, 4, [2, 2, 3, 3]], [1_000_000, 2, [500_000, 500_000]]])(
    "cuts %i items for %i workers into ranges of %j, in order",
    (n, parts, sizes) => {
      const ranges = evenRanges(n, parts);
      expect(ranges.map((r) => r.count)).toEqual(sizes);
      expect(ranges.map((r) => r.start)).toEqual(sizes.map((_, i) => sizes.slice(0, i).reduce((a, c) => a + c, 0)));
    },
  );
});

describe("claimPieces", () => {
  it("cuts a range into chunks, then its last chunk's worth into halves, quarters and eighths", () => {
    expect(claimPieces(50_000, 16_384)).toEqual([16_384, 16_384, 848, 8_192, 4_096, 2_048, 2_048]);
    expect(claimPieces(333, 64)).toEqual([64, 64, 64, 64, 13, 32, 16, 8, 8]);
    expect(claimPieces(3_000, 16_384)).toEqual([952, 2_048]);
    expect(claimPieces(5, 64)).toEqual([5]);
    expect(claimPieces(0, 64)).toEqual([]);
  });

  it("adds up to the range, no piece larger than a chunk", () => {
    for (const count of [1, 7, 64, 65, 1_000, 16_383, 16_384, 16_385, 123_457]) {
      for (const chunk of [1, 8, 64, 16_384]) {
        const pieces = claimPieces(count, chunk);
        expect(pieces.reduce((a, p) => a + p, 0)).toBe(count);
        expect(pieces.every((p) => p >= 1 && p <= chunk)).toBe(true);
      }
    }
  });
});

describe("claimedParts", () => {
  const ranges = evenRanges(1_000, 3);
  const board = (): ClaimBoard => claimBoard(ranges, 64)!;

  it("a worker alone computes its range whole, then the others' pieces one by one from their backs", () => {
    const b = board();
    const done: number[] = [];
    const parts = claimedParts(b, 1, pieced(), (items) => done.push(items));
    expect(parts[0]).toEqual(ranges[1]);
    // From the range with most pieces left (the first of equals), from its back: range 0's
    // (64, 64, 64, 64, 13, 32, 16, 8, 8) last, 325..333, then range 2's (one piece more), 992..1000.
    expect(parts.slice(1, 3)).toEqual([{ start: 325, count: 8 }, { start: 992, count: 8 }]);
    expect(covers(parts, 1_000)).toBe(true);
    expect(done.reduce((a, c) => a + c, 0)).toBe(1_000);
    expect(claimedParts(b, 0, pieced())).toEqual([]);
  });

  it("workers interleaved every way cover every item once: an owner stops where the others took its pieces", () => {
    for (const late of [0, 1, 2]) {
      const b = board();
      const parts: Range[] = [];
      // The late worker pauses after its first piece while the others run to the end.
      const others = (): void => {
        for (const w of [0, 1, 2].filter((w) => w !== late)) parts.push(...claimedParts(b, w, pieced()));
      };
      const mine = claimedParts(b, late, pieced(others));
      expect(mine).toEqual([{ start: ranges[late]!.start, count: 64 }]);
      expect(covers([...parts, ...mine], 1_000)).toBe(true);
    }
  });

  // A board of 1,000 items (14 chunks of 64, 40, 32, 16, 8 and 8) and 1 more, with a worker done with its own range (its last counter).
  const helped = (): ClaimBoard => {
    const b = claimBoard([{ start: 0, count: 1_000 }, { start: 1_000, count: 1 }], 64)!;
    new Int32Array(b.cells)[4] = 1;
    return b;
  };

  it("once another worker helps, an owner leaves it the pieces it can compute while the owner summarises: LEFT_TO_HELPERS of the range unmeasured", () => {
    // 1/64 of the range is 15.6 items: the owner claims no piece that would leave it less, so the last two pieces stay.
    expect(1_000 * LEFT_TO_HELPERS).toBeLessThan(16);
    const parts = claimedParts(helped(), 0, pieced());
    expect(parts).toEqual([{ start: 0, count: 984 }, { start: 992, count: 8 }, { start: 984, count: 8 }, { start: 1_000, count: 1 }]);
  });

  it("leaves the share of its range it measured, and measures it anew on its part", () => {
    // A summary measured at a tenth of the computing: 100 items are left, the pieces from 896 on.
    const share = { value: 0.1 };
    const parts = claimedParts(helped(), 0, pieced(), undefined, share);
    expect(parts[0]).toEqual({ start: 0, count: 896 });
    expect(covers(parts, 1_001)).toBe(true);
    // Measured on this part (no summary here: next to nothing, never more than an eighth) and averaged with the last.
    expect(share.value).toBeGreaterThanOrEqual(0.05);
    expect(share.value).toBeLessThanOrEqual((0.1 + 1 / 8) / 2);
  });

  it("there is no board where threads cannot share memory", () => {
    const global = globalThis as { crossOriginIsolated?: boolean };
    global.crossOriginIsolated = false;
    try {
      expect(claimBoard(ranges, 64)).toBeUndefined();
    } finally {
      delete global.crossOriginIsolated;
    }
  });
});

describe("Monte Carlo parts shared out in pieces", () => {
  const positions = syntheticPositions(20, 5, 3);
  const market = buildMarket(syntheticMarket());
  const model = { paths: 2 * DEFAULT_CHUNK + 7_233, seed: 5 };

  it("give one thread's result bit for bit, when a worker's range is finished by another", () => {
    const run = prepareMonteCarlo(engine, positions, market, model);
    const b = claimBoard(evenRanges(model.paths, 2), DEFAULT_CHUNK)!;
    const part = (range: Range, more?: () => number) => run.part(range.start, range.count, more);
    const others: ReturnType<typeof part>[] = [];
    // Worker 0 stops after its first piece (3,616 paths) until worker 1 has done its range and taken the rest of worker 0's.
    let calls = 0;
    const slow = claimedParts(b, 0, (range, more) => part(range, () => {
      if (calls++ === 1) others.push(...claimedParts(b, 1, part));
      return more!();
    }));
    expect(slow.map((p) => [p.start, p.losses.length])).toEqual([[0, 3_616]]);
    expect(others.map((p) => [p.start, p.losses.length])).toEqual([[20_000, 20_001], [17_952, 2_048], [15_904, 2_048], [11_808, 4_096], [3_616, 8_192]]);
    expect(run.summarise([...others, ...slow])).toEqual(monteCarlo(engine, positions, market, model));
  });

  it("part refuses a `more` that is not a function", () => {
    const run = prepareMonteCarlo(engine, positions, market, model);
    expect(() => run.part(0, 10, 5 as never)).toThrow(InputError);
  });
});
