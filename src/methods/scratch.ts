// Working arrays a backend's runs reuse from one run to the next. In Chromium a fresh
// typed array of 128 KiB or more costs a page fault per 4 KiB on first use — its
// allocator hands freed buffers back to the system — which on this project's 2-core
// VM came to 3–7 µs per KiB, 50–100× writing it (Node's malloc keeps freed memory).
// A 100,000-path Monte Carlo run used to make 7 MiB of them.

/** Zeroed arrays of the given length. */
export type Take = (length: number) => Float64Array<ArrayBuffer>;

/** Zeroed arrays, each new: for arrays a caller keeps. */
export const fresh: Take = (length) => new Float64Array(length);

/** The most bytes of arrays kept for reuse per backend; what a run takes beyond it is new each time. */
export const SCRATCH_KEEP_BYTES = 32 << 20;

/** A backend's kept arrays, lent in order: slot i is out while `held[i]`; none at or above `used` is. */
interface Keep {
  arrays: Float64Array<ArrayBuffer>[];
  held: boolean[];
  bytes: number;
  used: number;
}

const keeps = new WeakMap<object, Keep>();

/**
 * `work` given `take`: zeroed arrays lent from what `owner` (a backend) keeps, back when
 * `work` returns — nothing taken may outlive it. Each loan is the next kept array after
 * those out (grown when too short), so a run shaped like the last one reuses its arrays.
 * Scopes nest, and an outer scope may take while an inner one is open.
 */
export function withScratch<T>(owner: object, work: (take: Take) => T): T {
  let keep = keeps.get(owner);
  if (!keep) keeps.set(owner, (keep = { arrays: [], held: [], bytes: 0, used: 0 }));
  const k = keep;
  const mine: number[] = [];
  let open = true;
  const take: Take = (length) => {
    if (!open) throw new Error("scratch: an array taken after its scope ended");
    const i = k.used++;
    k.held[i] = true;
    mine.push(i);
    const kept = k.arrays[i];
    if (kept && kept.length >= length) return kept.subarray(0, length).fill(0);
    const array = new Float64Array(length);
    const grown = k.bytes + (length - (kept?.length ?? 0)) * 8;
    if (grown <= SCRATCH_KEEP_BYTES) {
      k.arrays[i] = array;
      k.bytes = grown;
    }
    return array;
  };
  try {
    return work(take);
  } finally {
    open = false;
    for (const i of mine) k.held[i] = false;
    while (k.used > 0 && !k.held[k.used - 1]) k.used--;
  }
}
