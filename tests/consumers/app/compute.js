// What every consumer build computes, in the page, in a Worker and in Node: the example
// book's Deribit grid margin and a small Monte Carlo run, as JSON (whose numbers round-trip
// exactly) and the initial margin's bits.
import { builtInProfile, createEngine, gridMargin, monteCarlo, prepareInputs } from "pmargin";
import { market as marketInput, portfolio as portfolioInput } from "./inputs.js";

const bits = (x) => Array.from(new Uint8Array(new Float64Array([x]).buffer), (b) => b.toString(16).padStart(2, "0")).join("");

export async function compute() {
  const engine = await createEngine();
  const { portfolio, market } = prepareInputs(portfolioInput, marketInput);
  const grid = gridMargin(engine, portfolio.positions, market, { profile: builtInProfile("deribit") });
  const mc = monteCarlo(engine, portfolio.positions, market, { paths: 2_000, seed: 7 });
  return { wasmSha256: engine.wasmSha256, initialBits: bits(grid.initial), grid: JSON.stringify(grid), mc: JSON.stringify(mc) };
}
