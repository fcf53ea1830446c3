// Work sharing for a pool's stage: each worker owns a range and takes its chunks from
// the front; a worker done with its own takes chunks from the back of the range with
// most left, so that a worker slowed down (another process on its core) no longer holds
// the run up. The claims are counted in memory the threads share (Atomics): per range,
// the chunks left and the chunks taken from its back.
import type { Range } from "../runs/registry.js";

/** A stage's ranges, cut into chunks of `chunk` items, and their claims (2 counters a range). */
export interface ClaimBoard {
  cells: SharedArrayBuffer;
  ranges: Range[];
  chunk: number;
}

const chunksOf = (range: Range, chunk: number): number => Math.ceil(range.count / chunk);

/** A board for `ranges`, or none where threads cannot share memory (a browser page that is not cross-origin isolated). */
export function claimBoard(ranges: Range[], chunk: number): ClaimBoard | undefined {
  if (typeof SharedArrayBuffer === "undefined" || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return undefined;
  const cells = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT * ranges.length);
  const counts = new Int32Array(cells);
  ranges.forEach((range, i) => (counts[2 * i] = chunksOf(range, chunk)));
  return { cells, ranges, chunk };
}

/**
 * What the worker owning range `own` computes from a board: `part` of its range while
 * chunks of it are left (asking `more` before each chunk after the first), then `part` of
 * single chunks from the backs of the others. `done(items)` follows each part.
 */
export function claimedParts<Part>(
  claims: ClaimBoard, own: number, part: (range: Range, more?: () => boolean) => Part, done: (items: number) => void = () => {},
): Part[] {
  const { ranges, chunk } = claims;
  const counts = new Int32Array(claims.cells);
  // A chunk of range i is this worker's when some were left.
  const take = (i: number): boolean => Atomics.sub(counts, 2 * i, 1) > 0;
  const parts: Part[] = [];
  let mine = 0;
  const more = (): boolean => {
    if (!take(own)) return false;
    mine++;
    return true;
  };
  if (more()) {
    parts.push(part(ranges[own]!, more));
    done(Math.min(ranges[own]!.count, mine * chunk));
  }
  for (;;) {
    let from = -1, most = 0;
    for (let i = 0; i < ranges.length; i++) {
      const left = Atomics.load(counts, 2 * i);
      if (left > most) [from, most] = [i, left];
    }
    if (from < 0) return parts;
    if (!take(from)) continue;
    const range = ranges[from]!;
    const back = chunksOf(range, chunk) - 1 - Atomics.add(counts, 2 * from + 1, 1);
    const start = range.start + back * chunk;
    const count = Math.min(chunk, range.start + range.count - start);
    parts.push(part({ start, count }));
    done(count);
  }
}
