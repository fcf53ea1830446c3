// Library quickstart: value the bundled example and revalue it under three scenarios.
// Run from the repository after `npm run build`: node examples/library.mjs
import { readFile } from "node:fs/promises";
import {
  backtest, builtInProfile, builtInStressScenarios, createEngine, gridMargin, historicalVaR, monteCarlo, parseMonteCarloModel,
  prepareInputs, stressTest, valueBook,
} from "pmargin";
import { ScenarioSet } from "pmargin/engine"; // the engine tier: books, scenario sets, revaluation
import { shippedSeries } from "pmargin/shipped-history";

const read = async (name) => JSON.parse(await readFile(new URL(name, import.meta.url), "utf8"));
const { portfolio, market, marketData } = prepareInputs(await read("portfolio.json"), await read("market.json"));

const engine = await createEngine(); // loads build/pmargin.wasm (Node) or the bundled asset (browsers)
const book = engine.compile(portfolio.positions, market);

const valuation = valueBook(engine, book, market);
console.log(`value now: ${valuation.totalUsd.toFixed(2)} USD`);
for (const u of valuation.underlyings) console.log(`  ${u.underlying}: delta ${u.delta.toFixed(3)} coin, vega ${u.vega.toFixed(2)} USD per vol point`);

// Scenarios: BTC −20% with vols +50%, a joint +10% rally with vols −10%, and a 1-day roll-down.
const scenarios = new ScenarioSet(book.underlyings, 3)
  .setMove(0, "BTC", -0.2).setVolShift(0, "BTC", 0.5)
  .setMove(1, "BTC", 0.1).setMove(1, "ETH", 0.1).setMove(1, "SOL", 0.1)
  .setVolShift(1, "BTC", -0.1).setVolShift(1, "ETH", -0.1).setVolShift(1, "SOL", -0.1);
const usd = engine.revalue(book, scenarios, { dt: 1 / 365 });
const btc = engine.revalue(book, scenarios, { dt: 1 / 365, currency: "BTC" });
["BTC −20%, vol +50%", "all +10%, vol −10%", "one day passes"].forEach((name, s) =>
  console.log(`${name.padEnd(20)} PnL ${usd.pnl[s].toFixed(2).padStart(12)} USD = ${btc.pnl[s].toFixed(4).padStart(9)} BTC`));

// Scenario-grid margin under Deribit's published parameters.
const margin = gridMargin(engine, portfolio.positions, market, { profile: builtInProfile("deribit") });
console.log(`deribit grid: initial ${margin.initial.toFixed(2)} USD, maintenance ${margin.maintenance.toFixed(2)} USD, ` +
  `single-position ${margin.standalone.toFixed(2)} USD`);

// Monte Carlo VaR/ES: the example model (Student-t ν=5, correlated, market-wide jumps), fewer paths.
const model = parseMonteCarloModel(await read("montecarlo.json"));
const mc = monteCarlo(engine, portfolio.positions, market, { ...model, paths: 20_000 });
const [var99] = mc.portfolio.var;
const [es975] = mc.portfolio.es;
console.log(`monte carlo (${mc.paths} paths, seed ${mc.seed}): VaR 99% ${var99.value.toFixed(2)} ± ${var99.standardError.toFixed(2)} USD, ` +
  `ES 97.5% ${es975.value.toFixed(2)} ± ${es975.standardError.toFixed(2)} USD, diversification benefit ${mc.diversification[0].benefit.toFixed(2)} USD`);

// Historical simulation over the shipped Binance closes, filtered to today's EWMA vol.
const series = await shippedSeries();
const hs = historicalVaR(engine, portfolio.positions, market, series, { filtered: true });
console.log(`filtered historical (${hs.windows} windows ${hs.period.from}…${hs.period.to}): VaR 99% ${hs.portfolio.var[0].value.toFixed(2)} USD`);

// The named crashes, replayed on today's book.
for (const r of stressTest(engine, portfolio.positions, market, builtInStressScenarios(), { history: series })) {
  console.log(`stress ${r.name.padEnd(20)} PnL ${r.pnlUsd.toFixed(2).padStart(12)} USD`);
}

// One year of daily backtest of historical margin.
const bt = backtest(engine, portfolio.positions, marketData, series, { from: "2025-01-01", models: [{ method: "historical" }] });
const [h] = bt.models;
console.log(`backtest ${bt.period.from}…${bt.period.to}: ${h.breaches} breaches in ${bt.testDays} days, Kupiec p ${h.kupiec.pValue.toFixed(3)}, ${h.trafficLight.zone}`);
