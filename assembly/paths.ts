// Monte Carlo paths: independent random draws → joint log price moves and
// relative implied-vol shifts over the horizon, per underlying and path.
//
// Per path p and underlying u (c the correlated normal, s the Student-t scale):
//   c_u  = Σ_{j ≤ u} L[u][j]·z_j                      L: Cholesky factor of the correlation
//   s    = sqrt((ν − 2)/(2G)), G ~ Gamma(ν/2)       (s = 1 for Gaussian moves; ν = 0)
//   x_u  = (c_u·s)·sd_u + J_u + β_u·J_c + drift_u      sd_u: diffusion sd of the log move
//   J    = N·μ + sqrt(N)·σ_J·z_J, N ~ Poisson(λh)     Merton jumps: own (J_u) and common (J_c)
//   y_u  = ρ_u·(x_u/σ_u√h) + ρ'_u·w_u                  ρ: spot–vol correlation, ρ' = sqrt(1 − ρ²)
//   v_u  = exp(η_u√h·y_u) − 1                          relative vol shift (lognormal vol)
// Every operation is IEEE round-to-nearest in the order written, so the JS
// reference (src/reference/paths.ts) reproduces these bits.
import { expF64x2 } from "./math";

/** Columns of an underlying's parameter row (see PATH_* offsets). */
export const PATH_SD: i32 = 0;
export const PATH_DRIFT: i32 = 1;
export const PATH_INV_SD: i32 = 2;
export const PATH_RHO: i32 = 3;
export const PATH_RHO_C: i32 = 4;
export const PATH_ETA: i32 = 5;
export const PATH_JUMP_LAMBDA: i32 = 6;
export const PATH_JUMP_MEAN: i32 = 7;
export const PATH_JUMP_VOL: i32 = 8;
export const PATH_JUMP_P0: i32 = 9;
export const PATH_BETA: i32 = 10;
export const PATH_COLS: i32 = 11;
/** Global parameters before the rows: ν (0 = Gaussian), jumps on (1/0), common λh, μ, σ, e^−λh. */
export const PATH_NU: i32 = 0;
export const PATH_JUMPS: i32 = 1;
export const PATH_COMMON_LAMBDA: i32 = 2;
export const PATH_COMMON_MEAN: i32 = 3;
export const PATH_COMMON_VOL: i32 = 4;
export const PATH_COMMON_P0: i32 = 5;
export const PATH_GLOBALS: i32 = 6;
/** Jump counts stop here; callers keep λh ≤ 20, where P(N > 200) < 1e-100. */
export const POISSON_MAX: i32 = 200;

/** Poisson(lambda) count by inversion of the uniform u ∈ (0, 1); p0 = e^−lambda. */
@inline function poisson(u: f64, lambda: f64, p0: f64): f64 {
  let p = p0;
  let cdf = p;
  let k: i32 = 0;
  while (u > cdf && k < POISSON_MAX) {
    k++;
    p *= lambda / <f64>k;
    cdf += p;
  }
  return <f64>k;
}

/** N·μ + sqrt(N)·σ·z for two lanes, N from each lane's uniform. */
@inline function jumpF64x2(u: v128, z: v128, lambda: f64, p0: f64, mean: f64, vol: f64): v128 {
  const n = f64x2.replace_lane(f64x2.splat(poisson(f64x2.extract_lane(u, 0), lambda, p0)), 1, poisson(f64x2.extract_lane(u, 1), lambda, p0));
  return f64x2.add(f64x2.mul(n, f64x2.splat(mean)), f64x2.mul(f64x2.mul(f64x2.sqrt(n), f64x2.splat(vol)), z));
}

/**
 * Writes the log moves and vol shifts of `n` paths (n even; pad the inputs).
 * params: PATH_GLOBALS values then nUnd rows of PATH_COLS. factor: nUnd×nUnd
 * lower-triangular, row-major. z: 2·nUnd rows of n normals (price rows, then
 * vol rows). gamma: n Gamma(ν/2) draws (read only when ν > 0). jumpU, jumpZ:
 * nUnd + 1 rows of n uniforms / normals, the last row for the common jump
 * (read only when jumps are on). outMoves, outVols: nUnd rows of n. All
 * pointers 16-byte aligned; rows are n doubles apart.
 */
export function correlatedMovesF64x2Soa(
  nUnd: i32, n: i32, params: usize, factor: usize, z: usize, gamma: usize,
  jumpU: usize, jumpZ: usize, outMoves: usize, outVols: usize,
): void {
  const row = <usize>n << 3;
  const nu = load<f64>(params + (<usize>PATH_NU << 3));
  const jumps = load<f64>(params + (<usize>PATH_JUMPS << 3)) != 0;
  const cLambda = load<f64>(params + (<usize>PATH_COMMON_LAMBDA << 3));
  const cMean = load<f64>(params + (<usize>PATH_COMMON_MEAN << 3));
  const cVol = load<f64>(params + (<usize>PATH_COMMON_VOL << 3));
  const cP0 = load<f64>(params + (<usize>PATH_COMMON_P0 << 3));
  const rows = params + (<usize>PATH_GLOBALS << 3);
  const one = f64x2.splat(1.0);
  for (let i = 0; i < n; i += 2) {
    const at = <usize>i << 3;
    let s = one;
    if (nu > 0) s = f64x2.sqrt(f64x2.div(f64x2.splat(nu - 2.0), f64x2.mul(f64x2.splat(2.0), v128.load(gamma + at))));
    let common = f64x2.splat(0);
    if (jumps) common = jumpF64x2(v128.load(jumpU + <usize>nUnd * row + at), v128.load(jumpZ + <usize>nUnd * row + at), cLambda, cP0, cMean, cVol);
    for (let u = 0; u < nUnd; u++) {
      const p = rows + <usize>(u * PATH_COLS) * 8;
      const l = factor + <usize>(u * nUnd) * 8;
      let c = f64x2.mul(f64x2.splat(load<f64>(l)), v128.load(z + at));
      for (let j = 1; j <= u; j++) {
        c = f64x2.add(c, f64x2.mul(f64x2.splat(load<f64>(l + (<usize>j << 3))), v128.load(z + <usize>j * row + at)));
      }
      let x = f64x2.mul(f64x2.mul(c, s), f64x2.splat(load<f64>(p + (<usize>PATH_SD << 3))));
      if (jumps) {
        const ju = v128.load(jumpU + <usize>u * row + at);
        const jz = v128.load(jumpZ + <usize>u * row + at);
        x = f64x2.add(x, jumpF64x2(ju, jz, load<f64>(p + (<usize>PATH_JUMP_LAMBDA << 3)), load<f64>(p + (<usize>PATH_JUMP_P0 << 3)),
          load<f64>(p + (<usize>PATH_JUMP_MEAN << 3)), load<f64>(p + (<usize>PATH_JUMP_VOL << 3))));
        x = f64x2.add(x, f64x2.mul(f64x2.splat(load<f64>(p + (<usize>PATH_BETA << 3))), common));
      }
      x = f64x2.add(x, f64x2.splat(load<f64>(p + (<usize>PATH_DRIFT << 3))));
      v128.store(outMoves + <usize>u * row + at, x);
      const eps = f64x2.mul(x, f64x2.splat(load<f64>(p + (<usize>PATH_INV_SD << 3))));
      const w = v128.load(z + <usize>(nUnd + u) * row + at);
      const y = f64x2.add(f64x2.mul(f64x2.splat(load<f64>(p + (<usize>PATH_RHO << 3))), eps),
        f64x2.mul(f64x2.splat(load<f64>(p + (<usize>PATH_RHO_C << 3))), w));
      const v = f64x2.sub(expF64x2(f64x2.mul(f64x2.splat(load<f64>(p + (<usize>PATH_ETA << 3))), y)), one);
      v128.store(outVols + <usize>u * row + at, v);
    }
  }
}
