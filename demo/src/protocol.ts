// What the page and its worker say to each other, and what the page publishes on
// window.pmarginDemo for tests and for anyone poking at it from the console.
import type { BuiltInProfileName, GridMarginResult, GridScenario, MonteCarloResult, ValuationResult, WhatIfResult } from "pmargin";

/** One run: the inputs as parsed JSON (the worker validates them) and the controls. */
export interface ComputeRequest {
  portfolio: unknown;
  market: unknown;
  /** Hypothetical orders, written like a portfolio; null when the field is empty. */
  orders: unknown;
  profile: BuiltInProfileName;
  paths: number;
  seed: number;
  /** Student-t degrees of freedom of the Monte Carlo marginal. */
  nu: number;
}

/** A position's PnL in its underlying's worst grid scenario, and its share of the Monte Carlo ES. */
export interface AttributionRow {
  id: string;
  underlying: string;
  /** null when no grid scenario loses money on that underlying. */
  worstScenario: GridScenario | null;
  worstPnlUsd: number | null;
  esUsd: number;
}

export interface Results {
  request: Omit<ComputeRequest, "portfolio" | "market" | "orders">;
  grid: GridMarginResult;
  valuation: ValuationResult;
  monteCarlo: MonteCarloResult;
  /** In portfolio order. */
  attribution: AttributionRow[];
  /** Pre-trade check of the orders under the grid profile; null without orders. */
  whatIf: WhatIfResult | null;
  /** Wall time in the worker, validation to Monte Carlo. */
  elapsedMs: number;
}

export type WorkerMessage =
  | { type: "progress"; stage: string; done?: number; total?: number }
  | { type: "result"; results: Results }
  | { type: "error"; message: string };

/** `done` turns true when the last Compute has finished, with `error` or `results`. */
export interface DemoState {
  done: boolean;
  error?: string;
  results?: Results;
}

declare global {
  interface Window {
    pmarginDemo: DemoState;
  }
}
