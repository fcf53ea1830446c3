// Memory a pool's parts travel in, used again. A part's largest arrays (a Monte Carlo
// part's losses: 4 MB for 500,000 paths) would be new memory in its worker at every run,
// moved to the pool and freed there; new memory costs a page fault per 4 KiB on first
// use, ~14 µs each on this project's 2-core VM (14 ms for those 4 MB, where filling them
// takes 0.5 ms). So the pool moves the buffers of a run's parts back to the workers with
// its next run, and each worker lends them out for its parts' arrays.
import type { Take } from "../methods/scratch.js";

/** The typed arrays' buffers in a value, once each (not shared memory, which is not moved). */
export function buffersOf(value: unknown, found = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) buffersOf(v, found);
  }
  return found;
}

/** Buffers smaller than this are not worth moving back: a few pages. */
export const RECYCLED_BYTES = 64 << 10;

/** The most bytes a worker keeps for reuse: beyond it the buffers it was given first are left to the collector. */
export const KEPT_BYTES = 64 << 20;

/** The buffers worth moving back (not moved away already), dealt to `hands` largest first, in turn: each gets one of the largest. */
export function dealBuffers(buffers: Iterable<ArrayBuffer>, hands: number): ArrayBuffer[][] {
  const big = [...buffers].filter((b) => b.byteLength >= RECYCLED_BYTES).sort((a, b) => b.byteLength - a.byteLength);
  return Array.from({ length: hands }, (_, i) => big.filter((_, j) => j % hands === i));
}

/** A new buffer's room beyond the array it is made for: the next run's part may be longer (work sharing moves items between workers). */
const HEADROOM = 1.25;

/**
 * Buffers a worker was given back, lent out as zeroed arrays: `take(length)` is a view on
 * the smallest kept buffer that holds it, removed from the kept ones (it travels with the
 * part); else a new array, on a buffer with HEADROOM when it is long enough to come back.
 */
export class KeptBuffers {
  private buffers: ArrayBuffer[] = [];

  add(buffers: readonly ArrayBuffer[]): void {
    this.buffers.push(...buffers.filter((b) => b.byteLength > 0 && b.byteLength <= KEPT_BYTES));
    while (this.bytes() > KEPT_BYTES) this.buffers.shift();
  }

  bytes(): number {
    return this.buffers.reduce((a, b) => a + b.byteLength, 0);
  }

  readonly take: Take = (length) => {
    const bytes = length * Float64Array.BYTES_PER_ELEMENT;
    let best = -1;
    if (bytes >= RECYCLED_BYTES) {
      this.buffers.forEach((b, i) => {
        if (b.byteLength >= bytes && (best < 0 || b.byteLength < this.buffers[best]!.byteLength)) best = i;
      });
    }
    if (best >= 0) return new Float64Array(this.buffers.splice(best, 1)[0]!, 0, length).fill(0);
    return bytes >= RECYCLED_BYTES ? new Float64Array(new ArrayBuffer(8 * Math.ceil(length * HEADROOM)), 0, length) : new Float64Array(length);
  };
}
