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

  it("packs its slices in time order and locates an expiry's slices as vol(t, k) reads them", () => {
    const packed = surface.packed;
    const sorted = [steep, mid, far];
    let at = 0;
    for (const s of sorted) {
      expect(packed[at]).toBe(s.t);
      expect(packed[at + 1]).toBe(s.k.length);
      expect([...packed.subarray(at + 2, at + 2 + s.k.length)]).toEqual(s.k);
      expect([...packed.subarray(at + 2 + s.k.length, at + 2 + 2 * s.k.length)]).toEqual(s.vols);
      at += 2 + 3 * s.k.length;
    }
    expect(packed.length).toBe(at);
    const steepAt = 0, midAt = 2 + 3 * steep.k.length, farAt = midAt + 2 + 3 * mid.k.length;
    expect(surface.locate(0.01)).toEqual({ a: steepAt, b: -1, w: 0 });
    expect(surface.locate(steep.t)).toEqual({ a: steepAt, b: -1, w: 0 });
    expect(surface.locate(0.3)).toEqual({ a: steepAt, b: midAt, w: (0.3 - steep.t) / (mid.t - steep.t) });
    expect(surface.locate(mid.t)).toEqual({ a: midAt, b: -1, w: 0 });
    expect(surface.locate(1)).toEqual({ a: midAt, b: farAt, w: (1 - mid.t) / (far.t - mid.t) });
    expect(surface.locate(5)).toEqual({ a: farAt, b: -1, w: 0 });
  });
});
