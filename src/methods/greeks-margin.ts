// Greeks-based margin beside full revaluation: each grid scenario's PnL by the
// delta–gamma–vega approximation, PnL ≈ Σ δ·ΔS + ½·Γ·ΔS² + vega·Δσ, set against the
// kernel's full revaluation of the same scenario — to show where Greeks are not
// enough (short gamma, large moves, the smile moving with the price).
import { assertBackend, type Backend } from "../engine/backend.js";
import { assertMarket, type Market } from "../market/market.js";
import type { Position } from "../model/types.js";
import { valueBook } from "./valuation.js";
import { worstWeightedLoss } from "../risk/reduce.js";
import { gridMargin, gridScenarios, paramsFor, termWeight, type GridScenario } from "./grid/grid.js";
import type { MarginProfile } from "../model/profile.js";
import { checkedProfile } from "../schema/profile.js";
import { checkedPositions } from "../market/positions.js";

export interface GreeksScenario extends GridScenario {
  /** Full revaluation and the Greeks' approximation of the underlying's PnL, USD. */
  fullPnlUsd: number;
  greeksPnlUsd: number;
}

export interface GreeksMarginUnderlying {
  underlying: string;
  index: number;
  /** Sums over the underlying's positions: coins, per coin² USD, USD per vol point. */
  delta: number;
  gamma: number;
  vega: number;
  /** Worst weighted loss over the grid (≥ 0, USD) by full revaluation and by the Greeks. */
  fullWorstLossUsd: number;
  greeksWorstLossUsd: number;
  /** Largest |Greeks − full| over the scenarios, USD, and where. */
  maxErrorUsd: number;
  maxErrorScenario: GreeksScenario;
  scenarios: GreeksScenario[];
}

/**
 * Each underlying's grid (profile) PnL by full revaluation and by delta–gamma–vega.
 *
 * @example
 * ```ts
 * import { builtInProfile, greeksMargin } from "pmargin";
 * const rows = greeksMargin(engine, portfolio.positions, market, builtInProfile("deribit"));
 * ```
 */
export function greeksMargin(backend: Backend, positions: readonly Position[], market: Market, profile: MarginProfile): GreeksMarginUnderlying[] {
  assertBackend(backend);
  assertMarket(market);
  positions = checkedPositions(positions, market);
  profile = checkedProfile(profile, "profile");
  const full = gridMargin(backend, positions, market, { profile });
  return full.underlyings.map((g) => {
    const mine = positions.filter((p) => p.underlying === g.underlying);
    const p = paramsFor(profile, g.underlying);
    const book = backend.compile(mine, market);
    const values = valueBook(backend, book, market).positions;
    const states = new Map(p.volStates.map((v) => [v.name, v]));
    const s0 = g.index;
    const scenarios = gridScenarios(g.underlying, p).map((sc, s): GreeksScenario => {
      const dS = s0 * sc.move;
      const state = states.get(sc.vol)!;
      const greeksPnlUsd = values.reduce((acc, v, k) => {
        const q = mine[k]!;
        let pnl = v.delta * dS + 0.5 * v.gamma * dS * dS;
        if (q.kind === "option" && v.vol !== undefined) {
          // The vol the grid applies to this option at today's moneyness: σ(1 + w·shift), floored.
          const shocked = Math.max(v.vol * (1 + termWeight(p.volScaling, market.yearFraction(q.expiry) * 365) * state.shift), state.floor ?? 0);
          pnl += v.vega * 100 * (shocked - v.vol);
        }
        return acc + pnl;
      }, 0);
      return { ...sc, fullPnlUsd: g.pnlUsd[s]!, greeksPnlUsd };
    });
    const errors = scenarios.map((sc) => Math.abs(sc.greeksPnlUsd - sc.fullPnlUsd));
    const worstError = errors.indexOf(Math.max(...errors));
    const sum = (f: (v: (typeof values)[number]) => number): number => values.reduce((a, v) => a + f(v), 0);
    return {
      underlying: g.underlying,
      index: s0,
      delta: sum((v) => v.delta),
      gamma: sum((v) => v.gamma),
      vega: sum((v) => v.vega),
      fullWorstLossUsd: Math.max(worstWeightedLoss(scenarios, scenarios.map((sc) => sc.fullPnlUsd)).loss, 0),
      greeksWorstLossUsd: Math.max(worstWeightedLoss(scenarios, scenarios.map((sc) => sc.greeksPnlUsd)).loss, 0),
      maxErrorUsd: errors[worstError]!,
      maxErrorScenario: scenarios[worstError]!,
      scenarios,
    };
  });
}
