// A memo of the last few keys seen, by identity. What a repeated call finds again (a
// dashboard's refresh, a what-if's untouched book) costs a short scan; a key seen once (a
// batch's accounts) costs an assignment, where a WeakMap entry costs ~0.7 µs and work for
// the garbage collector. The keys are held strongly until newer ones push them out.

export class Recent<K extends object, V> {
  private readonly keys: K[] = [];
  private readonly values: V[] = [];

  constructor(private readonly size: number) {}

  get(key: K): V | undefined {
    const i = this.keys.indexOf(key);
    return i < 0 ? undefined : this.values[i];
  }

  /** Remembers `value` for `key` (forgetting the oldest beyond `size`); returns it. */
  set(key: K, value: V): V {
    if (this.keys.length >= this.size) {
      this.keys.shift();
      this.values.shift();
    }
    this.keys.push(key);
    this.values.push(value);
    return value;
  }
}
