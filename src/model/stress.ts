// Stress scenarios as a user writes them (stress.json) or pmargin ships them (src/methods/stress/events.json).

/** A crash replayed from the history: each underlying's close-to-close log return from `from` to `to`. */
export interface HistoricalStress {
  type: "historical";
  name: string;
  description?: string;
  from: string;
  to: string;
  /**
   * Implied vols: "realised" (default) moves them by the ratio of the underlying's EWMA vols
   * (λ 0.94) at `to` and `from`; "unchanged"; or a relative shift for all (0.5 = vols × 1.5).
   */
  volRule?: "realised" | "unchanged" | number;
  /** An underlying without prices over the window moves like this one (default BTC), reported. */
  proxy?: string;
}

/** Given simple returns and relative vol shifts per underlying (unlisted: 0). */
export interface ShockStress {
  type: "shock";
  name: string;
  description?: string;
  moves?: Record<string, number>;
  volShifts?: Record<string, number>;
  horizonDays?: number;
}

/** Every underlying moves by `sigmas` of its own vol over the horizon, all the same way: correlation one. */
export interface CorrelationToOneStress {
  type: "correlation-to-one";
  name: string;
  description?: string;
  /** −4 = a 4-sigma fall of everything at once. */
  sigmas: number;
  horizonDays?: number;
  /** Relative vol shift for every underlying (default 0). */
  volShift?: number;
  /** Annualised vols; default each surface's ATM vol at 30 days. */
  vols?: Record<string, number>;
}

export type StressScenario = HistoricalStress | ShockStress | CorrelationToOneStress;
