// The page of bench/browser.bench.ts: the package as a consumer bundles it ("pmargin" is
// aliased to dist/index.js, whose kernels come inline under the "browser" condition),
// and one timed Monte Carlo run of ./parts.ts at a time, called by the benchmark with its inputs.
import * as pmargin from "pmargin";
import { timedRun, type McParts } from "./parts.js";

declare global {
  interface Window {
    pmarginBench: {
      ready?: boolean;
      error?: string;
      crossOriginIsolated?: boolean;
      run?: (positions: pmargin.Position[], marketData: pmargin.MarketData, model: pmargin.MonteCarloModelInput) => McParts;
    };
  }
}

window.pmarginBench = {};
pmargin
  .createEngine()
  .then((engine) => {
    window.pmarginBench = {
      ready: true,
      crossOriginIsolated: globalThis.crossOriginIsolated,
      run: (positions, marketData, model) => timedRun(pmargin, engine, positions, pmargin.buildMarket(marketData), model),
    };
  })
  .catch((e: unknown) => (window.pmarginBench = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
