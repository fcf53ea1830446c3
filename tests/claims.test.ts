// How a pool's stage is split (src/parallel): ranges whose sizes differ by one at most, the
// larger last; work sharing (claims.ts): every piece of every range is computed once, in
// runs of consecutive pieces by whichever worker claimed them, however the workers
// interleave; and Monte Carlo parts cut so give one thread's bits.
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { buildMarket } from "../src/market/market.js";
import { DEFAULT_CHUNK, monteCarlo, prepareMonteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import { claimBoard, claimedParts, claimPieces, type ClaimBoard } from "../src/parallel/claims.js";
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
  it("cuts a range into chunks while more than 2·hands chunks are left, then into a 2·hands-th of what is left, down to an eighth of a chunk", () => {
    expect(claimPieces(50_000, 16_384, 2)).toEqual([12_500, 9_375, 7_032, 5_274, 3_955, 2_966, 2_225, 2_048, 2_048, 2_048, 529]);
    expect(claimPieces(200_000, 16_384, 2).slice(0, 10)).toEqual([...Array(9).fill(16_384), 13_136]);
    expect(claimPieces(333, 64, 3)).toEqual([56, 47, 39, 32, 27, 22, 19, 16, 13, 11, 9, 8, 8, 8, 8, 8, 2]);
    expect(claimPieces(3_000, 16_384, 2)).toEqual([2_048, 952]);
    expect(claimPieces(12, 1, 2)).toEqual(Array(12).fill(1));
    expect(claimPieces(5, 64, 2)).toEqual([5]);
    expect(claimPieces(0, 64, 2)).toEqual([]);
  });

  it("adds up to the range, no piece larger than a chunk, none growing", () => {
    for (const count of [1, 7, 64, 65, 1_000, 16_383, 16_384, 16_385, 123_457]) {
      for (const chunk of [1, 8, 64, 16_384]) {
        for (const hands of [1, 2, 8]) {
          const pieces = claimPieces(count, chunk, hands);
          expect(pieces.reduce((a, p) => a + p, 0)).toBe(count);
          expect(pieces.every((p, i) => p >= 1 && p <= chunk && (i === 0 || p <= pieces[i - 1]!))).toBe(true);
        }
      }
    }
  });
});

describe("claimedParts", () => {
  const ranges = evenRanges(1_000, 3);
  const board = (): ClaimBoard => claimBoard(ranges, 64)!;

  it("a worker alone computes its range as one part, then each other range, the one with most left first, as one part", () => {
    const b = board();
    const done: number[] = [];
    const parts = claimedParts(b, 1, pieced(), (items) => done.push(items));
    expect(parts).toEqual([ranges[1], ranges[2], ranges[0]]);
    expect(done).toEqual([333, 334, 333]);
    expect(claimedParts(b, 0, pieced())).toEqual([]);
  });

  it("workers interleaved every way cover every item once: an owner stops where another took its next piece", () => {
    for (const late of [0, 1, 2]) {
      const b = board();
      const parts: Range[] = [];
      // The late worker pauses after its first piece while the others run to the end.
      const others = (): void => {
        for (const w of [0, 1, 2].filter((w) => w !== late)) parts.push(...claimedParts(b, w, pieced()));
      };
      const mine = claimedParts(b, late, pieced(others));
      const first = claimPieces(ranges[late]!.count, 64, 3)[0]!;
      expect(mine).toEqual([{ start: ranges[late]!.start, count: first }]);
      // Its range's other pieces went, as one run, to the worker that took the first of them.
      expect(parts).toContainEqual({ start: ranges[late]!.start + first, count: ranges[late]!.count - first });
      expect(covers([...parts, ...mine], 1_000)).toBe(true);
    }
  });

  it("an owner helped stops, and then takes the next piece left, a part of its own", () => {
    const b = claimBoard([{ start: 0, count: 1_000 }, { start: 1_000, count: 1 }], 64)!;
    // While the owner computes its first piece, a helper claims range 0's next (once).
    let helped = false;
    const owner = claimedParts(b, 0, pieced(() => helped || (helped = Atomics.add(new Int32Array(b.cells), 0, 1) === 1)));
    const [first, second] = claimPieces(1_000, 64, 2) as [number, number];
    expect(helped).toBe(true);
    expect(owner).toEqual([{ start: 0, count: first }, { start: first + second, count: 1_000 - first - second }, { start: 1_000, count: 1 }]);
    expect(covers([...owner, { start: first, count: second }], 1_001)).toBe(true);
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
    // Worker 0 stops after its first piece (5,000 paths) until worker 1 has done its range and taken the rest of worker 0's, as one run.
    let calls = 0;
    const slow = claimedParts(b, 0, (range, more) => part(range, () => {
      if (calls++ === 1) others.push(...claimedParts(b, 1, part));
      return more!();
    }));
    expect(slow.map((p) => [p.start, p.losses.length])).toEqual([[0, 5_000]]);
    expect(others.map((p) => [p.start, p.losses.length])).toEqual([[20_000, 20_001], [5_000, 15_000]]);
    expect(run.summarise([...others, ...slow])).toEqual(monteCarlo(engine, positions, market, model));
  });

  it("part refuses a `more` that is not a function", () => {
    const run = prepareMonteCarlo(engine, positions, market, model);
    expect(() => run.part(0, 10, 5 as never)).toThrow(InputError);
  });
});
