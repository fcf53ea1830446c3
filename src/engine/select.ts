// Selection (the k-th smallest, Floyd–Rivest) for tail statistics, by the WASM
// kernel selectF64 on a work copy in the engine's memory. The pure-JS twin is
// jsSelector (src/reference/select.ts); tail statistics take either.
import { InputError } from "../errors.js";
import type { Kernels } from "./wasm.js";

/** Throws unless 0 ≤ left ≤ k ≤ right < length, all integers: the kernel trusts its bounds. */
export function checkSelectRange(length: number, left: number, right: number, k: number): void {
  const ok = Number.isInteger(left) && Number.isInteger(right) && Number.isInteger(k) &&
    left >= 0 && left <= k && k <= right && right < length;
  if (!ok) throw new InputError("k", `need integers 0 ≤ left ≤ k ≤ right < ${length}, got left ${left}, k ${k}, right ${right}`);
}

export interface Selector {
  /** Loads a copy of `losses` into a work array the selector owns and returns it (a view for WASM). */
  load(losses: Float64Array): Float64Array;
  /** selectF64 semantics on the loaded array (0-based, inclusive bounds). */
  select(left: number, right: number, k: number): void;
  /** The loaded work array, re-fetched (WASM memory may have been re-viewed). */
  view(): Float64Array;
}

/**
 * Selection by the WASM kernel on a copy at `ptr` in the module's memory;
 * `ensure(bytes)` must make [ptr, ptr + bytes) addressable (growing memory).
 * `ptr` must be a multiple of 8 and the region must not be used by anything else.
 */
export function wasmSelector(kernels: Pick<Kernels, "memory" | "selectF64">, ptr: number, ensure: (bytes: number) => void): Selector {
  if (!Number.isInteger(ptr) || ptr <= 0 || ptr % 8 !== 0) throw new InputError("ptr", `must be a positive multiple of 8, got ${ptr}`);
  let length = 0;
  const view = (): Float64Array => new Float64Array(kernels.memory.buffer, ptr, length);
  return {
    load(losses) {
      ensure(losses.length * 8);
      length = losses.length;
      const work = view();
      work.set(losses);
      return work;
    },
    select(left, right, k) {
      checkSelectRange(length, left, right, k);
      kernels.selectF64(ptr, left, right, k);
    },
    view,
  };
}
