// Real-time re-margining: the live grid margin after a price tick (only the ticked
// underlying recompiled, revalued and measured) beside gridMargin() from scratch, on
// the 200-position book (BTC, ETH, SOL) and on 200 positions of BTC alone; and the
// monitor's sustained updates per second on a stream of ticks.
import { createEngine } from "../src/engine/engine.js";
import { referenceBackend } from "../src/reference/backend.js";
import { LiveGridMargin } from "../src/live/live-grid.js";
import { MarginMonitor } from "../src/live/monitor.js";
import { buildMarket } from "../src/market/market.js";
import { gridMargin } from "../src/methods/grid/grid.js";
import type { Position } from "../src/model/types.js";
import { syntheticPositions } from "../tests/fixtures/synthetic.js";
import { bookOf, deribit, marketData } from "./fixtures.js";
import { cell, consume, medians, rate, times, timing, type Section } from "./lib.js";

const AS_OF = Date.parse(marketData.asOf);

export async function benchLive(): Promise<Section> {
  const engine = await createEngine();
  const books: [string, Position[]][] = [
    ["200 positions on BTC, ETH, SOL; BTC ticks", bookOf(200)],
    ["200 positions, all BTC; BTC ticks", syntheticPositions(170, 30, 21).map((p) => ({ ...p, underlying: "BTC", ...(p.kind === "option" ? { strike: (p.strike / marketData.underlyings[p.underlying]!.index) * marketData.underlyings.BTC!.index } : {}) }))],
  ];
  const section: Section = {
    id: "live",
    title: "Real time: re-margin after a price tick (Deribit grid), one thread",
    columns: ["book", "live tick, WASM", "live tick, JS reference kernel", "from scratch, WASM", "live / from scratch"],
    rows: [],
    notes: [
      "A tick replaces the underlying's index (its forwards move in proportion), then recompiles, revalues and measures that underlying alone; " +
        "the others' results are kept. The live margin equals gridMargin() from scratch bit for bit (tests/live/live-grid.test.ts).",
    ],
  };
  const s0 = marketData.underlyings.BTC!.index;
  for (const [name, positions] of books) {
    const live = new LiveGridMargin(engine, positions, marketData, { profile: deribit });
    const liveJs = new LiveGridMargin(referenceBackend(engine), positions, marketData, { profile: deribit });
    let i = 0;
    // Ticks of a few basis points around the index, as a feed sends them.
    const next = () => s0 * (1 + 0.0005 * Math.sin(i++));
    const [tickMs, tickJsMs, scratchMs] = await medians([
      ["tick, wasm", () => consume(live.setPrice("BTC", next()).initial)],
      ["tick, js", () => consume(liveJs.setPrice("BTC", next()).initial)],
      ["from scratch", () => consume(gridMargin(engine, positions, buildMarket(live.marketData), { profile: deribit }).initial)],
    ], { time: 1000, iterations: 50, warmupTime: 300, warmupIterations: 20 });
    const tick = timing(tickMs!, 1, "ticks");
    const tickJs = timing(tickJsMs!, 1, "ticks");
    const scratch = timing(scratchMs!, 1, "margins");
    section.rows.push({
      cells: [name, cell(tick), cell(tickJs), cell(scratch), times(scratch.medianMs / tick.medianMs)],
      data: { positions: positions.length, tick, tickJs, scratch, speedup: scratch.medianMs / tick.medianMs },
    });
  }

  // Sustained: a stream of ticks round the three underlyings, one a second, through the monitor (EWMA, events).
  const monitor = new MarginMonitor(engine, bookOf(200), marketData, { profile: deribit });
  const names = ["BTC", "ETH", "SOL"] as const;
  let n = 0;
  const updates = 3_000;
  const stream = () => {
    for (let k = 0; k < updates; k++, n++) {
      const u = names[n % 3]!;
      const index = marketData.underlyings[u]!.index * (1 + 0.001 * Math.sin(n / 7));
      monitor.apply({ type: "price", time: new Date(AS_OF + n * 1000).toISOString(), underlying: u, index });
    }
    consume(monitor.margin.initial);
  };
  const [streamMs] = await medians([["monitor stream", stream]], { time: 3000, iterations: 3, warmupTime: 0, warmupIterations: 1 });
  const perSecond = updates / (streamMs! / 1000);
  section.rows.push({
    cells: [`monitor: ${updates.toLocaleString("en-US")} price updates round BTC, ETH, SOL (200 positions)`, rate(perSecond, "updates"), "", "", ""],
    data: { updates, medianMs: streamMs, updatesPerSecond: perSecond },
  });
  return section;
}
