// Correlation matrices for the Monte Carlo model: validation, repair to the nearest
// correlation matrix when the input is not positive definite, and a Cholesky factor
// for sampling correlated normals.
import { expectObject, InputError, PmarginError } from "../errors.js";
import { cholesky, symmetricEigen } from "./linear-algebra.js";

export interface CorrelationInput {
  underlyings: string[];
  matrix: number[][];
}

export interface Correlation {
  underlyings: string[];
  /** The matrix used (repaired if needed), row-major n×n. */
  matrix: Float64Array;
  /** Lower-triangular factor L, row-major, with L·Lᵀ = matrix: correlated draws are L·z. */
  factor: Float64Array;
  /** Present when the input was not positive semi-definite (or not factorisable) and was replaced by the nearest correlation matrix. */
  repair?: { minEigenvalueBefore: number; frobeniusChange: number; maxAbsChange: number; iterations: number };
}

/** Input entries within this of symmetric / of a unit diagonal are rounding noise, and are cleaned up. */
const ENTRY_TOLERANCE = 1e-12;
/** Smallest Cholesky pivot accepted: below it the sampled draws would rest on a near-singular factor. */
const MIN_PIVOT = 1e-10;

/**
 * Validates a correlation matrix and factors it. A matrix that is not positive
 * definite enough to factor (indefinite, or singular such as perfectly correlated
 * assets) is replaced by its nearest correlation matrix, reported in `repair`.
 * `path` prefixes the field names of InputErrors.
 */
export function prepareCorrelation(input: CorrelationInput, path = "correlation"): Correlation {
  expectObject(input, path, "{ underlyings: [...], matrix: [[...]] }");
  const { underlyings, matrix } = input;
  if (!Array.isArray(underlyings)) throw new InputError(`${path}.underlyings`, "must be an array of underlying names");
  const n = underlyings.length;
  if (n < 1) throw new InputError(`${path}.underlyings`, "must name at least one underlying");
  const seen = new Map<string, number>();
  underlyings.forEach((name, i) => {
    if (typeof name !== "string" || name === "") throw new InputError(`${path}.underlyings[${i}]`, `must be a non-empty name, got ${JSON.stringify(name)}`);
    const first = seen.get(name);
    if (first !== undefined) throw new InputError(`${path}.underlyings[${i}]`, `duplicate underlying ${name}: underlyings[${first}] is also ${name}`);
    seen.set(name, i);
  });

  if (!Array.isArray(matrix) || matrix.length !== n) {
    const got = Array.isArray(matrix) ? `${matrix.length} rows` : typeof matrix;
    throw new InputError(`${path}.matrix`, `must be ${n}×${n}, one row per underlying, got ${got}`);
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = matrix[i];
    if (!Array.isArray(row) || row.length !== n) {
      const got = Array.isArray(row) ? `${row.length} entries` : typeof row;
      throw new InputError(`${path}.matrix[${i}]`, `must have ${n} entries, one per underlying, got ${got}`);
    }
    for (let j = 0; j < n; j++) {
      const x = row[j];
      const where = `${path}.matrix[${i}][${j}]`;
      if (typeof x !== "number" || !Number.isFinite(x)) throw new InputError(where, `must be a finite number, got ${x}`);
      if (i === j) {
        if (Math.abs(x - 1) > ENTRY_TOLERANCE) throw new InputError(where, `the diagonal must be 1, got ${x}`);
        a[i * n + i] = 1;
        continue;
      }
      if (x < -1 || x > 1) throw new InputError(where, `a correlation must be in [−1, 1], got ${x}`);
      if (j < i) {
        // Row j was validated already.
        const mirror = a[j * n + i]!;
        if (Math.abs(x - mirror) > ENTRY_TOLERANCE) {
          throw new InputError(where, `the matrix must be symmetric: matrix[${j}][${i}] is ${mirror}, got ${x}`);
        }
        a[i * n + j] = a[j * n + i] = (x + mirror) / 2;
      } else {
        a[i * n + j] = x;
      }
    }
  }
  return factorOrRepair([...underlyings], a, n);
}

/**
 * The correlation of `names` (in that order) from a larger correlation: the sub-matrix,
 * re-factored. A principal sub-matrix is at least as positive definite as the whole
 * (its eigenvalues interlace), so a repair is only needed if the new order drives a
 * near-singular pivot below 1e-10, and is then reported for the sub-matrix. `c.repair`
 * is not carried over: it measures the change to the whole matrix.
 */
export function subCorrelation(c: Correlation, names: string[], path = "correlation"): Correlation {
  const n = c.underlyings.length;
  const m = names.length;
  if (m < 1) throw new InputError(`${path}.underlyings`, "must name at least one underlying");
  const index = names.map((name) => {
    const k = c.underlyings.indexOf(name);
    if (k < 0) throw new InputError(`${path}.underlyings`, `has no ${name} (correlation covers ${c.underlyings.join(", ")})`);
    return k;
  });
  const duplicate = names.findIndex((name, i) => names.indexOf(name) !== i);
  if (duplicate >= 0) throw new InputError(`${path}.underlyings`, `${names[duplicate]} is asked for twice`);
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) a[i * m + j] = c.matrix[index[i]! * n + index[j]!]!;
  return factorOrRepair([...names], a, m);
}

/**
 * The nearest correlation matrix (symmetric, unit diagonal, eigenvalues ≥
 * minEigenvalue) to the symmetric matrix `a` in the Frobenius norm, by Higham's
 * alternating projections with Dykstra's correction (N. J. Higham, "Computing the
 * nearest correlation matrix — a problem from finance", IMA J. Numer. Anal. 22
 * (2002) 329–343). The eigenvalue floor makes the result strictly positive definite,
 * so it always has a Cholesky factor. Throws a PmarginError rather than return an
 * unconverged matrix. `a` is not modified.
 */
export function nearestCorrelation(
  a: Float64Array,
  n: number,
  options: { tolerance?: number; maxIterations?: number; minEigenvalue?: number } = {},
): { matrix: Float64Array; iterations: number } {
  if (!(a instanceof Float64Array)) throw new InputError("a", "must be a Float64Array holding an n × n matrix, row by row");
  if (!(Number.isInteger(n) && n >= 1 && n * n <= a.length)) throw new InputError("n", `must be a whole number ≥ 1 with n² ≤ ${a.length} (the matrix's cells), got ${n}`);
  expectObject(options, "options", "an object of options");
  if (!a.subarray(0, n * n).every(Number.isFinite)) throw new InputError("a", "must hold finite numbers");
  const { tolerance = 1e-12, maxIterations = 1000, minEigenvalue = 1e-8 } = options;
  if (!(tolerance > 0)) throw new InputError("tolerance", `must be > 0, got ${tolerance}`);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) throw new InputError("maxIterations", `must be a whole number ≥ 1, got ${maxIterations}`);
  if (!(minEigenvalue > 0 && minEigenvalue < 1)) throw new InputError("minEigenvalue", `must be in (0, 1), got ${minEigenvalue}`);

  let y: Float64Array = Float64Array.from(a.subarray(0, n * n));
  let x: Float64Array = Float64Array.from(y);
  // Dykstra's correction: undoes the previous PSD projection's step, without which
  // alternating projections find a correlation matrix but not the nearest one.
  const correction = new Float64Array(n * n);
  const r = new Float64Array(n * n);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    for (let i = 0; i < n * n; i++) r[i] = y[i]! - correction[i]!;
    const xNext = projectEigenvalues(r, n, minEigenvalue);
    for (let i = 0; i < n * n; i++) correction[i] = xNext[i]! - r[i]!;
    const yNext = Float64Array.from(xNext);
    for (let i = 0; i < n; i++) yNext[i * n + i] = 1;
    // Higham's stopping test: both iterates have settled and agree with each other.
    const change = Math.max(
      frobeniusDistance(xNext, x) / frobenius(xNext),
      frobeniusDistance(yNext, y) / frobenius(yNext),
      frobeniusDistance(yNext, xNext) / frobenius(yNext),
    );
    x = xNext;
    y = yNext;
    if (change <= tolerance) {
      if (!cholesky(y, n)) throw new PmarginError(`nearest correlation matrix is not positive definite after ${iteration} iterations`);
      return { matrix: y, iterations: iteration };
    }
  }
  throw new PmarginError(`nearest correlation matrix did not converge to ${tolerance} in ${maxIterations} iterations`);
}

/** The symmetric matrix with a's eigenvectors and its eigenvalues raised to at least `floor`, exactly symmetric. */
function projectEigenvalues(a: Float64Array, n: number, floor: number): Float64Array {
  const { values, vectors } = symmetricEigen(a, n);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += vectors[i * n + k]! * Math.max(values[k]!, floor) * vectors[j * n + k]!;
      out[i * n + j] = out[j * n + i] = sum;
    }
  }
  return out;
}

/** Factors a validated (symmetric, unit-diagonal) matrix, repairing it first if it cannot be factored. */
function factorOrRepair(underlyings: string[], a: Float64Array, n: number): Correlation {
  const factor = cholesky(a, n, MIN_PIVOT);
  if (factor) return { underlyings, matrix: a, factor };

  const minEigenvalueBefore = symmetricEigen(a, n).values[0]!;
  const { matrix, iterations } = nearestCorrelation(a, n);
  const repaired = cholesky(matrix, n, MIN_PIVOT);
  if (!repaired) throw new PmarginError(`the repaired correlation matrix of ${underlyings.join(", ")} still has a Cholesky pivot ≤ ${MIN_PIVOT}`);
  let maxAbsChange = 0;
  for (let i = 0; i < n * n; i++) maxAbsChange = Math.max(maxAbsChange, Math.abs(matrix[i]! - a[i]!));
  return {
    underlyings,
    matrix,
    factor: repaired,
    repair: { minEigenvalueBefore, frobeniusChange: frobeniusDistance(matrix, a), maxAbsChange, iterations },
  };
}

function frobenius(a: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * a[i]!;
  return Math.sqrt(sum);
}

function frobeniusDistance(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum);
}
