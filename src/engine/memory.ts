import { LimitError } from "../errors.js";

const PAGE = 65536;

/**
 * The engine's view of WebAssembly linear memory. Memory only grows, up to
 * `limitBytes`; a request beyond it is refused with a LimitError before anything
 * is written. Growing detaches every typed-array view, so views are made per
 * call with `f64()` and never kept across a call that may grow.
 */
export class LinearMemory {
  readonly base: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    heapBase: number,
    readonly limitBytes: number,
  ) {
    this.base = align16(heapBase);
  }

  /** Makes [base, base + bytes) addressable. */
  ensure(bytes: number): void {
    const needed = this.base + bytes;
    if (needed > this.limitBytes) throw new LimitError("memory (bytes)", needed, this.limitBytes);
    const have = this.memory.buffer.byteLength;
    if (needed > have) this.memory.grow(Math.ceil((needed - have) / PAGE));
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, length);
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }
}

export const align16 = (n: number): number => (n + 15) & ~15;
