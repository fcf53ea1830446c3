// The random-number kernels of assembly/random.ts (Philox4x32-10, Box–Muller,
// Marsaglia–Tsang), called through the raw exports of build/pmargin.wasm:
// Random123's known answers, bit identity with the JS reference
// (src/reference/random.ts), independence from how paths are split into calls,
// the accuracy of the sin/cos polynomials, and the distributions. Statistical
// checks use fixed seeds, so they are deterministic; their bounds are stated
// in standard errors. Set RANDOM_REPORT=1 to print the measured figures.
import erfc from "@stdlib/math-base-special-erfc";
import { afterAll, describe, expect, it } from "vitest";
import type { Kernels } from "../src/engine/wasm.js";
import {
  cosSin2PiReference, gammaReference, normalsReference, philox4x32, uniformsReference,
} from "../src/reference/random.js";
import { prng } from "./fixtures/synthetic.js";
import { heap, reserve, wasm } from "./helpers/wasm-raw.js";
import { ulpDistance } from "./helpers/ulp.js";

const k = wasm as unknown as Pick<Kernels, "normalsF64x2Soa" | "uniformsF64x2Soa" | "gammaF64Soa">;
const measured: Record<string, number> = {};
afterAll(() => {
  if (process.env.RANDOM_REPORT) console.table(measured);
});

// ------------------------------------------------------------------ helpers

const SENTINEL = -12345.678;
const GUARD = 4; // sentinel doubles on each side of the output

/**
 * Runs `fill(out)` on a fresh output of n doubles at heap + 32 (16-byte aligned),
 * fenced by sentinels; throws if the kernel wrote outside [out, out + n) or left
 * any of the n doubles unwritten. Returns a copy of the output.
 */
function fenced(n: number, fill: (out: number) => void): Float64Array {
  const base = heap / 8;
  reserve((n + 2 * GUARD) * 8).fill(SENTINEL, base, base + n + 2 * GUARD);
  fill(heap + GUARD * 8);
  const mem = new Float64Array(wasm.memory.buffer);
  for (let g = 0; g < GUARD; g++) {
    if (mem[base + g] !== SENTINEL || mem[base + GUARD + n + g] !== SENTINEL) throw new Error(`wrote outside the ${n} doubles`);
  }
  const out = mem.slice(base + GUARD, base + GUARD + n);
  const unwritten = out.indexOf(SENTINEL);
  if (unwritten >= 0) throw new Error(`left double ${unwritten} of ${n} unwritten`);
  return out;
}

type Fill = "normalsF64x2Soa" | "uniformsF64x2Soa";
const fillReference = { normalsF64x2Soa: normalsReference, uniformsF64x2Soa: uniformsReference } as const;

function draws(kernel: Fill, seedLo: number, seedHi: number, stream: number, pathStart: number, nPaths: number, nDraws: number): Float64Array {
  return fenced(nPaths * nDraws, (out) => k[kernel](seedLo, seedHi, stream, pathStart, nPaths, nDraws, out, 0));
}

function gammas(seedLo: number, seedHi: number, stream: number, pathStart: number, nPaths: number, shape: number): Float64Array {
  return fenced(nPaths, (out) => k.gammaF64Soa(seedLo, seedHi, stream, pathStart, nPaths, shape, out, 0));
}

/** Index of the first element whose bits differ (NaN payloads included), or -1. */
function firstBitDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

interface Moments { n: number; mean: number; variance: number; skewness: number; kurtosis: number }
/** Sample mean, variance and standardised third and fourth central moments (kurtosis in excess of 3). */
function moments(a: ArrayLike<number>): Moments {
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]!;
  const mean = s / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { n, mean, variance: m2, skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) - 3 };
}

/** Pearson correlation of x[i] and y[i]. */
function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = moments(x).mean, my = moments(y).mean;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Kolmogorov–Smirnov statistic of the sample against the continuous CDF. */
function ksStatistic(sample: Float64Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(sample).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]!);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}
/** KS critical value at significance 0.001 for large n. */
const ksCritical = (n: number): number => 1.9495 / Math.sqrt(n);

const normalCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);
/** Regularised lower incomplete gamma P(a, x) for a = 3/2, 2, 5/2 in closed form. */
function gammaCdf(a: number, x: number): number {
  if (x <= 0) return 0;
  const e = Math.exp(-x);
  if (a === 2) return 1 - e * (1 + x);
  const half = 1 - erfc(Math.sqrt(x)) - 2 * Math.sqrt(x / Math.PI) * e; // P(3/2, x)
  return a === 1.5 ? half : half - (4 / (3 * Math.sqrt(Math.PI))) * x ** 1.5 * e;
}

/** Row d (all paths) of an SoA output with nPaths columns. */
const row = (a: Float64Array, nPaths: number, d: number): Float64Array => a.subarray(d * nPaths, (d + 1) * nPaths);

// -------------------------------------------------------------------- Philox

describe("Philox4x32-10", () => {
  it("the JS reference reproduces Random123's known-answer vectors (kat_vectors, philox4x32 10)", () => {
    const hex = (w: number[]): string[] => w.map((x) => x.toString(16).padStart(8, "0"));
    expect(hex(philox4x32(0, 0, 0, 0, 0, 0))).toEqual(["6627e8d5", "e169c58d", "bc57ac4c", "9b00dbd8"]);
    expect(hex(philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff)))
      .toEqual(["408f276d", "41c83b0e", "a20bc7c6", "6d5451fd"]);
    expect(hex(philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0)))
      .toEqual(["d16cfe09", "94fdcceb", "5001e420", "24126ea1"]);
  });

  it("the WASM uniforms of counter 0, key 0 are the 52-bit fractions of the known answer 6627e8d5 e169c58d bc57ac4c 9b00dbd8", () => {
    const u = draws("uniformsF64x2Soa", 0, 0, 0, 0, 1, 2);
    expect(u[0]).toBe(((0x6627e8d5 >>> 12) * 2 ** 32 + 0xe169c58d + 0.5) * 2 ** -52);
    expect(u[1]).toBe(((0xbc57ac4c >>> 12) * 2 ** 32 + 0x9b00dbd8 + 0.5) * 2 ** -52);
  });

  it("uniform draw d of path p is built from philox4x32(p, d >> 1, stream, 0) under key (seedLo, seedHi)", () => {
    const nPaths = 11, nDraws = 6;
    const u = draws("uniformsF64x2Soa", 0xdeadbeef, 0x01234567, 9, 4_000_000_000, nPaths, nDraws);
    for (let d = 0; d < nDraws; d++) {
      for (let i = 0; i < nPaths; i++) {
        const w = philox4x32(4_000_000_000 + i, d >> 1, 9, 0, 0xdeadbeef, 0x01234567);
        const [hi, lo] = d & 1 ? [w[2], w[3]] : [w[0], w[1]];
        expect(u[d * nPaths + i]).toBe(((hi >>> 12) * 2 ** 32 + lo + 0.5) * 2 ** -52);
      }
    }
  });
});

// ------------------------------------------------------- WASM = JS reference

const SEEDS: [number, number][] = [[0, 0], [1, 0], [0, 1], [0xdeadbeef, 0x12345678], [0xffffffff, 0xffffffff]];
const SIZES: [number, number][] = [[1, 1], [2, 3], [3, 5], [5, 2], [6, 1], [7, 7], [13, 4], [1000, 6], [1001, 9]];

describe("WASM kernels equal the JS reference bit for bit", () => {
  for (const kernel of ["normalsF64x2Soa", "uniformsF64x2Soa"] as const) {
    it(`${kernel} for 5 seeds × 3 streams × 9 sizes (odd nPaths and nDraws), path indices wrapping past 2^32`, () => {
      let cases = 0;
      for (const [seedLo, seedHi] of SEEDS) {
        for (const stream of [0, 7, 0xffffffff]) {
          for (const [nPaths, nDraws] of SIZES) {
            const pathStart = [0, 123_456, 0xffffff00][cases % 3]!;
            const got = draws(kernel, seedLo, seedHi, stream, pathStart, nPaths, nDraws);
            const want = new Float64Array(nPaths * nDraws);
            fillReference[kernel](seedLo, seedHi, stream, pathStart, nPaths, nDraws, want);
            expect(firstBitDifference(got, want), `seed ${seedLo},${seedHi} stream ${stream} size ${nPaths}×${nDraws}`).toBe(-1);
            cases++;
          }
        }
      }
    });
  }

  it("gammaF64Soa for 5 seeds × shapes 1, 1.5, 2, 2.5, 7.3, 100 × 1, 3, 5, 1001 paths", () => {
    for (const [seedLo, seedHi] of SEEDS) {
      for (const shape of [1, 1.5, 2, 2.5, 7.3, 100]) {
        for (const nPaths of [1, 3, 5, 1001]) {
          const got = gammas(seedLo, seedHi, 3, 77, nPaths, shape);
          const want = new Float64Array(nPaths);
          gammaReference(seedLo, seedHi, 3, 77, nPaths, shape, want);
          expect(firstBitDifference(got, want), `seed ${seedLo},${seedHi} shape ${shape} n ${nPaths}`).toBe(-1);
        }
      }
    }
  });

  it("gammaF64Soa and the reference give NaN for shape 0.5, NaN and +Inf", () => {
    for (const shape of [0.5, NaN, Infinity]) {
      const want = new Float64Array(3);
      gammaReference(1, 2, 3, 0, 3, shape, want);
      expect([...gammas(1, 2, 3, 0, 3, shape)]).toEqual([NaN, NaN, NaN]);
      expect([...want]).toEqual([NaN, NaN, NaN]);
    }
  });
});

// --------------------------------------------------------------- chunking

describe("a draw depends only on (seed, stream, path, draw)", () => {
  const nPaths = 1000, nDraws = 5;
  const chunkings: number[][] = [[1], [2], [3], [4], [7], [333], [999], [1, 3, 7, 333]];

  /** Concatenates calls over consecutive chunks (sizes cycled) into one SoA array for paths [0, nPaths). */
  function chunked(sizes: number[], call: (start: number, n: number) => Float64Array, rows: number): Float64Array {
    const out = new Float64Array(nPaths * rows);
    for (let start = 0, c = 0; start < nPaths; c++) {
      const n = Math.min(sizes[c % sizes.length]!, nPaths - start);
      const part = call(start, n);
      for (let d = 0; d < rows; d++) out.set(part.subarray(d * n, (d + 1) * n), d * nPaths + start);
      start += n;
    }
    return out;
  }

  for (const kernel of ["normalsF64x2Soa", "uniformsF64x2Soa"] as const) {
    it(`${kernel}: paths [0, 1000) in one call equal the same paths in chunks of 1, 2, 3, 4, 7, 333, 999 and 1, 3, 7, 333, …`, () => {
      const whole = draws(kernel, 42, 43, 2, 0, nPaths, nDraws);
      for (const sizes of chunkings) {
        const parts = chunked(sizes, (start, n) => draws(kernel, 42, 43, 2, start, n, nDraws), nDraws);
        expect(firstBitDifference(parts, whole), `chunks ${sizes.join(",")}`).toBe(-1);
      }
    });
  }

  it("gammaF64Soa: paths [0, 1000) in one call equal the same paths in chunks", () => {
    const whole = gammas(42, 43, 2, 0, nPaths, 2.5);
    for (const sizes of chunkings) {
      expect(firstBitDifference(chunked(sizes, (start, n) => gammas(42, 43, 2, start, n, 2.5), 1), whole)).toBe(-1);
    }
  });

  it("the first draws of a path are the same whatever nDraws is (5 draws are a prefix of 8)", () => {
    const five = draws("normalsF64x2Soa", 5, 6, 1, 100, 37, 5);
    const eight = draws("normalsF64x2Soa", 5, 6, 1, 100, 37, 8);
    expect(firstBitDifference(five, eight.subarray(0, 5 * 37))).toBe(-1);
  });
});

// ------------------------------------------------------------ sin and cos

describe("cos 2πu and sin 2πu (reduction in u, fdlibm kernels)", () => {
  const TWO_PI = 6.283185307179586;
  const TWO_PI_LO = 2.4492935982947064e-16; // 2π − TWO_PI
  /** a·b = p + e exactly (Dekker, Veltkamp splitting; no fused multiply-add). */
  function twoProduct(a: number, b: number): [number, number] {
    const p = a * b;
    const split = (x: number): [number, number] => {
      const c = 134217729 * x;
      const h = c - (c - x);
      return [h, x - h];
    };
    const [ah, al] = split(a), [bh, bl] = split(b);
    return [p, ah * bh - p + ah * bl + al * bh + al * bl];
  }
  /** (cos θ, sin θ) for θ = q·π/2 + t from (cos t, sin t). */
  function quadrant(q: number, c: number, s: number): [number, number] {
    switch (q & 3) {
      case 0: return [c, s];
      case 1: return [-s, c];
      case 2: return [-c, -s];
      default: return [s, -c];
    }
  }

  // u = (m + 1/2)·2^-52: random 52-bit m, the ends of (0, 1), and both sides of every quarter turn.
  const rnd = prng(31);
  const us: number[] = [];
  for (let i = 0; i < 1000; i++) us.push((i + 0.5) * 2 ** -52, (2 ** 52 - 1 - i + 0.5) * 2 ** -52);
  for (let q = 1; q < 4; q++) for (let i = -2000; i < 2000; i++) us.push((q * 2 ** 50 + i + 0.5) * 2 ** -52);
  for (let q = 0; q < 4; q++) for (let i = -2000; i < 2000; i++) us.push((q * 2 ** 50 + 2 ** 49 + i + 0.5) * 2 ** -52);
  while (us.length < 1_000_000) us.push((Math.floor(rnd() * 2 ** 20) * 2 ** 32 + Math.floor(rnd() * 2 ** 32) + 0.5) * 2 ** -52);

  it("are within 1 ulp of Math.cos / Math.sin at the same reduced angle t = 2π(u − q/4), t rounded once", () => {
    let worst = 0;
    for (const u of us) {
      const q = Math.floor(4 * u + 0.5);
      const t = TWO_PI * (u - q / 4);
      const [c, s] = quadrant(q, Math.cos(t), Math.sin(t));
      const got = cosSin2PiReference(u);
      worst = Math.max(worst, ulpDistance(got.cos, c), ulpDistance(got.sin, s));
    }
    measured["cos/sin vs Math at the reduced angle (ulp)"] = worst;
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("are within 2 ulp of the true cos 2πu / sin 2πu (double-double angle, first-order correction)", () => {
    let worst = 0;
    for (const u of us) {
      const q = Math.floor(4 * u + 0.5);
      const d = u - q / 4;
      const [t, e] = twoProduct(TWO_PI, d);
      const dt = e + TWO_PI_LO * d; // 2πd − t
      const ct = Math.cos(t), st = Math.sin(t);
      const [c, s] = quadrant(q, ct - st * dt, st + ct * dt);
      const got = cosSin2PiReference(u);
      worst = Math.max(worst, ulpDistance(got.cos, c), ulpDistance(got.sin, s));
    }
    measured["cos/sin vs true value (ulp)"] = worst;
    expect(worst).toBeLessThanOrEqual(2);
  });
});

// ------------------------------------------------------------ distributions

const N = 1_000_000;

describe("uniforms", () => {
  const u = draws("uniformsF64x2Soa", 2024, 1, 0, 0, N / 4, 4);

  it("every uniform is an odd multiple of 2^-53 strictly inside (0, 1)", () => {
    let bad = 0;
    for (const x of u) {
      const m = x * 2 ** 53;
      if (!(x > 0 && x < 1 && Number.isInteger(m) && m % 2 === 1)) bad++;
    }
    expect(bad).toBe(0);
  });

  it("mean 1/2 and variance 1/12 within 4 standard errors over 10^6 draws", () => {
    const m = moments(u);
    measured["uniform mean − 1/2 (SE)"] = (m.mean - 0.5) / Math.sqrt(1 / 12 / N);
    measured["uniform variance − 1/12 (SE)"] = (m.variance - 1 / 12) / Math.sqrt(1 / 180 / N);
    expect(Math.abs(m.mean - 0.5)).toBeLessThanOrEqual(4 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThanOrEqual(4 * Math.sqrt(1 / 180 / N));
  });

  it("passes Kolmogorov–Smirnov against U(0, 1) at the 0.001 level", () => {
    const d = ksStatistic(u, (x) => x);
    measured["uniform KS D·√n"] = d * Math.sqrt(N);
    expect(d).toBeLessThan(ksCritical(N));
  });
});

describe("normals", () => {
  const nPaths = N / 4;
  const z = draws("normalsF64x2Soa", 2024, 1, 0, 0, nPaths, 4);

  it("mean 0, variance 1, skewness 0, excess kurtosis 0 within 4 standard errors over 10^6 draws", () => {
    const m = moments(z);
    measured["normal mean (SE)"] = m.mean / Math.sqrt(1 / N);
    measured["normal variance − 1 (SE)"] = (m.variance - 1) / Math.sqrt(2 / N);
    measured["normal skewness (SE)"] = m.skewness / Math.sqrt(6 / N);
    measured["normal excess kurtosis (SE)"] = m.kurtosis / Math.sqrt(24 / N);
    expect(Math.abs(m.mean)).toBeLessThanOrEqual(4 * Math.sqrt(1 / N));
    expect(Math.abs(m.variance - 1)).toBeLessThanOrEqual(4 * Math.sqrt(2 / N));
    expect(Math.abs(m.skewness)).toBeLessThanOrEqual(4 * Math.sqrt(6 / N));
    expect(Math.abs(m.kurtosis)).toBeLessThanOrEqual(4 * Math.sqrt(24 / N));
  });

  it("passes Kolmogorov–Smirnov against the standard normal CDF at the 0.001 level", () => {
    const d = ksStatistic(z, normalCdf);
    measured["normal KS D·√n"] = d * Math.sqrt(N);
    expect(d).toBeLessThan(ksCritical(N));
  });

  it("the two normals of a Box–Muller pair, consecutive pairs and adjacent paths are uncorrelated within 4 SE, and so are their squares", () => {
    const se = 1 / Math.sqrt(nPaths);
    const square = (a: Float64Array): Float64Array => a.map((x) => x * x);
    const checks: [string, Float64Array, Float64Array][] = [
      ["draws 0, 1 (one pair)", row(z, nPaths, 0), row(z, nPaths, 1)],
      ["draws 1, 2 (consecutive pairs)", row(z, nPaths, 1), row(z, nPaths, 2)],
      ["paths i, i + 1", row(z, nPaths, 0).subarray(0, nPaths - 1), row(z, nPaths, 0).subarray(1)],
    ];
    for (const [name, x, y] of checks) {
      const r = correlation(x, y);
      const r2 = correlation(square(x), square(y));
      measured[`corr ${name} (SE)`] = r / se;
      measured[`corr of squares ${name} (SE)`] = r2 / se;
      expect(Math.abs(r), name).toBeLessThanOrEqual(4 * se);
      expect(Math.abs(r2), `${name}, squares`).toBeLessThanOrEqual(4 * se);
    }
  });

  it("streams 0 and 1 of the same seed, paths and draws are uncorrelated within 4 SE", () => {
    const other = draws("normalsF64x2Soa", 2024, 1, 1, 0, nPaths, 4);
    const r = correlation(z, other);
    measured["corr stream 0, 1 (SE)"] = r * Math.sqrt(N);
    expect(Math.abs(r)).toBeLessThanOrEqual(4 / Math.sqrt(N));
  });
});

describe("gamma", () => {
  for (const nu of [3, 4, 5]) {
    const shape = nu / 2;
    it(`Gamma(${shape}) (half a χ²(${nu})) has mean and variance ${shape} within 4 SE and passes KS at 0.001, over 10^6 draws`, () => {
      const g = gammas(7, 8, 4, 0, N, shape);
      const m = moments(g);
      const seMean = Math.sqrt(shape / N);
      const seVar = Math.sqrt((2 * shape * shape + 6 * shape) / N);
      const d = ksStatistic(g, (x) => gammaCdf(shape, x));
      measured[`gamma ${shape} mean (SE)`] = (m.mean - shape) / seMean;
      measured[`gamma ${shape} variance (SE)`] = (m.variance - shape) / seVar;
      measured[`gamma ${shape} KS D·√n`] = d * Math.sqrt(N);
      expect(Math.abs(m.mean - shape)).toBeLessThanOrEqual(4 * seMean);
      expect(Math.abs(m.variance - shape)).toBeLessThanOrEqual(4 * seVar);
      expect(d).toBeLessThan(ksCritical(N));
    });
  }
});

describe("seeds and streams", () => {
  it("changing one bit of seedLo, one bit of seedHi, or the stream changes every one of 10^4 normals and leaves them uncorrelated", () => {
    const n = 10_000;
    const base = draws("normalsF64x2Soa", 0x1000, 0x2000, 5, 0, n / 2, 2);
    const variants: [string, Float64Array][] = [
      ["seedLo bit 0", draws("normalsF64x2Soa", 0x1001, 0x2000, 5, 0, n / 2, 2)],
      ["seedHi bit 31", draws("normalsF64x2Soa", 0x1000, 0x80002000, 5, 0, n / 2, 2)],
      ["stream 5 → 4", draws("normalsF64x2Soa", 0x1000, 0x2000, 4, 0, n / 2, 2)],
    ];
    for (const [name, v] of variants) {
      let same = 0;
      for (let i = 0; i < n; i++) if (v[i] === base[i]) same++;
      expect(same, name).toBe(0);
      expect(Math.abs(correlation(base, v)), name).toBeLessThanOrEqual(4 / Math.sqrt(n));
    }
  });
});
