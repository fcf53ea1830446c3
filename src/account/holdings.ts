// The margin status of a set of holdings — positions and collateral, of one venue or
// several — on one market, by one margin method: the figure every part of an account
// report (combined, per venue, after a venue fails, at a moved market) is made of.
import type { Backend } from "../engine/backend.js";
import type { Market } from "../market/market.js";
import { headlineMargin, marginMovingOne, type MarginMethod } from "../methods/margin.js";
import type { MarketData, Position } from "../model/types.js";
import { valueBook, type PositionValue } from "../methods/valuation.js";
import { addOns, type AddOns } from "./addons.js";
import { measuredBook, valueCollateral, type CollateralValue, type HeldCollateral } from "./collateral.js";
import { marginStatus, type MarginStatus } from "./status.js";
import type { AddOnParams, StatusThresholds } from "../model/account.js";

export interface Holdings {
  positions: Position[];
  collateral: HeldCollateral[];
}

/** The market twice: as data (the add-ons read its liquidity) and built (what the methods price with). */
export interface MarketPair {
  data: MarketData;
  market: Market;
}

export interface HoldingsMargin extends MarginStatus {
  /** What the base margin is: "deribit grid", "ES 97.5% Monte Carlo, …", or "nothing at risk". */
  basis: string;
  collateral: CollateralValue[];
  /** Collateral after haircuts, USD. */
  collateralValue: number;
  /** Mark value of the positions, USD: options at their premium, futures at their PnL against entryPrice (0 without), spot at its value. */
  positionsValue: number;
  /** The method's margin of the positions and the coin collateral, before add-ons. */
  base: { initial: number; maintenance: number };
  /** Added to both IM and MM: both must cover closing out in a stressed market. */
  addOns: AddOns;
}

export interface HoldingsParams {
  addOns?: AddOnParams;
  thresholds: StatusThresholds;
}

/** Equity = collateral after haircuts + the positions' value; IM and MM = the method's + the add-ons. */
export function holdingsMargin(backend: Backend, h: Holdings, m: MarketPair, method: MarginMethod, params: HoldingsParams): HoldingsMargin {
  const values: PositionValue[] = h.positions.length > 0 ? valueBook(backend, backend.compile(h.positions, m.market), m.market).positions : [];
  const book = measuredBook(h.positions, h.collateral);
  // The methods refuse to measure an empty book: it needs no margin.
  const base = book.length > 0 ? headlineMargin(backend, book, m.market, inUsd(method)) : NOTHING_AT_RISK;
  return assembled(h, m, values, base, params);
}

/**
 * holdingsMargin at markets that differ from `m` only in underlying `u`, for the
 * distance-to-liquidation search: the positions on the other underlyings are valued
 * (and by a grid margined) once, at `m`; each move revalues and re-margins u's alone.
 * The same figures as holdingsMargin at the moved market, bit for bit.
 */
export function holdingsMarginMovingOne(
  backend: Backend, h: Holdings, m: MarketPair, method: MarginMethod, params: HoldingsParams, u: string,
): (moved: MarketPair) => HoldingsMargin {
  const kept = valuesOf(backend, h.positions, m.market, (p) => p.underlying !== u);
  const book = measuredBook(h.positions, h.collateral);
  const base = book.length > 0 ? marginMovingOne(backend, book, m.market, inUsd(method), u) : () => NOTHING_AT_RISK;
  return (moved) => {
    const mine = valuesOf(backend, h.positions, moved.market, (p) => p.underlying === u);
    return assembled(h, moved, h.positions.map((_, i) => kept.get(i) ?? mine.get(i)!), base(moved.market), params);
  };
}

const NOTHING_AT_RISK = { basis: "nothing at risk", initial: 0, maintenance: 0 };

// Equity is in USD, so risk is too: a coin-settled book with coin collateral measured in
// its coin (as a venue's grid does) would never see the collateral fall.
const inUsd = (method: MarginMethod): MarginMethod => (method.method === "grid" ? { ...method, measureIn: "USD" } : method);

/** The values of the positions `which` picks, by their index in `positions` (ids as valueBook gives the whole book). */
function valuesOf(backend: Backend, positions: readonly Position[], market: Market, which: (p: Position) => boolean): Map<number, PositionValue> {
  const at = positions.flatMap((p, i) => (which(p) ? [i] : []));
  if (at.length === 0) return new Map();
  const values = valueBook(backend, backend.compile(at.map((i) => positions[i]!), market), market).positions;
  return new Map(at.map((i, k) => [i, positions[i]!.id === undefined ? { ...values[k]!, id: String(i) } : values[k]!]));
}

function assembled(h: Holdings, m: MarketPair, values: PositionValue[], base: { basis: string; initial: number; maintenance: number }, params: HoldingsParams): HoldingsMargin {
  const collateral = valueCollateral(h.collateral, m.market);
  const collateralValue = collateral.reduce((a, c) => a + c.haircutValueUsd, 0);
  const positionsValue = values.reduce((a, p) => a + p.valueUsd, 0);
  const extra = addOns(h.positions, values, m.data, m.market, params.addOns);
  const charge = extra.liquidity.usd + extra.concentration.usd;
  return {
    ...marginStatus(collateralValue + positionsValue, base.initial + charge, base.maintenance + charge, params.thresholds),
    basis: base.basis,
    collateral,
    collateralValue,
    positionsValue,
    base: { initial: base.initial, maintenance: base.maintenance },
    addOns: extra,
  };
}
