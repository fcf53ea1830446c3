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

/**
 * Small Float64Arrays carved from shared blocks, for arrays the engine keeps to itself (a
 * carved array's buffer is the block: never transfer it). In V8 a typed array of more
 * than 64 bytes costs a buffer of its own, 1–2 µs; a view on a block ~30 ns.
 */
export class Slab {
  private block = new Float64Array(0);
  private at = 0;

  constructor(private readonly blockLength = 8192) {}

  /** n zeros of their own. */
  take(n: number): Float64Array {
    if (n > this.blockLength / 8) return new Float64Array(n);
    if (this.at + n > this.block.length) {
      this.block = new Float64Array(this.blockLength);
      this.at = 0;
    }
    const view = this.block.subarray(this.at, this.at + n);
    this.at += n;
    return view;
  }
}
