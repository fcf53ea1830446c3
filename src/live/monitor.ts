// Continuous margin monitoring: a stream of updates (prices, surfaces, fills, orders)
// re-margins the book incrementally (LiveGridMargin) and keeps EWMA volatilities and
// correlations current from the prices (EwmaTracker); events say what a risk desk
// must look at — the margin moved beyond a threshold, the volatility or correlation
// regime shifted, a hypothetical order's incremental margin.
import { addOns, type AddOns } from "../account/addons.js";
import { collateralPositions, heldCollateral } from "../account/collateral.js";
import { marginStatus, type MarginState, type MarginStatus } from "../account/status.js";
import { checkedThresholds, isStable, type Account, type AddOnParams, type StatusThresholds } from "../model/account.js";
import { assertBackend, type Backend } from "../engine/backend.js";
import { expectObject, InputError } from "../errors.js";
import { checkedMarketData } from "../market/market.js";
import type { GridMarginResult } from "../methods/grid/grid.js";
import type { MarginProfile } from "../model/profile.js";
import type { MarketData, Position } from "../model/types.js";
import { isoDateToMillis } from "../schema/dates.js";
import { checkAccountAgainstMarket } from "../schema/account.js";
import { parseJson } from "../schema/json.js";
import { parseUpdate, type Update } from "../schema/updates.js";
import { EwmaTracker, type EwmaOptions } from "./ewma.js";
import { LiveGridMargin } from "./live-grid.js";
import { checked } from "../schema/checked.js";
import { parseAccount } from "../schema/account.js";

export interface MonitorOptions {
  profile: MarginProfile;
  /**
   * An account whose status to follow: its venues' positions join the book, its coin
   * collateral is margined with it (as a long spot of the haircut quantity, measured in
   * USD, as accountMargin() does), and a status event fires when its state changes.
   * Its IM and MM carry the liquidity and concentration add-ons, as accountMargin()'s do.
   */
  account?: Account;
  /** A margin event when IM has moved by more than this fraction since the last one (default 0.05). */
  marginChange?: number;
  ewma?: EwmaOptions;
  /** A regime event when an EWMA vol has moved by more than this fraction since the last reference (default 0.5). */
  volJump?: number;
  /** … or an EWMA correlation by more than this, absolute (default 0.3). */
  correlationJump?: number;
}

export interface Stamped {
  /** The update's time, when it gave one. */
  time?: string;
}

export type MonitorEvent = Stamped & (
  | { type: "margin"; cause: Update["type"]; initial: number; maintenance: number; previousInitial: number; previousMaintenance: number; change: number }
  | { type: "regime"; measure: "volatility"; underlying: string; from: number; to: number }
  | { type: "regime"; measure: "correlation"; underlyings: [string, string]; from: number; to: number }
  | { type: "order"; id: string; initial: number; maintenance: number; incrementalInitial: number; incrementalMaintenance: number }
  | { type: "status"; from: MarginState; to: MarginState; status: MarginStatus & { addOns: AddOns } }
);

/** An account's collateral as the monitor values it. */
interface FollowedAccount {
  thresholds: StatusThresholds;
  addOns?: AddOnParams;
  /** Ids of the collateral's spot positions in the live book: margined, but not closed out. */
  collateralIds: Set<string>;
  /** The stables after haircuts, USD: fixed (no scenario moves them); coins are in the book. */
  stablesUsd: number;
  state: MarginState;
}

/**
 * Continuous monitoring of a book (and optionally an account): margin events when IM or MM move by `marginChange`, regime events from streamed EWMA vols and correlations, order checks and status changes.
 *
 * @example
 * ```ts
 * import { builtInProfile, MarginMonitor, watch } from "pmargin";
 * const monitor = new MarginMonitor(engine, portfolio.positions, marketData, { profile: builtInProfile("deribit"), marginChange: 0.01 });
 * for await (const event of watch(monitor, updates)) console.log(JSON.stringify(event));
 * ```
 */
export class MarginMonitor {
  readonly live: LiveGridMargin;
  readonly ewma: EwmaTracker;
  private readonly marginChange: number;
  private readonly volJump: number;
  private readonly correlationJump: number;
  /** IM and MM at the last margin event (or the start). */
  private reported: { initial: number; maintenance: number };
  /** EWMA estimates regime shifts are measured from: set when they become ready, reset at each shift. */
  private refVols: Float64Array | null = null;
  private refCorrelations: Float64Array | null = null;
  private readonly account: FollowedAccount | null = null;

  constructor(backend: Backend, positions: readonly Position[], marketData: MarketData, options: MonitorOptions) {
    assertBackend(backend);
    marketData = checkedMarketData(marketData, "market");
    expectObject(options, "options", "{ profile, ... }");
    this.marginChange = checkedFraction("marginChange", options.marginChange ?? 0.05);
    this.volJump = checkedFraction("volJump", options.volJump ?? 0.5);
    this.correlationJump = checkedFraction("correlationJump", options.correlationJump ?? 0.3);
    const account = options.account === undefined ? undefined : checked(options.account, "account", parseAccount, "");
    let book = positions;
    if (account) {
      checkAccountAgainstMarket(account, marketData);
      const held = account.venues.flatMap((venue, v) => heldCollateral(account, venue, v));
      const collateral = collateralPositions(held);
      book = [...positions, ...account.venues.flatMap((venue) => venue.positions ?? []), ...collateral];
      const stablesUsd = held.filter((c) => isStable(c.asset)).reduce((a, c) => a + c.quantity * (1 - c.haircut), 0);
      const collateralIds = new Set(collateral.map((c) => c.id!));
      this.account = { thresholds: checkedThresholds(account.thresholds), ...(account.addOns ? { addOns: account.addOns } : {}), collateralIds, stablesUsd, state: "healthy" };
    }
    this.live = new LiveGridMargin(backend, book, marketData, { profile: options.profile, ...(account ? { measureIn: "USD" as const } : {}) });
    this.ewma = new EwmaTracker(Object.keys(this.live.marketData.underlyings), options.ewma);
    const m = this.live.margin;
    this.reported = { initial: m.initial, maintenance: m.maintenance };
    if (this.account) this.account.state = this.status()!.state;
  }

  /**
   * The followed account's status now, as accountMargin() reports it (null without an account):
   * equity = stables + the book's value (coin collateral included); IM and MM = the grid's +
   * the add-ons of the positions (from the values the live book already holds).
   */
  status(): (MarginStatus & { addOns: AddOns }) | null {
    const account = this.account;
    if (!account) return null;
    const m = this.live.margin;
    const { positions, values, market } = this.live.valuation();
    const held = positions.map((p, i) => ({ p, v: values[i]! })).filter(({ p }) => !account.collateralIds.has(p.id ?? ""));
    const extra = addOns(held.map((h) => h.p), held.map((h) => h.v), this.live.marketData, market, account.addOns);
    const charge = extra.liquidity.usd + extra.concentration.usd;
    const equity = account.stablesUsd + m.underlyings.reduce((a, u) => a + u.valueUsd, 0);
    return { ...marginStatus(equity, m.initial + charge, m.maintenance + charge, account.thresholds), addOns: extra };
  }

  get margin(): GridMarginResult {
    return this.live.margin;
  }

  /** Applies one update (validated) and returns the events it raised, possibly none. */
  apply(input: unknown): MonitorEvent[] {
    const update = parseUpdate(input);
    const time = update.type === "asOf" ? update.asOf : update.time;
    const stamp = time === undefined ? {} : { time };
    const events: MonitorEvent[] = [];
    if (update.type === "price") {
      if (time === undefined) throw new InputError("time", "a price update needs a time: the EWMA estimates sample prices by it");
      const u = this.ewma.names.indexOf(update.underlying);
      // An unknown underlying moves no estimate: the live book below refuses it by name.
      if (u >= 0 && this.ewma.observe(u, update.index, isoDateToMillis(time)!)) events.push(...this.regimeShifts(stamp));
    }
    const result = this.live.update(update);
    if (result.order) events.push({ type: "order", ...stamp, ...result.order });
    const { initial, maintenance } = result.margin;
    const change = relativeChange(this.reported.initial, initial);
    if (Math.abs(change) > this.marginChange) {
      events.push({
        type: "margin", ...stamp, cause: update.type, initial, maintenance,
        previousInitial: this.reported.initial, previousMaintenance: this.reported.maintenance, change,
      });
      this.reported = { initial, maintenance };
    }
    // An order leaves the book as it is, so the status cannot move.
    const status = update.type === "order" ? null : this.status();
    if (status && status.state !== this.account!.state) {
      events.push({ type: "status", ...stamp, from: this.account!.state, to: status.state, status });
      this.account!.state = status.state;
    }
    return events;
  }

  /** EWMA vols and correlations now (NaN until an underlying has a return). */
  estimates(): { ready: boolean; returns: number; vols: Record<string, number>; correlations: { underlyings: [string, string]; value: number }[] } {
    const names = this.ewma.names;
    return {
      ready: this.ewma.ready,
      returns: this.ewma.returns,
      vols: Object.fromEntries(names.map((n, i) => [n, this.ewma.vol(i)])),
      correlations: pairs(names.length).map(([a, b]) => ({ underlyings: [names[a]!, names[b]!], value: this.ewma.correlation(a, b) })),
    };
  }

  private regimeShifts(stamp: Stamped): MonitorEvent[] {
    const { ewma } = this;
    if (!ewma.ready) return [];
    const names = ewma.names;
    const pairsOf = pairs(names.length);
    const vols = Float64Array.from(names, (_, i) => ewma.vol(i));
    const correlations = Float64Array.from(pairsOf, ([a, b]) => ewma.correlation(a, b));
    const refVols = (this.refVols ??= vols.slice());
    const refCorrelations = (this.refCorrelations ??= correlations.slice());
    const events: MonitorEvent[] = [];
    vols.forEach((to, i) => {
      const from = refVols[i]!;
      if (Math.abs(relativeChange(from, to)) > this.volJump) {
        events.push({ type: "regime", ...stamp, measure: "volatility", underlying: names[i]!, from, to });
        refVols[i] = to;
      }
    });
    pairsOf.forEach(([a, b], k) => {
      const from = refCorrelations[k]!;
      const to = correlations[k]!;
      if (Math.abs(to - from) > this.correlationJump) {
        events.push({ type: "regime", ...stamp, measure: "correlation", underlyings: [names[a]!, names[b]!], from, to });
        refCorrelations[k] = to;
      }
    });
    return events;
  }
}

/** A bad update, reported in the stream instead of ending it. */
export interface StreamError {
  type: "error";
  /** Its position in the stream, from 1 (a JSON-lines input: its line number). */
  update: number;
  field: string;
  message: string;
}

/**
 * Events from a stream of updates, for `for await`: each update — an object, or the
 * text of one JSON line (blank lines are skipped) — applied in turn; a bad one
 * (InputError) becomes an error event and the stream goes on.
 *
 * @example
 * ```ts
 * import { MarginMonitor, watch } from "pmargin";
 * for await (const event of watch(monitor, [{ type: "price", underlying: "BTC", index: 95_000 }])) {
 *   if (event.type === "margin") console.log(event.initial);
 * }
 * ```
 */
export async function* watch(monitor: MarginMonitor, updates: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<MonitorEvent | StreamError> {
  let n = 0;
  for await (const update of updates) {
    n++;
    if (typeof update === "string" && update.trim() === "") continue;
    try {
      yield* monitor.apply(typeof update === "string" ? parseJson(update) : update);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      yield { type: "error", update: n, field: error.path, message: error.reason };
    }
  }
}

const pairs = (n: number): [number, number][] =>
  Array.from({ length: n }, (_, a) => Array.from({ length: n - a - 1 }, (_, k): [number, number] => [a, a + 1 + k])).flat();

/** (to − from) / |from|; a move from 0 is infinite unless to is 0 too. */
function relativeChange(from: number, to: number): number {
  if (from === 0) return to === 0 ? 0 : Math.sign(to) * Infinity;
  return (to - from) / Math.abs(from);
}

function checkedFraction(field: string, x: number): number {
  if (!(x >= 0 && Number.isFinite(x))) throw new InputError(field, `must be a finite number ≥ 0, got ${x}`);
  return x;
}
