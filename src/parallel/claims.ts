// Work sharing for a pool's stage: each worker owns a range and takes its pieces from
// the front; a worker done with its own takes pieces from the back of the range with
// most left, so that a worker slowed down (another process on its core) no longer holds
// the run up. A range is cut into chunks, its last chunk's worth into pieces that halve
// towards the end, so that the last claims, those that decide who waits, are small.
// The claims are counted in memory the threads share (Atomics): per range, the pieces
// left and the pieces taken from its back; and the workers done with their own ranges.
import type { Range } from "../runs/registry.js";
import { sharesMemory } from "./shared-memory.js";

/** A stage's ranges, each cut into pieces (claimPieces) of at most `chunk` items, and their claims (2 counters a range, then the helpers'). */
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
  if (!sharesMemory()) return undefined;
  const cells = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (2 * ranges.length + 1));
  const counts = new Int32Array(cells);
  ranges.forEach((range, i) => (counts[2 * i] = claimPieces(range.count, chunk).length));
  return { cells, ranges, chunk };
}

/**
 * The share of its range an owner leaves to a worker helping it, rather than claim it
 * itself, until it has measured what summarising its part costs next to computing it
 * (Monte Carlo, 200 positions, on this project's 2-core VM: 30–60 ms for 500,000 paths
 * that take 1.1 s), which the owner still has to do when it stops.
 */
export const LEFT_TO_HELPERS = 1 / 64;

/** The most of its range an owner leaves to helpers, however slow its last summary was (another process on its core). */
const MOST_LEFT = 1 / 8;

/**
 * What summarising a part cost next to computing it, as a worker last measured it on its
 * own range of a stage (the share of its range it leaves to helpers): kept by the worker,
 * one per stage, and updated by claimedParts.
 */
export interface SummaryShare {
  value: number;
}

/**
 * What the worker owning range `own` computes from a board: `part` of its range while
 * pieces of it are left (`more` gives the size of the next, 0 when there is none; its
 * first call, the first piece's) — once another worker helps, not the pieces a helper
 * can compute while the owner summarises its part (its range's `share`, LEFT_TO_HELPERS
 * without one; a helper is one from when its own pieces are done) — then `part` of
 * single pieces from the backs of the others. `done(items)` follows each part.
 * With `share`, the owner measures it anew on its part (the time from its last piece to
 * the end of `part`, over the time its pieces took) and averages it with the last.
 */
export function claimedParts<Part>(
  claims: ClaimBoard, own: number, part: (range: Range, more?: () => number) => Part, done: (items: number) => void = () => {},
  share?: SummaryShare,
): Part[] {
  const counts = new Int32Array(claims.cells);
  const pieces = claims.ranges.map((range) => claimPieces(range.count, claims.chunk));
  const helpers = 2 * pieces.length;
  // A piece of range i is this worker's when some were left.
  const take = (i: number): boolean => Atomics.sub(counts, 2 * i, 1) > 0;
  const parts: Part[] = [];
  // This worker will take others' pieces: counted once its own are all claimed, before it summarises its part.
  let helping = false;
  const help = (): void => {
    if (!helping) Atomics.add(counts, helpers, 1);
    helping = true;
  };
  if (take(own)) {
    const mine = pieces[own]!, leave = claims.ranges[own]!.count * (share?.value ?? LEFT_TO_HELPERS);
    let next = 0, items = 0;
    // The items of the pieces not claimed yet (those from `next`, as many as are left).
    const unclaimed = (): number => mine.slice(next, next + Math.max(0, Atomics.load(counts, 2 * own))).reduce((a, s) => a + s, 0);
    // When the pieces were asked for: the first, and the last with the items done by then and the piece it claimed.
    const start = performance.now();
    let asked = { at: start, items: 0, claimed: 0 };
    // The first piece is claimed already, each later one when asked for. Another is
    // claimed while more than `leave` items would be left beside it for a helper.
    const more = (): number => {
      asked = { at: performance.now(), items, claimed: 0 };
      if (next > 0 && ((Atomics.load(counts, helpers) > 0 && unclaimed() - (mine[next] ?? 0) <= leave) || !take(own))) {
        help();
        return 0;
      }
      const size = mine[next++]!;
      if (next === mine.length) help();
      items += size;
      asked.claimed = size;
      return size;
    };
    parts.push(part(claims.ranges[own]!, more));
    if (share && asked.items > 0) {
      // The last piece asked for ended at its share of the pieces' pace; one run's measure,
      // taken on a machine doing other work too, is averaged with the last.
      const computed = (asked.at - start) * (1 + asked.claimed / asked.items);
      const measured = Math.min(MOST_LEFT, Math.max(0, (performance.now() - start - computed) / computed));
      share.value = (share.value + measured) / 2;
    }
    done(items);
  }
  help();
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
