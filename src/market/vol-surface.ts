// Implied-volatility surface keyed by time to expiry and log-moneyness.
import { bracket } from "../math/bracket.js";
import { Pchip } from "../math/pchip.js";

/** One expiry of the surface: implied vols on increasing log-moneyness nodes. */
export interface SurfaceSlice {
  /** Years to expiry (> 0). */
  t: number;
  /** ln(K / F) nodes, strictly increasing. */
  k: readonly number[];
  /** Implied vols (> 0) at the nodes. */
  vols: readonly number[];
}

/** One slice's smile: its time and the PCHIP interpolant of its vols in log-moneyness. */
class Smile extends Pchip {
  constructor(readonly t: number, k: readonly number[], vols: readonly number[]) {
    super(k, vols);
  }

  vol(x: number): number {
    return this.at(x);
  }
}

/** Total-variance interpolation at t between slice a (vol va at time ta) and b, b's weight w: σ² t linear in t. */
export const betweenSlices = (va: number, vb: number, w: number, ta: number, tb: number, t: number): number =>
  Math.sqrt(((1 - w) * va * va * ta + w * vb * vb * tb) / t);

/** f64 values before a packed slice's nodes: its time t and its node count (assembly/smile.ts reads the same). */
export const SLICE_HEADER = 2;

/** Where the smile at an expiry is read in VolSurface.packed: slice a, or a and b with b's weight w in total variance. */
export interface SliceRef {
  /** f64 index of slice a in `packed`. */
  a: number;
  /** f64 index of slice b, or −1 when a alone gives the smile. */
  b: number;
  w: number;
}

/**
 * Implied-volatility surface σ(t, k), t in years, k = ln(K / F(t)).
 *
 * - Within a slice: PCHIP in k (math/pchip.ts), flat beyond the end nodes.
 * - Between two slices t1 < t < t2, at fixed k: total variance w = σ²·t is linear
 *   in t, σ(t, k) = sqrt(w(t, k) / t). This is the standard calendar
 *   interpolation: forward variance is constant between the slices.
 * - Before the first slice the first slice's smile, after the last the last
 *   slice's smile (flat in vol, not in total variance).
 *
 * Keyed by moneyness, the surface is sticky-moneyness: when the forward moves
 * to F', the vol of strike K is σ(t, ln(K / F')), the smile moves with the
 * forward. Slices must have t > 0 and are sorted here; with two slices at the
 * same t the later one in sorted order is used at and after that t.
 */
export class VolSurface {
  private readonly smiles: Smile[];
  private packedSlices?: { data: Float64Array; at: number[] };

  constructor(slices: readonly SurfaceSlice[]) {
    if (slices.length === 0) throw new RangeError("VolSurface needs at least one slice");
    this.smiles = [...slices].sort((a, b) => a.t - b.t).map((s) => new Smile(s.t, s.k, s.vols));
  }

  /** Implied vol at `t` years and log-moneyness `k`. */
  vol(t: number, k: number): number {
    const { lo, hi, w } = this.slices(t);
    const a = this.smiles[lo]!;
    if (hi < 0) return a.vol(k);
    const b = this.smiles[hi]!;
    const va = a.vol(k);
    const vb = b.vol(k);
    return betweenSlices(va, vb, w, a.t, b.t, t);
  }

  /**
   * The slices packed for the smile-table kernel (assembly/smile.ts) and its JS twin:
   * per slice in time order t, n, then its n log-moneyness nodes, n vols and n PCHIP slopes.
   */
  get packed(): Float64Array {
    return this.pack().data;
  }

  /** The packed slices the smile at `t` years reads (the same choice as vol(t, k)). */
  locate(t: number): SliceRef {
    const { lo, hi, w } = this.slices(t);
    const at = this.pack().at;
    return { a: at[lo]!, b: hi < 0 ? -1 : at[hi]!, w };
  }

  private pack(): { data: Float64Array; at: number[] } {
    if (this.packedSlices) return this.packedSlices;
    const at: number[] = [];
    let size = 0;
    for (const s of this.smiles) {
      at.push(size);
      size += SLICE_HEADER + 3 * s.k.length;
    }
    const data = new Float64Array(size);
    this.smiles.forEach((s, i) => {
      const n = s.k.length;
      data[at[i]!] = s.t;
      data[at[i]! + 1] = n;
      const k = at[i]! + SLICE_HEADER;
      data.set(s.k, k);
      data.set(s.vols, k + n);
      data.set(s.slopes, k + 2 * n);
    });
    return (this.packedSlices = { data, at });
  }

  /** The slice(s) a time uses: one (lo, at or beyond the ends, or on a slice) or two, lo and hi, with hi's weight w in total variance. */
  private slices(t: number): { lo: number; hi: number; w: number } {
    const smiles = this.smiles;
    const n = smiles.length - 1;
    if (t <= smiles[0]!.t) return { lo: 0, hi: -1, w: 0 };
    if (t >= smiles[n]!.t) return { lo: n, hi: -1, w: 0 };
    const lo = bracket(n, (i) => smiles[i]!.t, t);
    const a = smiles[lo]!;
    if (t === a.t) return { lo, hi: -1, w: 0 };
    const b = smiles[lo + 1]!;
    return { lo, hi: lo + 1, w: (t - a.t) / (b.t - a.t) };
  }
}
