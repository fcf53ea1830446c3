import { expF64x2, logF64x2, normCdfFromGaussF64x2, gaussF64x2, INV_SQRT_2PI } from "./math";

/**
 * Black-76 prices and Greeks of a batch of European options, two per f64x2.
 *
 * Inputs are structure-of-arrays of f64, each `n` long and rounded up to an
 * even count (the pad lane is computed and ignored): forward F > 0, strike
 * K > 0, time to expiry T ≥ 0 (years), volatility σ ≥ 0, rate r (continuous,
 * discount e^{-rT}), and φ = +1 for a call, -1 for a put.
 * Output: seven columns of `n` f64 each at `out + c·n·8` (n rounded up to even):
 * price, delta ∂V/∂F, gamma ∂²V/∂F², vega ∂V/∂σ (per 1.00 of vol),
 * theta -∂V/∂T (per year), coin value V/F, and the coin-terms delta of an
 * inverse option F·∂(V/F)/∂F = delta − V/F.
 * At T = 0 or σ = 0 the option is worth its discounted intrinsic value:
 * gamma and vega are 0 and delta is the step φ·DF·[φ(F−K) > 0].
 */
export function black76GreeksF64x2Soa(
  n: i32, fPtr: usize, kPtr: usize, tPtr: usize, volPtr: usize, ratePtr: usize, phiPtr: usize, out: usize,
): void {
  const col = <usize>(((n + 1) & ~1) << 3);
  for (let i = 0; i < n; i += 2) {
    const o = <usize>i << 3;
    const f = v128.load(fPtr + o);
    const k = v128.load(kPtr + o);
    const t = v128.load(tPtr + o);
    const vol = v128.load(volPtr + o);
    const phi = v128.load(phiPtr + o);
    const df = expF64x2(f64x2.neg(f64x2.mul(v128.load(ratePtr + o), t)));
    const sqrtT = f64x2.sqrt(t);
    const sv = f64x2.mul(vol, sqrtT);
    const live = f64x2.gt(sv, f64x2.splat(0.0));
    // Expired lanes divide by 1 instead of 0 and are replaced below.
    const svSafe = v128.bitselect(sv, f64x2.splat(1.0), live);
    const d1 = f64x2.add(f64x2.div(logF64x2(f64x2.div(f, k)), svSafe), f64x2.mul(f64x2.splat(0.5), svSafe));
    const d2 = f64x2.sub(d1, svSafe);
    const g1 = gaussF64x2(d1);
    const g2 = gaussF64x2(d2);
    const n1 = normCdfFromGaussF64x2(f64x2.mul(phi, d1), g1);
    const n2 = normCdfFromGaussF64x2(f64x2.mul(phi, d2), g2);
    const fN1 = f64x2.mul(f, n1);
    const kN2 = f64x2.mul(k, n2);
    const intrinsic = f64x2.pmax(f64x2.mul(phi, f64x2.sub(f, k)), f64x2.splat(0.0));
    const price = f64x2.mul(df, v128.bitselect(f64x2.mul(phi, f64x2.sub(fN1, kN2)), intrinsic, live));
    const itm = v128.and(f64x2.gt(intrinsic, f64x2.splat(0.0)), f64x2.splat(1.0));
    const delta = f64x2.mul(f64x2.mul(df, phi), v128.bitselect(n1, itm, live));
    const pdf1 = f64x2.mul(f64x2.splat(INV_SQRT_2PI), v128.and(g1, live));
    const gamma = f64x2.div(f64x2.mul(df, pdf1), f64x2.mul(f, svSafe));
    const vega = f64x2.mul(f64x2.mul(df, f), f64x2.mul(pdf1, sqrtT));
    const decay = f64x2.div(f64x2.mul(f64x2.mul(df, f), f64x2.mul(pdf1, vol)), f64x2.mul(f64x2.splat(2.0), v128.bitselect(sqrtT, f64x2.splat(1.0), live)));
    const theta = f64x2.sub(f64x2.mul(v128.load(ratePtr + o), price), decay);
    const coin = f64x2.div(price, f);
    v128.store(out + o, price);
    v128.store(out + col + o, delta);
    v128.store(out + 2 * col + o, gamma);
    v128.store(out + 3 * col + o, vega);
    v128.store(out + 4 * col + o, theta);
    v128.store(out + 5 * col + o, coin);
    v128.store(out + 6 * col + o, f64x2.sub(delta, coin));
  }
}
