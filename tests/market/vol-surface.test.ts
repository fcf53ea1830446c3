import { describe, expect, it } from "vitest";
import { VolSurface, type SurfaceSlice } from "../../src/market/vol-surface.js";

// A steep, convex crypto smile: put wing far above ATM, with uneven node spacing
// and a kink at the ATM minimum, where a natural cubic spline would overshoot.
const steep: SurfaceSlice = {
  t: 0.1,
  k: [-1.2, -0.6, -0.3, -0.05, 0, 0.1, 0.4, 1],
  vols: [2.4, 1.1, 0.7, 0.52, 0.5, 0.51, 0.62, 0.95],
};
const mid: SurfaceSlice = { t: 0.5, k: [-1, -0.2, 0, 0.3, 1], vols: [1.3, 0.7, 0.6, 0.62, 0.8] };
const far: SurfaceSlice = { t: 2, k: [-0.5, 0.5], vols: [0.75, 0.7] };
// Unsorted on purpose.
const surface = new VolSurface([far, steep, mid]);

const linspace = (a: number, b: number, n: number): number[] => Array.from({ length: n + 1 }, (_, i) => a + ((b - a) * i) / n);

describe("VolSurface within a slice", () => {
  it("reproduces node vols exactly", () => {
    for (const s of [steep, mid, far]) {
      s.k.forEach((k, i) => expect(surface.vol(s.t, k)).toBe(s.vols[i]));
    }
  });

  it("never overshoots: between two nodes it stays within their vols", () => {
    for (const s of [steep, mid]) {
      for (let i = 0; i + 1 < s.k.length; i++) {
        const lo = Math.min(s.vols[i]!, s.vols[i + 1]!);
        const hi = Math.max(s.vols[i]!, s.vols[i + 1]!);
        for (const k of linspace(s.k[i]!, s.k[i + 1]!, 200)) {
          const v = surface.vol(s.t, k);
          expect(v).toBeGreaterThanOrEqual(lo);
          expect(v).toBeLessThanOrEqual(hi);
        }
      }
    }
  });

  it("is monotone between nodes where the data are", () => {
    const ks = linspace(steep.k[0]!, -0.05, 500);
    const vs = ks.map((k) => surface.vol(steep.t, k));
    for (let i = 1; i < vs.length; i++) expect(vs[i]!).toBeLessThanOrEqual(vs[i - 1]!);
  });

  it("has a continuous slope at interior nodes (C1)", () => {
    const h = 1e-6;
    for (const k of steep.k.slice(1, -1)) {
      const left = (surface.vol(steep.t, k) - surface.vol(steep.t, k - h)) / h;
      const right = (surface.vol(steep.t, k + h) - surface.vol(steep.t, k)) / h;
      expect(Math.abs(left - right)).toBeLessThan(1e-4 * (1 + Math.abs(left)));
    }
  });

  it("is flat beyond the first and last nodes", () => {
    expect(surface.vol(steep.t, -5)).toBe(2.4);
    expect(surface.vol(steep.t, -1.2000001)).toBe(2.4);
    expect(surface.vol(steep.t, 3)).toBe(0.95);
  });

  it("is linear on a two-node slice", () => {
    expect(surface.vol(far.t, 0)).toBeCloseTo(0.725, 15);
  });

  it("is flat on a single-node slice", () => {
    const one = new VolSurface([{ t: 1, k: [0.1], vols: [0.6] }]);
    for (const k of [-2, 0, 0.1, 3]) expect(one.vol(1, k)).toBe(0.6);
    for (const t of [0.01, 1, 4]) expect(one.vol(t, 0)).toBe(0.6);
  });
});

describe("VolSurface across expiries", () => {
  const w = (t: number, k: number): number => surface.vol(t, k) ** 2 * t;

  it("total variance is linear in time between slices at a node", () => {
    for (const [a, b] of [[steep, mid], [mid, far]] as const) {
      for (const k of [-0.5, 0, 0.3]) {
        const wa = w(a.t, k);
        const wb = w(b.t, k);
        for (const x of [0.01, 0.25, 0.5, 0.99]) {
          const t = a.t + x * (b.t - a.t);
          expect(Math.abs(w(t, k) - (wa + x * (wb - wa)))).toBeLessThan(1e-14 * wb);
        }
      }
    }
  });

  it("uses the first slice's vol (flat in vol) before the first slice", () => {
    for (const k of [-1, 0, 0.4]) {
      expect(surface.vol(0.01, k)).toBe(surface.vol(steep.t, k));
      expect(surface.vol(0, k)).toBe(surface.vol(steep.t, k));
    }
  });

  it("uses the last slice's vol (flat in vol) after the last slice", () => {
    for (const k of [-1, 0, 0.4]) expect(surface.vol(10, k)).toBe(surface.vol(far.t, k));
  });

  it("smile(t) is vol(t, ·) with the expiry looked up once", () => {
    for (const t of [0.05, 0.1, 0.3, 1, 5]) {
      const smile = surface.smile(t);
      for (const k of [-1.5, -0.2, 0, 0.7]) expect(smile(k)).toBe(surface.vol(t, k));
    }
  });

  it("smileDescending gives vol(t, k) bit for bit at descending k, nodes and wings included", () => {
    const ks = Float64Array.from({ length: 400 }, (_, i) => 3 - i * 0.015);
    ks[100] = 1.5;
    ks[101] = 1.5;
    const out = new Float64Array(ks.length);
    for (const t of [0.01, steep.t, 0.3, 1, 5]) {
      surface.smileDescending(t, ks, out);
      ks.forEach((k, i) => expect(out[i]).toBe(surface.vol(t, k)));
    }
  });
});
