// Black-76 for one option, in closed form: the formula every layer above math shares (implied
// vols, the engine's Greeks types) and the scalar oracle of the kernel in assembly/black76.ts.
import { normCdf, normPdf } from "./normal.js";

export interface Black76Inputs {
  /** Forward price (> 0). */
  forward: number;
  /** Strike (> 0). */
  strike: number;
  /** Years to expiry (≥ 0). */
  time: number;
  /** Implied volatility (≥ 0, decimal). */
  vol: number;
  /** Continuous discount rate. */
  rate: number;
  /** +1 call, −1 put. */
  phi: 1 | -1;
}

export interface Black76Greeks {
  price: number;
  /** ∂V/∂F */
  delta: number;
  /** ∂²V/∂F² */
  gamma: number;
  /** ∂V/∂σ per 1.00 of vol */
  vega: number;
  /** −∂V/∂T per year */
  theta: number;
  /** V/F: the coin premium of an inverse option per unit */
  coinValue: number;
  /** F·∂(V/F)/∂F = delta − V/F: the delta of an inverse option in coin */
  coinDelta: number;
}

/**
 * Black-76 price and Greeks, scalar, with the JS Math library: the reference
 * the WASM kernel black76GreeksF64x2Soa is tested against.
 * At T = 0 or σ = 0: discounted intrinsic value, zero gamma and vega.
 */
export function black76(o: Black76Inputs): Black76Greeks {
  const { forward: f, strike: k, time: t, vol, rate, phi } = o;
  const df = Math.exp(-rate * t);
  const sv = vol * Math.sqrt(t);
  if (!(sv > 0)) {
    const intrinsic = Math.max(phi * (f - k), 0);
    const price = df * intrinsic;
    const delta = intrinsic > 0 ? df * phi : 0;
    return { price, delta, gamma: 0, vega: 0, theta: rate * price, coinValue: price / f, coinDelta: delta - price / f };
  }
  const d1 = Math.log(f / k) / sv + 0.5 * sv;
  const d2 = d1 - sv;
  const n1 = normCdf(phi * d1);
  const price = df * phi * (f * n1 - k * normCdf(phi * d2));
  const pdf = normPdf(d1);
  const delta = df * phi * n1;
  const coinValue = price / f;
  return {
    price,
    delta,
    gamma: (df * pdf) / (f * sv),
    vega: df * f * pdf * Math.sqrt(t),
    theta: rate * price - (df * f * pdf * vol) / (2 * Math.sqrt(t)),
    coinValue,
    coinDelta: delta - coinValue,
  };
}

/** Black-76 price alone. */
export function black76Price(f: number, k: number, t: number, vol: number, rate: number, phi: 1 | -1): number {
  const df = Math.exp(-rate * t);
  const sv = vol * Math.sqrt(t);
  if (!(sv > 0)) return df * Math.max(phi * (f - k), 0);
  const d1 = Math.log(f / k) / sv + 0.5 * sv;
  return df * phi * (f * normCdf(phi * d1) - k * normCdf(phi * (d1 - sv)));
}
