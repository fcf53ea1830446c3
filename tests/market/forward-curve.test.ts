import { describe, expect, it } from "vitest";
import { ForwardCurve } from "../../src/market/forward-curve.js";

const index = 60_000;
// Deliberately unsorted: the curve sorts its quotes.
const quotes = [
  { t: 0.5, price: 62_000 },
  { t: 0.1, price: 60_500 },
  { t: 0.25, price: 61_000 },
];
const curve = new ForwardCurve(index, quotes, 0.3);

describe("ForwardCurve with quotes", () => {
  it("is anchored at the index at t = 0 and before", () => {
    expect(curve.forward(0)).toBe(index);
    expect(curve.forward(-1)).toBe(index);
  });

  it("reproduces each quote exactly", () => {
    for (const q of quotes) expect(curve.forward(q.t)).toBe(q.price);
  });

  it("has constant carry (ln F linear in t) between neighbouring quotes", () => {
    const nodes = [{ t: 0, price: index }, ...[...quotes].sort((a, b) => a.t - b.t)];
    for (let i = 0; i + 1 < nodes.length; i++) {
      const a = nodes[i]!;
      const b = nodes[i + 1]!;
      const carry = Math.log(b.price / a.price) / (b.t - a.t);
      for (const w of [0.1, 0.37, 0.5, 0.9]) {
        const t = a.t + w * (b.t - a.t);
        expect(Math.log(curve.forward(t))).toBeCloseTo(Math.log(a.price) + carry * (t - a.t), 13);
      }
    }
  });

  it("continues the average carry to the last quote beyond it", () => {
    const carry = Math.log(62_000 / index) / 0.5;
    for (const t of [0.6, 1, 3]) {
      expect(curve.forward(t) / (index * Math.exp(carry * t)) - 1).toBeLessThan(1e-14);
      expect(Math.abs(Math.log(curve.forward(t) / index) / t - carry)).toBeLessThan(1e-14);
    }
  });

  it("ignores quotes that expired at or before the valuation time", () => {
    const withExpired = new ForwardCurve(index, [...quotes, { t: 0, price: 1 }, { t: -0.1, price: 2 }], 0.3);
    for (const t of [0.05, 0.1, 0.3, 2]) expect(withExpired.forward(t)).toBe(curve.forward(t));
  });
});

describe("ForwardCurve without quotes", () => {
  it("is index·e^(basis·t)", () => {
    const basisOnly = new ForwardCurve(index, [], 0.08);
    expect(basisOnly.forward(0)).toBe(index);
    // Within 2 ulp: forwards use the deterministic exp, not the host's Math.exp.
    for (const t of [0.01, 0.5, 2]) expect(Math.abs(basisOnly.forward(t) / (index * Math.exp(0.08 * t)) - 1)).toBeLessThan(5e-16);
  });

  it("is flat at the index with zero basis", () => {
    expect(new ForwardCurve(index, [], 0).forward(1.5)).toBe(index);
  });
});
