import { describe, expect, it } from "vitest";
import { PmarginError } from "../src/errors.js";
import { nearestCorrelation, prepareCorrelation, subCorrelation } from "../src/math/correlation.js";
import { cholesky, symmetricEigen } from "../src/math/linear-algebra.js";
import { prng } from "./fixtures/synthetic.js";
import { expectInputError } from "./schema/helpers.js";

const flat = (rows: number[][]): Float64Array => Float64Array.from(rows.flat());

/** C = A·Bᵀ for n×n row-major matrices. */
function timesTransposed(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += a[i * n + k]! * b[j * n + k]!;
      c[i * n + j] = sum;
    }
  }
  return c;
}

function transpose(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j]!;
  return t;
}

const maxAbsDiff = (a: Float64Array, b: Float64Array): number => Math.max(0, ...a.map((x, i) => Math.abs(x - b[i]!)));
const frobeniusDistance = (a: Float64Array, b: Float64Array): number => Math.hypot(...a.map((x, i) => x - b[i]!));
const minEigenvalue = (a: Float64Array, n: number): number => symmetricEigen(a, n).values[0]!;

function randomSymmetric(n: number, random: () => number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = 2 * random() - 1;
  return a;
}

/** A valid correlation matrix from a symmetric one: eigenvalues clipped at 0, then scaled to a unit diagonal. */
function toCorrelation(a: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(a, n);
  const clipped = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) clipped[i * n + k] = vectors[i * n + k]! * Math.max(values[k]!, 0);
  const psd = timesTransposed(clipped, vectors, n);
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) c[i * n + j] = i === j ? 1 : psd[i * n + j]! / Math.sqrt(psd[i * n + i]! * psd[j * n + j]!);
  }
  return c;
}

function expectCorrelationMatrix(c: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    expect(c[i * n + i]).toBe(1);
    for (let j = 0; j < n; j++) expect(c[i * n + j]).toBe(c[j * n + i]);
  }
  expect(minEigenvalue(c, n)).toBeGreaterThan(0);
}

describe("symmetricEigen", () => {
  it("reconstructs random symmetric matrices as V·diag(λ)·Vᵀ with orthonormal V, eigenvalues ascending", () => {
    const random = prng(7);
    for (const n of [1, 2, 3, 5, 10, 30]) {
      const a = randomSymmetric(n, random);
      const { values, vectors } = symmetricEigen(a, n);
      const scaled = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) scaled[i * n + k] = vectors[i * n + k]! * values[k]!;
      expect(maxAbsDiff(timesTransposed(scaled, vectors, n), a)).toBeLessThan(1e-12);
      const vt = transpose(vectors, n);
      const identity = new Float64Array(n * n).map((_, i) => (i % (n + 1) === 0 ? 1 : 0));
      expect(maxAbsDiff(timesTransposed(vt, vt, n), identity)).toBeLessThan(1e-12);
      for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]!);
    }
  });

  it("finds the eigenvalues 1 and 3 of [[2,1],[1,2]]", () => {
    const { values } = symmetricEigen(flat([[2, 1], [1, 2]]), 2);
    expect(Math.abs(values[0]! - 1)).toBeLessThan(1e-15);
    expect(Math.abs(values[1]! - 3)).toBeLessThan(1e-15);
  });

  it("finds the eigenvalues 2 − √2, 2, 2 + √2 of the tridiagonal [[2,1,0],[1,2,1],[0,1,2]]", () => {
    const { values } = symmetricEigen(flat([[2, 1, 0], [1, 2, 1], [0, 1, 2]]), 3);
    expect(maxAbsDiff(values, Float64Array.of(2 - Math.SQRT2, 2, 2 + Math.SQRT2))).toBeLessThan(1e-14);
  });

  it("leaves its argument untouched", () => {
    const a = flat([[2, 1], [1, 2]]);
    symmetricEigen(a, 2);
    expect(Array.from(a)).toEqual([2, 1, 1, 2]);
  });
});

describe("cholesky", () => {
  it("returns a lower-triangular L with L·Lᵀ = A for a positive definite A", () => {
    const random = prng(11);
    for (const n of [1, 4, 20]) {
      // B·Bᵀ + n·I is safely positive definite.
      const b = randomSymmetric(n, random);
      const a = timesTransposed(b, b, n);
      for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + n;
      const l = cholesky(a, n)!;
      expect(l).not.toBeNull();
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
      expect(maxAbsDiff(timesTransposed(l, l, n), a)).toBeLessThan(1e-12 * n);
    }
  });

  it("returns null for an indefinite matrix", () => {
    expect(cholesky(flat([[1, 2], [2, 1]]), 2)).toBeNull();
  });

  it("returns null for a singular matrix, and when a pivot is not above the tolerance", () => {
    expect(cholesky(flat([[1, 1], [1, 1]]), 2)).toBeNull();
    expect(cholesky(flat([[1, 0.9], [0.9, 1]]), 2, 0.2)).toBeNull();
    expect(cholesky(flat([[1, 0.9], [0.9, 1]]), 2, 0.1)).not.toBeNull();
  });
});

describe("nearestCorrelation on Higham's example", () => {
  // Higham (2002), §4: A = [[1,1,0],[1,1,1],[0,1,1]] is not PSD (eigenvalues 1 − √2, 1, 1 + √2).
  const a = flat([[1, 1, 0], [1, 1, 1], [0, 1, 1]]);
  const { matrix: x, iterations } = nearestCorrelation(a, 3);

  it("reproduces the paper's nearest correlation matrix to its 4 decimals", () => {
    const paper = flat([[1, 0.7607, 0.1573], [0.7607, 1, 0.7607], [0.1573, 0.7607, 1]]);
    expect(maxAbsDiff(x, paper)).toBeLessThan(1e-4);
    expect(iterations).toBeGreaterThan(1);
  });

  it("matches the exact solution within the eigenvalue floor: x₁₂ = x₂₃ = s with 4s³ − s − 1 = 0 and x₁₃ = 2s² − 1", () => {
    // The solution is singular with the same symmetry as A; minimising 4(1 − s)² + 2x₁₃²
    // on the boundary det = 0 of the PSD set gives this cubic.
    let s = 0.75;
    for (let k = 0; k < 50; k++) s -= (4 * s ** 3 - s - 1) / (12 * s ** 2 - 1);
    expect(Math.abs(x[1]! - s)).toBeLessThan(1e-7);
    expect(Math.abs(x[5]! - s)).toBeLessThan(1e-7);
    expect(Math.abs(x[2]! - (2 * s * s - 1))).toBeLessThan(1e-7);
  });

  it("is symmetric, has a unit diagonal and eigenvalues at or above the 1e-8 floor", () => {
    expectCorrelationMatrix(x, 3);
    expect(minEigenvalue(x, 3)).toBeGreaterThan(1e-8 - 1e-11);
  });

  it("is closer to A than other correlation matrices: perturbations of itself, shrinkage towards I, I", () => {
    const best = frobeniusDistance(x, a);
    const random = prng(3);
    const others: Float64Array[] = [new Float64Array(9).map((_, i) => (i % 4 === 0 ? 1 : 0))];
    // (1 − t)·A + t·I is PSD from t = 1 − 1/√2.
    for (const t of [1 - Math.SQRT1_2, 0.4, 0.6]) others.push(a.map((v, i) => (i % 4 === 0 ? 1 : (1 - t) * v)));
    for (const size of [1e-3, 1e-2, 0.1]) {
      for (let k = 0; k < 20; k++) {
        const perturbation = randomSymmetric(3, random);
        others.push(toCorrelation(x.map((v, i) => v + size * perturbation[i]!), 3));
      }
    }
    for (const other of others) {
      expect(minEigenvalue(other, 3)).toBeGreaterThan(-1e-12);
      expect(frobeniusDistance(other, a)).toBeGreaterThan(best);
    }
  });

  it("leaves its argument untouched", () => {
    expect(Array.from(a)).toEqual([1, 1, 0, 1, 1, 1, 0, 1, 1]);
  });

  it("throws a PmarginError instead of returning an unconverged matrix", () => {
    expect(() => nearestCorrelation(a, 3, { maxIterations: 2 })).toThrow(PmarginError);
    expect(() => nearestCorrelation(a, 3, { maxIterations: 2 })).toThrow(/did not converge/);
  });
});

describe("prepareCorrelation", () => {
  const crypto = {
    underlyings: ["BTC", "ETH", "SOL"],
    matrix: [
      [1, 0.9, 0.9],
      [0.9, 1, -0.5],
      [0.9, -0.5, 1],
    ],
  };

  it("returns a positive definite matrix unchanged, with no repair, and its Cholesky factor", () => {
    const input = { underlyings: ["BTC", "ETH", "SOL"], matrix: [[1, 0.8, 0.6], [0.8, 1, 0.7], [0.6, 0.7, 1]] };
    const c = prepareCorrelation(input);
    expect(c.underlyings).toEqual(input.underlyings);
    expect(Array.from(c.matrix)).toEqual(input.matrix.flat());
    expect(c.repair).toBeUndefined();
    expect(maxAbsDiff(timesTransposed(c.factor, c.factor, 3), c.matrix)).toBeLessThan(1e-15);
  });

  it("accepts a single underlying", () => {
    const c = prepareCorrelation({ underlyings: ["BTC"], matrix: [[1]] });
    expect(Array.from(c.factor)).toEqual([1]);
    expect(c.repair).toBeUndefined();
  });

  it("cleans up a diagonal and an asymmetry within 1e-12 without calling it a repair", () => {
    const c = prepareCorrelation({ underlyings: ["A", "B"], matrix: [[1 + 5e-13, 0.5], [0.5 + 4e-13, 1 - 5e-13]] });
    expect(c.matrix[0]).toBe(1);
    expect(c.matrix[3]).toBe(1);
    expect(c.matrix[1]).toBe(c.matrix[2]);
    expect(Math.abs(c.matrix[1]! - 0.5)).toBeLessThan(1e-12);
    expect(c.repair).toBeUndefined();
  });

  it("repairs an indefinite crypto matrix (BTC/ETH 0.9, BTC/SOL 0.9, ETH/SOL −0.5) and reports the change", () => {
    expect(minEigenvalue(flat(crypto.matrix), 3)).toBeLessThan(0);
    const c = prepareCorrelation(crypto);
    expect(c.repair).toBeDefined();
    const repair = c.repair!;
    expect(repair.minEigenvalueBefore).toBeLessThan(0);
    expect(Math.abs(repair.minEigenvalueBefore - minEigenvalue(flat(crypto.matrix), 3))).toBeLessThan(1e-14);
    expect(repair.frobeniusChange).toBeGreaterThan(0);
    expect(Math.abs(repair.frobeniusChange - frobeniusDistance(c.matrix, flat(crypto.matrix)))).toBeLessThan(1e-15);
    expect(repair.maxAbsChange).toBe(maxAbsDiff(c.matrix, flat(crypto.matrix)));
    expect(repair.iterations).toBeGreaterThan(0);
    expectCorrelationMatrix(c.matrix, 3);
    expect(maxAbsDiff(timesTransposed(c.factor, c.factor, 3), c.matrix)).toBeLessThan(1e-12);
    expect(c.matrix).toEqual(nearestCorrelation(flat(crypto.matrix), 3).matrix);
  });

  it("does not modify its input", () => {
    const copy = structuredClone(crypto);
    prepareCorrelation(crypto);
    expect(crypto).toEqual(copy);
  });

  it("repairs a singular but PSD matrix (perfectly correlated, all ones) with a tiny change", () => {
    const c = prepareCorrelation({ underlyings: ["A", "B", "C"], matrix: [[1, 1, 1], [1, 1, 1], [1, 1, 1]] });
    const repair = c.repair!;
    expect(Math.abs(repair.minEigenvalueBefore)).toBeLessThan(1e-14);
    expect(repair.frobeniusChange).toBeGreaterThan(0);
    expect(repair.frobeniusChange).toBeLessThan(1e-7);
    expect(repair.maxAbsChange).toBeLessThan(1e-7);
    expectCorrelationMatrix(c.matrix, 3);
    expect(maxAbsDiff(timesTransposed(c.factor, c.factor, 3), c.matrix)).toBeLessThan(1e-12);
  });

  it("repairs a random indefinite 40×40 matrix into a factorisable correlation matrix", () => {
    const n = 40;
    const a = randomSymmetric(n, prng(5));
    const rows = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : a[i * n + j]!)));
    const c = prepareCorrelation({ underlyings: rows.map((_, i) => `U${i}`), matrix: rows });
    expect(c.repair!.minEigenvalueBefore).toBeLessThan(0);
    expectCorrelationMatrix(c.matrix, n);
    expect(maxAbsDiff(timesTransposed(c.factor, c.factor, n), c.matrix)).toBeLessThan(1e-12);
  });

  describe("names the field of invalid input", () => {
    const two = (matrix: unknown[][], underlyings = ["BTC", "ETH"]) => () => prepareCorrelation({ underlyings, matrix: matrix as number[][] });

    it("no underlyings", () => {
      expectInputError(two([], []), "correlation.underlyings", "at least one underlying");
    });

    it("an empty name", () => {
      expectInputError(two([[1, 0], [0, 1]], ["BTC", ""]), "correlation.underlyings[1]", "non-empty");
    });

    it("a duplicate name", () => {
      expectInputError(two([[1, 0], [0, 1]], ["BTC", "BTC"]), "correlation.underlyings[1]", "duplicate underlying BTC: underlyings[0]");
    });

    it("a missing row", () => {
      expectInputError(two([[1, 0]]), "correlation.matrix", "must be 2×2");
    });

    it("a short row", () => {
      expectInputError(two([[1, 0], [0]]), "correlation.matrix[1]", "must have 2 entries");
    });

    it("an asymmetric pair, at the first mirror entry that differs", () => {
      expectInputError(two([[1, 0.5], [0.4, 1]]), "correlation.matrix[1][0]", "symmetric: matrix[0][1] is 0.5, got 0.4");
    });

    it("a diagonal other than 1", () => {
      expectInputError(two([[1, 0], [0, 0.99]]), "correlation.matrix[1][1]", "the diagonal must be 1, got 0.99");
    });

    it("an entry outside [−1, 1]", () => {
      expectInputError(two([[1, 1.2], [1.2, 1]]), "correlation.matrix[0][1]", "[−1, 1], got 1.2");
    });

    it("NaN, infinities and non-numbers", () => {
      expectInputError(two([[1, NaN], [NaN, 1]]), "correlation.matrix[0][1]", "finite number, got NaN");
      expectInputError(two([[1, 0], [-Infinity, 1]]), "correlation.matrix[1][0]", "finite number, got -Infinity");
      expectInputError(two([[1, "0.5"], [0.5, 1]]), "correlation.matrix[0][1]", "finite number");
    });

    it("under a caller's path", () => {
      expectInputError(() => prepareCorrelation({ underlyings: ["A"], matrix: [[2]] }, "model.correlation"), "model.correlation.matrix[0][0]", "the diagonal must be 1, got 2");
    });
  });
});

describe("subCorrelation", () => {
  const full = prepareCorrelation({
    underlyings: ["BTC", "ETH", "SOL", "XRP"],
    matrix: [
      [1, 0.8, 0.7, 0.5],
      [0.8, 1, 0.75, 0.4],
      [0.7, 0.75, 1, 0.3],
      [0.5, 0.4, 0.3, 1],
    ],
  });

  it("picks the sub-matrix in the order asked for, with a working factor", () => {
    const c = subCorrelation(full, ["XRP", "BTC", "SOL"]);
    expect(c.underlyings).toEqual(["XRP", "BTC", "SOL"]);
    expect(Array.from(c.matrix)).toEqual([1, 0.5, 0.3, 0.5, 1, 0.7, 0.3, 0.7, 1]);
    expect(c.repair).toBeUndefined();
    expect(maxAbsDiff(timesTransposed(c.factor, c.factor, 3), c.matrix)).toBeLessThan(1e-15);
  });

  it("of a repaired correlation is the repaired matrix's sub-matrix", () => {
    const repaired = prepareCorrelation({ underlyings: ["BTC", "ETH", "SOL"], matrix: [[1, 0.9, 0.9], [0.9, 1, -0.5], [0.9, -0.5, 1]] });
    const c = subCorrelation(repaired, ["ETH", "SOL"]);
    expect(c.matrix[1]).toBe(repaired.matrix[5]);
    expect(maxAbsDiff(timesTransposed(c.factor, c.factor, 2), c.matrix)).toBeLessThan(1e-15);
  });

  it("refuses an unknown name, a duplicate and an empty list", () => {
    expectInputError(() => subCorrelation(full, ["BTC", "DOGE"]), "correlation.underlyings", "has no DOGE (correlation covers BTC, ETH, SOL, XRP)");
    expectInputError(() => subCorrelation(full, ["BTC", "BTC"], "model.correlation"), "model.correlation.underlyings", "BTC is asked for twice");
    expectInputError(() => subCorrelation(full, []), "correlation.underlyings", "at least one underlying");
  });
});
