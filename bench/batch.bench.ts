// Batch margining: 10,000 accounts of 20 positions each on one market, grid margin
// under the Deribit profile, validated then margined 16 accounts at a time (what `pmargin
// batch` and RiskPool.marginBatch do), in accounts per second: WASM on one thread,
// WASM on a RiskPool of 2 workers (created and warmed before timing), and the
// headlineMargin loop on the reference backend (referenceBackend(engine)); and pmargin
// 0.3.0's own batch loop, built from this repository's history (bench/baseline.ts).
import { createEngine } from "../src/engine/engine.js";
import { referenceBackend } from "../src/reference/backend.js";
import type { MarginMethod } from "../src/methods/margin.js";
import { RiskPool } from "../src/parallel/pool.js";
import { marginAccounts, type BatchAccountResult } from "../src/parallel/tasks.js";
import { parseProfile } from "../src/schema/profile.js";
import { baseline, BASELINE_VERSION } from "./baseline.js";
import { accountsOf, deribit, marketData } from "./fixtures.js";
import { cell, collectGarbage, consume, count, inTurns, median, medianRatio, medians, times, timing, type Section, type Task } from "./lib.js";

/** Rounds in which this thread and 0.3.0 take turns. */
const ROUNDS = 5;

const initial = (r: BatchAccountResult): number => {
  if (!("margin" in r)) throw new Error(`account ${r.id}: ${r.error}`);
  return r.margin.initial;
};

export async function benchBatch(nAccounts = 10_000, nJs = 10_000, workers = 2): Promise<Section> {
  const engine = await createEngine();
  const reference = referenceBackend(engine);
  const accounts = accountsOf(nAccounts);
  const jsAccounts = accounts.slice(0, nJs);
  const spec: MarginMethod = { method: "grid", profile: deribit };
  const jsSpec: MarginMethod = { method: "grid", profile: deribit };
  const pool = new RiskPool({ workers });
  try {
    // Warm: this thread's code on both kernels, the workers spawned with their engines.
    const warm = accounts.slice(0, 1_000);
    marginAccounts(engine, warm, marketData, spec);
    marginAccounts(reference, warm, marketData, jsSpec);
    await pool.marginBatch(warm, marketData, spec);

    let single: BatchAccountResult[] = [], pooled: BatchAccountResult[] = [], js: BatchAccountResult[] = [];
    const o = { time: 0, iterations: 3, warmupTime: 0, warmupIterations: 0 };
    const wasmTask: Task = ["batch, wasm", () => { single = marginAccounts(engine, accounts, marketData, spec); consume(initial(single[0]!)); }];
    const [poolMs] = await medians([["batch, pool", async () => { pooled = await pool.marginBatch(accounts, marketData, spec); consume(initial(pooled[0]!)); }]], o);
    const [jsMs] = await medians([["batch, js", () => { js = marginAccounts(reference, jsAccounts, marketData, jsSpec); consume(initial(js[0]!)); }]], o);
    const old = await baseline();
    // This thread and 0.3.0 take turns, in alternating order, ROUNDS times: a slow spell of the
    // machine falls on both alike (timed one after the other, the same code measured 1.25× and 2.29×).
    const tasks: Task[] = [wasmTask];
    if (!("missing" in old)) {
      const oldEngine = await old.createEngine();
      const oldSpec = { method: "grid" as const, profile: old.builtInProfile("deribit") };
      const sameSpec: MarginMethod = { method: "grid", profile: parseProfile(old.deribitJson, `${BASELINE_VERSION} profiles/deribit.json`) };
      old.marginAccounts(oldEngine, warm, marketData, oldSpec);
      marginAccounts(engine, warm, marketData, sameSpec);
      tasks.push(
        [`batch, ${BASELINE_VERSION}`, () => consume(old.marginAccounts(oldEngine, accounts, marketData, oldSpec).length)],
        [`batch, ${BASELINE_VERSION}'s profile`, () => consume(initial(marginAccounts(engine, accounts, marketData, sameSpec)[0]!))],
      );
    }
    // Each task once untimed first: 0.3.0's code is otherwise still warming up in the first round.
    // Each after a full collection: 0.3.0 parses a whole batch before margining it, and its garbage would be collected in the next timing.
    const rounds = await inTurns(
      tasks.map(([name, fn]): Task => [name, fn, { beforeEach: collectGarbage }]), ROUNDS,
      (r) => ({ time: 0, iterations: 1, warmupTime: 0, warmupIterations: r === 0 ? 1 : 0 }),
    );
    const singleMs = median(rounds[0]!);
    const versus = tasks.length > 1 ? {
      version: BASELINE_VERSION, ...timing(median(rounds[1]!), nAccounts, "accounts"),
      speedup: medianRatio(rounds[1]!, rounds[0]!),
      sameProfile: { medianMs: median(rounds[2]!), speedup: medianRatio(rounds[1]!, rounds[2]!) },
    } : undefined;

    // The pool gives this thread's figures, bit for bit; the JS kernel the same to 1e-9.
    const poolEqual = pooled.length === single.length && pooled.every((r, i) => r.id === single[i]!.id && initial(r) === initial(single[i]!));
    if (!poolEqual) throw new Error("batch: the pool's margins differ from one thread's");
    js.forEach((r, i) => {
      const a = initial(single[i]!), b = initial(r);
      if (!(Math.abs(a - b) <= 1e-9 * Math.abs(a))) throw new Error(`batch: account ${r.id}, WASM ${a} vs JS ${b}`);
    });

    const wasmT = timing(singleMs, nAccounts, "accounts");
    const poolT = timing(poolMs!, nAccounts, "accounts");
    const jsT = timing(jsMs!, nJs, "accounts");
    return {
      id: "batch",
      title: `Method: batch grid margin of ${count(nAccounts)} accounts × 20 positions, Deribit profile`,
      columns: [
        "accounts", "WASM, one thread", `WASM, RiskPool ${workers} workers`, "pool speed-up", "JS reference kernel, one thread", "WASM speed-up",
        `${BASELINE_VERSION}, one thread, its Deribit profile`, `speed-up vs ${BASELINE_VERSION}`, `speed-up vs ${BASELINE_VERSION}, same profile`,
      ],
      rows: [{
        cells: [
          count(nAccounts), cell(wasmT), cell(poolT), times(poolT.perSecond / wasmT.perSecond),
          `${cell(jsT)}${nJs < nAccounts ? ` (first ${count(nJs)} accounts timed)` : ""}`, times(wasmT.perSecond / jsT.perSecond),
          versus ? cell(versus) : "—", versus ? times(versus.speedup) : "—", versus ? times(versus.sameProfile.speedup) : "—",
        ],
        data: {
          accounts: nAccounts, positionsPerAccount: 20, profile: "deribit", wasm: wasmT,
          pool: { workers, ...poolT, speedup: poolT.perSecond / wasmT.perSecond, equal: poolEqual },
          js: { ...jsT, accountsTimed: nJs }, speedup: wasmT.perSecond / jsT.perSecond, ...(versus ? { baseline: versus } : {}),
        },
      }],
      notes: [
        "marginAccounts(): 16 accounts at a time validated (parsePortfolio, checkAgainstMarket), then margined together " +
          "(headlineMargins({ method: \"grid\", profile: deribit }): per underlying their settlement books compiled and revalued as one book, " +
          "each account measured from its own positions' rows, the same bits as alone); the JS column is the same loop with the reference backend.",
        `Pool: slices of up to 500 accounts, each sent as JSON text (src/parallel/wire.ts) and margined by a worker as one thread does; ` +
          `its ${workers} workers share the cores with the thread handing the slices out, which is why \`pmargin batch\` defaults to a worker per core but one.`,
        `The pool's ${count(nAccounts)} margins equal one thread's bit for bit; the JS kernel's agree to 1e-9 relative (checked). ` +
          "Accounts are 17 options on the expiries Deribit lists + 3 spot/futures, seeded; the market is the synthetic BTC/ETH/SOL one.",
        "missing" in old
          ? `No ${BASELINE_VERSION} column: ${old.missing}.`
          : `${BASELINE_VERSION}: its own marginAccounts loop and shipped Deribit profile, built from commit ffd5992 (bench/baseline.ts), timed in this run on this thread, ` +
            `taking turns with today's loop in ${ROUNDS} rounds (alternating order, each run after a full garbage collection): each time the median of its rounds, each speed-up the median of the rounds' ratios; ` +
            `"same profile" times today's loop under ${BASELINE_VERSION}'s profile JSON (today's Deribit profile margins each settlement currency as its own book, and more).`,
      ],
    };
  } finally {
    await pool.terminate();
  }
}
