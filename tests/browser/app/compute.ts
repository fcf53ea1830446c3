// The computation both sides of browser.test.ts run: the page against the bundled
// package, Node against dist/. Taking the API as an argument keeps the two runs
// the same code, so any difference in results comes from the wasm or its loading.
import type * as Pmargin from "../../../src/index.js";
import { prng, syntheticMarket, syntheticPositions } from "../../fixtures/synthetic.js";

/** Each result as the hex of its Float64Array bytes: exact, including -0 and NaN payloads. */
export type Results = Record<string, string>;

const hex = (a: Float64Array): string =>
  Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), (b) => b.toString(16).padStart(2, "0")).join("");

export async function compute(pm: typeof Pmargin): Promise<Results> {
  const engine = await pm.createEngine();
  const market = pm.buildMarket(syntheticMarket());
  const book = engine.compile(syntheticPositions(40, 10, 7), market);
  const set = new pm.ScenarioSet(book.underlyings, 1000);
  const rnd = prng(11);
  for (let i = 0; i < set.logMoves.length; i++) {
    set.logMoves[i] = (rnd() - 0.5) * 1.2;
    set.volShifts[i] = rnd() - 0.5;
  }
  const results: Results = {};
  for (const currency of ["USD", "BTC"]) {
    const r = engine.revalue(book, set, { dt: 1 / 365, currency, perPosition: true });
    results[`pnl ${currency}`] = hex(r.pnl);
    results[`per-position ${currency}`] = r.positions!.map(hex).join("");
  }
  const greeks = engine.greeks(book.optionTerms);
  results["black76 greeks"] = hex(
    Float64Array.from(greeks.flatMap((g) => [g.price, g.delta, g.gamma, g.vega, g.theta, g.coinValue, g.coinDelta])),
  );
  return results;
}
