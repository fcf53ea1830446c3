// Small dense symmetric matrix helpers (n up to ~100) for correlation matrices.
// Matrices are row-major Float64Arrays: entry (i, j) of an n×n matrix is at [i·n + j].
import { PmarginError } from "../errors.js";

const MAX_SWEEPS = 100;

/**
 * Eigen-decomposition A = V·diag(values)·Vᵀ of a symmetric matrix by the cyclic
 * Jacobi method: accurate to working precision for small matrices and simple
 * enough to trust. Eigenvalues ascending; eigenvector k is column k of `vectors`.
 * `a` is not modified.
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a.subarray(0, n * n));
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let norm2 = 0;
  for (let i = 0; i < n * n; i++) norm2 += m[i]! * m[i]!;
  const tolerance = 1e-15 * Math.sqrt(norm2);

  for (let sweep = 0; ; sweep++) {
    let off2 = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off2 += 2 * m[p * n + q]! * m[p * n + q]!;
    // Written so that a NaN never passes for convergence.
    if (Math.sqrt(off2) <= tolerance) break;
    if (sweep === MAX_SWEEPS) throw new PmarginError(`symmetricEigen: Jacobi did not converge in ${MAX_SWEEPS} sweeps (off-diagonal norm ${Math.sqrt(off2)})`);
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        // Rotation zeroing (p, q): t = tan θ is the smaller root of t² + 2τt − 1 = 0
        // (Golub & Van Loan, sym.schur2); hypot avoids overflow for huge τ.
        const tau = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.hypot(1, tau));
        const c = 1 / Math.hypot(1, t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i * n + i]! - m[j * n + j]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = m[from * n + from]!;
    for (let k = 0; k < n; k++) vectors[k * n + to] = v[k * n + from]!;
  });
  return { values, vectors };
}

/**
 * Cholesky factor of a symmetric matrix: lower-triangular L with L·Lᵀ = A, reading
 * only the lower triangle of `a`. Null when a pivot is ≤ tolerance (or NaN), i.e. A
 * is not positive definite by that margin.
 */
export function cholesky(a: Float64Array, n: number, tolerance = 0): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let pivot = a[j * n + j]!;
    for (let k = 0; k < j; k++) pivot -= l[j * n + k]! * l[j * n + k]!;
    if (!(pivot > tolerance)) return null;
    const d = Math.sqrt(pivot);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = sum / d;
    }
  }
  return l;
}
