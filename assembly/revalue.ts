import { expF64x2, normCdfFromGaussF64x2 } from "./math";

// The smile of each option is compiled to a table of its implied vol against
// the scenario's log price move x on a uniform grid; the kernel interpolates
// linearly. h = 1/32 and x = 0 on a node make the unshocked vol exact.
export const SMILE_NODES: i32 = 161;
export const SMILE_X_MIN: f64 = -2.5;
export const SMILE_INV_STEP: f64 = 32.0;
/** Shocked vols are floored here (0.01%) so that a large down-shock cannot reach σ ≤ 0. */
export const VOL_FLOOR: f64 = 1e-4;

/** Column order of an option book: `nCols` f64 columns of `cap` entries each. */
export const OPT_U: usize = 0;        // underlying index
export const OPT_LN_FK: usize = 1;    // ln(F0/K)
export const OPT_FK: usize = 2;       // F0/K
export const OPT_KF: usize = 3;       // K/F0
export const OPT_F: usize = 4;        // forward F0 of the option's expiry
export const OPT_K: usize = 5;        // strike
export const OPT_T: usize = 6;        // years to expiry now
export const OPT_RATE: usize = 7;     // continuous discount rate
export const OPT_PHI: usize = 8;      // +1 call, -1 put
export const OPT_WEIGHT: usize = 9;   // USD value per unit of Black-76 price (q·size, times S0/F0 if inverse)
export const OPT_VOL_W: usize = 10;   // weight of the scenario's vol shift for this option
export const OPT_BASE: usize = 11;    // USD value now (the zero scenario), the PnL reference
export const OPT_TABLE: usize = 12;   // byte address of the option's smile table (SMILE_NODES f64)
export const OPT_COLS: usize = 13;

/** Linear book (spot, futures): USD value = alpha + beta·m where m is the price factor. */
export const LIN_U: usize = 0;
export const LIN_ALPHA: usize = 1;
export const LIN_BETA: usize = 2;
export const LIN_COLS: usize = 3;

/** Scenarios are processed in blocks of this many so the per-block data stays in L1/L2. */
export const BLOCK: i32 = 256;

/** Bytes of scratch memory `revalueBlack76F64x2Soa` needs for `nUnd` underlyings. */
export function revalueWorkBytes(nUnd: i32): i32 {
  return nUnd * BLOCK * (5 * 8 + 4) + 3 * BLOCK * 8;
}

/**
 * Revalues a book under a block of scenarios and writes the PnL of each.
 *
 * Options: `nOpt` rows in OPT_COLS f64 columns of stride `optCap` at `opt`
 * (16-byte aligned, optCap even). Linear positions: `nLin` rows in LIN_COLS
 * f64 columns of stride `linCap` at `lin`.
 * Scenarios at `scen`: the log price move x[u·nScen + s] of every underlying,
 * then the relative vol shift v[u·nScen + s] (σ' = max(σ(x)·(1 + w·v), VOL_FLOOR),
 * σ(x) read off the option's smile at sticky moneyness). `dt` (years) is the
 * time step of every scenario: options are priced at T − dt, at intrinsic
 * value once T − dt ≤ 0.
 * PnL is in USD when `ccy` < 0, else in the coin of underlying `ccy`, whose
 * price now is `ccyPrice`: PnL = V'/X' − V0/X0 with X the coin's USD price.
 * `out` receives nScen f64 of portfolio PnL; with `perPosition` ≠ 0 it is
 * followed by one row of nScen per option, then per linear position.
 * `work` (16-byte aligned) has revalueWorkBytes(nUnd) bytes. Nothing is allocated.
 */
export function revalueBlack76F64x2Soa(
  opt: usize, nOpt: i32, optCap: i32, lin: usize, nLin: i32, linCap: i32,
  scen: usize, nScen: i32, nUnd: i32, dt: f64, ccy: i32, ccyPrice: f64,
  out: usize, perPosition: i32, work: usize,
): void {
  const ob = <usize>optCap << 3;
  const lb = <usize>linCap << 3;
  const ub = <usize>BLOCK << 3;
  const plane = <usize>nUnd * ub;
  const xw = work, mw = xw + plane, miw = mw + plane, vw = miw + plane, frw = vw + plane;
  const idxw = frw + plane;
  const acc = idxw + (<usize>nUnd * <usize>BLOCK << 2);
  const price = acc + ub;
  const row = price + ub;

  let base0: f64 = 0;
  for (let p = 0; p < nOpt; p++) base0 += load<f64>(opt + OPT_BASE * ob + (<usize>p << 3));
  for (let p = 0; p < nLin; p++) {
    const q = <usize>p << 3;
    base0 += load<f64>(lin + LIN_ALPHA * lb + q) + load<f64>(lin + LIN_BETA * lb + q);
  }
  const x0 = ccy < 0 ? 1.0 : ccyPrice;
  const rowStride = <usize>nScen << 3;

  for (let s0 = 0; s0 < nScen; s0 += BLOCK) {
    const cnt = min(BLOCK, nScen - s0);
    const pairs = (cnt + 1) >> 1;
    prepareBlock(scen, nScen, nUnd, s0, cnt, xw, mw, miw, vw, frw, idxw);
    // The pad lane of an odd block accumulates too: zero it as well.
    for (let j = 0; j < pairs << 1; j++) store<f64>(acc + (<usize>j << 3), 0.0);
    for (let j = 0; j < cnt; j++) {
      store<f64>(price + (<usize>j << 3), ccy < 0 ? 1.0 : ccyPrice * load<f64>(mw + <usize>ccy * ub + (<usize>j << 3)));
    }

    for (let p = 0; p < nOpt; p++) {
      const q = <usize>p << 3;
      const u = <usize>load<f64>(opt + OPT_U * ob + q);
      const uo = u * ub;
      const tLeft = load<f64>(opt + OPT_T * ob + q) - dt;
      const w = load<f64>(opt + OPT_WEIGHT * ob + q);
      const phi = load<f64>(opt + OPT_PHI * ob + q);
      const dst = perPosition ? row : 0;
      if (tLeft > 0) {
        optionPairs(
          pairs, xw + uo, mw + uo, miw + uo, vw + uo, frw + uo, idxw + (u * <usize>BLOCK << 2),
          <usize>load<f64>(opt + OPT_TABLE * ob + q),
          load<f64>(opt + OPT_LN_FK * ob + q), load<f64>(opt + OPT_FK * ob + q), load<f64>(opt + OPT_KF * ob + q),
          load<f64>(opt + OPT_F * ob + q), load<f64>(opt + OPT_K * ob + q), Math.sqrt(tLeft),
          phi * w * Math.exp(-load<f64>(opt + OPT_RATE * ob + q) * tLeft), phi,
          load<f64>(opt + OPT_VOL_W * ob + q), acc, dst,
        );
      } else {
        expiredPairs(pairs, mw + uo, load<f64>(opt + OPT_F * ob + q), load<f64>(opt + OPT_K * ob + q), phi, w, acc, dst);
      }
      if (perPosition) {
        writeRow(row, price, cnt, load<f64>(opt + OPT_BASE * ob + q) / x0, out + rowStride * <usize>(1 + p) + (<usize>s0 << 3));
      }
    }

    for (let p = 0; p < nLin; p++) {
      const q = <usize>p << 3;
      const uo = <usize>load<f64>(lin + LIN_U * lb + q) * ub;
      const alpha = load<f64>(lin + LIN_ALPHA * lb + q);
      const beta = load<f64>(lin + LIN_BETA * lb + q);
      for (let j = 0; j < cnt; j++) {
        const o = <usize>j << 3;
        const v = alpha + beta * load<f64>(mw + uo + o);
        store<f64>(acc + o, load<f64>(acc + o) + v);
        if (perPosition) store<f64>(row + o, v);
      }
      if (perPosition) {
        writeRow(row, price, cnt, (alpha + beta) / x0, out + rowStride * <usize>(1 + nOpt + p) + (<usize>s0 << 3));
      }
    }
    writeRow(acc, price, cnt, base0 / x0, out + (<usize>s0 << 3));
  }
}

/** PnL of `cnt` values: value/price − base. */
@inline function writeRow(values: usize, price: usize, cnt: i32, base: f64, dst: usize): void {
  for (let j = 0; j < cnt; j++) {
    const o = <usize>j << 3;
    store<f64>(dst + o, load<f64>(values + o) / load<f64>(price + o) - base);
  }
}

/**
 * Copies a block's moves and vol shifts into work planes padded to an even
 * count, and derives per underlying and scenario everything that does not
 * depend on the position: m = e^x, 1/m, and the smile node and weight.
 */
function prepareBlock(
  scen: usize, nScen: i32, nUnd: i32, s0: i32, cnt: i32,
  xw: usize, mw: usize, miw: usize, vw: usize, frw: usize, idxw: usize,
): void {
  const ub = <usize>BLOCK << 3;
  const volPlane = <usize>nUnd * <usize>nScen << 3;
  const padded = (cnt + 1) & ~1;
  for (let u = 0; u < nUnd; u++) {
    const src = scen + ((<usize>u * <usize>nScen + <usize>s0) << 3);
    const uo = <usize>u * ub;
    for (let j = 0; j < padded; j++) {
      const o = <usize>j << 3;
      const inBlock = j < cnt;
      const x = inBlock ? load<f64>(src + o) : 0.0;
      store<f64>(xw + uo + o, x);
      store<f64>(vw + uo + o, inBlock ? load<f64>(src + volPlane + o) : 0.0);
      const pos = min(max((x - SMILE_X_MIN) * SMILE_INV_STEP, 0.0), <f64>(SMILE_NODES - 1));
      const node = min(<i32>pos, SMILE_NODES - 2);
      store<f64>(frw + uo + o, pos - <f64>node);
      store<i32>(idxw + (<usize>u * <usize>BLOCK << 2) + (<usize>j << 2), node << 3);
    }
    for (let j = 0; j < padded; j += 2) {
      const o = uo + (<usize>j << 3);
      const x = v128.load(xw + o);
      v128.store(mw + o, expF64x2(x));
      v128.store(miw + o, expF64x2(f64x2.neg(x)));
    }
  }
}

/** Accumulates the value of one live option over the block, two scenarios per step. */
@inline function optionPairs(
  pairs: i32, xw: usize, mw: usize, miw: usize, vw: usize, frw: usize, idxw: usize, table: usize,
  lnFK: f64, fk: f64, kf: f64, f0: f64, k: f64, sqrtT: f64, scale: f64, phi: f64, volW: f64,
  acc: usize, dst: usize,
): void {
  const vLnFK = f64x2.splat(lnFK);
  const vFk = f64x2.splat(fk);
  const vKf = f64x2.splat(kf);
  const vF = f64x2.splat(f0);
  const vK = f64x2.splat(k);
  const vSqrtT = f64x2.splat(sqrtT);
  const vScale = f64x2.splat(scale);
  const vPhi = f64x2.splat(phi);
  const vVolW = f64x2.splat(volW);
  for (let i = 0; i < pairs; i++) {
    const o = <usize>i << 4;
    const x = v128.load(xw + o);
    const m = v128.load(mw + o);
    // Smile lookup: each lane reads its own node pair.
    const i0 = <usize>load<i32>(idxw + (<usize>i << 3));
    const i1 = <usize>load<i32>(idxw + (<usize>i << 3), 4);
    const lo = f64x2.replace_lane(f64x2.splat(load<f64>(table + i0)), 1, load<f64>(table + i1));
    const hi = f64x2.replace_lane(f64x2.splat(load<f64>(table + i0, 8)), 1, load<f64>(table + i1, 8));
    const smile = f64x2.add(lo, f64x2.mul(v128.load(frw + o), f64x2.sub(hi, lo)));
    const shock = f64x2.add(f64x2.splat(1.0), f64x2.mul(vVolW, v128.load(vw + o)));
    const vol = f64x2.pmax(f64x2.mul(smile, shock), f64x2.splat(VOL_FLOOR));
    const sv = f64x2.mul(vol, vSqrtT);
    const lnfk = f64x2.add(vLnFK, x);
    const d1 = f64x2.add(f64x2.div(lnfk, sv), f64x2.mul(f64x2.splat(0.5), sv));
    const d2 = f64x2.sub(d1, sv);
    // φ(d2) = φ(d1)·F'/K: one exp, taken at the d nearer zero so the other
    // factor is ≤ 1 and cannot overflow. F' ≤ K exactly when d1² ≤ d2².
    const belowK = f64x2.le(lnfk, f64x2.splat(0.0));
    const dNear = v128.bitselect(d1, d2, belowK);
    const e = expF64x2(f64x2.mul(f64x2.splat(-0.5), f64x2.mul(dNear, dNear)));
    const g1 = v128.bitselect(e, f64x2.mul(e, f64x2.mul(vKf, v128.load(miw + o))), belowK);
    const g2 = v128.bitselect(f64x2.mul(e, f64x2.mul(vFk, m)), e, belowK);
    const n1 = normCdfFromGaussF64x2(f64x2.mul(vPhi, d1), g1);
    const n2 = normCdfFromGaussF64x2(f64x2.mul(vPhi, d2), g2);
    const value = f64x2.mul(vScale, f64x2.sub(f64x2.mul(f64x2.mul(vF, m), n1), f64x2.mul(vK, n2)));
    v128.store(acc + o, f64x2.add(v128.load(acc + o), value));
    if (dst) v128.store(dst + o, value);
  }
}

/** Options whose expiry falls within the time step settle at intrinsic value. */
@inline function expiredPairs(pairs: i32, mw: usize, f0: f64, k: f64, phi: f64, w: f64, acc: usize, dst: usize): void {
  const vF = f64x2.splat(f0);
  const vK = f64x2.splat(k);
  const vPhi = f64x2.splat(phi);
  const vW = f64x2.splat(w);
  for (let i = 0; i < pairs; i++) {
    const o = <usize>i << 4;
    const payoff = f64x2.pmax(f64x2.mul(vPhi, f64x2.sub(f64x2.mul(vF, v128.load(mw + o)), vK)), f64x2.splat(0.0));
    const value = f64x2.mul(vW, payoff);
    v128.store(acc + o, f64x2.add(v128.load(acc + o), value));
    if (dst) v128.store(dst + o, value);
  }
}
