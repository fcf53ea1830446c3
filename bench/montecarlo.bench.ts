// Monte Carlo VaR/ES end to end — monteCarlo(): paths, full revaluation of every
// position on every path, tail statistics, histogram, worst paths, ES contributions —
// of the 200-position book at 10k, 100k and 1M paths: WASM on one thread, the same
// method on the JS reference kernels (up to 100k paths), and WASM on a RiskPool of
// 2 workers (created and warmed before timing). Then the parallel scaling at 1M
// paths, with both results checked equal bit for bit.
import { createEngine, type Engine } from "../src/engine/engine.js";
import { referenceBackend } from "../src/reference/backend.js";
import type { Position } from "../src/model/types.js";
import { monteCarlo, prepareMonteCarlo, TAIL_BLOCK, type MonteCarloResult } from "../src/methods/montecarlo/montecarlo.js";
import { RiskPool } from "../src/parallel/pool.js";
import { LOCAL_MONTE_CARLO } from "../src/runs/registry.js";
import { bookOf, market, marketData, mcModel } from "./fixtures.js";
import { cell, consume, count, inTurns, median, medianRatio, medians, ms, times, timing, type Section } from "./lib.js";

/** Rounds in which one thread and the pool take turns, at each size. */
const ROUNDS = 5;

/** Every VaR/ES figure of a result (portfolio, per underlying, contributions), for === comparison. */
function figures(r: MonteCarloResult): number[] {
  const tail = (t: MonteCarloResult["portfolio"]): number[] => [...t.var, ...t.es].flatMap((m) => [m.value, m.standardError, m.ci95[0], m.ci95[1]]);
  return [
    ...tail(r.portfolio),
    ...r.underlyings.flatMap((u) => [...tail(u.usd), ...(u.coin ? tail(u.coin) : [])]),
    ...r.contributions.positions.map((p) => p.esUsd),
  ];
}

/** Whether two results have the same figures, bit for bit (===; no NaN is expected). */
function sameBits(a: MonteCarloResult, b: MonteCarloResult): { equal: boolean; compared: number } {
  const x = figures(a), y = figures(b);
  return { equal: x.length === y.length && x.every((v, i) => v === y[i]), compared: x.length };
}

export interface MonteCarloSections {
  methods: Section;
  scaling: Section;
}

export async function benchMonteCarlo(pathCounts = [10_000, 20_000, 100_000, 1_000_000], jsUpTo = 100_000, workers = 2): Promise<MonteCarloSections> {
  const engine = await createEngine();
  const positions = bookOf(200);
  const pool = new RiskPool({ workers });
  try {
    // Workers spawned, their engines created and their code warm before any timing.
    for (let i = 0; i < 2; i++) consume((await pool.monteCarlo(positions, marketData, mcModel(50_000))).portfolio.var[0]!.value);

    const methods: Section = {
      id: "montecarlo",
      title: `Method: Monte Carlo VaR/ES end to end, ${positions.length}-position book on 3 underlyings, Student-t ν = 5 + common jumps`,
      columns: ["paths (revaluations)", "WASM, one thread", "JS reference kernels", "WASM speed-up", `WASM, RiskPool ${workers} workers`, "pool speed-up"],
      rows: [],
      notes: [
        "monteCarlo() whole: paths, full revaluation, VaR 99% and ES 97.5% with their errors, histogram, 10 worst paths, per-position ES contributions.",
        `JS reference: the same method on referenceBackend(engine) (paths, revaluation, selection), up to ${count(jsUpTo)} paths; VaR/ES agree with WASM to 1e-8 relative (checked).`,
        "Pool: pool.monteCarlo() on warm workers; its result equals the single-thread one bit for bit at every size (checked, see the scaling table). " +
          `Below ${count(LOCAL_MONTE_CARLO)} position-paths (${count(LOCAL_MONTE_CARLO / positions.length)} paths of this book) the run stays on the calling thread.`,
        `One thread and the pool are timed in turns, back to back in alternating order, in ${ROUNDS} rounds (one run each from 100k paths, 120 ms each below): ` +
          "each time is the median of its rounds, the pool's speed-up the median of the rounds' ratios.",
      ],
    };
    const scaling: Section = {
      id: "scaling",
      title: `Parallel scaling: Monte Carlo, ${positions.length}-position book, same seed, one thread vs RiskPool of ${workers} workers`,
      columns: ["paths", "one thread", `RiskPool, ${workers} workers`, "speed-up", "results equal (===)"],
      rows: [],
      notes: [],
    };

    for (const paths of pathCounts) {
      const model = mcModel(paths);
      const revaluations = paths * positions.length;
      const mid = paths >= 1e5;
      let single: MonteCarloResult | undefined;
      let pooled: MonteCarloResult | undefined;
      // One thread and the pool take turns, back to back and in alternating order, so that a
      // slow spell of the machine falls on both alike: each figure is the median of its rounds',
      // the speed-up the median of the rounds' ratios.
      const round = (r: number) => (mid ? { time: 0, iterations: 1, warmupTime: 0, warmupIterations: r === 0 ? 1 : 0 } : { time: 120, iterations: 2, warmupIterations: r === 0 ? 2 : 1 });
      const [singleRounds, poolRounds] = (await inTurns([
        ["mc, wasm", () => { single = monteCarlo(engine, positions, market, model); consume(single.portfolio.var[0]!.value); }],
        ["mc, pool", async () => { pooled = await pool.monteCarlo(positions, marketData, model); consume(pooled.portfolio.var[0]!.value); }],
      ], ROUNDS, round)) as [number[], number[]];
      const wasmMs = median(singleRounds), poolMs = median(poolRounds);
      let jsMs = NaN;
      let jsAgrees: boolean | undefined;
      if (paths <= jsUpTo) {
        let js: MonteCarloResult | undefined;
        [jsMs] = (await medians([["mc, js", () => { js = monteCarlo(referenceBackend(engine), positions, market, model); consume(js.portfolio.var[0]!.value); }]],
          mid ? { time: 0, iterations: 3, warmupTime: 0, warmupIterations: 1 } : { time: 600, iterations: 5 })) as [number];
        const a = [...single!.portfolio.var, ...single!.portfolio.es].map((m) => m.value);
        const b = [...js!.portfolio.var, ...js!.portfolio.es].map((m) => m.value);
        jsAgrees = a.every((v, i) => Math.abs(v - b[i]!) <= 1e-8 * Math.abs(v));
        if (!jsAgrees) throw new Error(`Monte Carlo ${paths}: WASM ${a} vs JS ${b}`);
      }
      const same = sameBits(single!, pooled!);
      if (!same.equal) throw new Error(`Monte Carlo ${paths}: the pool's result differs from one thread's`);
      const wasm = timing(wasmMs, paths, "paths");
      const js = timing(jsMs, paths, "paths");
      const pooledT = timing(poolMs, paths, "paths");
      const speedup = medianRatio(singleRounds, poolRounds);
      methods.rows.push({
        cells: [
          `${count(paths)} (${count(revaluations)})`, cell(wasm), paths <= jsUpTo ? cell(js) : "not run (> 100k)",
          paths <= jsUpTo ? times(js.medianMs / wasm.medianMs) : "—", cell(pooledT), times(speedup),
        ],
        data: {
          paths, positions: positions.length, revaluations, seed: 7, wasm, ...(paths <= jsUpTo ? { js, speedup: js.medianMs / wasm.medianMs, jsAgrees } : {}),
          pool: { workers, ...pooledT, speedup }, varUsd: single!.portfolio.var[0]!.value, esUsd: single!.portfolio.es[0]!.value,
        },
      });
      const var99 = single!.portfolio.var[0]!, es975 = single!.portfolio.es[0]!;
      scaling.rows.push({
        cells: [count(paths), ms(wasm.medianMs), ms(pooledT.medianMs), times(speedup), `yes, ${same.compared} figures (VaR 99% ${var99.value.toFixed(2)}, ES 97.5% ${es975.value.toFixed(2)} USD)`],
        data: {
          paths, workers, singleMs: wasm.medianMs, poolMs: pooledT.medianMs, speedup, equal: same.equal, figuresCompared: same.compared,
          var99Usd: { single: var99.value, pool: pooled!.portfolio.var[0]!.value }, es975Usd: { single: es975.value, pool: pooled!.portfolio.es[0]!.value },
        },
      });
    }
    const top = scaling.rows[scaling.rows.length - 1]!.data as { paths: number; speedup: number };
    const phases = phasesOf(engine, positions, top.paths);
    const serial = phases.prepare + phases.esTail + phases.summarise;
    const parallel = phases.simulate + phases.tailBlocks;
    const bound = (serial + parallel) / (serial + parallel / workers);
    (scaling.rows[scaling.rows.length - 1]!.data as Record<string, unknown>).singleThreadPhasesMs = phases;
    (scaling.rows[scaling.rows.length - 1]!.data as Record<string, unknown>).amdahlBound = bound;
    scaling.notes.push(
      `At ${count(top.paths)} paths: ${times(top.speedup)} on ${workers} workers (target ≥ 1.9×: ${top.speedup >= 1.9 ? "met" : "not met"}). ` +
        "Compared with ===: VaR and ES (value, standard error, 95% interval) of the portfolio and of each underlying, and every position's ES contribution.",
      `Where the single-thread ${count(top.paths)}-path run goes (one run, not a median): paths, revaluation and each range's largest losses ${ms(phases.simulate)} ` +
        `and ES-contribution blocks ${ms(phases.tailBlocks)}, both split across the workers; set-up ${ms(phases.prepare)}, merging the ranges' worst paths into the ES tail ` +
        `${ms(phases.esTail)}, and the tail statistics, histogram and worst paths from the merged largest losses ${ms(phases.summarise)}, on the main thread. ` +
        `With that serial part, ${workers} workers can give at most ${times(bound)} (Amdahl).`,
    );
    return { methods, scaling };
  } finally {
    await pool.terminate();
  }
}

/** The phases of one single-thread run, ms: what a pool splits (simulate, tailBlocks) and what it does not. */
function phasesOf(engine: Engine, positions: Position[], paths: number): Record<"prepare" | "simulate" | "esTail" | "tailBlocks" | "summarise", number> {
  let t = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const d = now - t;
    t = now;
    return d;
  };
  const run = prepareMonteCarlo(engine, positions, market, mcModel(paths));
  const prepare = lap();
  const parts = [run.part(0, paths)];
  const simulate = lap();
  const tail = run.esTail(parts);
  const esTail = lap();
  const blocks = run.tailBlocks(tail, 0, Math.ceil(tail.paths.length / TAIL_BLOCK));
  const tailBlocks = lap();
  consume(run.summarise(parts, blocks).portfolio.var[0]!.value);
  const summarise = lap();
  return { prepare, simulate, esTail, tailBlocks, summarise };
}
