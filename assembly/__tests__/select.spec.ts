// Unit tests of selectF64 (assembly/select.ts), run inside AssemblyScript
// (as-pect): a[k] against a fully sorted copy and the partition property
// around k, on random data, heavy ties, sorted and reversed input, and ranges
// that are a strict part of the array.
import { selectF64 } from "../select";

// xorshift32: a small deterministic source of test data.
let state: u32 = 1;
function seed(s: u32): void {
  state = s;
}
function uniform(): f64 {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return <f64>state / 4294967296.0;
}

function random(n: i32): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = uniform() * 2.0 - 1.0;
  return a;
}

/** 90% zeros, the rest drawn from five values: a book that is flat in most paths. */
function ties(n: i32): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = uniform() < 0.9 ? 0.0 : <f64>(<i32>(uniform() * 5.0) - 2);
  return a;
}

function ramp(n: i32, step: f64): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = step * <f64>i;
  return a;
}

function sortedCopy(a: Float64Array, left: i32, right: i32): Float64Array {
  const s = a.slice(left, right + 1);
  s.sort();
  return s;
}

/** Selects k in a[left..right] and checks a[k] and the partition; returns the count of violations. */
function violations(a: Float64Array, left: i32, right: i32, k: i32): i32 {
  const want = sortedCopy(a, left, right)[k - left];
  selectF64(a.dataStart, left, right, k);
  let bad: i32 = a[k] == want ? 0 : 1;
  const t = a[k];
  for (let i = left; i < k; i++) if (a[i] > t) bad++;
  for (let i = k + 1; i <= right; i++) if (a[i] < t) bad++;
  return bad;
}

/** Runs violations() for each k in ks on a fresh copy of `data`. */
function sweep(data: Float64Array, left: i32, right: i32, ks: i32[]): i32 {
  let bad: i32 = 0;
  for (let j = 0; j < ks.length; j++) bad += violations(data.slice(0), left, right, ks[j]);
  return bad;
}

function spread(left: i32, right: i32): i32[] {
  const n = right - left + 1;
  return [left, left + 1, left + n / 4, left + n / 2, left + (n * 99) / 100, right - 1, right];
}

describe("selectF64", () => {
  it("puts the k-th smallest at k and partitions around it, random data below and above the sampling cut-off", () => {
    seed(7);
    expect(sweep(random(500), 0, 499, spread(0, 499))).toBe(0);
    seed(8);
    expect(sweep(random(20000), 0, 19999, spread(0, 19999))).toBe(0);
  });

  it("is exact with 90% equal values and only six distinct values", () => {
    seed(9);
    expect(sweep(ties(50000), 0, 49999, spread(0, 49999))).toBe(0);
  });

  it("is exact when all values are equal", () => {
    const a = new Float64Array(5000);
    a.fill(3.5);
    expect(sweep(a, 0, 4999, spread(0, 4999))).toBe(0);
  });

  it("is exact on sorted and on reversed input", () => {
    expect(sweep(ramp(30000, 1.0), 0, 29999, spread(0, 29999))).toBe(0);
    expect(sweep(ramp(30000, -1.0), 0, 29999, spread(0, 29999))).toBe(0);
  });

  it("handles ranges of one, two and three elements", () => {
    const one = new Float64Array(1);
    one[0] = 4.0;
    expect(violations(one, 0, 0, 0)).toBe(0);
    const two = new Float64Array(2);
    two[0] = 2.0;
    two[1] = 1.0;
    expect(sweep(two, 0, 1, [0, 1])).toBe(0);
    const three = new Float64Array(3);
    three[0] = 3.0;
    three[1] = 1.0;
    three[2] = 2.0;
    expect(sweep(three, 0, 2, [0, 1, 2])).toBe(0);
  });

  it("touches nothing outside [left, right]", () => {
    seed(10);
    const a = random(10000);
    const before = a.slice(0);
    expect(violations(a, 1000, 8999, 8900)).toBe(0);
    let moved = 0;
    for (let i = 0; i < 1000; i++) if (a[i] != before[i]) moved++;
    for (let i = 9000; i < 10000; i++) if (a[i] != before[i]) moved++;
    expect(moved).toBe(0);
  });
});
