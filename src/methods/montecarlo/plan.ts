// Resolves a Monte Carlo model against a market into the flat parameters the
// path kernel reads (assembly/paths.ts): per underlying the diffusion sd, jump
// terms and vol dynamics over the horizon, the correlation factor, the seed.
import { InputError, own, refuseUnknownNames } from "../../errors.js";
import { prepareCorrelation, subCorrelation, type Correlation } from "../../math/correlation.js";
import { exp } from "../../math/deterministic.js";
import { referenceVol, type Market } from "../../market/market.js";
import type { PathLayout } from "../../engine/wasm.js";
import type { PathPlan } from "../../engine/path-plan.js";
import { DEFAULT_CORRELATION, horizonYears, type JumpParams, type MonteCarloModel } from "../../model/montecarlo.js";

/** Jump intensity × horizon above this is refused (the kernel's Poisson inversion stops at 200). */
const MAX_JUMPS_PER_HORIZON = 20;
/** Vols (and vols of vol) above 1,000% a year are mistakes, as in market data. */
const MAX_VOL = 10;

/** What the model resolves to for one underlying, reported with the result. */
export interface UnderlyingDynamics {
  underlying: string;
  /** Annualised vol of the log move (total, jumps included) and where it came from. */
  vol: number;
  volSource: "model" | "implied ATM 30d";
  /** Annualised vol of the diffusive part once the jumps' variance is taken out. */
  diffusionVol: number;
  volOfVol: number;
  spotVolCorrelation: number;
  jump?: JumpParams;
  commonJumpBeta?: number;
}

/** A path plan with what each underlying resolved to, for the report. */
export interface MonteCarloPlan extends PathPlan {
  dynamics: UnderlyingDynamics[];
}

/** The model's plan for `underlyings` (those the portfolio holds, market order). */
export function planPaths(model: MonteCarloModel, market: Market, underlyings: string[], layout: PathLayout): MonteCarloPlan {
  const h = horizonYears(model.horizon);
  if (!(h > 0 && h <= 1)) throw new InputError("model.horizon", `must be within (0, 365] days, got ${h * 365} days`);
  if (!Number.isSafeInteger(model.seed) || model.seed < 0) throw new InputError("model.seed", `must be a whole number in [0, 2^53), got ${model.seed}`);
  const nu = model.marginal.type === "student-t" ? model.marginal.nu : 0;
  if (model.marginal.type === "student-t" && !(nu > 2 && Number.isFinite(nu))) {
    throw new InputError("model.marginal.nu", `must be > 2 (finite variance), got ${nu}`);
  }
  const common = model.jumps.common;
  const idio = model.jumps.idiosyncratic;
  refuseUnknownNames(model.vols, market.names, "model.vols");
  refuseUnknownNames(idio?.underlyings, market.names, "model.jumps.idiosyncratic.underlyings");
  refuseUnknownNames(common?.beta, market.names, "model.jumps.common.beta");
  refuseUnknownNames(model.volDynamics.underlyings, market.names, "model.volDynamics.underlyings");
  if (common) checkJump(common, "model.jumps.common", h);
  const dynamics = underlyings.map((u) => resolveUnderlying(model, market, u, h));
  const G = layout.globals;
  const params = new Float64Array(G + underlyings.length * layout.cols);
  params[layout.nu] = nu;
  params[layout.jumps] = common || idio ? 1 : 0;
  params[layout.commonLambda] = (common?.intensity ?? 0) * h;
  params[layout.commonMean] = common?.mean ?? 0;
  params[layout.commonVol] = common?.vol ?? 0;
  params[layout.commonP0] = exp(-(common?.intensity ?? 0) * h);
  dynamics.forEach((d, u) => {
    const row = (c: number, value: number): void => void (params[G + u * layout.cols + c] = value);
    const jump = d.jump ?? { intensity: 0, mean: 0, vol: 0 };
    const beta = d.commonJumpBeta ?? 0;
    row(layout.sd, d.diffusionVol * Math.sqrt(h));
    // Jumps are compensated so that every log move has mean 0 over the horizon.
    row(layout.drift, -(jump.intensity * h * jump.mean + (common?.intensity ?? 0) * h * beta * (common?.mean ?? 0)));
    row(layout.invSd, 1 / (d.vol * Math.sqrt(h)));
    row(layout.rho, d.spotVolCorrelation);
    row(layout.rhoC, Math.sqrt(1 - d.spotVolCorrelation * d.spotVolCorrelation));
    row(layout.eta, d.volOfVol * Math.sqrt(h));
    row(layout.jumpLambda, jump.intensity * h);
    row(layout.jumpMean, jump.mean);
    row(layout.jumpVol, jump.vol);
    row(layout.jumpP0, exp(-jump.intensity * h));
    row(layout.beta, beta);
  });
  return {
    layout,
    underlyings,
    seedLo: model.seed % 2 ** 32,
    seedHi: Math.floor(model.seed / 2 ** 32),
    horizon: h,
    nu,
    jumps: params[layout.jumps] === 1,
    correlation: correlationFor(model, underlyings),
    params,
    dynamics,
  };
}

function resolveUnderlying(model: MonteCarloModel, market: Market, u: string, h: number): UnderlyingDynamics {
  const given = own(model.vols, u);
  let vol: number;
  if (given !== undefined) {
    if (!(given > 0 && given <= MAX_VOL)) throw new InputError(`model.vols.${u}`, `must be an annualised vol within (0, ${MAX_VOL}], got ${given}`);
    vol = given;
  } else {
    vol = referenceVol(market, u, `model.vols.${u}`, "its annualised vol");
  }
  const ownJump = own(model.jumps.idiosyncratic?.underlyings, u);
  const jump = model.jumps.idiosyncratic ? { ...model.jumps.idiosyncratic, ...ownJump } : undefined;
  if (jump) checkJump(jump, `model.jumps.idiosyncratic${ownJump ? `.underlyings.${u}` : ""}`, h);
  const common = model.jumps.common;
  const beta = common ? (own(common.beta, u) ?? 1) : undefined;
  if (beta !== undefined && !Number.isFinite(beta)) throw new InputError(`model.jumps.common.beta.${u}`, `must be finite, got ${beta}`);
  // Jumps add variance λ·(μ² + σ²) per year; the diffusion carries the rest of vol².
  // (Products, not **: Math.pow need not give the same bits in every engine.)
  const jumpVariance = (jump ? jump.intensity * (jump.mean * jump.mean + jump.vol * jump.vol) : 0) +
    (common ? common.intensity * beta! * beta! * (common.mean * common.mean + common.vol * common.vol) : 0);
  const diffusionVariance = vol * vol - jumpVariance;
  if (!(diffusionVariance > 0)) {
    throw new InputError("model.jumps", `jumps of ${u} carry a variance of ${jumpVariance.toPrecision(4)}/year, at least its total vol² ${(vol * vol).toPrecision(4)}: lower their intensity or size, or raise model.vols.${u}`);
  }
  const over = own(model.volDynamics.underlyings, u);
  const volOfVol = over?.volOfVol ?? model.volDynamics.volOfVol;
  const rho = over?.spotVolCorrelation ?? model.volDynamics.spotVolCorrelation;
  const where = over?.volOfVol !== undefined ? `model.volDynamics.underlyings.${u}` : "model.volDynamics";
  if (!(volOfVol >= 0 && volOfVol <= MAX_VOL)) throw new InputError(`${where}.volOfVol`, `must be within [0, ${MAX_VOL}], got ${volOfVol}`);
  if (!(rho >= -1 && rho <= 1)) throw new InputError(`${where}.spotVolCorrelation`, `must be within [−1, 1], got ${rho}`);
  return {
    underlying: u,
    vol,
    volSource: given !== undefined ? "model" : "implied ATM 30d",
    diffusionVol: Math.sqrt(diffusionVariance),
    volOfVol,
    spotVolCorrelation: rho,
    ...(jump ? { jump: { intensity: jump.intensity, mean: jump.mean, vol: jump.vol } } : {}),
    ...(beta !== undefined ? { commonJumpBeta: beta } : {}),
  };
}

function checkJump(j: JumpParams, path: string, h: number): void {
  if (!(j.intensity >= 0 && j.intensity * h <= MAX_JUMPS_PER_HORIZON)) {
    throw new InputError(`${path}.intensity`, `must be ≥ 0 with at most ${MAX_JUMPS_PER_HORIZON} expected jumps per horizon, got ${j.intensity}/year`);
  }
  if (!Number.isFinite(j.mean)) throw new InputError(`${path}.mean`, `must be finite, got ${j.mean}`);
  if (!(j.vol >= 0 && Number.isFinite(j.vol))) throw new InputError(`${path}.vol`, `must be ≥ 0, got ${j.vol}`);
}

/** The model's correlation restricted to `underlyings`, or the default flat one. */
function correlationFor(model: MonteCarloModel, underlyings: string[]): Correlation {
  if (model.correlation) {
    const full = prepareCorrelation(model.correlation, "model.correlation");
    const sub = subCorrelation(full, underlyings, "model.correlation");
    // A repair of the whole matrix is what the user needs to hear about.
    const repair = sub.repair ?? full.repair;
    return repair ? { ...sub, repair } : sub;
  }
  const matrix = underlyings.map((_, i) => underlyings.map((_, j) => (i === j ? 1 : DEFAULT_CORRELATION)));
  return prepareCorrelation({ underlyings, matrix }, "model.correlation");
}
