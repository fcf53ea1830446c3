// Stress tests: named historical crashes replayed on today's book, and synthetic
// shocks (given moves, or every underlying moving together by k of its own
// sigmas — correlation to one). Each gives the portfolio's and every position's
// PnL by full revaluation.
import { assertBackend, type Backend } from "../../engine/backend.js";
import { ScenarioSet } from "../../engine/scenarios.js";
import { expectObject, InputError, own, refuseUnknownNames } from "../../errors.js";
import { ewmaVol } from "../../history/estimate.js";
import { alignHistory, type PriceHistory, type PriceSeries } from "../../history/history.js";
import { DAY_MS, DEFAULT_EWMA_LAMBDA, parseTime } from "../../conventions.js";
import { exp, log } from "../../math/deterministic.js";
import { assertMarket, referenceVol, type Market } from "../../market/market.js";
import type { CorrelationToOneStress, HistoricalStress, ShockStress, StressScenario } from "../../model/stress.js";
import type { Position } from "../../model/types.js";
import { EWMA_WARM_UP } from "../historical/historical.js";
import events from "./events.json" with { type: "json" };
import { checkedScenarios, parseStressScenarios } from "../../schema/stress.js";
import { checkedPositions } from "../../market/positions.js";

export interface StressResult {
  name: string;
  description?: string;
  type: StressScenario["type"];
  horizonDays: number;
  pnlUsd: number;
  underlyings: { underlying: string; move: number; volShift: number; source: string; pnlUsd: number }[];
  positions: { id: string; underlying: string; pnlUsd: number }[];
}

/**
 * The named historical crashes (src/methods/stress/events.json), to replay on the shipped history or another.
 *
 * @example
 * ```ts
 * import { builtInStressScenarios } from "pmargin";
 * builtInStressScenarios().map((s) => s.name); // ["covid-2020-03-12", …]
 * ```
 */
export function builtInStressScenarios(): HistoricalStress[] {
  return parseStressScenarios({ scenarios: events.events.map((e) => ({ type: "historical", ...e })) }) as HistoricalStress[];
}

const DEFAULT_PROXY = "BTC";

export interface StressOptions {
  /** Price history for historical scenarios: aligned or one series per symbol. */
  history?: PriceHistory | PriceSeries[];
  /** EWMA decay of the realised vol rule (default 0.94). */
  lambda?: number;
}

/**
 * The portfolio's PnL in each stress scenario: historical crashes replayed from a price history, synthetic shocks, correlation to one.
 *
 * @example
 * ```ts
 * import { builtInStressScenarios, stressTest } from "pmargin";
 * import { shippedSeries } from "pmargin/shipped-history";
 * const results = stressTest(engine, portfolio.positions, market, builtInStressScenarios(), { history: await shippedSeries() });
 * ```
 */
export function stressTest(
  backend: Backend, positions: readonly Position[], market: Market, scenarios: readonly StressScenario[], options: StressOptions = {},
): StressResult[] {
  assertBackend(backend);
  assertMarket(market);
  positions = checkedPositions(positions, market);
  scenarios = checkedScenarios(scenarios);
  expectObject(options, "options", "{ history?, lambda? }");
  if (positions.length === 0) throw new InputError("portfolio.positions", "empty portfolio: nothing to stress");
  const book = backend.compile(positions, market);
  const names = book.underlyings;
  const series = options.history ? toSeries(options.history) : undefined;
  const lambda = options.lambda ?? DEFAULT_EWMA_LAMBDA;
  // Each symbol's EWMA vols, computed once for all the scenarios that read them.
  const ewma = new Map<PriceSeries, Float64Array>();
  const volsOf = (s: PriceSeries): Float64Array => {
    let vols = ewma.get(s);
    if (!vols) ewma.set(s, (vols = ewmaVol(alignHistory([s]), s.symbol, { lambda }).vols));
    return vols;
  };
  return scenarios.map((sc, i) => {
    const path = `scenarios[${i}]`;
    const shocks = shocksOf(sc, path, [...names], market, series, volsOf);
    const set = new ScenarioSet(names, 1);
    shocks.forEach((s, u) => {
      set.logMoves[u] = s.logMove;
      set.volShifts[u] = s.volShift;
    });
    const horizonDays = "horizonDays" in sc && sc.horizonDays !== undefined ? sc.horizonDays : sc.type === "historical" ? shocks.days : 0;
    if (!(horizonDays >= 0 && Number.isFinite(horizonDays))) throw new InputError(`${path}.horizonDays`, `must be ≥ 0, got ${horizonDays}`);
    const r = backend.revalue(book, set, { dt: horizonDays / 365, reduce: "rows" });
    const rows = r.positions!.map((row) => row[0]!);
    return {
      name: sc.name,
      ...(sc.description ? { description: sc.description } : {}),
      type: sc.type,
      horizonDays,
      pnlUsd: r.pnl[0]!,
      underlyings: shocks.map((s, u) => ({
        underlying: names[u]!, move: exp(s.logMove) - 1, volShift: s.volShift, source: s.source,
        pnlUsd: rows.reduce((a, x, k) => (positions[k]!.underlying === names[u] ? a + x : a), 0),
      })),
      positions: positions.map((p, k) => ({ id: p.id ?? String(k), underlying: p.underlying, pnlUsd: rows[k]! })),
    };
  });
}

interface Shock {
  logMove: number;
  volShift: number;
  source: string;
}

function shocksOf(
  sc: StressScenario, path: string, names: string[], market: Market, series: PriceSeries[] | undefined, volsOf: (s: PriceSeries) => Float64Array,
): Shock[] & { days: number } {
  const days = sc.type === "historical" ? (parseTime(sc.to) - parseTime(sc.from)) / DAY_MS : 0;
  const out = ((): Shock[] => {
    switch (sc.type) {
      case "shock":
        refuseUnknownNames(sc.moves, market.names, `${path}.moves`);
        refuseUnknownNames(sc.volShifts, market.names, `${path}.volShifts`);
        return names.map((u) => {
          const move = own(sc.moves, u) ?? 0;
          const shift = own(sc.volShifts, u) ?? 0;
          if (!(move > -1 && move <= 100)) throw new InputError(`${path}.moves.${u}`, `must be a move > −100% and ≤ +10,000%, got ${move}`);
          if (!(shift > -1 && shift <= 100)) throw new InputError(`${path}.volShifts.${u}`, `must be > −1 and ≤ 100, got ${shift}`);
          return { logMove: log(1 + move), volShift: shift, source: "given" };
        });
      case "correlation-to-one": {
        const h = (sc.horizonDays ?? 1) / 365;
        if (!(Math.abs(sc.sigmas) <= 50)) throw new InputError(`${path}.sigmas`, `must be within [−50, 50], got ${sc.sigmas}`);
        refuseUnknownNames(sc.vols, market.names, `${path}.vols`);
        return names.map((u) => {
          const vol = own(sc.vols, u) ?? referenceVol(market, u, `${path}.vols.${u}`, "it");
          return { logMove: sc.sigmas * vol * Math.sqrt(h), volShift: sc.volShift ?? 0, source: `${sc.sigmas}σ at ${(100 * vol).toFixed(1)}% vol` };
        });
      }
      case "historical":
        return historicalShocks(sc, path, names, series, volsOf);
      default:
        throw new InputError(`${path}.type`, `must be "historical", "shock" or "correlation-to-one", got ${String((sc as { type: unknown }).type)}`);
    }
  })();
  return Object.assign(out, { days });
}

function historicalShocks(
  sc: HistoricalStress, path: string, names: string[], series: PriceSeries[] | undefined, volsOf: (s: PriceSeries) => Float64Array,
): Shock[] {
  if (!series) throw new InputError("history", `historical scenario ${sc.name} needs a price history`);
  const from = parseTime(sc.from);
  const to = parseTime(sc.to);
  if (!(to > from)) throw new InputError(`${path}.to`, `must be after from (${sc.from}), got ${sc.to}`);
  const rule = sc.volRule ?? "realised";
  if (typeof rule === "number" && !(rule > -1 && Number.isFinite(rule))) throw new InputError(`${path}.volRule`, `a relative shift must be > −1, got ${rule}`);
  const own = (u: string): Shock | undefined => {
    const s = series.find((x) => x.symbol === u);
    const i = s ? s.times.indexOf(from) : -1;
    const j = s ? s.times.indexOf(to) : -1;
    if (!s || i < 0 || j < 0) return undefined;
    let volShift = 0;
    if (typeof rule === "number") volShift = rule;
    else if (rule === "realised") {
      const vols = volsOf(s);
      if (i - 1 < EWMA_WARM_UP) throw new InputError(`${path}.from`, `${u}'s history has fewer than ${EWMA_WARM_UP} days before ${sc.from}: too few for the realised vol rule`);
      volShift = vols[j - 1]! / vols[i - 1]! - 1;
    }
    return { logMove: log(s.closes[j]! / s.closes[i]!), volShift, source: `history ${sc.from} → ${sc.to}` };
  };
  const proxyName = sc.proxy ?? DEFAULT_PROXY;
  return names.map((u) => {
    const shock = own(u);
    if (shock) return shock;
    const proxy = own(proxyName);
    if (!proxy) throw new InputError(`${path}.proxy`, `neither ${u} nor its proxy ${proxyName} has closes on ${sc.from} and ${sc.to}`);
    return { ...proxy, source: `proxy ${proxyName}: ${u} has no closes on ${sc.from} and ${sc.to}` };
  });
}

function toSeries(h: PriceHistory | PriceSeries[]): PriceSeries[] {
  return Array.isArray(h) ? h : h.symbols.map((symbol, k) => ({ symbol, times: h.times, closes: h.closes[k]! }));
}
