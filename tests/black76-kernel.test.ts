// The WASM batch kernel black76GreeksF64x2Soa (assembly/black76.ts) against the
// scalar JS reference black76() (src/math/black76.ts), column by column.
import { prng as mulberry32 } from "./fixtures/synthetic.js";
import { describe, expect, it } from "vitest";
import { black76, type Black76Greeks } from "../src/math/black76.js";
import { heap, reserve, wasm } from "./helpers/wasm-raw.js";

interface Case {
  f: number;
  k: number;
  t: number;
  vol: number;
  rate: number;
  phi: 1 | -1;
}
const COLUMNS = ["price", "delta", "gamma", "vega", "theta", "coinValue", "coinDelta"] as const;
const GUARD = 8; // f64 slots after the output that the kernel must not touch

/** Runs the kernel on `cases` laid out as the kernel documents: SoA columns of stride n rounded up to even. */
function runKernel(cases: Case[]): Black76Greeks[] {
  const n = cases.length;
  const stride = (n + 1) & ~1;
  const mem = reserve((13 * stride + GUARD) * 8);
  const base = heap / 8;
  mem.fill(0, base, base + 13 * stride + GUARD);
  cases.forEach((c, i) => {
    [c.f, c.k, c.t, c.vol, c.rate, c.phi].forEach((v, j) => (mem[base + j * stride + i] = v));
  });
  const col = (j: number) => heap + j * stride * 8;
  mem.fill(12345, base + 13 * stride, base + 13 * stride + GUARD);
  wasm.black76GreeksF64x2Soa(n, col(0), col(1), col(2), col(3), col(4), col(5), col(6));
  const out = new Float64Array(wasm.memory.buffer);
  for (let g = 0; g < GUARD; g++) expect(out[base + 13 * stride + g], "kernel wrote past its 7 output columns").toBe(12345);
  return cases.map((_, i) => {
    const r = {} as Black76Greeks;
    COLUMNS.forEach((name, j) => (r[name] = out[base + (6 + j) * stride + i]!));
    return r;
  });
}

const reference = (c: Case) => black76({ forward: c.f, strike: c.k, time: c.t, vol: c.vol, rate: c.rate, phi: c.phi });

/** Random cases: F log-uniform 1..200000, ln(K/F) in [-2.5, 2.5], T log-uniform 1e-4..5, σ log-uniform 0.01..3. */
function randomCases(seed: number, n: number): Case[] {
  const rnd = mulberry32(seed);
  const logUniform = (lo: number, hi: number) => lo * Math.exp(rnd() * Math.log(hi / lo));
  return Array.from({ length: n }, () => {
    const f = logUniform(1, 200_000);
    return {
      f,
      k: f * Math.exp(-2.5 + 5 * rnd()),
      t: logUniform(1e-4, 5),
      vol: logUniform(0.01, 3),
      rate: -0.02 + 0.12 * rnd(),
      phi: rnd() < 0.5 ? 1 : -1,
    };
  });
}

// Tolerances. The kernel and the reference evaluate the same formulas; they
// differ only by the elementary functions (exp ≤ 2 ulp, log ≤ 1 ulp, N within
// the bounds of tests/math.test.ts) and rounding order. Hence:
// - price: the stated requirement, 1e-12·F absolute, and 1e-9 relative where
//   price > 1e-6·F. (F·N(d1) − K·N(d2) is first-order insensitive to an error in
//   d1, and N has absolute error ≤ 2.3e-16, so |Δprice| ≲ 1e-14·F; measured 4e-15·F.)
// - delta = DF·φ·N(φ·d1): 1e-15 absolute, 1e-12 relative where |delta| > 1e-6
//   (then |d1| < 4.8, N is within 1e-14 relative and d1 within a few ulp).
// - gamma, vega and the decay term of theta carry the Gaussian e^{-d1²/2}: an
//   error δ in d1 (a few ulp of d1, from log and division) moves it by a
//   relative d1·δ ≈ d1²·ε, so the relative tolerance is 4e-15·(1 + d1²)
//   (measured ≤ 6e-16·(1 + d1²) on 200,000 cases), plus an absolute floor of
//   1e-300 of the at-the-money value where e^{-d1²/2} is subnormal.
// - theta = r·price − decay: |r| times the price tolerance plus the decay tolerance.
// - coinValue = price/F and coinDelta = delta − coinValue inherit price/F and delta.
function tolerances(c: Case, ref: Black76Greeks): Record<(typeof COLUMNS)[number], number> {
  const df = Math.exp(-c.rate * c.t);
  const sqrtT = Math.sqrt(c.t);
  const sv = c.vol * sqrtT;
  const d1 = sv > 0 ? Math.log(c.f / c.k) / sv + 0.5 * sv : 0;
  const pdf0 = 0.3989422804014327 * df;
  const gaussRel = 4e-15 * (1 + d1 * d1);
  const priceTol = Math.min(1e-12 * c.f, ref.price > 1e-6 * c.f ? 1e-9 * ref.price : Infinity);
  const delta = Math.min(1e-15, Math.abs(ref.delta) > 1e-6 ? 1e-12 * Math.abs(ref.delta) : Infinity);
  const decay = Math.abs(c.rate * ref.price - ref.theta);
  const decayScale = sv > 0 ? (pdf0 * c.f * c.vol) / (2 * sqrtT) : 0;
  return {
    price: priceTol,
    delta,
    gamma: gaussRel * ref.gamma + 1e-300 * (sv > 0 ? pdf0 / (c.f * sv) : 0),
    vega: gaussRel * ref.vega + 1e-300 * pdf0 * c.f * sqrtT,
    theta: Math.abs(c.rate) * priceTol + gaussRel * decay + 1e-300 * decayScale + 1e-15 * Math.abs(ref.theta),
    coinValue: priceTol / c.f,
    coinDelta: priceTol / c.f + delta,
  };
}

interface Failure {
  column: string;
  c: Case;
  got: number;
  want: number;
  tol: number;
}
function compare(cases: Case[], got: Black76Greeks[]): Failure[] {
  const failures: Failure[] = [];
  cases.forEach((c, i) => {
    const want = reference(c);
    const tol = tolerances(c, want);
    for (const column of COLUMNS) {
      const g = got[i]![column];
      const w = want[column];
      if (!(Math.abs(g - w) <= tol[column])) failures.push({ column, c, got: g, want: w, tol: tol[column] });
    }
  });
  return failures;
}
const show = (f: Failure[]) => JSON.stringify(f.slice(0, 5), null, 1);

describe("black76GreeksF64x2Soa against the scalar reference black76()", () => {
  it.each([
    [5001, 1],
    [5000, 2],
    [20_001, 3],
    [1, 4],
    [2, 5],
    [3, 6],
  ])("all seven columns match the reference within tolerance on %i random calls and puts (seed %i)", (n, seed) => {
    const cases = randomCases(seed, n);
    const failures = compare(cases, runKernel(cases));
    expect(failures.length, show(failures)).toBe(0);
  });

  it("the price is within 1e-12·F absolute everywhere and 1e-9 relative where price > 1e-6·F", () => {
    const cases = randomCases(7, 20_000);
    const got = runKernel(cases);
    let absWorst = 0;
    let relWorst = 0;
    let relCount = 0;
    cases.forEach((c, i) => {
      const want = reference(c).price;
      const e = Math.abs(got[i]!.price - want);
      absWorst = Math.max(absWorst, e / c.f);
      if (want > 1e-6 * c.f) {
        relWorst = Math.max(relWorst, e / want);
        relCount++;
      }
    });
    expect(relCount).toBeGreaterThan(10_000);
    expect(absWorst).toBeLessThanOrEqual(1e-12);
    expect(relWorst).toBeLessThanOrEqual(1e-9);
  });

  it("the odd trailing case of a batch is computed like any other (n odd: pad lane ignored)", () => {
    const cases = randomCases(8, 7);
    const all = runKernel(cases);
    const last = runKernel(cases.slice(6));
    const pairs = runKernel([cases[6]!, cases[6]!]);
    expect(all[6]).toStrictEqual(last[0]);
    expect(pairs[0]).toStrictEqual(last[0]);
    expect(pairs[1]).toStrictEqual(last[0]);
  });
});

describe("black76GreeksF64x2Soa edge cases", () => {
  const grid = (ts: number[], vols: number[]): Case[] => {
    const out: Case[] = [];
    for (const t of ts) {
      for (const vol of vols) {
        for (const k of [50, 100, 150]) {
          for (const phi of [1, -1] as const) out.push({ f: 100, k, t, vol, rate: 0.05, phi });
        }
      }
    }
    return out;
  };

  it("at T = 0 or σ = 0 the price is the discounted intrinsic value, delta the discounted step, gamma and vega 0", () => {
    const cases = grid([0, 0.5, 2], [0, 0.4]).filter((c) => c.t === 0 || c.vol === 0);
    const got = runKernel(cases);
    cases.forEach((c, i) => {
      const df = Math.exp(-c.rate * c.t);
      const intrinsic = Math.max(c.phi * (c.f - c.k), 0);
      const g = got[i]!;
      const where = JSON.stringify(c);
      expect(Math.abs(g.price - df * intrinsic), where).toBeLessThanOrEqual(1e-12 * c.f);
      expect(Math.abs(g.delta - (intrinsic > 0 ? df * c.phi : 0)), where).toBeLessThanOrEqual(1e-15);
      expect(g.gamma, where).toBe(0);
      expect(g.vega, where).toBe(0);
      expect(Math.abs(g.theta - c.rate * df * intrinsic), where).toBeLessThanOrEqual(1e-12 * c.f);
      expect(Math.abs(g.coinValue - (df * intrinsic) / c.f), where).toBeLessThanOrEqual(1e-15);
    });
    expect(compare(cases, got)).toStrictEqual([]);
  });

  it("deep in and out of the money (|ln K/F| = 5) every column is finite, matches the reference, price ≥ discounted intrinsic", () => {
    const rnd = mulberry32(9);
    const cases: Case[] = [];
    for (let i = 0; i < 2000; i++) {
      const f = 1 + 199_999 * rnd();
      cases.push({
        f,
        k: f * Math.exp(rnd() < 0.5 ? -5 : 5),
        t: 1e-4 * Math.exp(rnd() * Math.log(5e4)),
        vol: 0.01 * Math.exp(rnd() * Math.log(300)),
        rate: -0.02 + 0.12 * rnd(),
        phi: rnd() < 0.5 ? 1 : -1,
      });
    }
    const got = runKernel(cases);
    got.forEach((g, i) => {
      const c = cases[i]!;
      for (const column of COLUMNS) expect(Number.isFinite(g[column]), `${column} ${JSON.stringify(c)}`).toBe(true);
      const intrinsic = Math.exp(-c.rate * c.t) * Math.max(c.phi * (c.f - c.k), 0);
      expect(g.price, JSON.stringify(c)).toBeGreaterThanOrEqual(intrinsic - 1e-12 * c.f);
    });
    const failures = compare(cases, got);
    expect(failures.length, show(failures)).toBe(0);
  });

  it("put-call parity C − P = e^{-rT}·(F − K) holds to 1e-12·F on the kernel output", () => {
    const calls = randomCases(10, 10_001).map((c) => ({ ...c, phi: 1 as const }));
    calls.push(...grid([0, 1e-4, 1], [0, 0.01, 3]).map((c) => ({ ...c, phi: 1 as const })));
    for (const lnKF of [-5, 5]) calls.push({ f: 100, k: 100 * Math.exp(lnKF), t: 1, vol: 0.5, rate: 0.03, phi: 1 });
    const puts = calls.map((c) => ({ ...c, phi: -1 as const }));
    const c = runKernel(calls);
    const p = runKernel(puts);
    let worst = 0;
    let at: Case | undefined;
    calls.forEach((o, i) => {
      const e = Math.abs(c[i]!.price - p[i]!.price - Math.exp(-o.rate * o.t) * (o.f - o.k)) / o.f;
      if (e > worst) [worst, at] = [e, o];
      // Delta parity: Δc − Δp = DF.
      expect(Math.abs(c[i]!.delta - p[i]!.delta - Math.exp(-o.rate * o.t)), JSON.stringify(o)).toBeLessThanOrEqual(
        o.t === 0 || o.vol === 0 ? Infinity : 1e-15,
      );
    });
    expect(worst, JSON.stringify(at)).toBeLessThanOrEqual(1e-12);
  });

  // Regression: |d1| > 3.37e39 once overflowed the CDF's rational to Inf/Inf = NaN.
  it("a vanishing but positive σ√T (σ = 1e-40, T = 1) gives the discounted intrinsic value", () => {
    const cases: Case[] = [
      { f: 100, k: 50, t: 1, vol: 1e-40, rate: 0.05, phi: 1 },
      { f: 100, k: 150, t: 1, vol: 1e-40, rate: 0.05, phi: -1 },
    ];
    const got = runKernel(cases);
    expect(compare(cases, got)).toStrictEqual([]);
  });
});
