// Instantiates build/pmargin.wasm straight from the file (no engine code), for
// kernel accuracy tests. Build it first: npx asc assembly/index.ts --target release
import { readFileSync } from "node:fs";

export type ArrayKernel = "expF64x2Array" | "logF64x2Array" | "normCdfF64x2Array";

export interface PmarginExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  expF64x2Array(src: number, dst: number, n: number): void;
  logF64x2Array(src: number, dst: number, n: number): void;
  normCdfF64x2Array(src: number, dst: number, n: number): void;
  black76GreeksF64x2Soa(
    n: number, f: number, k: number, t: number, vol: number, rate: number, phi: number, out: number,
  ): void;
}

const bytes = readFileSync(new URL("../../build/pmargin.wasm", import.meta.url));
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
  env: {
    abort(msg: number, file: number, line: number, col: number): never {
      throw new Error(`wasm abort (msg@${msg}, file@${file}, ${line}:${col})`);
    },
  },
});
export const wasm = instance.exports as unknown as PmarginExports;

/** First 16-byte aligned address at or after the module's heap base. */
export const heap = (wasm.heapBase() + 15) & ~15;

/** Grows linear memory so that [heap, heap + bytes) is addressable; returns a fresh f64 view. */
export function reserve(bytes: number): Float64Array {
  const need = heap + bytes - wasm.memory.buffer.byteLength;
  if (need > 0) wasm.memory.grow(Math.ceil(need / 65536));
  return new Float64Array(wasm.memory.buffer);
}

/** Runs one of the array kernels over `input` (any length, odd included). */
export function mapArray(kernel: ArrayKernel, input: Float64Array): Float64Array {
  const padded = (input.length + 1) & ~1;
  const src = heap;
  const dst = heap + padded * 8;
  const mem = reserve(2 * padded * 8);
  mem.fill(0, src / 8, src / 8 + 2 * padded);
  mem.set(input, src / 8);
  wasm[kernel](src, dst, input.length);
  return new Float64Array(wasm.memory.buffer).slice(dst / 8, dst / 8 + input.length);
}
