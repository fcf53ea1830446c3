import { expF64x2, EXP_K, EXP_SPLIT, TAIL_P, TAIL_Q, CENT_P, CENT_Q, CDF_K } from "./math";
import { madd, nmadd } from "./madd";

// The smile of each option is compiled to a table of its implied vol against
// the scenario's log price move x on a uniform grid; the kernel interpolates
// linearly. h = 1/32 and x = 0 on a node make the unshocked vol exact. A book
// revalued at known moves (a venue grid) fills only the nodes they read: its
// node map gives each node's byte offset in an option's table.
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
export const OPT_TABLE: usize = 12;   // byte address of the option's smile table (one f64 per filled node)
export const OPT_SLICE_A: usize = 13; // f64 index of its surface slice in the packed slices (assembly/smile.ts)
export const OPT_SLICE_B: usize = 14; // the later slice between two expiries, or −1
export const OPT_SLICE_W: usize = 15; // weight of slice b in total variance
export const OPT_VOL: usize = 16;     // the vol now (its smile at the zero move), written by the smile kernel
export const OPT_COLS: usize = 17;

/** Linear book (spot, futures): USD value = alpha + beta·m where m is the price factor. */
export const LIN_U: usize = 0;
export const LIN_ALPHA: usize = 1;
export const LIN_BETA: usize = 2;
export const LIN_COLS: usize = 3;

/** Scenarios are processed in blocks of this many so a block's records (~20 KB with 3 underlyings) stay in L1. */
export const BLOCK: i32 = 128;

// Per-block data is interleaved by pair of scenarios, one record per pair, so a
// loop walks one pointer and reads every field at a constant offset (V8 folds
// it into the address); separate planes cost a base register or a stack
// reload and an add per field per step.
// A pair's scenario record, per underlying: x, m = e^x, 1/m, vol shift, vol
// floor, the smile weight (f64x2 each), then the two lanes' node offsets (i32).
const SC_X: u32 = 0, SC_M: u32 = 16, SC_MI: u32 = 32, SC_V: u32 = 48, SC_FL: u32 = 64, SC_FR: u32 = 80;
const SC_IDX: u32 = 96;
const SC_BYTES: usize = 112;
// What optionPairs' passes hand on, per pair, in the order they are written:
// σ√T; φ·d1, φ·d2, the exp argument, the factors of φ(d1), φ(d2) (then φ(d1),
// φ(d2)); exp's t and r (then e^r); |x1|, |x2| capped and the tail rationals' partial
// numerators and denominators; the region's numerators, denominators and masks.
const PS_SV: u32 = 0, PS_X1: u32 = 16, PS_X2: u32 = 32, PS_EX: u32 = 48, PS_G1: u32 = 64, PS_G2: u32 = 80;
const PS_T: u32 = 96, PS_R: u32 = 112;
const PS_A1: u32 = 128, PS_A2: u32 = 144, PS_TN1: u32 = 160, PS_TN2: u32 = 176, PS_TD1: u32 = 192, PS_TD2: u32 = 208;
const PS_N1: u32 = 224, PS_N2: u32 = 240, PS_D1: u32 = 256, PS_D2: u32 = 272, PS_C1: u32 = 288, PS_C2: u32 = 304;
const PS_BYTES: usize = 320;
const PAIRS: usize = <usize>BLOCK >> 1;

/** Per-option scratch of the kernel (see its use). */
const OPT_SCRATCH = memory.data(32);

/** Bytes of scratch memory `revalueBlack76F64x2Soa` needs for `nUnd` underlyings. */
export function revalueWorkBytes(nUnd: i32): i32 {
  // Per underlying the scenario records; then the PnL accumulator, the coin
  // prices, a per-position row, and the records between optionPairs' passes.
  return <i32>((<usize>nUnd * SC_BYTES + PS_BYTES) * PAIRS) + 3 * BLOCK * 8;
}

/**
 * Revalues a book under a block of scenarios and writes the PnL of each.
 *
 * Options: `nOpt` rows in OPT_COLS f64 columns of stride `optCap` at `opt`
 * (16-byte aligned, optCap even). Linear positions: `nLin` rows in LIN_COLS
 * f64 columns of stride `linCap` at `lin`.
 * Scenarios at `scen`, three planes of nUnd·nScen f64: the log price move
 * x[u·nScen + s] of every underlying, the relative vol shift v, and a vol floor f:
 * σ' = max(σ(x)·(1 + w·v), f, VOL_FLOOR), σ(x) read off the option's smile at sticky
 * moneyness (f is the venues' minimum vol for a shock up; 0 for none). `dt` (years) is the
 * time step of every scenario: options are priced at T − dt, at intrinsic
 * value once T − dt ≤ 0.
 * PnL is in USD when `ccy` < 0, else in the coin of underlying `ccy`, whose
 * price now is `ccyPrice`: PnL = V'/X' − V0/X0 with X the coin's USD price.
 * `out` receives nScen f64 of portfolio PnL; with `perPosition` ≠ 0 it is
 * followed by one row of nScen per option, then per linear position.
 * `work` (16-byte aligned) has revalueWorkBytes(nUnd) bytes. `nodeMap` holds SMILE_NODES
 * i32: the byte offset of each node in an option's table; every node a scenario reads
 * (with the next) must be in the tables. Nothing is allocated.
 */
export function revalueBlack76F64x2Soa(
  opt: usize, nOpt: i32, optCap: i32, lin: usize, nLin: i32, linCap: i32,
  scen: usize, nScen: i32, nUnd: i32, dt: f64, ccy: i32, ccyPrice: f64,
  out: usize, perPosition: i32, work: usize, nodeMap: usize,
): void {
  const ob = <usize>optCap << 3;
  const lb = <usize>linCap << 3;
  const ub = <usize>BLOCK << 3;
  const scu = PAIRS * SC_BYTES; // one underlying's scenario records
  const sc = work;
  const acc = sc + <usize>nUnd * scu;
  const price = acc + ub;
  const row = price + ub;
  const pass = row + ub;

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
    prepareBlock(scen, nScen, nUnd, s0, cnt, sc, nodeMap);
    // The pad lane of an odd block accumulates too: zero it as well.
    for (let j = 0; j < pairs << 1; j++) store<f64>(acc + (<usize>j << 3), 0.0);
    for (let j = 0; j < cnt; j++) {
      store<f64>(price + (<usize>j << 3), ccy < 0 ? 1.0 : ccyPrice * load<f64>(laneOf(sc + <usize>ccy * scu, j) + SC_M));
    }

    for (let p = 0; p < nOpt; p++) {
      const q = <usize>p << 3;
      const u = <usize>load<f64>(opt + OPT_U * ob + q);
      const su = sc + u * scu;
      const tLeft = load<f64>(opt + OPT_T * ob + q) - dt;
      const w = load<f64>(opt + OPT_WEIGHT * ob + q);
      const phi = load<f64>(opt + OPT_PHI * ob + q);
      const dst = perPosition ? row : 0;
      if (tLeft > 0) {
        // Derived per-option scalars go through memory: V8 sinks pure
        // computations on loop invariants (the saturating f64 → u32 truncation
        // alone is ~17 instructions, the sqrt, products) into the scenario
        // loop they feed and redoes them every step; a load stays where it
        // is (+11%).
        store<usize>(OPT_SCRATCH, <usize>load<f64>(opt + OPT_TABLE * ob + q));
        store<f64>(OPT_SCRATCH, Math.sqrt(tLeft), 8);
        store<f64>(OPT_SCRATCH, phi * w * Math.exp(-load<f64>(opt + OPT_RATE * ob + q) * tLeft), 16);
        optionPairs(
          pairs, su, load<usize>(OPT_SCRATCH),
          load<f64>(opt + OPT_LN_FK * ob + q), load<f64>(opt + OPT_FK * ob + q), load<f64>(opt + OPT_KF * ob + q),
          load<f64>(opt + OPT_F * ob + q), load<f64>(opt + OPT_K * ob + q), load<f64>(OPT_SCRATCH, 8),
          load<f64>(OPT_SCRATCH, 16), phi,
          load<f64>(opt + OPT_VOL_W * ob + q), acc, dst, pass,
        );
      } else {
        expiredPairs(pairs, su, load<f64>(opt + OPT_F * ob + q), load<f64>(opt + OPT_K * ob + q), phi, w, acc, dst);
      }
      if (perPosition) {
        writeRow(row, price, cnt, load<f64>(opt + OPT_BASE * ob + q) / x0, out + rowStride * <usize>(1 + p) + (<usize>s0 << 3), ccy >= 0);
      }
    }

    for (let p = 0; p < nLin; p++) {
      const q = <usize>p << 3;
      const su = sc + <usize>load<f64>(lin + LIN_U * lb + q) * scu;
      const alpha = load<f64>(lin + LIN_ALPHA * lb + q);
      const beta = load<f64>(lin + LIN_BETA * lb + q);
      for (let j = 0; j < cnt; j++) {
        const o = <usize>j << 3;
        const v = alpha + beta * load<f64>(laneOf(su, j) + SC_M);
        store<f64>(acc + o, load<f64>(acc + o) + v);
        if (perPosition) store<f64>(row + o, v);
      }
      if (perPosition) {
        writeRow(row, price, cnt, (alpha + beta) / x0, out + rowStride * <usize>(1 + nOpt + p) + (<usize>s0 << 3), ccy >= 0);
      }
    }
    writeRow(acc, price, cnt, base0 / x0, out + (<usize>s0 << 3), ccy >= 0);
  }
}

/** Address of scenario j's lane in the first f64x2 field of its pair's record (add the field's offset). */
@inline function laneOf(records: usize, j: i32): usize {
  return records + <usize>(j >> 1) * SC_BYTES + (<usize>(j & 1) << 3);
}

/**
 * PnL of `cnt` values: value/price − base, two at a time. In USD every price is
 * exactly 1, so the division is skipped (x/1 = x: the same bits, less work).
 */
@inline function writeRow(values: usize, price: usize, cnt: i32, base: f64, dst: usize, divide: bool): void {
  const vBase = f64x2.splat(base);
  let j = 0;
  for (; j + 1 < cnt; j += 2) {
    const o = <usize>j << 3;
    const v = v128.load(values + o);
    v128.store(dst + o, f64x2.sub(divide ? f64x2.div(v, v128.load(price + o)) : v, vBase));
  }
  if (j < cnt) {
    const o = <usize>j << 3;
    store<f64>(dst + o, load<f64>(values + o) / load<f64>(price + o) - base);
  }
}

/**
 * Copies a block's moves, vol shifts and vol floors into the scenario records,
 * padded to an even count, and derives per underlying and scenario everything
 * that does not depend on the position: m = e^x, 1/m, and the smile node and weight.
 */
function prepareBlock(scen: usize, nScen: i32, nUnd: i32, s0: i32, cnt: i32, sc: usize, nodeMap: usize): void {
  const volPlane = <usize>nUnd * <usize>nScen << 3;
  const padded = (cnt + 1) & ~1;
  for (let u = 0; u < nUnd; u++) {
    const src = scen + ((<usize>u * <usize>nScen + <usize>s0) << 3);
    const su = sc + <usize>u * PAIRS * SC_BYTES;
    for (let j = 0; j < padded; j++) {
      const o = <usize>j << 3;
      const lane = laneOf(su, j);
      const inBlock = j < cnt;
      const x = inBlock ? load<f64>(src + o) : 0.0;
      store<f64>(lane + SC_X, x);
      store<f64>(lane + SC_V, inBlock ? load<f64>(src + volPlane + o) : 0.0);
      store<f64>(lane + SC_FL, inBlock ? load<f64>(src + 2 * volPlane + o) : 0.0);
      const pos = min(max((x - SMILE_X_MIN) * SMILE_INV_STEP, 0.0), <f64>(SMILE_NODES - 1));
      const node = min(<i32>pos, SMILE_NODES - 2);
      store<f64>(lane + SC_FR, pos - <f64>node);
      store<i32>(su + <usize>(j >> 1) * SC_BYTES + SC_IDX + (<usize>(j & 1) << 2), load<i32>(nodeMap + (<usize>node << 2)));
    }
    for (let r = su, end = su + (<usize>padded >> 1) * SC_BYTES; r < end; r += SC_BYTES) {
      const x = v128.load(r, SC_X);
      v128.store(r, expF64x2(x), SC_M);
      v128.store(r, expF64x2(f64x2.neg(x)), SC_MI);
    }
  }
}

// The kernel's own constants: 1, VOL_FLOOR, 1/2, -1/2.
const RV_K = memory.data<f64>([1.0, VOL_FLOOR, 0.5, -0.5], 16);

/**
 * Accumulates the value of one live option over the block, two scenarios per
 * step, in eight short passes over the block that hand their results on
 * through `pass` (one PS_BYTES record per pair of scenarios):
 *   volPairs        σ√T from the smile, the vol shock and the floors
 *   moneynessPairs  x1 = φ·d1, x2 = φ·d2, the exp argument −d²/2, the φ factors
 *   expReducePairs  exp's range reduction: n and r
 *   expPolyPairs    e^r
 *   gaussPairs      2^n: φ(d1), φ(d2)
 *   tailHeadPairs   |x| and the first four Horner steps of the tail rationals
 *   ratioPairs      their last four, the central rationals, the region's pick
 *   valuePairs      the shared division, N(x1), N(x2), the price
 *
 * Why so many: what stalls this kernel is the length of each loop's
 * dependency chain against the work in its body. While a pair waits on a long
 * chain, the out-of-order core's scheduler fills with that pair's own
 * operations and the next pair can hardly start. One pass per pair was ~370 x64
 * instructions on a ~150-cycle chain and took ~146 cycles a pair of scenarios;
 * three passes (d, exp, CDFs and price) took ~116. Cutting the CDF pass's
 * degree-8 tail rationals after four Horner steps, exp after its range
 * reduction and after its polynomial, and the first pass after the vol, with
 * BLOCK down from 256 to 128 so a block's records stay in L1, took it to ~94
 * (each loop timed alone: README). A cut costs a store and a load per value
 * handed on; cuts that split no long chain lost as much as they gained (the
 * central rationals alone, the last four tail steps alone, half the central
 * rationals moved forward, the division apart from the price: −4% to +1%).
 * The arithmetic and its order are unchanged, so are the results, bit for bit.
 *
 * Written for what V8 (TurboFan, Node 20) makes of it; each point was measured:
 * - Every constant, including the exp and normal-CDF coefficients of
 *   assembly/math.ts, is loaded once per option into a v128 local before the
 *   loop. A v128.const in the loop is rematerialised at every use (movabs +
 *   vmovq + vpunpcklqdq), and a load from the pool inside the loop is
 *   scheduled at the top of the block and spilled; a loop-invariant local
 *   costs one reload from its stack slot (~+15% over in-loop pool loads).
 * - exp(-d²/2) and N(d1), N(d2) are inlined from math.ts's expF64x2 and
 *   normCdfFromGaussF64x2, with the same coefficients and order of operations,
 *   except: exp's overflow clamp is dropped (its argument is ≤ 0, results are
 *   unchanged), and the two CDFs are evaluated side by side and branch-free.
 *   Near the money Cody's central region (|d| < 0.674) is hit by half the
 *   scenario pairs at random, so an `if (any_true)` mispredicts; both
 *   rationals are evaluated and the numerator and denominator selected
 *   per lane before dividing (+2–3%).
 * - Per-block data is one record per pair of scenarios (SC_*, PS_*), walked by
 *   a pointer: with a plane per field, each field cost a base address
 *   reloaded from the stack and an add per step (~30 of the ~90 instructions
 *   of the first pass; −10% of the loop's instructions overall, +7%).
 * - The two divisions n1/q1, n2/q2 share one reciprocal 1/(q1·q2) (+3% in
 *   the single pass; with separate passes two divisions are within 1%).
 *   q ∈ [1.9e4, 4e14] on |d| ≤ 64 (the cap), so q1·q2 cannot overflow;
 *   three roundings instead of one, < 2 ulp.
 * Tried and not kept: unrolling the single pass by two pairs (no gain: two
 * chains in the same window), the CDFs of d1 and d2 in separate passes (−7%:
 * each keeps the whole chain), the rationals' even and odd powers side by side
 * (Pe(x²) + x·Po(x²), half the chain: −6% to +2%, and other bits), Estrin's
 * scheme for the tail rationals (−12%: 120 spills and reloads in a loop of
 * 289 instructions, against 210), the region's fix-up as c + s·ratio with c
 * and s picked in ratioPairs (no change), BLOCK 64/96 (as 128).
 */
@inline function optionPairs(
  pairs: i32, sc: usize, table: usize,
  lnFK: f64, fk: f64, kf: f64, f0: f64, k: f64, sqrtT: f64, scale: f64, phi: f64, volW: f64,
  acc: usize, dst: usize, pass: usize,
): void {
  volPairs(pairs, sc, table, sqrtT, volW, pass);
  moneynessPairs(pairs, sc, lnFK, fk, kf, phi, pass);
  expReducePairs(pairs, pass);
  expPolyPairs(pairs, pass);
  gaussPairs(pairs, pass);
  tailHeadPairs(pairs, pass);
  ratioPairs(pairs, pass);
  valuePairs(pairs, sc, pass, f0, k, scale, acc, dst);
}

/** sv = σ'·√T with σ' = max(σ(x)·(1 + w·v), floor, VOL_FLOOR), σ(x) read off the option's smile table. */
@inline function volPairs(pairs: i32, sc: usize, table: usize, sqrtT: f64, volW: f64, pass: usize): void {
  const vSqrtT = f64x2.splat(sqrtT);
  const vVolW = f64x2.splat(volW);
  const one = v128.load64_splat(RV_K, 0), volFloor = v128.load64_splat(RV_K, 8);
  for (let r = sc, w = pass, end = sc + <usize>pairs * SC_BYTES; r < end; r += SC_BYTES, w += PS_BYTES) {
    // Smile lookup: one 16-byte load per lane brings its node pair, and two
    // shuffles (punpcklqdq/punpckhqdq) regroup them into lo and hi.
    const nodes0 = v128.load(table + <usize>load<i32>(r, SC_IDX));
    const nodes1 = v128.load(table + <usize>load<i32>(r, SC_IDX + 4));
    const lo = i64x2.shuffle(nodes0, nodes1, 0, 2);
    const hi = i64x2.shuffle(nodes0, nodes1, 1, 3);
    const smile = madd(v128.load(r, SC_FR), f64x2.sub(hi, lo), lo);
    const shock = madd(vVolW, v128.load(r, SC_V), one);
    const vol = f64x2.pmax(f64x2.pmax(f64x2.mul(smile, shock), v128.load(r, SC_FL)), volFloor);
    v128.store(w, f64x2.mul(vol, vSqrtT), PS_SV);
  }
}

/** x1 = φ·d1, x2 = φ·d2, ex = −d²/2 at the d nearer zero, and the factors f1, f2 of φ(d1), φ(d2) on exp(ex). */
@inline function moneynessPairs(pairs: i32, sc: usize, lnFK: f64, fk: f64, kf: f64, phi: f64, pass: usize): void {
  const vLnFK = f64x2.splat(lnFK);
  const vFk = f64x2.splat(fk);
  const vKf = f64x2.splat(kf);
  const vPhi = f64x2.splat(phi);
  const one = v128.load64_splat(RV_K, 0);
  const half = v128.load64_splat(RV_K, 16), minusHalf = v128.load64_splat(RV_K, 24);
  const zero = f64x2.splat(0.0);
  for (let r = sc, w = pass, end = sc + <usize>pairs * SC_BYTES; r < end; r += SC_BYTES, w += PS_BYTES) {
    const sv = v128.load(w, PS_SV);
    const lnfk = f64x2.add(vLnFK, v128.load(r, SC_X));
    const d1 = madd(half, sv, f64x2.div(lnfk, sv));
    const d2 = f64x2.sub(d1, sv);
    // φ(d2) = φ(d1)·F'/K: one exp, taken at the d nearer zero so the other
    // factor is ≤ 1 and cannot overflow. F' ≤ K exactly when d1² ≤ d2².
    // f1, f2 are the factors of φ(d1), φ(d2) on that exp (×1 is exact).
    const belowK = f64x2.le(lnfk, zero);
    const dNear = v128.bitselect(d1, d2, belowK);
    v128.store(w, f64x2.mul(vPhi, d1), PS_X1);
    v128.store(w, f64x2.mul(vPhi, d2), PS_X2);
    v128.store(w, f64x2.mul(minusHalf, f64x2.mul(dNear, dNear)), PS_EX);
    v128.store(w, v128.bitselect(one, f64x2.mul(vKf, v128.load(r, SC_MI)), belowK), PS_G1);
    v128.store(w, v128.bitselect(f64x2.mul(vFk, v128.load(r, SC_M)), one, belowK), PS_G2);
  }
}

/** exp(ex) = 2^n·e^r: t = ex·log2(e) + SHIFTER (n in its low bits), r = ex − n·ln 2 in two parts. */
@inline function expReducePairs(pairs: i32, pass: usize): void {
  // EXP_K: Taylor 1/k! for k = 0, 2, 3, …, 13 at 0..12, then EXP_MIN, EXP_MAX, LOG2E, SHIFTER, LN2_HI, LN2_LO.
  const expMin = v128.load64_splat(EXP_K, 104);
  const log2e = v128.load64_splat(EXP_K, 120), shifter = v128.load64_splat(EXP_K, 128);
  const ln2Hi = v128.load64_splat(EXP_K, 136), ln2Lo = v128.load64_splat(EXP_K, 144);
  for (let w = pass, end = pass + <usize>pairs * PS_BYTES; w < end; w += PS_BYTES) {
    // ex ≤ 0 (or NaN): expF64x2 without its overflow clamp.
    const xc = f64x2.pmax(v128.load(w, PS_EX), expMin);
    const t = madd(xc, log2e, shifter);
    const nf = f64x2.sub(t, shifter);
    v128.store(w, t, PS_T);
    v128.store(w, nmadd(nf, ln2Lo, nmadd(nf, ln2Hi, xc)), PS_R);
  }
}

/** e^r on the reduced argument (in place of r): Taylor to r^13, in Estrin's order. */
@inline function expPolyPairs(pairs: i32, pass: usize): void {
  const e0 = v128.load64_splat(EXP_K, 0), e1 = v128.load64_splat(EXP_K, 8), e2 = v128.load64_splat(EXP_K, 16);
  const e3 = v128.load64_splat(EXP_K, 24), e4 = v128.load64_splat(EXP_K, 32), e5 = v128.load64_splat(EXP_K, 40);
  const e6 = v128.load64_splat(EXP_K, 48), e7 = v128.load64_splat(EXP_K, 56), e8 = v128.load64_splat(EXP_K, 64);
  const e9 = v128.load64_splat(EXP_K, 72), e10 = v128.load64_splat(EXP_K, 80), e11 = v128.load64_splat(EXP_K, 88);
  const e12 = v128.load64_splat(EXP_K, 96);
  for (let w = pass, end = pass + <usize>pairs * PS_BYTES; w < end; w += PS_BYTES) {
    const r = v128.load(w, PS_R);
    const r2 = f64x2.mul(r, r);
    const r4 = f64x2.mul(r2, r2);
    const r8 = f64x2.mul(r4, r4);
    const p0_3 = madd(r2, madd(r, e2, e1), f64x2.add(e0, r));
    const p4_7 = madd(r2, madd(r, e6, e5), madd(r, e4, e3));
    const p8_11 = madd(r2, madd(r, e10, e9), madd(r, e8, e7));
    const p8_13 = madd(r4, madd(r, e12, e11), p8_11);
    v128.store(w, madd(r8, p8_13, madd(r4, p4_7, p0_3)), PS_R);
  }
}

/** g1, g2 (holding the factors f1, f2 on entry) ← exp(ex)·f1, exp(ex)·f2 with exp(ex) = e^r·2^n. */
@inline function gaussPairs(pairs: i32, pass: usize): void {
  const expMin = v128.load64_splat(EXP_K, 104);
  const split = v128.load64_splat(EXP_SPLIT);
  for (let w = pass, end = pass + <usize>pairs * PS_BYTES; w < end; w += PS_BYTES) {
    // 2^n as two factors (n can be below the normal range): see math.ts's expF64x2.
    const a = i64x2.sub(v128.load(w, PS_T), split);
    const h = i64x2.shr_u(a, 1);
    const s1 = i64x2.shl(h, 52);
    const s2 = i64x2.shl(i64x2.sub(a, h), 52);
    const e = v128.andnot(f64x2.mul(f64x2.mul(v128.load(w, PS_R), s1), s2), f64x2.lt(v128.load(w, PS_EX), expMin));
    v128.store(w, f64x2.mul(e, v128.load(w, PS_G1)), PS_G1);
    v128.store(w, f64x2.mul(e, v128.load(w, PS_G2)), PS_G2);
  }
}

/** Three Horner steps on the partial sum s: ((s·x + c1)·x + c2)·x + c3. */
@inline function horner3(s: v128, x: v128, c1: v128, c2: v128, c3: v128): v128 {
  return madd(madd(madd(s, x, c1), x, c2), x, c3);
}

/**
 * a = min(|x|, cap) and Cody's tail P8(a), Q8(a) to their fourth Horner step, for x1
 * and x2 side by side. A Horner step is s·a + c (`madd`), carried as the partial sum s.
 */
@inline function tailHeadPairs(pairs: i32, pass: usize): void {
  // Cody's tail P8/Q8 in |x|, highest power first (Q8 monic).
  const p0 = v128.load64_splat(TAIL_P, 0), p1 = v128.load64_splat(TAIL_P, 8), p2 = v128.load64_splat(TAIL_P, 16);
  const p3 = v128.load64_splat(TAIL_P, 24), p4 = v128.load64_splat(TAIL_P, 32);
  const q0 = v128.load64_splat(TAIL_Q, 0), q1 = v128.load64_splat(TAIL_Q, 8), q2 = v128.load64_splat(TAIL_Q, 16);
  const q3 = v128.load64_splat(TAIL_Q, 24);
  const cap = v128.load64_splat(CDF_K, 16);
  for (let w = pass, end = pass + <usize>pairs * PS_BYTES; w < end; w += PS_BYTES) {
    const ax1 = f64x2.pmin(f64x2.abs(v128.load(w, PS_X1)), cap);
    const ax2 = f64x2.pmin(f64x2.abs(v128.load(w, PS_X2)), cap);
    v128.store(w, ax1, PS_A1); v128.store(w, ax2, PS_A2);
    v128.store(w, horner3(madd(p0, ax1, p1), ax1, p2, p3, p4), PS_TN1);
    v128.store(w, horner3(madd(p0, ax2, p1), ax2, p2, p3, p4), PS_TN2);
    v128.store(w, horner3(f64x2.add(ax1, q0), ax1, q1, q2, q3), PS_TD1);
    v128.store(w, horner3(f64x2.add(ax2, q0), ax2, q1, q2, q3), PS_TD2);
  }
}

/**
 * The tail rationals' last four Horner steps (the numerator times φ(x)), the
 * central x·A(x²)/B(x²), and per lane the region's numerator and denominator.
 */
@inline function ratioPairs(pairs: i32, pass: usize): void {
  const p5 = v128.load64_splat(TAIL_P, 40), p6 = v128.load64_splat(TAIL_P, 48);
  const p7 = v128.load64_splat(TAIL_P, 56), p8 = v128.load64_splat(TAIL_P, 64);
  const q4 = v128.load64_splat(TAIL_Q, 32), q5 = v128.load64_splat(TAIL_Q, 40);
  const q6 = v128.load64_splat(TAIL_Q, 48), q7 = v128.load64_splat(TAIL_Q, 56);
  const a0 = v128.load64_splat(CENT_P, 0), a1 = v128.load64_splat(CENT_P, 8), a2 = v128.load64_splat(CENT_P, 16);
  const a3 = v128.load64_splat(CENT_P, 24), a4 = v128.load64_splat(CENT_P, 32);
  const b0 = v128.load64_splat(CENT_Q, 0), b1 = v128.load64_splat(CENT_Q, 8), b2 = v128.load64_splat(CENT_Q, 16);
  const b3 = v128.load64_splat(CENT_Q, 24);
  const centralLimit = v128.load64_splat(CDF_K, 24);
  for (let w = pass, end = pass + <usize>pairs * PS_BYTES; w < end; w += PS_BYTES) {
    const x1 = v128.load(w, PS_X1), x2 = v128.load(w, PS_X2);
    const ax1 = v128.load(w, PS_A1), ax2 = v128.load(w, PS_A2);
    const tn1 = f64x2.mul(v128.load(w, PS_G1), madd(horner3(v128.load(w, PS_TN1), ax1, p5, p6, p7), ax1, p8));
    const tn2 = f64x2.mul(v128.load(w, PS_G2), madd(horner3(v128.load(w, PS_TN2), ax2, p5, p6, p7), ax2, p8));
    const td1 = madd(horner3(v128.load(w, PS_TD1), ax1, q4, q5, q6), ax1, q7);
    const td2 = madd(horner3(v128.load(w, PS_TD2), ax2, q4, q5, q6), ax2, q7);
    const z1 = f64x2.mul(x1, x1), z2 = f64x2.mul(x2, x2);
    const cn1 = f64x2.mul(x1, horner3(madd(a0, z1, a1), z1, a2, a3, a4));
    const cn2 = f64x2.mul(x2, horner3(madd(a0, z2, a1), z2, a2, a3, a4));
    const cd1 = horner3(f64x2.add(z1, b0), z1, b1, b2, b3);
    const cd2 = horner3(f64x2.add(z2, b0), z2, b1, b2, b3);
    const central1 = f64x2.lt(ax1, centralLimit);
    const central2 = f64x2.lt(ax2, centralLimit);
    v128.store(w, v128.bitselect(cn1, tn1, central1), PS_N1);
    v128.store(w, v128.bitselect(cn2, tn2, central2), PS_N2);
    v128.store(w, v128.bitselect(cd1, td1, central1), PS_D1);
    v128.store(w, v128.bitselect(cd2, td2, central2), PS_D2);
    v128.store(w, central1, PS_C1);
    v128.store(w, central2, PS_C2);
  }
}

/** Adds scale·(F·m·N(x1) − K·N(x2)) to `acc` (and writes it to `dst` if set). */
@inline function valuePairs(
  pairs: i32, sc: usize, pass: usize, f0: f64, k: f64, scale: f64, acc: usize, dst: usize,
): void {
  const vF = f64x2.splat(f0);
  const vK = f64x2.splat(k);
  const vScale = f64x2.splat(scale);
  const one = v128.load64_splat(RV_K, 0), half = v128.load64_splat(RV_K, 16);
  const zero = f64x2.splat(0.0);
  for (let i = 0, r = sc, w = pass; i < pairs; i++, r += SC_BYTES, w += PS_BYTES) {
    const o = <usize>i << 4;
    const den1 = v128.load(w, PS_D1), den2 = v128.load(w, PS_D2);
    const inv = f64x2.div(one, f64x2.mul(den1, den2));
    const q1r = f64x2.mul(f64x2.mul(v128.load(w, PS_N1), den2), inv);
    const q2r = f64x2.mul(f64x2.mul(v128.load(w, PS_N2), den1), inv);
    // Central: 1/2 + ratio. Tail: the ratio below zero, 1 − ratio above.
    const below1 = f64x2.lt(v128.load(w, PS_X1), zero), below2 = f64x2.lt(v128.load(w, PS_X2), zero);
    const n1 = v128.bitselect(f64x2.add(half, q1r), v128.bitselect(q1r, f64x2.sub(one, q1r), below1), v128.load(w, PS_C1));
    const n2 = v128.bitselect(f64x2.add(half, q2r), v128.bitselect(q2r, f64x2.sub(one, q2r), below2), v128.load(w, PS_C2));
    const price = nmadd(vK, n2, f64x2.mul(f64x2.mul(vF, v128.load(r, SC_M)), n1));
    v128.store(acc + o, madd(vScale, price, v128.load(acc + o)));
    if (dst) v128.store(dst + o, f64x2.mul(vScale, price));
  }
}

/** Options whose expiry falls within the time step settle at intrinsic value. */
@inline function expiredPairs(pairs: i32, sc: usize, f0: f64, k: f64, phi: f64, w: f64, acc: usize, dst: usize): void {
  const vF = f64x2.splat(f0);
  const vK = f64x2.splat(k);
  const vPhi = f64x2.splat(phi);
  const vW = f64x2.splat(w);
  for (let i = 0; i < pairs; i++) {
    const o = <usize>i << 4;
    const payoff = f64x2.pmax(f64x2.mul(vPhi, f64x2.sub(f64x2.mul(vF, v128.load(sc + <usize>i * SC_BYTES, SC_M)), vK)), f64x2.splat(0.0));
    const value = f64x2.mul(vW, payoff);
    v128.store(acc + o, f64x2.add(v128.load(acc + o), value));
    if (dst) v128.store(dst + o, value);
  }
}
