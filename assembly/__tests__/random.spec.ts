// Unit tests of assembly/random.ts inside AssemblyScript (as-pect): the SIMD
// Philox against Random123's known answers in every lane, the kernels against
// an independent scalar Philox (u64 products) and musl's Math.log / Math.cos /
// Math.sin, the sin/cos polynomials against musl at the reduced angle, and
// the kernels' writes for sizes that are not multiples of the vector width.
import { philoxKey, philoxX4, polarF64x2, normalsF64x2Soa, uniformsF64x2Soa, gammaF64Soa } from "../random";
import { ulpDiff } from "./ulp";

// ------------------------------------------------------------------ helpers

/** 16-byte aligned scratch of n f64 (heap.alloc rounded up). */
function alignedF64(n: i32): usize {
  return (heap.alloc(<usize>(n + 2) << 3) + 15) & ~(<usize>15);
}

// Scalar Philox4x32-10 with 64-bit products: an implementation independent of the lane shuffles.
let w0: u32 = 0, w1: u32 = 0, w2: u32 = 0, w3: u32 = 0;
function philoxScalar(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let r = 0; r < 10; r++) {
    const p0 = <u64>0xd2511f53 * <u64>c0;
    const p1 = <u64>0xcd9e8d57 * <u64>c2;
    const y0 = <u32>(p1 >> 32) ^ c1 ^ k0;
    const y2 = <u32>(p0 >> 32) ^ c3 ^ k1;
    c1 = <u32>p1;
    c3 = <u32>p0;
    c0 = y0;
    c2 = y2;
    k0 += 0x9e3779b9;
    k1 += 0xbb67ae85;
  }
  w0 = c0;
  w1 = c1;
  w2 = c2;
  w3 = c3;
}

/** (m + 1/2)·2^-52 with m = (hi >>> 12)·2^32 + lo, by integer arithmetic. */
function unit(hi: u32, lo: u32): f64 {
  return (<f64>(((<u64>(hi >>> 12)) << 32) | <u64>lo) + 0.5) * 2.220446049250313e-16;
}

// Random123 tests/kat_vectors, "philox4x32 10": counter (4), key (2), expected (4).
const KAT: StaticArray<u32> = [
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8,
  0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd,
  0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1,
];

const SENTINEL: f64 = -12345.678;

/** Byte offset of word w of lane l in a 4 × i32x4 block. */
function lanePos(w: i32, l: i32): usize {
  return <usize>(16 * w + 4 * l);
}

/** philoxX4 of the four counters stored at ctr (word w of lane l at lanePos(w, l)). */
function philoxLanes(ctr: usize, dst: usize): void {
  philoxX4(v128.load(ctr), v128.load(ctr, 16), v128.load(ctr, 32), v128.load(ctr, 48), dst);
}

// ------------------------------------------------------------------ Philox

describe("Philox4x32-10", () => {
  it("the scalar check reproduces Random123's known answers", () => {
    for (let v = 0; v < 3; v++) {
      const o = v * 10;
      philoxScalar(KAT[o], KAT[o + 1], KAT[o + 2], KAT[o + 3], KAT[o + 4], KAT[o + 5]);
      expect(w0).toBe(KAT[o + 6]);
      expect(w1).toBe(KAT[o + 7]);
      expect(w2).toBe(KAT[o + 8]);
      expect(w3).toBe(KAT[o + 9]);
    }
  });

  it("philoxX4 reproduces Random123's known answers in each of the four lanes", () => {
    const ctr = alignedF64(8);
    const dst = alignedF64(8);
    for (let v = 0; v < 3; v++) {
      const o = v * 10;
      philoxKey(KAT[o + 4], KAT[o + 5]);
      for (let lane = 0; lane < 4; lane++) {
        // The known counter in `lane`, its bitwise complement in the others.
        for (let w = 0; w < 4; w++) {
          for (let l = 0; l < 4; l++) store<u32>(ctr + lanePos(w, l), l == lane ? KAT[o + w] : ~KAT[o + w]);
        }
        philoxLanes(ctr, dst);
        for (let w = 0; w < 4; w++) {
          for (let l = 0; l < 4; l++) {
            const got = load<u32>(dst + lanePos(w, l));
            if (l == lane) expect(got).toBe(KAT[o + 6 + w], "vector " + v.toString() + " lane " + l.toString());
            else expect(got).not.toBe(KAT[o + 6 + w], "the complement counter gives other words");
          }
        }
      }
    }
  });

  it("philoxX4 equals the scalar check on 4000 counters, a different one in every lane", () => {
    const ctr = alignedF64(8);
    const dst = alignedF64(8);
    philoxKey(0x01234567, 0x89abcdef);
    let bad = 0;
    for (let i: u32 = 0; i < 1000; i++) {
      for (let w = 0; w < 4; w++) {
        for (let l = 0; l < 4; l++) store<u32>(ctr + lanePos(w, l), (i * 4 + <u32>l) * 2654435761 + <u32>w * 0x9e3779b9);
      }
      philoxLanes(ctr, dst);
      for (let l = 0; l < 4; l++) {
        philoxScalar(
          load<u32>(ctr + lanePos(0, l)), load<u32>(ctr + lanePos(1, l)),
          load<u32>(ctr + lanePos(2, l)), load<u32>(ctr + lanePos(3, l)), 0x01234567, 0x89abcdef,
        );
        if (load<u32>(dst + lanePos(0, l)) != w0) bad++;
        if (load<u32>(dst + lanePos(1, l)) != w1) bad++;
        if (load<u32>(dst + lanePos(2, l)) != w2) bad++;
        if (load<u32>(dst + lanePos(3, l)) != w3) bad++;
      }
    }
    expect(bad).toBe(0);
  });
});

// ------------------------------------------------------------- sin and cos

describe("polarF64x2", () => {
  it("cos 2πu and sin 2πu are within 1 ulp of musl's Math.cos / Math.sin at the reduced angle, in each lane", () => {
    const pc = alignedF64(2);
    const ps = alignedF64(2);
    let worst: i64 = 0;
    let worstAt: f64 = NaN;
    const n = 400000;
    for (let i = 0; i < n; i++) {
      // Lane 0 sweeps m upwards in odd steps, lane 1 takes the mirror image and
      // lands next to the quarter turns, where the reduced angle is ±π/4.
      const ma: u64 = <u64>i * 11258999068423 + 12345;
      const mb: u64 = ((<u64>(i & 3) + 1) << 50) - 1 - <u64>(i >> 2) * 7;
      for (let lane = 0; lane < 2; lane++) {
        const m = (lane == 0 ? ma : mb) & 0x000fffffffffffff;
        const u = (<f64>m + 0.5) * 2.220446049250313e-16;
        polarF64x2(f64x2.splat(1.0), f64x2.splat(u), pc, ps);
        const q = Math.floor(4.0 * u + 0.5);
        const x = 1.5707963267948966 * (4.0 * u - q);
        const qm = <i32>q & 3;
        const c = Math.cos(x);
        const s = Math.sin(x);
        const wantCos = qm == 0 ? c : qm == 1 ? -s : qm == 2 ? -c : s;
        const wantSin = qm == 0 ? s : qm == 1 ? c : qm == 2 ? -s : -c;
        const o = <usize>lane << 3;
        const e = max(ulpDiff(load<f64>(pc + o), wantCos), ulpDiff(load<f64>(ps + o), wantSin));
        if (e > worst) { worst = e; worstAt = u; }
      }
    }
    expect(worst).toBeLessThanOrEqual(1, "worst at u = " + worstAt.toString());
  });

  it("polarF64x2 scales by r exactly: r·cos and r·sin are the products of r and the unit values", () => {
    const pc = alignedF64(2);
    const ps = alignedF64(2);
    const qc = alignedF64(2);
    const qs = alignedF64(2);
    const u = f64x2.replace_lane(f64x2.splat(0.123456789), 1, 0.987654321);
    const r = f64x2.replace_lane(f64x2.splat(1.75), 1, 0.3);
    polarF64x2(f64x2.splat(1.0), u, pc, ps);
    polarF64x2(r, u, qc, qs);
    expect(load<f64>(qc)).toBe(1.75 * load<f64>(pc));
    expect(load<f64>(qs)).toBe(1.75 * load<f64>(ps));
    expect(load<f64>(qc, 8)).toBe(0.3 * load<f64>(pc, 8));
    expect(load<f64>(qs, 8)).toBe(0.3 * load<f64>(ps, 8));
  });
});

// ------------------------------------------------------------------ kernels

/** Fills [out − 4, out + n + 4) doubles with the sentinel. */
function fence(out: usize, n: i32): void {
  for (let i = -4; i < n + 4; i++) store<f64>(out + (<isize>i << 3), SENTINEL);
}
/** Sentinels disturbed outside [out, out + n) plus sentinels left inside. */
function fenceErrors(out: usize, n: i32): i32 {
  let bad = 0;
  for (let i = -4; i < n + 4; i++) {
    const inside = i >= 0 && i < n;
    if ((load<f64>(out + (<isize>i << 3)) == SENTINEL) == inside) bad++;
  }
  return bad;
}

describe("normalsF64x2Soa and uniformsF64x2Soa", () => {
  it("uniform draw d of path p is (m + 1/2)·2^-52 of the scalar Philox words of (p, d >> 1, stream, 0)", () => {
    const out = alignedF64(64 * 7);
    let bad = 0;
    for (let nPaths = 1; nPaths <= 64; nPaths += 9) {
      uniformsF64x2Soa(0xcafef00d, 0x5eed, 3, 1000, nPaths, 7, out, 0);
      for (let d = 0; d < 7; d++) {
        for (let i = 0; i < nPaths; i++) {
          philoxScalar(1000 + <u32>i, <u32>(d >> 1), 3, 0, 0xcafef00d, 0x5eed);
          const want = d & 1 ? unit(w2, w3) : unit(w0, w1);
          if (load<f64>(out + (<usize>(d * nPaths + i) << 3)) != want) bad++;
        }
      }
    }
    expect(bad).toBe(0);
  });

  it("normal draws 2j, 2j + 1 are sqrt(−2 ln u_a)·(cos, sin) 2πu_b to 2e-15·r (musl log, cos, sin)", () => {
    const nPaths = 2001;
    const out = alignedF64(nPaths * 6);
    normalsF64x2Soa(7, 11, 0, 0xfffffc00, nPaths, 6, out, 0);
    let bad = 0;
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < nPaths; i++) {
        philoxScalar(0xfffffc00 + <u32>i, <u32>j, 0, 0, 7, 11);
        const r = Math.sqrt(-2.0 * Math.log(unit(w0, w1)));
        const theta = 6.283185307179586 * unit(w2, w3);
        const zc = load<f64>(out + (<usize>(2 * j * nPaths + i) << 3));
        const zs = load<f64>(out + (<usize>((2 * j + 1) * nPaths + i) << 3));
        if (!(Math.abs(zc - r * Math.cos(theta)) <= 2e-15 * r)) bad++;
        if (!(Math.abs(zs - r * Math.sin(theta)) <= 2e-15 * r)) bad++;
      }
    }
    expect(bad).toBe(0);
  });

  it("write exactly nPaths·nDraws doubles for every nPaths in 0..9 and nDraws in 0..5", () => {
    const out = alignedF64(9 * 5 + 8) + 32;
    let bad = 0;
    for (let nPaths = 0; nPaths <= 9; nPaths++) {
      for (let nDraws = 0; nDraws <= 5; nDraws++) {
        fence(out, nPaths * nDraws);
        normalsF64x2Soa(1, 2, 3, 4, nPaths, nDraws, out, 0);
        bad += fenceErrors(out, nPaths * nDraws);
        fence(out, nPaths * nDraws);
        uniformsF64x2Soa(1, 2, 3, 4, nPaths, nDraws, out, 0);
        bad += fenceErrors(out, nPaths * nDraws);
      }
    }
    expect(bad).toBe(0);
  });

  it("a path's draws do not depend on how the paths are split into calls", () => {
    const nPaths = 37;
    const whole = alignedF64(nPaths * 3);
    const part = alignedF64(5 * 3);
    normalsF64x2Soa(99, 98, 5, 0, nPaths, 3, whole, 0);
    let bad = 0;
    let start = 0;
    for (let size = 1; start < nPaths; size = size % 5 + 1) {
      const n = min(size, nPaths - start);
      normalsF64x2Soa(99, 98, 5, <u32>start, n, 3, part, 0);
      for (let d = 0; d < 3; d++) {
        for (let i = 0; i < n; i++) {
          if (load<f64>(part + (<usize>(d * n + i) << 3)) != load<f64>(whole + (<usize>(d * nPaths + start + i) << 3))) bad++;
        }
      }
      start += n;
    }
    expect(bad).toBe(0);
  });
});

describe("pathList: scattered paths", () => {
  it("normals, uniforms and gammas of listed paths equal those paths' draws in one contiguous call", () => {
    const nPaths = 64;
    const list: u32[] = [63, 0, 17, 17, 40, 5, 62]; // any order, repeats allowed
    const n = list.length;
    const ptr = alignedF64(4); // eight u32 slots: the list read in fours
    for (let i = 0; i < 8; i++) store<u32>(ptr + (<usize>i << 2), i < n ? list[i] : 0);
    const whole = alignedF64(nPaths * 5);
    const part = alignedF64(n * 5);
    let bad = 0;
    for (let kind = 0; kind < 3; kind++) {
      const draws = kind == 2 ? 1 : 5;
      if (kind == 0) { normalsF64x2Soa(3, 4, 1, 0, nPaths, 5, whole, 0); normalsF64x2Soa(3, 4, 1, 99, n, 5, part, ptr); }
      if (kind == 1) { uniformsF64x2Soa(3, 4, 1, 0, nPaths, 5, whole, 0); uniformsF64x2Soa(3, 4, 1, 99, n, 5, part, ptr); }
      if (kind == 2) { gammaF64Soa(3, 4, 2, 0, nPaths, 2.5, whole, 0); gammaF64Soa(3, 4, 2, 99, n, 2.5, part, ptr); }
      for (let d = 0; d < draws; d++) {
        for (let i = 0; i < n; i++) {
          if (load<f64>(part + (<usize>(d * n + i) << 3)) != load<f64>(whole + (<usize>(d * nPaths + <i32>list[i]) << 3))) bad++;
        }
      }
    }
    expect(bad).toBe(0);
  });
});

describe("gammaF64Soa", () => {
  it("Gamma(2) has mean 2 within 4 standard errors over 20000 paths, all draws positive", () => {
    const n = 20000;
    const out = alignedF64(n);
    gammaF64Soa(5, 6, 7, 0, n, 2.0, out, 0);
    let sum: f64 = 0;
    let positive = 0;
    for (let i = 0; i < n; i++) {
      const g = load<f64>(out + (<usize>i << 3));
      sum += g;
      if (g > 0) positive++;
    }
    expect(positive).toBe(n);
    expect(Math.abs(sum / n - 2.0)).toBeLessThanOrEqual(4.0 * Math.sqrt(2.0 / n));
  });

  it("writes exactly nPaths doubles for nPaths in 0..9, and NaN for a shape below 1, NaN or +Inf", () => {
    const out = alignedF64(9 + 8) + 32;
    let bad = 0;
    for (let nPaths = 0; nPaths <= 9; nPaths++) {
      fence(out, nPaths);
      gammaF64Soa(1, 2, 3, 4, nPaths, 1.5, out, 0);
      bad += fenceErrors(out, nPaths);
    }
    expect(bad).toBe(0);
    gammaF64Soa(1, 2, 3, 4, 3, 0.5, out, 0);
    expect(load<f64>(out)).toBeNaN();
    expect(load<f64>(out, 16)).toBeNaN();
    gammaF64Soa(1, 2, 3, 4, 1, NaN, out, 0);
    expect(load<f64>(out)).toBeNaN();
    gammaF64Soa(1, 2, 3, 4, 1, Infinity, out, 0);
    expect(load<f64>(out)).toBeNaN();
  });
});
