// Bybit portfolio margin (Unified Trading Account) as the venue reports it: per risk unit
// (base coin) the stress scan of price scales × IV shocks, each price scale at its worst IV
// shock, the maximum loss, the contingency and assetMM / assetIM. The scan is the profile's
// regular grid, revalued by the engine; results under the names of GET /v5/asset/portfolio-margin
// (docs/bybit.md).
import type { Backend } from "../../engine/backend.js";
import { InputError } from "../../errors.js";
import { checkedPositions } from "../../market/positions.js";
import type { Market } from "../../market/market.js";
import type { BybitRules, MarginProfile } from "../../model/profile.js";
import type { Position } from "../../model/types.js";
import { requireVolStates, venueProfile } from "../venue-profile.js";
import { futureTerms, paramsFor, valuedUnderlyingMargin } from "../grid/grid.js";

/** Bybit's three IV shocks, in the order of the profile's grid and of each price scale's pnls. */
const VOL_STATES = ["up", "same", "down"] as const;

/** What bybitMargin reads beside the positions and the market. */
export interface BybitOptions {
  /** A profile with a `bybit` section (the built-in "bybit"). */
  profile: MarginProfile;
}

const OPTIONS: readonly (keyof BybitOptions)[] = ["profile"];

/** One price scale of a scan: the change of the underlying (−0.1 = −10 %) and the PnL (USD) at it. */
export interface BybitPnlRange {
  priceScale: number;
  /** One PnL per IV shock (up, same, down), or, in totalPnlRanges, the one at the price scale's worst shock. */
  pnls: number[];
}

/** One risk unit, in USD, under the names of Bybit's Get Portfolio Margin Info (assetPnlRange[]). */
export interface BybitRiskUnit {
  /** The underlying, e.g. BTC. */
  baseCoin: string;
  /** The risk unit's PnL at each price scale under each IV shock (up, same, down). */
  pnlRanges: BybitPnlRange[];
  /** At each price scale's worst IV shock: every position (ALL), the futures (PERPETUAL, dated futures included) and the options (OPTION). */
  totalPnlRanges: { ALL: { pnlRanges: BybitPnlRange[] }; PERPETUAL: { pnlRanges: BybitPnlRange[] }; OPTION: { pnlRanges: BybitPnlRange[] } };
  /** The contingency: futureContingency (rate × Σ |futures size| × index) and their sum; the other four components are not modelled (docs/bybit.md). */
  contingency: { futureContingency: number; contingencyComponents: number };
  /** assetMM = maximum loss + contingencyComponents; assetIM = imFactor × assetMM. */
  asset: { coin: string; assetIM: number; assetMM: number };
  /** The largest loss over the scan (≥ 0). */
  maxLoss: number;
  /** Its price scale and IV shock (the vol state's shift, e.g. −0.2); 0 and 0 when nothing loses. */
  maxLossPriceMove: number;
  maxLossIvShock: number;
  /** The worst IV shock at each price scale, in totalPnlRanges' order. */
  maxLossIvShockList: number[];
}

/** An account's Bybit derivatives margin: the risk units' sums (borrowing is not modelled). */
export interface BybitMarginResult {
  /** The profile's name. */
  profile: string;
  /** The currency of every figure. */
  currency: "USD";
  /** Σ of the risk units' assetMM. */
  accountMM: number;
  /** Σ of the risk units' assetIM. */
  accountIM: number;
  /** Per risk unit, in market order. */
  assetPnlRange: BybitRiskUnit[];
}

/**
 * Bybit portfolio margin of positions (docs/bybit.md).
 *
 * @example
 * ```ts
 * import { builtInProfile, bybitMargin, createEngine, prepareInputs } from "pmargin";
 * const { portfolio, market } = prepareInputs(portfolioJson, marketJson);
 * const r = bybitMargin(await createEngine(), portfolio.positions, market, { profile: builtInProfile("bybit") });
 * r.accountMM; // USD
 * ```
 */
export function bybitMargin(backend: Backend, book: readonly Position[], market: Market, options: BybitOptions): BybitMarginResult {
  const profile = venueProfile(backend, market, options, OPTIONS, "{ profile }", "bybit");
  requireVolStates(profile, market, VOL_STATES, "Bybit");
  for (const u of market.names) {
    if (paramsFor(profile, u).extended.length > 0) throw new InputError("options.profile", `Bybit's scan has no extended moves: ${u}'s grid lists some`);
  }
  const positions = checkedPositions(book, market);
  const assetPnlRange = market.names
    .filter((u) => positions.some((q) => q.underlying === u))
    .map((u) => riskUnit(backend, positions.filter((q) => q.underlying === u), u, market, profile, profile.bybit));
  return {
    profile: profile.name, currency: "USD",
    accountMM: assetPnlRange.reduce((a, r) => a + r.asset.assetMM, 0),
    accountIM: assetPnlRange.reduce((a, r) => a + r.asset.assetIM, 0),
    assetPnlRange,
  };
}

function riskUnit(backend: Backend, positions: Position[], u: string, market: Market, profile: MarginProfile, rules: BybitRules): BybitRiskUnit {
  const { margin } = valuedUnderlyingMargin(backend, positions, u, market, { profile, measureIn: "USD", perPosition: true });
  const p = paramsFor(profile, u);
  const rows = margin.positions!.map((r) => r.pnlUsd);
  const sumOf = (keep: (q: Position) => boolean, k: number): number => positions.reduce((a, q, i) => (keep(q) ? a + rows[i]![k]! : a), 0);
  // The grid's regular scenarios, each price scale's cells in vol-state order.
  const cells = p.moves.map((move) => p.volStates.map((s) => margin.scenarios.findIndex((c) => !c.extended && c.move === move && c.vol === s.name)));
  const pnlRanges = p.moves.map((move, i) => ({ priceScale: move, pnls: cells[i]!.map((k) => margin.pnlUsd[k]!) }));
  // At each price scale, the IV shock that loses most (the first of equals).
  const worst = pnlRanges.map((r) => r.pnls.indexOf(Math.min(...r.pnls)));
  const at = (keep: (q: Position) => boolean): BybitPnlRange[] => p.moves.map((move, i) => ({ priceScale: move, pnls: [sumOf(keep, cells[i]![worst[i]!]!)] }));
  const all = pnlRanges.map((r, i) => r.pnls[worst[i]!]!);
  const lowest = all.indexOf(Math.min(...all));
  const maxLoss = Math.max(-all[lowest]!, 0);
  const futures = futureTerms(positions, market);
  const rate = rules.futureContingencyRates[u] ?? rules.futureContingencyRates["default"]!;
  const futureContingency = rate * futures.reduce((a, f) => a + Math.abs(f?.coins ?? 0), 0) * margin.index;
  const assetMM = maxLoss + futureContingency;
  return {
    baseCoin: u,
    pnlRanges,
    totalPnlRanges: {
      ALL: { pnlRanges: all.map((pnl, i) => ({ priceScale: p.moves[i]!, pnls: [pnl] })) },
      PERPETUAL: { pnlRanges: at((q) => q.kind === "future") },
      OPTION: { pnlRanges: at((q) => q.kind === "option") },
    },
    contingency: { futureContingency, contingencyComponents: futureContingency },
    asset: { coin: u, assetIM: rules.imFactor * assetMM, assetMM },
    maxLoss,
    maxLossPriceMove: maxLoss > 0 ? p.moves[lowest]! : 0,
    maxLossIvShock: maxLoss > 0 ? p.volStates[worst[lowest]!]!.shift : 0,
    maxLossIvShockList: worst.map((s) => p.volStates[s]!.shift),
  };
}
