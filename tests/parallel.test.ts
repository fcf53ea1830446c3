// The worker pool: Monte Carlo paths and historical windows split across workers give the single-threaded bits;
// batches of accounts are margined in order, a bad account reported, not fatal.
// Workers run dist/parallel/worker.js: `npm run build` first (npm test does).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { buildMarket } from "../src/market/market.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { headlineMargin } from "../src/methods/margin.js";
import type { MonteCarloModelInput } from "../src/model/montecarlo.js";
import { historicalVaR } from "../src/methods/historical/historical.js";
import { monteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import { shippedSeries } from "../src/history/shipped.js";
import { RiskPool } from "../src/parallel/pool.js";
import { marginAccounts } from "../src/parallel/tasks.js";
import { LOCAL_MONTE_CARLO } from "../src/runs/registry.js";
import { syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

let engine: Engine;
const pools: RiskPool[] = [];
beforeAll(async () => {
  engine = await createEngine();
  pools.push(new RiskPool({ workers: 2 }), new RiskPool({ workers: 3 }));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.terminate()));
});

const marketData = syntheticMarket();
const market = buildMarket(marketData);
const positions = syntheticPositions(40, 10, 9);

describe("Monte Carlo on a worker pool", () => {
  const model: MonteCarloModelInput = { paths: 70_001, seed: 12, jumps: { common: { intensity: 3, mean: -0.1, vol: 0.05 } } };

  it("2 and 3 workers give the single-threaded result bit for bit, ES contributions included", async () => {
    const single = monteCarlo(engine, positions, market, model);
    for (const pool of pools) {
      const split = await pool.monteCarlo(positions, marketData, model);
      expect(split).toEqual(single);
    }
  }, 60_000);

  it("around the local threshold and the chunks' edges, every path once: one thread's bits, ES contributions included", async () => {
    // 50 positions: below LOCAL_MONTE_CARLO / 50 paths the run stays here, from it the workers
    // take halves (25,000 = 16,384 + 8,616 paths), and 65,537 paths give halves of 32,768 and
    // 32,769: two full chunks each, and one path more for the second.
    const least = LOCAL_MONTE_CARLO / positions.length;
    for (const paths of [least - 1, least, 4 * 16_384 + 1]) {
      const m: MonteCarloModelInput = { ...model, paths, seed: paths };
      expect(await pools[0]!.monteCarlo(positions, marketData, m)).toEqual(monteCarlo(engine, positions, market, m));
    }
  }, 60_000);

  it("runs one after another on the same workers each give their own result (a worker's kept plan is its run's)", async () => {
    const a: MonteCarloModelInput = { ...model, seed: 1 };
    const b: MonteCarloModelInput = { ...model, seed: 2, paths: 60_000 };
    const pool = pools[0]!;
    const [ra, rb] = [await pool.monteCarlo(positions, marketData, a), await pool.monteCarlo(positions, marketData, b)];
    expect(ra).toEqual(monteCarlo(engine, positions, market, a));
    expect(rb).toEqual(monteCarlo(engine, positions, market, b));
    expect(rb.portfolio.var[0]!.value).not.toBe(ra.portfolio.var[0]!.value);
  }, 60_000);

  it("a run with the same inputs as the last (equal copies) keeps the workers' plans and its result; inputs changed in place are a new run", async () => {
    const pool = pools[0]!;
    const book = structuredClone(positions);
    const m: MonteCarloModelInput = { ...model, paths: 60_000 };
    const first = await pool.monteCarlo(book, marketData, m);
    expect(await pool.monteCarlo(structuredClone(book), structuredClone(marketData), structuredClone(m))).toEqual(first);
    book[0] = { ...book[0]!, quantity: 2 * book[0]!.quantity };
    const changed = await pool.monteCarlo(book, marketData, m);
    expect(changed).toEqual(monteCarlo(engine, book, market, m));
    expect(changed).not.toEqual(first);
    // Progress is reported by a kept plan too.
    const seen: number[] = [];
    await pool.monteCarlo(book, marketData, m, { onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(60_000);
  }, 60_000);

  it("a kept plan is the pool's own: the first call's inputs changed afterwards leave an equal run's result as it was", async () => {
    const pool = new RiskPool({ workers: 2 });
    try {
      const book = structuredClone(positions);
      const original = structuredClone(book);
      const m: MonteCarloModelInput = { ...model, paths: 60_000 };
      const first = await pool.monteCarlo(book, marketData, m);
      // The second equal run plans here from the pool's copy and keeps that plan; the third reuses it.
      expect(await pool.monteCarlo(structuredClone(original), marketData, m)).toEqual(first);
      book[0] = { ...book[0]!, id: "changed" };
      book.length = 1;
      expect(await pool.monteCarlo(structuredClone(original), marketData, m)).toEqual(first);
      expect(first).toEqual(monteCarlo(engine, original, market, m));
    } finally {
      await pool.terminate();
    }
  }, 60_000);

  it("runs at the same time on one pool each give their own result (the parts' memory moved back to the workers is never shared)", async () => {
    const models = [1, 2, 3].map((seed): MonteCarloModelInput => ({ ...model, seed, paths: 40_000 + seed }));
    const results = await Promise.all(models.map((m) => pools[0]!.monteCarlo(positions, marketData, m)));
    results.forEach((r, i) => expect(r).toEqual(monteCarlo(engine, positions, market, models[i]!)));
  }, 60_000);

  it("reports progress within each worker's range, chunk by chunk, ending at the number of paths", async () => {
    const seen: number[] = [];
    // Two ranges of 40,000 paths, each revalued in pieces of 10,000, 7,500, 5,625, 4,219, 3,164, 2,373, 2,048, 2,048, 2,048 and 975 (a worker done first may take the other's last).
    await pools[0]!.monteCarlo(positions, marketData, { paths: 80_000 }, { onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(80_000);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // Before either range is done: its first pieces.
    expect(seen.filter((done) => done < 40_000).length).toBeGreaterThanOrEqual(2);
    // One report per piece (none is more than a chunk), whoever revalues it.
    expect(seen).toHaveLength(20);
  }, 60_000);

  it("bad input fails up front with the field named, before any worker runs", async () => {
    await expect(pools[0]!.monteCarlo(positions, marketData, { paths: 10, levels: { var: [0.99] } })).rejects.toThrow(/levels\.var\[0\]/);
  });

  it("workers: 1 runs on this thread", async () => {
    const local = new RiskPool({ workers: 1 });
    expect(await local.monteCarlo(positions, marketData, { paths: 5_000 })).toEqual(monteCarlo(engine, positions, market, { paths: 5_000 }));
    await local.terminate();
  });
});

describe("historical VaR on a worker pool", () => {
  it("2 and 3 workers split the windows and give the single-threaded result bit for bit, filtered or not", async () => {
    const series = await shippedSeries();
    // Big enough (300 positions × ~2,000 windows) for the pool to send the windows out.
    const book = syntheticPositions(250, 50, 10);
    for (const options of [{ volRule: "realised" as const, worstWindows: 7 }, { filtered: true, horizonDays: 2, levels: { var: [0.99, 0.95], es: [0.975] } }]) {
      const single = historicalVaR(engine, book, market, series, options);
      for (const pool of pools) expect(await pool.historicalVaR(book, marketData, series, options)).toEqual(single);
    }
  }, 60_000);

  it("reports progress within each worker's range, chunk by chunk, ending at the number of windows", async () => {
    const series = await shippedSeries();
    const book = syntheticPositions(250, 50, 10);
    const seen: number[] = [];
    const r = await pools[0]!.historicalVaR(book, marketData, series, {}, { onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(r.windows);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // Two ranges of about half the windows each, each over HISTORICAL_CHUNK: progress moves before either range ends.
    expect(seen.filter((done) => done < r.windows / 2).length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it("a small book runs on this thread, with the same result and its progress", async () => {
    const series = await shippedSeries();
    const seen: number[] = [];
    const r = await pools[0]!.historicalVaR(positions, marketData, series, {}, { onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(r.windows);
  });

  it("a small book runs on this thread, with the same result", async () => {
    const series = await shippedSeries();
    expect(await pools[0]!.historicalVaR(positions, marketData, series)).toEqual(historicalVaR(engine, positions, market, series));
  });

  it("bad input fails up front with the field named", async () => {
    await expect(pools[0]!.historicalVaR(positions, marketData, await shippedSeries(), { lambda: 2 })).rejects.toThrow(/lambda/);
  });
});

describe("batch margining on a worker pool", () => {
  const spec = { method: "grid", profile: builtInProfile("deribit") } as const;
  const accounts = Array.from({ length: 60 }, (_, i) => ({ id: `acct-${i}`, positions: syntheticPositions(4, 2, 100 + i) as unknown }));
  accounts[7] = { id: "acct-7", positions: [{ kind: "option", underlying: "BTC", settlement: "linear", right: "call", strike: -5, expiry: "2027-01-01", quantity: 1 }] };

  it("every account's margin equals its own headline margin, in input order; a bad account carries its error", async () => {
    const out = await pools[1]!.marginBatch(accounts, marketData, spec);
    expect(out.map((a) => a.id)).toEqual(accounts.map((a) => a.id));
    out.forEach((a, i) => {
      if (i === 7) {
        expect("error" in a && a.error).toMatch(/account acct-7: positions\[0\]\.strike/);
        return;
      }
      expect("margin" in a && a.margin).toEqual(headlineMargin(engine, accounts[i]!.positions as never, market, spec));
    });
  }, 60_000);

  it("checks the spec once for the batch: a copied profile (a worker's) gives the same margins; a bad spec is each account's error, after the account's own", () => {
    const copy = { method: "grid", profile: structuredClone(spec.profile) } as const;
    expect(marginAccounts(engine, accounts.slice(0, 10), marketData, copy)).toEqual(marginAccounts(engine, accounts.slice(0, 10), marketData, spec));
    const bad = marginAccounts(engine, accounts.slice(5, 9), marketData, { method: "grid", profile: { ...structuredClone(spec.profile), mmFactor: 2 } });
    expect(bad.map((a) => ("error" in a ? a.error : ""))).toEqual([
      expect.stringMatching(/spec\.profile\.mmFactor/), expect.stringMatching(/spec\.profile\.mmFactor/),
      expect.stringMatching(/account acct-7: positions\[0\]\.strike/), expect.stringMatching(/spec\.profile\.mmFactor/),
    ]);
  });
});
