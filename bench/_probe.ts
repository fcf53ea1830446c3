import { createEngine } from "../src/engine/engine.js";
import { buildMarket } from "../src/market/market.js";
import { gridMargin } from "../src/methods/grid/grid.js";
import { builtInProfile } from "../src/methods/grid/profiles.js";
import { monteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import { marginAccounts } from "../src/parallel/tasks.js";
import { syntheticMarket, syntheticPositions } from "../tests/fixtures/synthetic.js";
const t = (name: string, f: () => unknown, n = 3) => { f(); const s = performance.now(); for (let i = 0; i < n; i++) f(); console.log(name, ((performance.now() - s) / n).toFixed(2), "ms"); };
const engine = await createEngine();
const md = syntheticMarket();
const market = buildMarket(md);
const profile = builtInProfile("deribit");
for (const n of [10, 200, 2000]) {
  const pos = syntheticPositions(Math.round(n * 0.85), n - Math.round(n * 0.85), 21);
  t(`grid ${n} wasm`, () => gridMargin(engine, pos, market, { profile }));
  t(`grid ${n} js`, () => gridMargin(engine, pos, market, { profile, kernels: "js" }));
}
const pos = syntheticPositions(180, 20, 11);
t("mc 10k wasm", () => monteCarlo(engine, pos, market, { paths: 10000, seed: 7 }));
t("mc 100k wasm", () => monteCarlo(engine, pos, market, { paths: 100000, seed: 7 }), 2);
t("mc 100k js", () => monteCarlo(engine, pos, market, { paths: 100000, seed: 7 }, { kernels: "js" }), 1);
t("mc 1M wasm", () => monteCarlo(engine, pos, market, { paths: 1000000, seed: 7 }), 1);
const accounts = Array.from({ length: 1000 }, (_, i) => ({ id: `a${i}`, positions: syntheticPositions(16, 4, 1000 + i) }));
t("batch 1000 wasm", () => marginAccounts(engine, accounts, md, { method: "grid", profile }), 1);
t("batch 1000 js", () => marginAccounts(engine, accounts, md, { method: "grid", profile, kernels: "js" }), 1);
