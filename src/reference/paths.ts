// Pure-JS twin of assembly/paths.ts (and of the draws it reads, via
// src/reference/random.ts): the same operations in the same order, so it gives
// the kernel's bits. Baseline of the benchmarks, oracle of the tests.
import { exp } from "../math/deterministic.js";
import { STREAM, type PathBlock, type PathPlan } from "../engine/path-plan.js";
import { gammaReference, normalsReference, uniformsReference } from "./random.js";

/** Poisson(lambda) count by inversion of u; p0 = e^−lambda. */
function poisson(u: number, lambda: number, p0: number, max: number): number {
  let p = p0;
  let cdf = p;
  let k = 0;
  while (u > cdf && k < max) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

/** Paths [start, start + n) of a plan, as Engine.paths. */
export function pathsReference(plan: PathPlan, start: number, n: number): PathBlock {
  return generate(plan, n, start);
}

/** The paths listed, as Engine.pathsAt. */
export function pathsAtReference(plan: PathPlan, list: ArrayLike<number>): PathBlock {
  return generate(plan, list.length, 0, list);
}

function generate(plan: PathPlan, n: number, start: number, list?: ArrayLike<number>): PathBlock {
  const { layout: L, params } = plan;
  const nUnd = plan.underlyings.length;
  const factor = plan.correlation.factor;
  const z = new Float64Array(2 * nUnd * n);
  normalsReference(plan.seedLo, plan.seedHi, STREAM.moves, start, n, 2 * nUnd, z, list);
  const gamma = new Float64Array(n);
  if (plan.nu > 0) gammaReference(plan.seedLo, plan.seedHi, STREAM.gamma, start, n, plan.nu / 2, gamma, list);
  const ju = new Float64Array((nUnd + 1) * n);
  const jz = new Float64Array((nUnd + 1) * n);
  if (plan.jumps) {
    uniformsReference(plan.seedLo, plan.seedHi, STREAM.jumpUniforms, start, n, nUnd + 1, ju, list);
    normalsReference(plan.seedLo, plan.seedHi, STREAM.jumpNormals, start, n, nUnd + 1, jz, list);
  }
  const jump = (i: number, row: number, lambda: number, p0: number, mean: number, vol: number): number => {
    const k = poisson(ju[row * n + i]!, lambda, p0, L.poissonMax);
    return k * mean + Math.sqrt(k) * vol * jz[row * n + i]!;
  };
  const logMoves = new Float64Array(nUnd * n);
  const volShifts = new Float64Array(nUnd * n);
  const G = L.globals;
  const nu = params[L.nu]!;
  for (let i = 0; i < n; i++) {
    const s = nu > 0 ? Math.sqrt((nu - 2) / (2 * gamma[i]!)) : 1;
    const common = plan.jumps ? jump(i, nUnd, params[L.commonLambda]!, params[L.commonP0]!, params[L.commonMean]!, params[L.commonVol]!) : 0;
    for (let u = 0; u < nUnd; u++) {
      const p = (c: number): number => params[G + u * L.cols + c]!;
      let c = factor[u * nUnd]! * z[i]!;
      for (let j = 1; j <= u; j++) c = c + factor[u * nUnd + j]! * z[j * n + i]!;
      let x = c * s * p(L.sd);
      if (plan.jumps) {
        x = x + jump(i, u, p(L.jumpLambda), p(L.jumpP0), p(L.jumpMean), p(L.jumpVol));
        x = x + p(L.beta) * common;
      }
      x = x + p(L.drift);
      logMoves[u * n + i] = x;
      const y = p(L.rho) * (x * p(L.invSd)) + p(L.rhoC) * z[(nUnd + u) * n + i]!;
      volShifts[u * n + i] = exp(p(L.eta) * y) - 1;
    }
  }
  return { logMoves, volShifts };
}
