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
  const loan: Loan = { keep, mine: [], open: true };
  try {
    return work(lender(loan));
  } finally {
    loan.open = false;
    for (const i of loan.mine) keep.held[i] = false;
    while (keep.used > 0 && !keep.held[keep.used - 1]) keep.used--;
  }
}

/** One scope's loans: the slots it took, and whether it is still open. */
interface Loan {
  keep: Keep;
  mine: number[];
  open: boolean;
}

/** The `take` of a scope. */
function lender(loan: Loan): Take {
  // Returned, not named: a named closure costs a defineProperty per scope under tsx (keepNames).
  return (length) => {
    if (!loan.open) throw new Error("scratch: an array taken after its scope ended");
    const k = loan.keep;
    const i = k.used++;
    k.held[i] = true;
    loan.mine.push(i);
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
}
