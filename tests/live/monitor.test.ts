// The margin monitor: margin events exactly when IM has moved beyond the threshold
// (against from-scratch margins), regime events when the EWMA vol or correlation
// jumps, order events equal to what-if, and a stream that survives bad updates.
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { InputError } from "../../src/errors.js";
import { MarginMonitor, watch, type MonitorEvent } from "../../src/live/monitor.js";
import { buildMarket } from "../../src/market/market.js";
import { gridMargin } from "../../src/methods/grid/grid.js";
import { builtInProfile } from "../../src/schema/profiles.js";
import { whatIf } from "../../src/methods/margin.js";
import { accountMargin } from "../../src/account/account.js";
import type { Account } from "../../src/model/account.js";
import type { MarketData, Position } from "../../src/model/types.js";
import { AS_OF, expiryIn, prng, syntheticMarket, syntheticPositions } from "../fixtures/synthetic.js";

const engine = await createEngine();
const profile = builtInProfile("deribit");
const data = syntheticMarket();
const book = syntheticPositions(30, 6, 8);
const at = (minutes: number) => new Date(Date.parse(AS_OF) + minutes * 60_000).toISOString();
const withIndex = (market: MarketData, u: string, index: number): MarketData =>
  ({ ...market, underlyings: { ...market.underlyings, [u]: { ...market.underlyings[u]!, index } } });

/** Standard normals from a seeded uniform source (Box–Muller). */
function normals(seed: number): () => number {
  const u = prng(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

describe("margin monitor", () => {
  it("raises a margin event exactly when IM has moved more than the threshold since the last one", () => {
    const monitor = new MarginMonitor(engine, book, data, { profile, marginChange: 0.03 });
    let market = data;
    let reported = gridMargin(engine, book, buildMarket(data), { profile }).initial;
    let expected = 0;
    for (let i = 1; i <= 40; i++) {
      const index = data.underlyings.BTC!.index * (1 - 0.006 * i);
      market = withIndex(market, "BTC", index);
      const events = monitor.apply({ type: "price", time: at(i), underlying: "BTC", index }).filter((e) => e.type === "margin");
      const im = gridMargin(engine, book, buildMarket(market), { profile }).initial;
      if (Math.abs(im - reported) / reported > 0.03) {
        expect(events).toEqual([expect.objectContaining({ type: "margin", cause: "price", time: at(i), initial: im, previousInitial: reported })]);
        reported = im;
        expected++;
      } else {
        expect(events).toEqual([]);
      }
    }
    expect(expected).toBeGreaterThan(1);
  });

  it("raises regime events when a vol jumps and when a correlation jumps, not in the calm before", () => {
    const monitor = new MarginMonitor(engine, book, data, { profile, ewma: { intervalMs: 60_000, lambda: 0.97, seed: 30 }, volJump: 0.5, correlationJump: 0.5 });
    const z = normals(3);
    const price = { BTC: 100_000, ETH: 3_500, SOL: 150 };
    const perMinute = 0.5 / Math.sqrt(365 * 1440);
    const events: { minute: number; e: MonitorEvent }[] = [];
    for (let minute = 0; minute < 240; minute++) {
      // Calm and independent for 120 minutes; then BTC's vol quadruples (minute 120) and SOL follows ETH (minute 180).
      price.BTC *= Math.exp(z() * perMinute * (minute >= 120 ? 4 : 1));
      const eth = z() * perMinute;
      price.ETH *= Math.exp(eth);
      price.SOL *= Math.exp(minute >= 180 ? eth : z() * perMinute);
      for (const u of ["BTC", "ETH", "SOL"] as const) {
        for (const e of monitor.apply({ type: "price", time: at(minute), underlying: u, index: price[u] })) if (e.type === "regime") events.push({ minute, e });
      }
    }
    expect(events.filter(({ minute }) => minute < 120)).toEqual([]);
    const vol = events.find(({ e }) => e.type === "regime" && e.measure === "volatility" && e.underlying === "BTC");
    expect(vol!.minute).toBeGreaterThanOrEqual(120);
    expect(vol!.minute).toBeLessThan(140);
    expect((vol!.e as { to: number; from: number }).to).toBeGreaterThan(1.5 * (vol!.e as { from: number }).from);
    const corr = events.find(({ e }) => e.type === "regime" && e.measure === "correlation" && e.underlyings.join() === "ETH,SOL");
    expect(corr!.minute).toBeGreaterThanOrEqual(180);
    const jump = corr!.e as { from: number; to: number };
    expect(jump.to - jump.from).toBeGreaterThan(0.5);
    const estimates = monitor.estimates();
    expect(estimates.ready).toBe(true);
    // The last 60 returns (correlation 1) weigh 1 − 0.97^60 ≈ 0.84 of the estimate.
    expect(estimates.correlations.find((c) => c.underlyings.join() === "ETH,SOL")!.value).toBeGreaterThan(0.65);
  });

  it("an order event carries the what-if incremental margin and the book stays as it was", () => {
    const monitor = new MarginMonitor(engine, book, data, { profile });
    const order: Position = { id: "buy puts", kind: "option", underlying: "SOL", settlement: "linear", right: "put", strike: 120, expiry: expiryIn(60), quantity: 500, contractSize: 1 };
    const [event] = monitor.apply({ type: "order", time: at(1), position: order });
    const expected = whatIf(engine, book, buildMarket(data), [order], { method: "grid", profile });
    expect(event).toMatchObject({ type: "order", time: at(1), id: "buy puts", incrementalInitial: expected.orders[0]!.incrementalInitial });
    expect(monitor.margin.initial).toBe(expected.before.initial);
  });

  it("watch() turns a stream into events; a bad update becomes an error event and the stream goes on", async () => {
    const monitor = new MarginMonitor(engine, book, data, { profile, marginChange: 0 });
    async function* stream() {
      yield { type: "price", time: at(1), underlying: "ETH", index: 3_400 };
      yield { type: "price", time: at(2), underlying: "ETH", index: -1 };
      yield { type: "price", underlying: "ETH", index: 3_300 };
      yield { type: "fill", time: at(3), position: { id: "hedge", kind: "future", underlying: "ETH", settlement: "linear", quantity: -10 } };
    }
    const events = [];
    for await (const e of watch(monitor, stream())) events.push(e);
    expect(events.map((e) => e.type)).toEqual(["margin", "error", "error", "margin"]);
    expect(events[1]).toMatchObject({ update: 2, field: "index" });
    expect(events[2]).toMatchObject({ update: 3, field: "time" });
    const positions = [...book, { id: "hedge", kind: "future", underlying: "ETH", settlement: "linear", quantity: -10 } as Position];
    expect(monitor.margin).toEqual(gridMargin(engine, positions, buildMarket(withIndex(data, "ETH", 3_400)), { profile }));
  });

  it("follows an account: its status (add-ons included) is accountMargin()'s at every tick, and a status event fires at each change of state", () => {
    // Short BTC puts against BTC and USDC collateral: BTC falling hurts twice (wrong-way risk).
    const account: Account = {
      venues: [{
        name: "deribit",
        positions: [{ id: "short puts", kind: "option", underlying: "BTC", settlement: "inverse", right: "put", strike: 95_000, expiry: expiryIn(30), quantity: -6 }],
        collateral: [{ asset: "BTC", quantity: 2 }, { asset: "USDC", quantity: 60_000 }],
      }],
      haircuts: { BTC: 0.05 },
      thresholds: { marginCall: 0.5, liquidation: 0.8 },
    };
    // With liquidity data, so the add-ons count too.
    const liquid: MarketData = { ...data, underlyings: { ...data.underlyings, BTC: { ...data.underlyings.BTC!, liquidity: { spread: 0.001, adv: 50, openInterest: 100 } } } };
    const monitor = new MarginMonitor(engine, [], liquid, { profile, account, marginChange: 1e9 });
    const method = { method: "grid" as const, profile };
    let market = liquid;
    const states: string[] = [monitor.status()!.state];
    for (let i = 1; i <= 30; i++) {
      const index = data.underlyings.BTC!.index * (1 - 0.01 * i);
      market = withIndex(market, "BTC", index);
      const events = monitor.apply({ type: "price", time: at(i), underlying: "BTC", index });
      const expected = accountMargin(engine, account, market, method, { distanceToLiquidation: false });
      const status = monitor.status()!;
      expect(status.addOns.liquidity.usd).toBeGreaterThan(0);
      expect(status.addOns.liquidity.usd).toBeCloseTo(expected.addOns.liquidity.usd, 6);
      expect(status.initial).toBeCloseTo(expected.initial, 6);
      expect(status.maintenance).toBeCloseTo(expected.maintenance, 6);
      expect(status.equity).toBeCloseTo(expected.equity, 6);
      expect(status.state).toBe(expected.state);
      const change = events.filter((e) => e.type === "status");
      if (expected.state !== states.at(-1)) {
        expect(change).toEqual([expect.objectContaining({ type: "status", from: states.at(-1), to: expected.state })]);
        states.push(expected.state);
      } else {
        expect(change).toEqual([]);
      }
    }
    expect(states).toEqual(["healthy", "margin-call", "liquidation"]);
  });

  it("refuses bad thresholds by name", () => {
    expect(() => new MarginMonitor(engine, book, data, { profile, marginChange: -1 })).toThrow(InputError);
    expect(() => new MarginMonitor(engine, book, data, { profile, volJump: Number.NaN })).toThrow(/volJump/);
  });
});
