// How a pool's stage is split (src/parallel): ranges whose sizes differ by one at most, the
// larger last; work sharing (claims.ts): every chunk of every range is computed once, by its
// range's owner from the front or by an idle worker from the back, however the workers
// interleave; and Monte Carlo parts cut so give one thread's bits.
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { buildMarket } from "../src/market/market.js";
import { DEFAULT_CHUNK, monteCarlo, prepareMonteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import { claimBoard, claimedParts, type ClaimBoard } from "../src/parallel/claims.js";
import { evenRanges } from "../src/parallel/tasks.js";
import type { Range } from "../src/runs/registry.js";
import { syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

/** A part that takes chunks as `more` allows; `pause` runs once, after its first chunk (another worker's turn). */
function chunked(chunk: number, pause?: () => void): (range: Range, more?: () => boolean) => Range {
  return (range, more) => {
    let count = Math.min(chunk, range.count);
    let paused = false;
    while (count < range.count) {
      if (pause && !paused) {
        paused = true;
        pause();
      }
      if (!more?.()) break;
      count = Math.min(range.count, count + chunk);
    }
    return { start: range.start, count };
  };
}

/** Whether parts cover 0..n once each. */
const covers = (parts: Range[], n: number): boolean => {
  const sorted = [...parts].sort((a, b) => a.start - b.start);
  return sorted.every((p, i) => p.start === (i === 0 ? 0 : sorted[i - 1]!.start + sorted[i - 1]!.count)) && sorted.at(-1)!.start + sorted.at(-1)!.count === n;
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

describe("claimedParts", () => {
  const ranges = evenRanges(1_000, 3);
  const board = (): ClaimBoard => claimBoard(ranges, 64)!;

  it("a worker alone computes its range whole, then the others' chunks one by one from their backs", () => {
    const b = board();
    const done: number[] = [];
    const parts = claimedParts(b, 1, chunked(64), (items) => done.push(items));
    expect(parts[0]).toEqual(ranges[1]);
    expect(parts.slice(1).every((p) => p.count <= 64)).toBe(true);
    // Range 0 (333 items: 5 whole chunks and 13) is taken from its back: 320..333 first.
    expect(parts[1]).toEqual({ start: 320, count: 13 });
    expect(covers(parts, 1_000)).toBe(true);
    expect(done.reduce((a, c) => a + c, 0)).toBe(1_000);
    expect(claimedParts(b, 0, chunked(64))).toEqual([]);
  });

  it("workers interleaved every way cover every item once: an owner stops where the others took its chunks", () => {
    for (const late of [0, 1, 2]) {
      const b = board();
      const parts: Range[] = [];
      // The late worker pauses after its first chunk while the others run to the end.
      const others = (): void => {
        for (const w of [0, 1, 2].filter((w) => w !== late)) parts.push(...claimedParts(b, w, chunked(64)));
      };
      const mine = claimedParts(b, late, chunked(64, others));
      expect(mine).toEqual([{ start: ranges[late]!.start, count: 64 }]);
      expect(covers([...parts, ...mine], 1_000)).toBe(true);
    }
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

describe("Monte Carlo parts shared out chunk by chunk", () => {
  const positions = syntheticPositions(20, 5, 3);
  const market = buildMarket(syntheticMarket());
  const model = { paths: 2 * DEFAULT_CHUNK + 7_233, seed: 5 };

  it("give one thread's result bit for bit, when a worker's range is finished by another", () => {
    const run = prepareMonteCarlo(engine, positions, market, model);
    const b = claimBoard(evenRanges(model.paths, 2), DEFAULT_CHUNK)!;
    const part = (range: Range, more?: () => boolean) => run.part(range.start, range.count, more);
    const others: ReturnType<typeof part>[] = [];
    // Worker 0 stops after its first chunk until worker 1 has done its range and taken the rest of worker 0's.
    let paused = false;
    const slow = claimedParts(b, 0, (range, more) => part(range, () => {
      if (!paused) {
        paused = true;
        others.push(...claimedParts(b, 1, part));
      }
      return more!();
    }));
    expect(slow.map((p) => [p.start, p.losses.length])).toEqual([[0, DEFAULT_CHUNK]]);
    expect(others.map((p) => [p.start, p.losses.length])).toEqual([[20_000, 20_001], [DEFAULT_CHUNK, 20_000 - DEFAULT_CHUNK]]);
    expect(run.summarise([...others, ...slow])).toEqual(monteCarlo(engine, positions, market, model));
  });

  it("part refuses a `more` that is not a function", () => {
    const run = prepareMonteCarlo(engine, positions, market, model);
    expect(() => run.part(0, 10, 5 as never)).toThrow(InputError);
  });
});
