// Work sharing for a pool's stage: each range is a row of pieces, claimed in order, one
// at a time, by whichever worker asks first. A worker starts on its own range's first
// piece and goes on with the next while nobody else has taken it; a worker with none
// left of its own takes the next piece of the range with most left, and goes on from
// there the same way. So each worker's part is a run of consecutive pieces, and a
// worker slowed down (another process on its core) no longer holds the run up: once
// helped, it stops, summarises its part while the helper goes on, and then helps too.
// Pieces shrink towards a range's end, so the last claims, those that decide who waits,
// are small. The claims are counted in memory the threads share (Atomics): per range,
// its next piece.
import type { Range } from "../runs/registry.js";
import { sharesMemory } from "./shared-memory.js";

/** A stage's ranges, each cut into pieces (claimPieces) of at most `chunk` items, and their claims (a range's next piece). */
export interface ClaimBoard {
  cells: SharedArrayBuffer;
  ranges: Range[];
  chunk: number;
}

/**
 * The sizes of a range's pieces, in order, for `hands` workers: a chunk while more than
 * 2·hands chunks are left, then a 2·hands-th of what is left, never less than an eighth
 * of a chunk (guided self-scheduling).
 */
export function claimPieces(count: number, chunk: number, hands: number): number[] {
  const least = Math.max(1, Math.floor(chunk / 8));
  const sizes: number[] = [];
  for (let left = count; left > 0; left -= sizes.at(-1)!) sizes.push(Math.min(left, chunk, Math.max(least, Math.ceil(left / (2 * hands)))));
  return sizes;
}

/** A board for `ranges`, or none where threads cannot share memory (a browser page that is not cross-origin isolated). */
export function claimBoard(ranges: Range[], chunk: number): ClaimBoard | undefined {
  if (!sharesMemory()) return undefined;
  return { cells: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * ranges.length), ranges, chunk };
}

/**
 * What the worker owning range `own` computes from a board: `part` of runs of
 * consecutive pieces — its range's from the first while nobody else takes the next,
 * then others', the next piece of the range with most left — each a part of its own.
 * `part` goes in the pieces `more` gives (its first call, the run's first piece; 0 once
 * another worker has claimed the next). `done(items)` follows each part.
 */
export function claimedParts<Part>(
  claims: ClaimBoard, own: number, part: (range: Range, more: () => number) => Part, done: (items: number) => void = () => {},
): Part[] {
  const next = new Int32Array(claims.cells);
  const pieces = claims.ranges.map((range) => claimPieces(range.count, claims.chunk, claims.ranges.length));
  // Where each piece starts; a range's end after its last.
  const starts = pieces.map((sizes, i) => {
    const at = [claims.ranges[i]!.start];
    for (const size of sizes) at.push(at.at(-1)! + size);
    return at;
  });
  const parts: Part[] = [];
  // Piece k of range i is claimed already: the run from it, one part.
  const runFrom = (i: number, k: number): void => {
    const sizes = pieces[i]!;
    let at = k - 1;
    // The next piece is this worker's if the range's counter still points at it.
    const more = (): number => {
      if (at >= k && !(at + 1 < sizes.length && Atomics.compareExchange(next, i, at + 1, at + 2) === at + 1)) return 0;
      return sizes[++at]!;
    };
    parts.push(part({ start: starts[i]![k]!, count: starts[i]!.at(-1)! - starts[i]![k]! }, more));
    done(starts[i]![at + 1]! - starts[i]![k]!);
  };
  if (Atomics.compareExchange(next, own, 0, 1) === 0 && pieces[own]!.length > 0) runFrom(own, 0);
  for (;;) {
    let from = -1, most = 0;
    for (let i = 0; i < pieces.length; i++) {
      const k = Atomics.load(next, i);
      const left = k < pieces[i]!.length ? starts[i]!.at(-1)! - starts[i]![k]! : 0;
      if (left > most) [from, most] = [i, left];
    }
    if (from < 0) return parts;
    const k = Atomics.add(next, from, 1);
    if (k < pieces[from]!.length) runFrom(from, k);
  }
}
