// The Monte Carlo model: what a user sets, with defaults for crypto. Every
// default is documented here and in docs/monte-carlo.md, with where it comes from.
import type { CorrelationInput } from "../math/correlation.js";
import type { VolTermScaling } from "./profile.js";

/** Merton jumps: N ~ Poisson(intensity·h) jumps, each a normal log move with this mean and vol. */
export interface JumpParams {
  /** Expected jumps per year. */
  intensity: number;
  /** Mean log move of one jump (−0.15 ≈ a 14% drop). */
  mean: number;
  /** Standard deviation of one jump's log move. */
  vol: number;
}

/** Jumps that hit every underlying in the same path: underlying u moves β_u times the common jump. */
export interface CommonJumpParams extends JumpParams {
  /** Per-underlying multiplier of the common jump (default 1). */
  beta?: Record<string, number>;
}

export interface MonteCarloModel {
  /** Number of paths (default 100,000). */
  paths: number;
  /** Seed, an integer in [0, 2^53): with the recorded inputs it fixes every bit of the result. */
  seed: number;
  /** Margin period of risk: days (of 24 h; crypto trades every day) or hours. Default 1 day. */
  horizon: { days: number } | { hours: number };
  /** Confidence levels (defaults: VaR 99%, ES 97.5%). */
  levels: { var: number[]; es: number[] };
  /**
   * Distribution of the diffusive log moves, scaled to unit variance: Gaussian, or
   * multivariate Student-t with ν > 2 degrees of freedom (default ν = 5: daily
   * BTC/ETH/SOL log returns 2020–2026 have kurtosis 6.8–10.8, i.e. ν ≈ 4.8–5.6 by
   * moments). One common mixing variable per path, so crashes are joint — tail
   * dependence — as in crypto. With ν ≤ 4 the fourth moment is infinite, and so is
   * the variance of a short-gamma book's losses (∝ x²): its ES standard error is
   * then not to be trusted.
   */
  marginal: { type: "normal" } | { type: "student-t"; nu: number };
  /**
   * Annualised volatility of each underlying's log move (jumps included). Default: its
   * surface's at-the-money implied vol at 30 days.
   */
  vols: Record<string, number>;
  /**
   * Correlation of the diffusive moves. Default: 0.8 between every pair (BTC/ETH/SOL
   * daily log returns, 2024-03 to 2026-03: 0.79–0.82). Repaired to the nearest
   * correlation matrix (Higham) when not positive semi-definite, and reported.
   */
  correlation?: CorrelationInput;
  /** Optional Merton jumps, own to each underlying and common to all. Off by default. */
  jumps: {
    idiosyncratic?: JumpParams & { underlyings?: Record<string, JumpParams> };
    common?: CommonJumpParams;
  };
  /** Implied-vol dynamics: relative shifts of each surface, sticky moneyness. */
  volDynamics: {
    /**
     * Annualised vol of the log of the 30-day ATM implied vol (default 0.8 — an
     * assumption, ±4% a day at 1σ; calibrate it to a vol index such as DVOL).
     */
    volOfVol: number;
    /** Correlation of the vol shock with the price move (default −0.4: vol up when price falls). */
    spotVolCorrelation: number;
    /** Per-underlying overrides of both. */
    underlyings?: Record<string, { volOfVol?: number; spotVolCorrelation?: number }>;
    /** How the shock scales with an option's days to expiry (default (30/DTE)^0.3 below 30 days, ^0.5 above; DTE ≥ 7). */
    termScaling: VolTermScaling;
  };
  /** Output detail: histogram bins (default 50) and worst paths listed (default 10). */
  output: { histogramBins: number; worstPaths: number };
}

export type MonteCarloModelInput = Partial<Omit<MonteCarloModel, "volDynamics" | "output" | "levels" | "jumps">> & {
  levels?: Partial<MonteCarloModel["levels"]>;
  jumps?: MonteCarloModel["jumps"];
  volDynamics?: Partial<MonteCarloModel["volDynamics"]>;
  output?: Partial<MonteCarloModel["output"]>;
};

export const DEFAULT_CORRELATION = 0.8;

/** Output sizes: enough for any plot or report, small enough never to exhaust memory. */
export const MAX_BINS = 10_000;
export const MAX_WORST = 10_000;

export const DEFAULT_MODEL: MonteCarloModel = {
  paths: 100_000,
  seed: 1,
  horizon: { days: 1 },
  levels: { var: [0.99], es: [0.975] },
  marginal: { type: "student-t", nu: 5 },
  vols: {},
  jumps: {},
  volDynamics: {
    volOfVol: 0.8,
    spotVolCorrelation: -0.4,
    termScaling: { refDays: 30, minDays: 7, shortPower: 0.3, longPower: 0.5 },
  },
  output: { histogramBins: 50, worstPaths: 10 },
};

/** A model input merged over the defaults (one level deep for the grouped settings). */
export function withDefaults(input: MonteCarloModelInput = {}): MonteCarloModel {
  const d = DEFAULT_MODEL;
  return {
    ...d,
    ...input,
    levels: { ...d.levels, ...input.levels },
    jumps: input.jumps ?? d.jumps,
    volDynamics: { ...d.volDynamics, ...input.volDynamics },
    output: { ...d.output, ...input.output },
  } as MonteCarloModel;
}

/** The horizon in years (365-day years, as crypto trades every day). */
export function horizonYears(h: MonteCarloModel["horizon"]): number {
  return "days" in h ? h.days / 365 : h.hours / (365 * 24);
}
