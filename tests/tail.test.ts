// Tail statistics of a loss sample (src/risk/tail.ts): the VaR/ES conventions
// on hand-checked samples, agreement with a full sort, the WASM and JS
// selectors giving the same numbers, large normal samples against the exact
// quantile and shortfall, the standard errors, validation, the histogram and
// the worst paths.
import { describe, expect, it } from "vitest";
import type { Kernels } from "../src/engine/wasm.js";
import { InputError } from "../src/errors.js";
import { wasmSelector, type Selector } from "../src/engine/select.js";
import { jsSelector } from "../src/reference/select.js";
import { histogram, largest, mergeLargest, mergeWorst, tailCount, tailRisk, tailRiskOfLargest, worstIndices, type TailRisk, type WorstLosses } from "../src/risk/tail.js";
import { prng } from "./fixtures/synthetic.js";
import { inputError } from "./helpers/errors.js";
import { heap, reserve, wasm } from "./helpers/wasm-raw.js";

// The raw instance of build/pmargin.wasm: the kernel alone, no engine.
const kernels = wasm as unknown as Pick<Kernels, "memory" | "selectF64">;
const wasmSel = (): Selector => wasmSelector(kernels, heap, reserve);
const selectors: [string, () => Selector][] = [["js", jsSelector], ["wasm", wasmSel]];

/** The field the InputError `f` throws names. */
const pathOf = (f: () => unknown): string => inputError(f).path;

const oneTo = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i + 1);

function shuffled(a: Float64Array, seed: number): Float64Array {
  const rnd = prng(seed);
  const b = a.slice();
  for (let i = b.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [b[i], b[j]] = [b[j]!, b[i]!];
  }
  return b;
}

/** Standard normal sample by Box–Muller from a seeded mulberry32. */
function normals(n: number, seed: number): Float64Array {
  const rnd = prng(seed);
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()));
}

const Z99 = 2.3263478740408408; // Φ⁻¹(0.99)
const Z975 = 1.959963984540054; // Φ⁻¹(0.975)
const ES975 = Math.exp(-0.5 * Z975 * Z975) / Math.sqrt(2 * Math.PI) / 0.025; // φ(z)/(1 − α) = 2.3378

/** VaR_α = L(k) and ES_α by the defining formula, on a fully sorted copy, given k and n·α. */
function bySort(losses: Float64Array, alpha: number, k: number, na: number): { var: number; es: number } {
  const s = losses.slice().sort();
  const n = s.length;
  let beyond = 0;
  for (let i = k; i < n; i++) beyond += s[i]!;
  return { var: s[k - 1]!, es: (beyond + (k - na) * s[k - 1]!) / (n - na) };
}

describe("tailRisk: conventions on hand-checked samples", () => {
  it.each(selectors)("losses 1..100 (%s): VaR99 = 99, ES99 = 100; VaR97.5 = 98, ES97.5 = (99 + 100 + 0.5·98)/2.5 = 99.2", (_, sel) => {
    const r = tailRisk(shuffled(oneTo(100), 1), { var: [0.99, 0.975], es: [0.99, 0.975] }, sel());
    expect(r.paths).toBe(100);
    expect(r.var.map((v) => v.value)).toEqual([99, 98]);
    expect(r.es[0]!.value).toBe(100);
    expect(r.es[1]!.value).toBeCloseTo(99.2, 12);
  });

  it("losses 1..10 reproduce the module doc's worked example, interval and SE included", () => {
    const r = tailRisk(shuffled(oneTo(10), 2), { var: [0.9, 0.85], es: [0.9, 0.85] }, jsSelector());
    expect(r.var.map((v) => v.value)).toEqual([9, 9]);
    expect(r.var[0]!.ci95).toEqual([8, 10]);
    expect(r.var[0]!.standardError).toBeCloseTo(2 / 3.92, 14);
    expect(r.es[0]!.value).toBe(10);
    expect(r.es[1]!.value).toBeCloseTo(14.5 / 1.5, 13);
  });

  it("n = 1000, α = 0.99 gives k = 990, not 991, and ES = the mean of the top 10", () => {
    const r = tailRisk(shuffled(oneTo(1000), 3), { var: [0.99], es: [0.99] }, jsSelector());
    expect(r.var[0]!.value).toBe(990);
    expect(r.es[0]!.value).toBeCloseTo(995.5, 12);
  });

  it("100 · 0.07 = 7.000000000000001 in floating point still gives k = 7, and ES the mean of the top 93", () => {
    expect(100 * 0.07).toBeGreaterThan(7);
    const r = tailRisk(shuffled(oneTo(100), 4), { var: [0.07], es: [0.07] }, jsSelector());
    expect(r.var[0]!.value).toBe(7);
    expect(r.es[0]!.value).toBeCloseTo((8 + 100) / 2, 12);
  });

  it("a single path is VaR and ES at every level, with zero standard error", () => {
    const r = tailRisk(new Float64Array([-3]), { var: [0.5, 0.99], es: [0.99] }, wasmSel());
    for (const e of [...r.var, ...r.es]) {
      expect(e.value).toBe(-3);
      expect(e.standardError).toBe(0);
    }
  });

  it("leaves the caller's losses as they were", () => {
    const losses = normals(5000, 5);
    const before = losses.slice();
    for (const [, sel] of selectors) tailRisk(losses, { var: [0.99], es: [0.975] }, sel());
    expect(losses).toEqual(before);
  });
});

describe("tailRisk: against a full sort", () => {
  const levels = [0.5, 0.9, 0.95, 0.975, 0.99, 0.999];

  it("VaR and ES equal the sorted-sample formulas, ES ≥ VaR, for random samples of many sizes, with ties", () => {
    for (const n of [1, 2, 3, 7, 40, 999, 1000, 1001, 20_000]) {
      const rnd = prng(n);
      // Rounded to a coarse grid so that large samples have many ties.
      const losses = Float64Array.from({ length: n }, () => Math.round(100 * (rnd() - 0.3) ** 3) / 10);
      const r = tailRisk(losses, { var: levels, es: levels }, wasmSel());
      levels.forEach((alpha, i) => {
        const na = n * alpha;
        const k = Math.ceil(na - 1e-9 * na);
        const want = bySort(losses, alpha, k, Math.abs(na - Math.round(na)) <= 1e-9 * na ? Math.round(na) : na);
        expect(r.var[i]!.value, `VaR n=${n} α=${alpha}`).toBe(want.var);
        expect(r.es[i]!.value, `ES n=${n} α=${alpha}`).toBeCloseTo(want.es, 9);
        expect(r.es[i]!.value).toBeGreaterThanOrEqual(r.var[i]!.value);
        expect(r.var[i]!.ci95[0]).toBeLessThanOrEqual(r.var[i]!.value);
        expect(r.var[i]!.ci95[1]).toBeGreaterThanOrEqual(r.var[i]!.value);
      });
    }
  });

  it("the WASM and JS selectors give bit-identical results", () => {
    const losses = normals(200_000, 6);
    const lv = { var: [0.95, 0.99, 0.999], es: [0.975, 0.99] };
    const results: TailRisk[] = selectors.map(([, sel]) => tailRisk(losses, lv, sel()));
    expect(results[1]).toEqual(results[0]);
  });
});

describe("tailRisk: standard normal sample", () => {
  const n = 1_000_000;
  const big = tailRisk(normals(n, 1), { var: [0.99], es: [0.975] }, wasmSel());

  it("VaR99 is within 4 SE of Φ⁻¹(0.99) = 2.3263 and its 95% interval covers it", () => {
    const v = big.var[0]!;
    expect(Math.abs(v.value - Z99)).toBeLessThan(4 * v.standardError);
    expect(v.ci95[0]).toBeLessThan(Z99);
    expect(v.ci95[1]).toBeGreaterThan(Z99);
    // The order-statistic SE is near the asymptotic √(α(1 − α)/n)/φ(z) = 0.0037.
    expect(v.standardError).toBeGreaterThan(0.003);
    expect(v.standardError).toBeLessThan(0.0045);
  });

  it("ES97.5 is within 4 SE of φ(1.96)/0.025 = 2.3378 and its 95% interval covers it", () => {
    const e = big.es[0]!;
    expect(Math.abs(e.value - ES975)).toBeLessThan(4 * e.standardError);
    expect(e.ci95[0]).toBeLessThan(ES975);
    expect(e.ci95[1]).toBeGreaterThan(ES975);
    // Asymptotic value for the normal: √((1 + zλ − λ² + α(λ − z)²)/(n(1 − α))) with λ = ES = 2.3378: 0.0032.
    expect(e.standardError).toBeGreaterThan(0.0029);
    expect(e.standardError).toBeLessThan(0.0035);
  });

  it("standard errors shrink like 1/√n: 100× the paths, about 1/10 the SE", () => {
    const small = tailRisk(normals(n / 100, 2), { var: [0.99], es: [0.975] }, wasmSel());
    // The VaR SE is a difference of two order statistics, itself noisy: wider band.
    expect(small.var[0]!.standardError / big.var[0]!.standardError).toBeGreaterThan(7.5);
    expect(small.var[0]!.standardError / big.var[0]!.standardError).toBeLessThan(13);
    expect(small.es[0]!.standardError / big.es[0]!.standardError).toBeGreaterThan(8.5);
    expect(small.es[0]!.standardError / big.es[0]!.standardError).toBeLessThan(11.5);
  });
});

describe("tailRisk: validation", () => {
  const losses = oneTo(50);

  it("names the level outside (0, 1)", () => {
    expect(pathOf(() => tailRisk(losses, { var: [0.99, 1], es: [] }, jsSelector()))).toBe("levels.var[1]");
    expect(pathOf(() => tailRisk(losses, { var: [0], es: [] }, jsSelector()))).toBe("levels.var[0]");
    expect(pathOf(() => tailRisk(losses, { var: [], es: [0.5, NaN] }, jsSelector()))).toBe("levels.es[1]");
    expect(pathOf(() => tailRisk(losses, { var: [], es: [-0.1] }, jsSelector()))).toBe("levels.es[0]");
  });

  it("names the first non-finite loss, and refuses an empty sample", () => {
    const bad = losses.slice();
    bad[17] = NaN;
    bad[30] = Infinity;
    expect(pathOf(() => tailRisk(bad, { var: [0.99], es: [] }, wasmSel()))).toBe("losses[17]");
    expect(pathOf(() => tailRisk(new Float64Array(0), { var: [0.99], es: [] }, wasmSel()))).toBe("losses");
  });

  it("wasmSelector refuses selection bounds outside the loaded array", () => {
    const s = wasmSel();
    s.load(oneTo(10));
    expect(() => s.select(0, 10, 5)).toThrow(InputError);
    expect(() => s.select(6, 9, 5)).toThrow(InputError);
  });
});

describe("histogram", () => {
  it("counts sum to n, and each count is the number of losses in [edges[i], edges[i+1]), the last bin closed", () => {
    for (const bins of [1, 3, 10, 64]) {
      const losses = normals(10_000, bins);
      const { edges, counts } = histogram(losses, bins);
      expect(edges).toHaveLength(bins + 1);
      expect(counts.reduce((s, c) => s + c, 0)).toBe(losses.length);
      expect(edges[0]).toBe(Math.min(...losses));
      expect(edges[bins]).toBe(Math.max(...losses));
      const brute = counts.map((_, i) => losses.filter((x) => x >= edges[i]! && (x < edges[i + 1]! || i === bins - 1)).length);
      expect(counts).toEqual(brute);
    }
  });

  it("puts a loss on an interior edge in the upper bin and the maximum in the last bin", () => {
    expect(histogram(new Float64Array([0, 1, 2, 3, 4]), 4)).toEqual({ edges: [0, 1, 2, 3, 4], counts: [1, 1, 1, 2] });
    const tenths = Float64Array.from({ length: 7 }, (_, i) => 0.1 + i * 0.1);
    const h = histogram(tenths, 6);
    const brute = h.counts.map((_, i) => [...tenths].filter((x) => x >= h.edges[i]! && (x < h.edges[i + 1]! || i === 5)).length);
    expect(h.counts).toEqual(brute);
  });

  it("an all-equal sample is one bin holding every path", () => {
    expect(histogram(new Float64Array(9).fill(2.5), 20)).toEqual({ edges: [2.5, 2.5], counts: [9] });
  });

  it("refuses a bin count that is not a positive integer", () => {
    expect(() => histogram(oneTo(5), 0)).toThrow(InputError);
    expect(() => histogram(oneTo(5), 2.5)).toThrow(InputError);
  });
});

describe("worstIndices", () => {
  const losses = new Float64Array([5, 9, 9, 1, 9, 7, -2]);

  it.each(selectors)("returns the largest losses first, equal losses by lower index (%s)", (_, sel) => {
    const worst = (count: number): number[] => Array.from(worstIndices(losses, count, sel()));
    expect(worst(2)).toEqual([1, 2]);
    expect(worst(3)).toEqual([1, 2, 4]);
    expect(worst(4)).toEqual([1, 2, 4, 5]);
    expect(worst(0)).toEqual([]);
    expect(worst(100)).toEqual([1, 2, 4, 5, 0, 3, 6]);
  });

  it("equals a stable sort of the indices by loss, descending, on a large sample with ties, and leaves the losses unchanged", () => {
    const rnd = prng(12);
    const big = Float64Array.from({ length: 50_000 }, () => Math.floor(rnd() * 300));
    const before = big.slice();
    const want = [...big.keys()].sort((i, j) => big[j]! - big[i]! || i - j).slice(0, 777);
    expect(Array.from(worstIndices(big, 777))).toEqual(want);
    expect(Array.from(worstIndices(big, 777, wasmSel()))).toEqual(want);
    expect(big).toEqual(before);
  });

  it("counts −0 and +0 as equal losses, ordered by index, among losses of every sign and size", () => {
    const rnd = prng(5);
    const mixed = Float64Array.from({ length: 20_000 }, (_, i) =>
      (i % 7 === 0 ? (i % 2 ? -0 : 0) : (rnd() - 0.4) * 10 ** Math.floor(rnd() * 12 - 6)));
    const want = [...mixed.keys()].sort((i, j) => mixed[j]! - mixed[i]! || i - j);
    for (const count of [1, 3_000, 20_000]) expect(Array.from(worstIndices(mixed, count))).toEqual(want.slice(0, count));
  });

  it("refuses a negative or fractional count", () => {
    expect(() => worstIndices(losses, -1)).toThrow(InputError);
    expect(() => worstIndices(losses, 1.5)).toThrow(InputError);
  });
});

describe("parts summarised apart (workers' ranges)", () => {
  const rnd = prng(77);
  // Ties across the cuts, and a few exact zeros of both signs.
  const all = Float64Array.from({ length: 30_001 }, (_, i) => (i % 97 === 0 ? (i % 2 ? -0 : 0) : Math.round(rnd() * 4_000) / 8 - 100));
  const levels = { var: [0.99, 0.95], es: [0.975, 0.9] };
  const cuts = [0, 1, 12_345, 12_346, 30_001];
  const parts = cuts.slice(1).map((end, j) => all.subarray(cuts[j]!, end));

  it("tailCount is every rank the statistics read: VaR's lower bound is the lowest here", () => {
    const n = all.length;
    expect(tailCount(n, levels)).toBe(n - Math.ceil(0.9 * n) + 1);
    expect(tailCount(n, { var: [0.99], es: [] })).toBe(n - Math.ceil(0.99 * n - 1.96 * Math.sqrt(0.99 * n * 0.01)) + 1);
  });

  it.each(selectors)("mergeLargest of each part's largest is the whole's largest, and tailRiskOfLargest of it is tailRisk of the whole, bit for bit (%s)", (_, sel) => {
    const t = tailCount(all.length, levels);
    const whole = largest(all, t, sel());
    const merged = mergeLargest(parts.map((p) => largest(p, t, sel())), t);
    expect(Array.from(merged).map((x) => Object.is(x, -0))).toEqual(Array.from(whole).map((x) => Object.is(x, -0)));
    expect(merged).toEqual(whole);
    expect(whole).toEqual(all.slice().sort().slice(all.length - t));
    expect(tailRiskOfLargest(merged, all.length, levels)).toEqual(tailRisk(all, levels, sel()));
  });

  it("mergeLargest orders signed zeros as Float64Array's sort does (−0 first), from one part or several", () => {
    const lists = [[-1, -0, 0, 3], [-0, 0, 2], [-0, -0, 0], [5]].map((l) => Float64Array.from(l));
    const whole = Float64Array.from(lists.flatMap((l) => Array.from(l))).sort();
    const signs = (a: Float64Array): boolean[] => Array.from(a, (x) => Object.is(x, -0));
    for (const count of [1, 5, 9, 100]) {
      const merged = mergeLargest(lists, count);
      const expected = whole.slice(Math.max(0, whole.length - count));
      expect(merged).toEqual(expected);
      expect(signs(merged)).toEqual(signs(expected));
      const one = mergeLargest([whole], count);
      expect(signs(one)).toEqual(signs(expected));
      expect(one.buffer).not.toBe(whole.buffer);
    }
  });

  it("histogram of the parts is the histogram of the whole", () => {
    expect(histogram(parts, 40)).toEqual(histogram(all, 40));
    expect(() => histogram([new Float64Array(0)], 5)).toThrow(InputError);
    expect(pathOf(() => histogram([all, new Float64Array([1, NaN])], 5))).toBe("losses[1][1]");
  });
});

describe("mergeWorst", () => {
  it("merging each part's worst gives worstIndices of the whole, ties across parts included, for any split", () => {
    const rnd = prng(31);
    // Few distinct values: many ties, which straddle the parts.
    const all = Float64Array.from({ length: 20_000 }, () => Math.floor(rnd() * 200) - 50);
    for (const count of [1, 250, 5_000]) {
      const want = worstIndices(all, count);
      for (const cuts of [[0, 20_000], [0, 7_001, 20_000], [0, 3, 9_999, 10_000, 15_500, 20_000]]) {
        const parts = cuts.slice(1).map((end, j) => {
          const start = cuts[j]!;
          const local = worstIndices(all.subarray(start, end), count);
          return { indices: local.map((i) => start + i), losses: local.map((i) => all[start + i]!) };
        });
        const merged = mergeWorst(parts.reverse(), count);
        expect(merged.indices).toEqual(want);
        expect(merged.losses).toEqual(want.map((i) => all[i]!));
      }
    }
  });

  const list = (indices: number[], losses: number[]): WorstLosses => ({ indices: Float64Array.from(indices), losses: Float64Array.from(losses) });

  it("returns fewer when the parts hold fewer", () => {
    expect(mergeWorst([list([4], [1]), list([], [])], 3)).toEqual(list([4], [1]));
  });

  it("takes a count as a bound: none for 0 or NaN, a fraction rounded up, all for Infinity", () => {
    const lists = [list([2, 0], [5, 3]), list([1], [4])];
    expect(mergeWorst(lists, 0)).toEqual(list([], []));
    expect(mergeWorst(lists, NaN)).toEqual(list([], []));
    expect(mergeWorst(lists, 1.5)).toEqual(list([2, 1], [5, 4]));
    expect(mergeWorst(lists, Infinity)).toEqual(list([2, 1, 0], [5, 4, 3]));
  });
});
