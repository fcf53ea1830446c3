import { OPT_LN_FK, OPT_T, OPT_TABLE, OPT_SLICE_A, OPT_SLICE_B, OPT_SLICE_W, OPT_VOL } from "./revalue";

/** A packed slice: t, n, then n log-moneyness nodes, n vols and n PCHIP slopes (f64). */
export const SLICE_HEADER: i32 = 2;

/**
 * Fills the smile table of each of `nOpt` options (OPT_* columns of stride `optCap`
 * at `opt`): at the `nSlots` log moves xs[i] (increasing) the implied vol of its strike
 * under sticky moneyness, σ(t, k0 − xs[i]) with k0 = ln(K/F), written to the option's
 * OPT_TABLE address. The surface is read from packed slices at `slices`: the option's
 * slice a (f64 index OPT_SLICE_A) or, between two expiries, a and b (OPT_SLICE_B ≥ 0)
 * interpolated in total variance with b's weight OPT_SLICE_W:
 * σ = sqrt(((1 − w)·σa²·ta + w·σb²·tb) / t). Within a slice: the PCHIP interpolant,
 * flat beyond the end nodes. The arithmetic and its order are those of the JS twin
 * (src/reference/smile.ts), so the tables are the same bits. The vol now, at the
 * zero move (byte offset `zero` in a table), goes to column OPT_VOL.
 * `scratch` holds nSlots f64. Nothing is allocated.
 */
export function smileTablesF64(
  opt: usize, nOpt: i32, optCap: i32, slices: usize, xs: usize, nSlots: i32, zero: i32, scratch: usize,
): void {
  const ob = <usize>optCap << 3;
  for (let p = 0; p < nOpt; p++) {
    fillTable(opt, ob, <usize>p << 3, slices, xs, nSlots, scratch);
    store<f64>(opt + OPT_VOL * ob + (<usize>p << 3), load<f64>(<usize>load<f64>(opt + OPT_TABLE * ob + (<usize>p << 3)) + <usize>zero));
  }
}

/** The table of the option at byte `q` of each column. */
@inline function fillTable(opt: usize, ob: usize, q: usize, slices: usize, xs: usize, nSlots: i32, scratch: usize): void {
  const out = <usize>load<f64>(opt + OPT_TABLE * ob + q);
  const k0 = -load<f64>(opt + OPT_LN_FK * ob + q);
  const a = slices + (<usize>load<f64>(opt + OPT_SLICE_A * ob + q) << 3);
  const bAt = load<f64>(opt + OPT_SLICE_B * ob + q);
  sliceVols(a, k0, xs, nSlots, out);
  if (bAt < 0) return;
  const b = slices + (<usize>bAt << 3);
  sliceVols(b, k0, xs, nSlots, scratch);
  const w = load<f64>(opt + OPT_SLICE_W * ob + q);
  const t = load<f64>(opt + OPT_T * ob + q);
  const ta = load<f64>(a), tb = load<f64>(b);
  for (let i = 0; i < nSlots; i++) {
    const o = <usize>i << 3;
    const va = load<f64>(out + o), vb = load<f64>(scratch + o);
    store<f64>(out + o, Math.sqrt(((1 - w) * va * va * ta + w * vb * vb * tb) / t));
  }
}

/**
 * One slice's vols at k0 − xs[i]: the k fall as i rises, so the segment is found
 * by walking down from the last instead of by a search.
 */
@inline function sliceVols(slice: usize, k0: f64, xs: usize, nSlots: i32, out: usize): void {
  const count = <i32>load<f64>(slice, 8);
  const k = slice + (<usize>SLICE_HEADER << 3);
  const vols = k + (<usize>count << 3);
  const slopes = vols + (<usize>count << 3);
  const n = count - 1;
  const kFirst = load<f64>(k), kLast = load<f64>(k + (<usize>n << 3));
  let lo = max(n - 1, 0);
  for (let i = 0; i < nSlots; i++) {
    const x = k0 - load<f64>(xs + (<usize>i << 3));
    let v: f64;
    if (x <= kFirst) v = load<f64>(vols);
    else if (x >= kLast) v = load<f64>(vols + (<usize>n << 3));
    else {
      // The largest lo with k[lo] ≤ x.
      while (lo > 0 && load<f64>(k + (<usize>lo << 3)) > x) lo--;
      const at = <usize>lo << 3;
      const h = load<f64>(k + at + 8) - load<f64>(k + at);
      const s = (x - load<f64>(k + at)) / h;
      const s2 = s * s;
      const s3 = s2 * s;
      v = (2 * s3 - 3 * s2 + 1) * load<f64>(vols + at) +
        (s3 - 2 * s2 + s) * h * load<f64>(slopes + at) +
        (-2 * s3 + 3 * s2) * load<f64>(vols + at + 8) +
        (s3 - s2) * h * load<f64>(slopes + at + 8);
    }
    store<f64>(out + (<usize>i << 3), v);
  }
}
