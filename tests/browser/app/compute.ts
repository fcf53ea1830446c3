// The computation both sides of browser.test.ts run, against whichever copy of the
// public API they were given (the page: the bundled package; Node: dist/), so that
// the two runs are the same code.
import type * as Pmargin from "pmargin";
import type * as PmarginEngine from "pmargin/engine";
import { prng, syntheticMarket, syntheticPositions } from "../../fixtures/synthetic.js";

/** The main entry and the engine tier (ScenarioSet), as one object. */
type Api = typeof Pmargin & typeof PmarginEngine;
export type Results = Record<string, Float64Array>;

/** 40 options and 10 spot/futures on the synthetic market, compiled by `engine`. */
export function seededBook(pm: Api, engine: Pmargin.Engine): Pmargin.Book {
  return engine.compile(syntheticPositions(40, 10, 7), pm.buildMarket(syntheticMarket()));
}

/** The book revalued over 1,000 seeded scenarios aged one day, in USD and BTC, and its Black-76 Greeks. */
export function run(pm: Api, engine: Pmargin.Engine, book: Pmargin.Book): Results {
  const set = new pm.ScenarioSet(book.underlyings, 1000);
  const rnd = prng(11);
  for (let i = 0; i < set.logMoves.length; i++) {
    set.logMoves[i] = (rnd() - 0.5) * 1.2;
    set.volShifts[i] = rnd() - 0.5;
  }
  const results: Results = {};
  for (const currency of ["USD", "BTC"]) {
    const r = engine.revalue(book, set, { dt: 1 / 365, currency, reduce: "rows" });
    results[`pnl ${currency}`] = r.pnl;
    r.positions!.forEach((row, i) => (results[`${currency} ${book.positions[i]!.id}`] = row));
  }
  // Monte Carlo end to end: paths, revaluation, selection, all in this host's WASM.
  const mc = pm.monteCarlo(engine, syntheticPositions(40, 10, 7), pm.buildMarket(syntheticMarket()), {
    paths: 20_000, seed: 42, jumps: { common: { intensity: 3, mean: -0.1, vol: 0.05 } },
  });
  results["monte carlo VaR, ES, standard errors"] = Float64Array.from([...mc.portfolio.var, ...mc.portfolio.es].flatMap((e) => [e.value, e.standardError]));
  results["monte carlo worst moves"] = Float64Array.from(mc.worst.flatMap((w) => [w.path, w.lossUsd, ...w.moves.flatMap((m) => [m.move, m.volShift])]));
  const greeks = engine.bookGreeks(book);
  for (const field of ["price", "delta", "gamma", "vega", "theta", "coinValue", "coinDelta"] as const) {
    results[`greeks ${field}`] = Float64Array.from(greeks, (g) => g[field]);
  }
  return results;
}

/** The Monte Carlo run the page splits across two Web Workers and Node runs on one thread. */
export function poolRunInputs(pm: Api): [Pmargin.Position[], Pmargin.Market, Pmargin.MonteCarloModelInput] {
  return [syntheticPositions(30, 8, 3), pm.buildMarket(syntheticMarket()), { paths: 70_000, seed: 99, jumps: { common: { intensity: 2, mean: -0.1, vol: 0.05 } } }];
}
