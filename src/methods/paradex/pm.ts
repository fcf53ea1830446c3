// Paradex portfolio margin as the venue charges it: the 24-scenario scan of positions and
// resting orders, the minimum-delta floor with orders, the funding and fee provisions and
// spot balances; IMR from all of it, MMR from the positions alone. The scenarios are the
// profile's grid (gridScenarios), revalued by the engine; results under the names of
// Paradex's calculator (compute_pm of paradex-py and of paradex-skills' pm_math.py).
import type { Backend } from "../../engine/backend.js";
import { InputError } from "../../errors.js";
import { checkedPositions } from "../../market/positions.js";
import { checked } from "../../schema/checked.js";
import { parseOpenOrders } from "../../schema/orders.js";
import { DAYS_PER_YEAR } from "../../conventions.js";
import { log } from "../../math/deterministic.js";
import type { Market } from "../../market/market.js";
import type { OpenOrder } from "../../model/orders.js";
import type { MarginProfile, ParadexRules, UnderlyingGridParams } from "../../model/profile.js";
import type { Position } from "../../model/types.js";
import { gridScenarioSet, gridScenarios, paramsFor, termWeight, type GridScenario } from "../grid/grid.js";
import { valueBook } from "../valuation.js";
import { venueProfile } from "../venue-profile.js";

/** What paradexMargin reads beside the positions and the market. */
export interface ParadexOptions {
  /** A profile with a `paradex` section (the built-in "paradex"). */
  profile: MarginProfile;
  /** The account's resting orders (Paradex open orders). */
  orders?: readonly OpenOrder[];
  /** The account's taker fee rate (0.0003 = 3 bp), for the fee provision; 0 when not given. */
  feeRate?: number;
}

const OPTIONS: readonly (keyof ParadexOptions)[] = ["profile", "orders", "feeRate"];

/** A scenario as Paradex's portfolio-margin config lists it. */
export interface ParadexScenario {
  /** Simple return of the spot (−0.66 = −66 %). */
  spot_shock: number;
  /** Relative IV shock at 30 days (+0.4 = IV × 1.4). */
  vol_shock: number;
  /** The share of the scenario's loss that counts. */
  weight: number;
}

/** One underlying (a Paradex base asset), in USD, under the names of Paradex's compute_pm. */
export interface ParadexUnderlyingMargin {
  /** The underlying. */
  base_asset: string;
  /** The index (Paradex's spot oracle price). */
  spot: number;
  /** Initial margin requirement: max(worst_loss, delta_min) + fund_p + fee_provision_imr + spot_balance_margin. */
  IMR: number;
  /** Maintenance margin requirement: mmFactor × max(position_worst_loss, position_delta_min) + the positions' funding and fee provisions + spot_balance_margin. */
  MMR: number;
  /** SCAN risk: the largest weighted loss of positions and orders. */
  worst_loss: number;
  /** Its scenario, 0-based in the order of Paradex's table (scenario worst_idx + 1). */
  worst_idx: number;
  /** That scenario. */
  worst_scenario: ParadexScenario;
  /** Minimum delta requirement with orders: (hedged × hedged factor + maxU × unhedged factor) × spot. */
  delta_min: number;
  /** Long delta of positions and buy orders, coins. */
  maxL: number;
  /** Short delta of positions and sell orders, coins (positive). */
  maxS: number;
  /** Unhedged delta: the larger of maxL − the positions' short delta and maxS − their long delta, ≥ 0. */
  maxU: number;
  /** Hedged delta: max(maxL, maxS) − maxU, ≥ 0. */
  hedged: number;
  /** Funding provision in IMR (positions and orders); MMR has the positions' part only. */
  fund_p: number;
  /** Fee provision of positions and orders (IMR). */
  fee_provision_imr: number;
  /** Fee provision of positions (MMR). */
  fee_provision_mmr: number;
  /** Spot holdings, charged at their full value in IMR and MMR. */
  spot_balance_margin: number;
  /** Net delta of the positions, coins. */
  position_delta: number;
  /** Net delta of the orders, coins. */
  order_delta: number;
  /** position_delta + order_delta. */
  portfolio_delta: number;
  /** MMR's basis, the positions alone: their worst weighted loss and their minimum delta requirement. */
  position_worst_loss: number;
  /** The positions' minimum delta requirement, (net × |net delta| + hedged × (gross − |net|)/2) × spot. */
  position_delta_min: number;
  /** The scenarios in the order of Paradex's table, and per scenario the positions' and the orders' weighted PnL. */
  scenarios: ParadexScenario[];
  /** Weighted PnL of the positions per scenario. */
  position_pnl: number[];
  /** Weighted loss (≤ 0) of the orders per scenario. */
  order_pnl: number[];
}

/** An account's Paradex margin: the sum of its base assets' (none of Paradex's sources says how assets combine). */
export interface ParadexMarginResult {
  /** The profile's name. */
  profile: string;
  /** The currency of every figure. */
  currency: "USD";
  /** Σ of the base assets' IMR. */
  IMR: number;
  /** Σ of the base assets' MMR. */
  MMR: number;
  /** Per base asset, in market order. */
  underlyings: ParadexUnderlyingMargin[];
}

/**
 * Paradex portfolio margin of positions and resting orders (docs/paradex.md).
 *
 * @example
 * ```ts
 * import { builtInProfile, createEngine, paradexMargin, prepareInputs } from "pmargin";
 * const { portfolio, market } = prepareInputs(portfolioJson, marketJson);
 * const r = paradexMargin(await createEngine(), portfolio.positions, market, { profile: builtInProfile("paradex"), orders, feeRate: 0.0003 });
 * r.IMR; // USD
 * ```
 */
export function paradexMargin(backend: Backend, book: readonly Position[], market: Market, options: ParadexOptions): ParadexMarginResult {
  const profile = venueProfile(backend, market, options, OPTIONS, "{ profile, orders?, feeRate? }", "paradex");
  const positions = checkedPositions(book, market);
  const rules = profile.paradex;
  const feeRate = options.feeRate ?? 0;
  if (!Number.isFinite(feeRate) || feeRate < 0 || feeRate > 1) throw new InputError("options.feeRate", `must be a fee rate within [0, 1], got ${feeRate}`);
  positions.forEach((q, k) => {
    if (q.kind !== "spot" && q.settlement !== "linear") throw new InputError(`positions[${k}].settlement`, "Paradex instruments are USD-settled: must be \"linear\"");
    if (!market.get(q.underlying)) throw new InputError(`positions[${k}].underlying`, `${q.underlying} is not in the market data`);
  });
  const orders = options.orders === undefined ? [] : checked(options.orders, "orders", (x) => parseOpenOrders({ orders: x }), "options");
  orders.forEach((o, k) => {
    if (!market.get(o.underlying)) throw new InputError(`orders[${k}].underlying`, `${o.underlying} is not in the market data`);
  });
  const underlyings = market.names
    .filter((u) => positions.some((q) => q.underlying === u) || orders.some((o) => o.underlying === u))
    .map((u) => underlyingMargin(backend, positions.filter((q) => q.underlying === u), orders.filter((o) => o.underlying === u), u, market, profile, rules, feeRate));
  const sum = (f: (m: ParadexUnderlyingMargin) => number): number => underlyings.reduce((a, m) => a + f(m), 0);
  return { profile: profile.name, currency: "USD", IMR: sum((m) => m.IMR), MMR: sum((m) => m.MMR), underlyings };
}

/** Paradex's table order: the weight-1 scenarios from the largest spot shock down (vol states in profile order), then the tails as listed. */
export function paradexOrder(scenarios: readonly GridScenario[], p: UnderlyingGridParams): number[] {
  const state = (s: GridScenario): number => p.volStates.findIndex((v) => v.name === s.vol);
  const all = scenarios.map((_, s) => s);
  const body = all.filter((s) => scenarios[s]!.weight === 1).sort((a, b) => scenarios[b]!.move - scenarios[a]!.move || state(scenarios[a]!) - state(scenarios[b]!));
  return [...body, ...all.filter((s) => scenarios[s]!.weight !== 1)];
}

/** Each leg of an underlying's book: a position or an order, priced now and in every scenario. */
interface Leg {
  /** Signed size in coins, + long or buy. */
  coins: number;
  /** Its price now, USD per coin (a future's mark or forward, an option's premium). */
  price: number;
  delta: number;
  option: boolean;
  perpetual: boolean;
  /** The share of its scenario PnL that still counts (1 outside the settlement TWAP). */
  live: number;
  /** USD PnL per scenario, in grid order. */
  pnl: Float64Array;
}

function underlyingMargin(
  backend: Backend, positions: Position[], orders: readonly OpenOrder[], u: string, market: Market, profile: MarginProfile, rules: ParadexRules, feeRate: number,
): ParadexUnderlyingMargin {
  const p = paramsFor(profile, u);
  const scenarios = gridScenarios(u, p);
  const order = paradexOrder(scenarios, p);
  const spot = market.get(u)!.index;
  const held = positions.filter((q) => q.kind !== "spot");
  const legs = priceLegs(backend, [...held, ...orders.map(({ price: _, ...instrument }) => instrument)], scenarios, p, market, rules);
  const posLegs = legs.slice(0, held.length);
  const ordLegs = legs.slice(held.length);
  const n = scenarios.length;
  const positionPnl = new Array<number>(n).fill(0);
  const orderPnl = new Array<number>(n).fill(0);
  for (let s = 0; s < n; s++) {
    const w = scenarios[s]!.weight;
    for (const l of posLegs) positionPnl[s] = positionPnl[s]! + l.live * l.pnl[s]! * w;
    orders.forEach((o, j) => {
      const l = ordLegs[j]!;
      if (l.coins === 0) return;
      // A fill at the order's price against the scenario's price: only an adverse gap counts.
      const scenarioPrice = l.price + l.pnl[s]! / l.coins;
      const gap = l.coins > 0 ? o.price - scenarioPrice : scenarioPrice - o.price;
      orderPnl[s] = orderPnl[s]! - Math.abs(l.coins) * l.live * Math.max(0, gap) * w;
    });
  }
  const lossOf = (pnl: (s: number) => number): { loss: number; at: number } => {
    let best = { loss: 0, at: 0 };
    order.forEach((s, i) => {
      const loss = Math.max(0, -pnl(s));
      if (loss > best.loss) best = { loss, at: i };
    });
    return best;
  };
  const worst = lossOf((s) => positionPnl[s]! + orderPnl[s]!);
  const positionWorst = lossOf((s) => positionPnl[s]!).loss;

  const f = p.minimumDelta ?? { net: 0, hedged: 0 };
  const longOf = (ls: Leg[]): number => ls.reduce((a, l) => a + Math.max(l.delta, 0), 0);
  const shortOf = (ls: Leg[]): number => ls.reduce((a, l) => a - Math.min(l.delta, 0), 0);
  const mL = longOf(posLegs);
  const mS = shortOf(posLegs);
  const maxL = mL + longOf(ordLegs);
  const maxS = mS + shortOf(ordLegs);
  const maxU = Math.max(0, maxL - mS, maxS - mL);
  const hedged = Math.max(0, Math.max(maxL, maxS) - maxU);
  const deltaMin = (hedged * f.hedged + maxU * f.net) * spot;
  const positionDelta = mL - mS;
  const positionDeltaMin = (f.net * Math.abs(positionDelta) + f.hedged * ((mL + mS - Math.abs(positionDelta)) / 2)) * spot;

  // Funding: a long perpetual pays a positive rate; the provision reserves what would be paid.
  const rate = (market.get(u)!.fundingRate8h * rules.fundingProvisionHours) / 8;
  const cost = (l: Leg): number => (l.perpetual ? rate * l.coins * spot : 0);
  const positionFunding = posLegs.reduce((a, l) => a + cost(l), 0);
  const pF = Math.max(0, positionFunding);
  const fundP = rules.orderFunding === "netted"
    ? Math.max(0, ordLegs.reduce((a, l) => a + cost(l), positionFunding))
    : pF + ordLegs.reduce((a, l) => a + Math.max(0, cost(l)), 0);

  const fee = (l: Leg): number => Math.abs(l.coins) * (l.option ? Math.min(feeRate * spot, rules.optionFeeCap * l.price) : feeRate * l.price);
  const feeMmr = posLegs.reduce((a, l) => a + fee(l), 0);
  const feeImr = ordLegs.reduce((a, l) => a + fee(l), feeMmr);
  const spotBalance = positions.reduce((a, q) => (q.kind === "spot" ? a + Math.abs(q.quantity) * spot : a), 0);

  const states = new Map(p.volStates.map((v) => [v.name, v.shift]));
  const table = order.map((s): ParadexScenario => ({ spot_shock: scenarios[s]!.move, vol_shock: states.get(scenarios[s]!.vol)!, weight: scenarios[s]!.weight }));
  const orderDelta = longOf(ordLegs) - shortOf(ordLegs);
  return {
    base_asset: u,
    spot,
    IMR: Math.max(worst.loss, deltaMin) + fundP + feeImr + spotBalance,
    MMR: profile.mmFactor * Math.max(positionWorst, positionDeltaMin) + pF + feeMmr + spotBalance,
    worst_loss: worst.loss,
    worst_idx: worst.at,
    worst_scenario: table[worst.at]!,
    delta_min: deltaMin,
    maxL, maxS, maxU, hedged,
    fund_p: fundP,
    fee_provision_imr: feeImr,
    fee_provision_mmr: feeMmr,
    spot_balance_margin: spotBalance,
    position_delta: positionDelta,
    order_delta: orderDelta,
    portfolio_delta: positionDelta + orderDelta,
    position_worst_loss: positionWorst,
    position_delta_min: positionDeltaMin,
    scenarios: table,
    position_pnl: order.map((s) => positionPnl[s]!),
    order_pnl: order.map((s) => orderPnl[s]!),
  };
}

/** Every leg revalued on the grid in one book: its USD PnL per scenario, its price, delta and live share now. */
function priceLegs(backend: Backend, instruments: Position[], scenarios: GridScenario[], p: UnderlyingGridParams, market: Market, rules: ParadexRules): Leg[] {
  if (instruments.length === 0) return [];
  const book = backend.compile(instruments, market, {
    volShiftWeight: (days) => termWeight(p.volScaling, days), moves: scenarios.map((sc) => log(1 + sc.move)), stickyStrike: p.smile === "stickyStrike",
  });
  const rows = backend.revalue(book, gridScenarioSet(book.underlyings, scenarios, p), { reduce: "rows" }).positions!;
  const values = valueBook(backend, book, market).positions;
  const twapMinutes = rules.settlementTwapMinutes;
  return instruments.map((q, k): Leg => {
    const coins = q.quantity * (q.kind === "spot" ? 1 : (q.contractSize ?? 1));
    const minutesLeft = q.kind === "option" ? market.yearFraction(q.expiry) * DAYS_PER_YEAR * 24 * 60 : Infinity;
    return {
      coins,
      price: values[k]!.price,
      delta: values[k]!.delta,
      option: q.kind === "option",
      perpetual: q.kind === "future" && q.expiry === undefined,
      live: minutesLeft >= twapMinutes ? 1 : Math.max(minutesLeft, 0) / twapMinutes,
      pnl: rows[k]!,
    };
  });
}
