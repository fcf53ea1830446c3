// Unit tests of worstLossesF64 (assembly/reduce.ts), run inside AssemblyScript (as-pect):
// hand-worked rows whose worst losses, in USD and in coin, with weights and dampening,
// are known in closed form; ties go to the first scenario.
import { worstLossesF64 } from "../reduce";

/** Four planes of `nRows` from the kernel: USD loss, its scenario, coin loss, its scenario. */
function run(rows: Float64Array, nRows: i32, values: Float64Array, weights: Float64Array, s0: f64): Float64Array {
  const out = new Float64Array(4 * nRows);
  worstLossesF64(rows.dataStart, nRows, rows.length / nRows, values.dataStart, weights.dataStart, s0, out.dataStart);
  return out;
}

/** Weights of three regular scenarios at price factors 0.9, 1 and 1.1: factor 1, no dampening. */
function regular(): Float64Array {
  const w = new Float64Array(15);
  w[0] = 0.9; w[1] = 1.0; w[2] = 1.1;
  for (let s = 3; s < 9; s++) w[s] = s < 6 ? 1.0 : 0.0;
  for (let s = 9; s < 12; s++) w[s] = 1.0;
  return w;
}

describe("worstLossesF64", () => {
  it("finds each row's worst USD loss and its scenario", () => {
    const rows = new Float64Array(6);
    rows[0] = -100.0; rows[1] = 0.0; rows[2] = 50.0;   // row 0: worst at scenario 0
    rows[3] = 20.0; rows[4] = 10.0; rows[5] = -30.0;   // row 1: worst at scenario 2
    const values = new Float64Array(2);
    const out = run(rows, 2, values, regular(), 100.0);
    // Planes of two rows: losses [100, 30], then their scenarios [0, 2].
    expect(out[0]).toBe(100.0);
    expect(out[1]).toBe(30.0);
    expect(out[2]).toBe(0.0);
    expect(out[3]).toBe(2.0);
  });

  it("measures in coin at the scenario's price: (v0 + x)/(s0·factor) − v0/s0", () => {
    // One coin held (v0 = s0 = 100), no USD change: in coin it is worth 1/0.9 − 1 at factor 0.9, 1/1.1 − 1 at 1.1.
    const rows = new Float64Array(3);
    const values = new Float64Array(1);
    values[0] = 100.0;
    const out = run(rows, 1, values, regular(), 100.0);
    expect(out[0]).toBe(-0.0);
    expect(out[2]).toBe(-((100.0 + 0.0) / (100.0 * 1.1) - 100.0 / 100.0));
    expect(out[3]).toBe(2.0);
  });

  it("weights and dampens: −dampen(x·factor, damp), never past 0", () => {
    const rows = new Float64Array(3);
    rows[0] = -1000.0; rows[1] = -300.0; rows[2] = 0.0;
    const w = regular();
    w[3] = 0.5; w[6] = 100.0;   // scenario 0: −1000 × 0.5 dampened by 100 → −400
    w[4] = 1.0; w[7] = 500.0;   // scenario 1: −300 dampened by 500 → 0
    const out = run(rows, 1, new Float64Array(1), w, 100.0);
    expect(out[0]).toBe(400.0);
    expect(out[1]).toBe(0.0);
  });

  it("keeps the first scenario of equal losses", () => {
    const rows = new Float64Array(3);
    rows[0] = -5.0; rows[1] = -5.0; rows[2] = -5.0;
    const out = run(rows, 1, new Float64Array(1), regular(), 100.0);
    expect(out[0]).toBe(5.0);
    expect(out[1]).toBe(0.0);
  });
});
