// Work sharing for a pool's stage: each worker owns a range and takes its pieces from
// the front; a worker done with its own takes pieces from the back of the range with
// most left, so that a worker slowed down (another process on its core) no longer holds
// the run up. A range is cut into chunks, its last chunk's worth into pieces that halve
// towards the end, so that the last claims, those that decide who waits, are small.
// The claims are counted in memory the threads share (Atomics): per range, the pieces
// left and the pieces taken from its back.
import type { Range } from "../runs/registry.js";

/** A stage's ranges, each cut into pieces (claimPieces) of at most `chunk` items, and their claims (2 counters a range). */
export interface ClaimBoard {
  cells: SharedArrayBuffer;
  ranges: Range[];
  chunk: number;
}

/**
 * The sizes of a range's pieces, in order: chunks, then the last chunk's worth in
 * pieces of 1/2, 1/4, 1/8 and 1/8 of a chunk (fewer when the range is short).
 */
export function claimPieces(count: number, chunk: number): number[] {
  const least = Math.max(1, Math.floor(chunk / 8));
  const back: number[] = [];
  let left = count;
  for (const piece of [least, least, 2 * least, 4 * least]) {
    if (left === 0) break;
    back.push(Math.min(piece, chunk, left));
    left -= back.at(-1)!;
  }
  const front = Array.from({ length: Math.ceil(left / chunk) }, (_, i) => Math.min(chunk, left - i * chunk));
  return [...front, ...back.reverse()];
}

/** A board for `ranges`, or none where threads cannot share memory (a browser page that is not cross-origin isolated). */
export function claimBoard(ranges: Range[], chunk: number): ClaimBoard | undefined {
  if (typeof SharedArrayBuffer === "undefined" || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return undefined;
  const cells = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT * ranges.length);
  const counts = new Int32Array(cells);
  ranges.forEach((range, i) => (counts[2 * i] = claimPieces(range.count, chunk).length));
  return { cells, ranges, chunk };
}

/**
 * What the worker owning range `own` computes from a board: `part` of its range while
 * pieces of it are left (`more` gives the size of the next, 0 when there is none; its
 * first call, the first piece's), then `part` of single pieces from the backs of the
 * others. `done(items)` follows each part.
 */
export function claimedParts<Part>(
  claims: ClaimBoard, own: number, part: (range: Range, more?: () => number) => Part, done: (items: number) => void = () => {},
): Part[] {
  const counts = new Int32Array(claims.cells);
  const pieces = claims.ranges.map((range) => claimPieces(range.count, claims.chunk));
  // A piece of range i is this worker's when some were left.
  const take = (i: number): boolean => Atomics.sub(counts, 2 * i, 1) > 0;
  const parts: Part[] = [];
  if (take(own)) {
    let next = 0, items = 0;
    // The first piece is claimed already, each later one when asked for.
    const more = (): number => {
      if (next > 0 && !take(own)) return 0;
      const size = pieces[own]![next++]!;
      items += size;
      return size;
    };
    parts.push(part(claims.ranges[own]!, more));
    done(items);
  }
  for (;;) {
    let from = -1, most = 0;
    for (let i = 0; i < pieces.length; i++) {
      const left = Atomics.load(counts, 2 * i);
      if (left > most) [from, most] = [i, left];
    }
    if (from < 0) return parts;
    if (!take(from)) continue;
    const sizes = pieces[from]!;
    const back = sizes.length - 1 - Atomics.add(counts, 2 * from + 1, 1);
    const start = claims.ranges[from]!.start + sizes.slice(0, back).reduce((a, s) => a + s, 0);
    parts.push(part({ start, count: sizes[back]! }));
    done(sizes[back]!);
  }
}
