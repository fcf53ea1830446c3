// A long-lived scenario-grid margin: the book and the market stay with the engine,
// and an update re-margins only the underlying it touches. Underlyings are margined
// independently and then combined, so a BTC tick recompiles, revalues and measures
// BTC's positions alone; every other underlying's result is kept. The result is
// always the one gridMargin() computes from scratch on the same book and market,
// bit for bit — only less of it is recomputed.
import { assertBackend, type Backend } from "../engine/backend.js";
import { checkedProfile } from "../schema/profile.js";
import { InputError, refuseUnknownKeys } from "../errors.js";
import { checkedMarketData, marketFrom, movedUnderlying, withUnderlying, type Market } from "../market/market.js";
import { combineInMarketOrder, underlyingMargin, valuedUnderlyingMargin, type GridMarginResult, type GridOptions, type UnderlyingGridMargin } from "../methods/grid/grid.js";
import { instrumentKey, type ForwardQuote, type MarketData, type Position, type UnderlyingMarket, type VolSlice } from "../model/types.js";
import { checkPriceable } from "../schema/cross.js";
import { parseMarket } from "../schema/index.js";
import { parseUnderlyingMarket } from "../schema/market.js";
import { parseUpdate, type Update } from "../schema/updates.js";
import type { PositionValue } from "../methods/valuation.js";
import { checkedPositions } from "../market/positions.js";

/** What an update changed: the margin after it, and for an order its incremental margin. */
export interface LiveResult {
  margin: GridMarginResult;
  /** For an order: the margin with it, and its increment; the book is unchanged. */
  order?: { id: string; initial: number; maintenance: number; incrementalInitial: number; incrementalMaintenance: number };
}

/** The grid options a live margin keeps. */
export type LiveGridOptions = Omit<GridOptions, "perPosition">;

/**
 * Scenario-grid margin of a live book, kept current as prices, surfaces and positions change: an update re-margins only the underlying it touches, with full re-margining's bits. Takes the MarketData (it is updated in place of a rebuild).
 *
 * @example
 * ```ts
 * import { builtInProfile, LiveGridMargin, prepareInputs } from "pmargin";
 * const { portfolio, marketData } = prepareInputs(portfolioJson, marketJson);
 * const live = new LiveGridMargin(engine, portfolio.positions, marketData, { profile: builtInProfile("deribit") });
 * live.setPrice("BTC", 95_000).initial; // only BTC's book is re-margined
 * ```
 */
export class LiveGridMargin {
  private readonly options: LiveGridOptions;
  private data: MarketData;
  private market: Market;
  private book: Position[] = [];
  /** Each held underlying's margin, positions (in book order) and their values now, from its last re-margin. */
  private readonly parts = new Map<string, { margin: UnderlyingGridMargin; positions: Position[]; values: PositionValue[] }>();
  private current: GridMarginResult;

  constructor(
    private readonly backend: Backend,
    positions: readonly Position[],
    marketData: MarketData,
    options: LiveGridOptions,
  ) {
    assertBackend(backend);
    refuseUnknownKeys(options ?? {}, ["profile", "measureIn", "mmp"], "options");
    this.options = { ...options, profile: checkedProfile(options?.profile, "options.profile") };
    this.data = checkedMarketData(marketData, "market");
    this.market = marketFrom(this.data);
    // A live book may start empty and fill up.
    this.book = [...checkedPositions(positions, this.market)];
    const ids = new Map<string, number>();
    this.book.forEach((p, i) => {
      if (p.id === undefined) return;
      if (ids.has(p.id)) throw new InputError(`positions[${i}].id`, `duplicate id ${p.id} (also positions[${ids.get(p.id)}]); a live book finds positions by id`);
      ids.set(p.id, i);
    });
    for (const u of this.market.names) this.remargin(u);
    this.current = this.combine();
  }

  /** The margin now. */
  get margin(): GridMarginResult {
    return this.current;
  }

  get positions(): readonly Position[] {
    return this.book;
  }

  get marketData(): MarketData {
    return this.data;
  }

  /** Applies one update (validated here) and returns the margin after it. */
  apply(input: unknown): LiveResult {
    return this.update(parseUpdate(input));
  }

  /** Applies one update already validated by parseUpdate. */
  update(update: Update): LiveResult {
    switch (update.type) {
      case "price": return { margin: this.setPrice(update.underlying, update.index, update.forwards) };
      case "surface": return { margin: this.setSurface(update.underlying, update.surface) };
      case "fill": return { margin: this.filled(this.priceable(update.position)) };
      case "remove": return { margin: this.remove(update.id) };
      case "asOf": return { margin: this.setAsOf(update.asOf) };
      case "order": return { margin: this.current, order: this.ordered(this.priceable(update.position)) };
    }
  }

  /**
   * A new index price. Forwards and a strike-noded smile move in proportion (sticky
   * moneyness, as in every margin method's scenarios) unless new forward quotes are given.
   */
  setPrice(underlying: string, index: number, forwards?: ForwardQuote[]): GridMarginResult {
    const old = this.underlyingData(underlying);
    const moved = { ...movedUnderlying(old, index / old.index), index };
    return this.setUnderlying(underlying, forwards ? { ...moved, forwards } : moved);
  }

  setSurface(underlying: string, surface: VolSlice[]): GridMarginResult {
    return this.setUnderlying(underlying, { ...this.underlyingData(underlying), surface });
  }

  /** Replaces one underlying's market data; only its positions are re-margined. */
  setUnderlying(underlying: string, data: UnderlyingMarket): GridMarginResult {
    this.underlyingData(underlying);
    const checked = parseUnderlyingMarket(underlying, data, this.data.asOf);
    const next: MarketData = { asOf: this.data.asOf, underlyings: { ...this.data.underlyings, [underlying]: checked } };
    // Positions must stay priceable: an option needs a surface.
    checkPriceable({ positions: this.book.filter((p) => p.underlying === underlying) }, next);
    this.data = next;
    this.market = withUnderlying(this.market, underlying, checked);
    return this.changed(underlying);
  }

  /** A trade: adds to the position with the same id (the same instrument) or opens one. */
  fill(position: Position): GridMarginResult {
    return this.filled(this.checked(position));
  }

  private filled(p: Position): GridMarginResult {
    const at = p.id === undefined ? -1 : this.book.findIndex((q) => q.id === p.id);
    if (at < 0) {
      this.book.push(p);
    } else {
      const held = this.book[at]!;
      if (instrumentKey(held) !== instrumentKey(p)) {
        throw new InputError("position.id", `${p.id} is held as a different instrument (${instrumentKey(held)}); a fill adds to the same one`);
      }
      const quantity = held.quantity + p.quantity;
      if (quantity === 0) this.book.splice(at, 1);
      else this.book[at] = { ...held, quantity };
    }
    return this.changed(p.underlying);
  }

  /** Closes the position with this id. */
  remove(id: string): GridMarginResult {
    const at = this.book.findIndex((q) => q.id === id);
    if (at < 0) throw new InputError("id", `no position with id ${id}`);
    const [gone] = this.book.splice(at, 1);
    return this.changed(gone!.underlying);
  }

  /** Moves the valuation time: every option ages, so everything is re-margined. */
  setAsOf(asOf: string): GridMarginResult {
    const next = parseMarket({ ...this.data, asOf });
    checkPriceable({ positions: this.book }, next);
    this.data = next;
    this.market = marketFrom(next);
    this.parts.clear();
    for (const u of this.market.names) this.remargin(u);
    this.current = this.combine();
    return this.current;
  }

  /** The incremental margin of a hypothetical order: its underlying re-margined with it, the book untouched. */
  order(position: Position): NonNullable<LiveResult["order"]> {
    return this.ordered(this.checked(position));
  }

  private ordered(p: Position): NonNullable<LiveResult["order"]> {
    const u = p.underlying;
    const withOrder = underlyingMargin(this.backend, [...this.book.filter((q) => q.underlying === u), p], u, this.market, this.options);
    const after = this.combine(new Map([[u, withOrder]]));
    return {
      id: p.id ?? "order",
      initial: after.initial,
      maintenance: after.maintenance,
      incrementalInitial: after.initial - this.current.initial,
      incrementalMaintenance: after.maintenance - this.current.maintenance,
    };
  }

  private changed(underlying: string): GridMarginResult {
    this.remargin(underlying);
    this.current = this.combine();
    return this.current;
  }

  private remargin(u: string): void {
    const mine = this.book.filter((p) => p.underlying === u);
    if (mine.length === 0) {
      this.parts.delete(u);
      return;
    }
    const { margin, values } = valuedUnderlyingMargin(this.backend, mine, u, this.market, this.options);
    this.parts.set(u, { margin, positions: mine, values });
  }

  /** The book's positions, underlying by underlying in market order, with their values and Greeks now (no recomputation). */
  valuation(): { positions: Position[]; values: PositionValue[]; market: Market } {
    const parts = this.market.names.flatMap((u) => this.parts.get(u) ?? []);
    return { positions: parts.flatMap((p) => p.positions), values: parts.flatMap((p) => p.values), market: this.market };
  }

  /** The portfolio's margin from the underlyings' (in market order, as gridMargin), with some replaced. */
  private combine(replaced?: Map<string, UnderlyingGridMargin>): GridMarginResult {
    return combineInMarketOrder(this.options.profile, this.market, (u) => replaced?.get(u) ?? this.parts.get(u)?.margin);
  }

  private underlyingData(underlying: string): UnderlyingMarket {
    const data = Object.hasOwn(this.data.underlyings, underlying) ? this.data.underlyings[underlying] : undefined;
    if (!data) throw new InputError("underlying", `unknown underlying ${underlying} (the market has ${Object.keys(this.data.underlyings).join(", ")})`);
    return data;
  }

  /** A position (of a fill or order) validated against the schema and the market now; errors name `position.…`. */
  private checked(position: unknown): Position {
    return this.priceable((parseUpdate({ type: "fill", position }) as { position: Position }).position);
  }

  /** A position the schema has passed, checked against the market now (an option needs a surface, …). */
  private priceable(p: Position): Position {
    try {
      checkPriceable({ positions: [p] }, this.data);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.path.replace(/^positions\[0\]/, "position"), error.reason);
      throw error;
    }
    return p;
  }
}
