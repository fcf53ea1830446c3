import { createEngine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { prng, syntheticPositions } from "../tests/fixtures/synthetic.js";
import { market } from "../bench/fixtures.js";
const engine = await createEngine();
const book = engine.compile(syntheticPositions(200, 0, 7), market);
const rnd = prng(11);
const n = 5000;
const set = new ScenarioSet(book.underlyings, n);
for (let i = 0; i < set.logMoves.length; i++) {
  const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  set.logMoves[i] = 0.08 * g; set.volShifts[i] = 0.2 * (rnd() - 0.5);
}
let sink = 0;
const reps = Number(process.env.REPS ?? 40);
const times: number[] = [];
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  sink += engine.revalue(book, set).pnl[0]!;
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const med = times[times.length >> 1]!;
const nOpt = book.nOpt ?? 170;
console.log((med * 1e6 / (200 * n)).toFixed(3), "ns/pair(200 pos)", med.toFixed(2), "ms", sink !== 0);
