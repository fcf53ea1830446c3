// Memory the pool's threads share: a board of claims (claims.ts), and what a stage
// shares with all its ranges (Monte Carlo's ES tail: 400 KB for 1M paths), which would
// otherwise be copied once per worker, on the thread that hands the ranges out, while
// the workers wait for it.

/** Whether threads can share memory here (not in a browser page that is not cross-origin isolated). */
export function sharesMemory(): boolean {
  return typeof SharedArrayBuffer !== "undefined" && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

type TypedArray = Exclude<ArrayBufferView, DataView>;

/** `value` with every typed array in it (in plain objects and arrays) copied into shared memory: sent to any number of workers, copied once. */
export function inSharedMemory<T>(value: T): T {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const array = value as TypedArray;
    const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => TypedArray)(new SharedArrayBuffer(array.byteLength));
    (copy as unknown as { set(from: TypedArray): void }).set(array);
    return copy as T;
  }
  if (Array.isArray(value)) return value.map(inSharedMemory) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inSharedMemory(v)])) as T;
  }
  return value;
}
