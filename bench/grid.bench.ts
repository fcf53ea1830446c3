// Scenario-grid margin end to end — gridMargin(): compile each underlying's book,
// value it (Greeks), revalue it on its grid, contingencies, single-position margins —
// under the shipped Deribit profile, for books of 100 to 10,000 positions: the WASM
// kernels against the same method on the JS reference kernels (referenceBackend(engine)),
// and against pmargin 0.3.0 built from this repository's history (bench/baseline.ts).
import { createEngine } from "../src/engine/engine.js";
import { buildMarket } from "../src/market/market.js";
import { referenceBackend } from "../src/reference/backend.js";
import { gridMargin, gridScenarios } from "../src/methods/grid/grid.js";
import { parsePortfolio } from "../src/schema/portfolio.js";
import { parseProfile } from "../src/schema/profile.js";
import { baseline, BASELINE_VERSION } from "./baseline.js";
import { bookOf, deribit, market, marketData } from "./fixtures.js";
import { cell, consume, count, median, medians, ms, times, timing, type Section, type Task } from "./lib.js";
import type { Position } from "../src/model/types.js";

export const GRID_SIZES = [100, 200, 1_000, 10_000] as const;

export async function benchGrid(sizes: readonly number[] = GRID_SIZES): Promise<Section> {
  const engine = await createEngine();
  const reference = referenceBackend(engine);
  const old = await baseline();
  const perUnderlying = gridScenarios("BTC", deribit.defaults).length;
  const section: Section = {
    id: "grid",
    title: `Method: scenario-grid margin end to end, Deribit profile (${perUnderlying} scenarios per underlying), one thread`,
    columns: [
      "book", "WASM", "per position", "JS reference kernel", "WASM speed-up", "WASM, a new market each call",
      `${BASELINE_VERSION}, its Deribit profile`, `speed-up vs ${BASELINE_VERSION}`, `speed-up vs ${BASELINE_VERSION}, same profile`,
    ],
    rows: [],
    notes: [
      "gridMargin() whole: per underlying (and, with Deribit's separate settlement books, per settlement book) compile (smile tables), " +
        "valuation and Greeks, the grid revaluation with per-position rows, contingencies and every single-position margin. " +
        "Books: 85% options, 15% spot and futures on BTC, ETH, SOL, parsed once (parsePortfolio, as prepareInputs does).",
      "WASM: the same book and market again, as a dashboard or a what-if re-margins them: the compiled books and smile tables are reused " +
        "(src/methods/grid/compiled.ts). A new market each call (buildMarket before each, not timed) compiles everything again.",
      `${BASELINE_VERSION}: built from commit ffd5992 (bench/baseline.ts), on the same books and market, timed in this run, its engine on this thread. ` +
        `Each version runs its own shipped Deribit profile: today's models more (separate settlement books, sticky-strike smiles, the extended ` +
        `dampener, MMP, Deribit's report), so "same profile" also times today's code under ${BASELINE_VERSION}'s profile JSON (parsed by today's parser).`,
      "WASM and JS initial margins agree to 1e-9 relative (checked).",
      "Each column is timed for every book before the next column starts, WASM first (timed in turn per book, the JS reference's " +
        "garbage was collected inside the next WASM timing); within a column the books take turns in 5 rounds of 160 ms, each figure " +
        "the median of its rounds' medians, so that a slow spell of the machine falls on every book alike.",
    ],
  };
  if ("missing" in old) section.notes.push(`No ${BASELINE_VERSION} column: ${old.missing}.`);
  const base = "missing" in old ? undefined : {
    engine: await old.createEngine(), market: old.buildMarket(marketData), profile: old.builtInProfile("deribit"),
    same: parseProfile(old.deribitJson, `${BASELINE_VERSION} profiles/deribit.json`), gridMargin: old.gridMargin,
  };
  // Each kind of task runs for every size before the next kind starts: the JS reference's and
  // 0.3.0's garbage, and the reference backend going through the same method code, would
  // otherwise be paid inside the next WASM timing (measured: 1,000 positions 0.79 → 1.14 µs each).
  // Within a kind, the sizes take turns in ROUNDS short timings, each size's figure the median
  // of its rounds: a slow spell of the machine then falls on every size, not on one.
  const books = sizes.map((n) => ({ n, positions: parsePortfolio({ positions: bookOf(n) }).positions }));
  const ROUNDS = 5;
  const round = (r: number) => ({ time: 800 / ROUNDS, iterations: 2, warmupTime: r === 0 ? 300 : 40, warmupIterations: r === 0 ? 5 : 1 });
  const each = async (task: (positions: readonly Position[]) => Task): Promise<number[]> => {
    const rounds = books.map((): number[] => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [i, { positions }] of books.entries()) rounds[i]!.push(...(await medians([task(positions)], round(r))));
    }
    return rounds.map((xs) => median(xs));
  };
  const wasmMs = await each((positions) => ["grid, wasm", () => consume(gridMargin(engine, positions, market, { profile: deribit }).initial)]);
  let fresh = buildMarket(marketData);
  const coldMs = await each((positions) => [
    "grid, wasm, new market", () => consume(gridMargin(engine, positions, fresh, { profile: deribit }).initial), { beforeEach: () => void (fresh = buildMarket(marketData)) },
  ]);
  const jsMs = await each((positions) => ["grid, js", () => consume(gridMargin(reference, positions, market, { profile: deribit }).initial)]);
  const oldMs = base ? await each((positions) => [`grid, ${BASELINE_VERSION}`, () => consume(base.gridMargin(base.engine, positions, base.market, { profile: base.profile }).initial)]) : [];
  const sameMs = base ? await each((positions) => [`grid, ${BASELINE_VERSION}'s profile`, () => consume(gridMargin(engine, positions, market, { profile: base.same }).initial)]) : [];
  books.forEach(({ n, positions }, i) => {
    const w = gridMargin(engine, positions, market, { profile: deribit }).initial;
    const j = gridMargin(reference, positions, market, { profile: deribit }).initial;
    if (!(Math.abs(w - j) <= 1e-9 * Math.abs(j))) throw new Error(`grid margin, WASM ${w} vs JS ${j}`);
    const wasm = timing(wasmMs[i]!, n, "positions");
    const js = timing(jsMs[i]!, n, "positions");
    const cold = timing(coldMs[i]!, n, "positions");
    const baselineData = oldMs[i] === undefined ? undefined : {
      version: BASELINE_VERSION, ...timing(oldMs[i]!, n, "positions"), speedup: oldMs[i]! / wasmMs[i]!, speedupNewMarket: oldMs[i]! / coldMs[i]!,
      sameProfile: { medianMs: sameMs[i]!, speedup: oldMs[i]! / sameMs[i]! },
    };
    section.rows.push({
      cells: [
        `${count(n)} positions`, cell(wasm), `${(1000 * wasmMs[i]! / n).toFixed(2)} µs`, cell(js), times(js.medianMs / wasm.medianMs), ms(cold.medianMs),
        baselineData ? ms(baselineData.medianMs) : "—", baselineData ? `${times(baselineData.speedup)} (new market ${times(baselineData.speedupNewMarket)})` : "—",
        baselineData ? times(baselineData.sameProfile.speedup) : "—",
      ],
      data: {
        positions: n, scenariosPerUnderlying: perUnderlying, profile: "deribit", wasm, js, newMarket: cold, speedup: js.medianMs / wasm.medianMs,
        perPositionUs: (1000 * wasmMs[i]!) / n, initialUsd: w, ...(baselineData ? { baseline: baselineData } : {}),
      },
    });
  });
  return section;
}
