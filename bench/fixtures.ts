// The seeded books, market, profile, model and orders every suite uses, so that the
// rows of different suites are about the same portfolios.
import { builtInProfile } from "../src/schema/profiles.js";
import type { MonteCarloModelInput } from "../src/model/montecarlo.js";
import { buildMarket } from "../src/market/market.js";
import type { Position } from "../src/model/types.js";
import { expiryIn, syntheticMarket, syntheticPositions } from "../tests/fixtures/synthetic.js";

/** BTC, ETH and SOL with skewed smiles on five expiries and a 5% basis (tests/fixtures/synthetic.ts). */
export const marketData = syntheticMarket();
export const market = buildMarket(marketData);

/** The shipped Deribit profile: 9 moves × 3 vol states + 8 extended moves = 35 scenarios per underlying. */
export const deribit = builtInProfile("deribit");

/** The position counts the method suites run at. */
export const BOOK_SIZES = [10, 200, 2_000] as const;

/**
 * A seeded book of n positions on BTC, ETH and SOL: 85% options (linear and inverse,
 * calls and puts, strikes within ±60%, on the 14 expiries Deribit lists within 1–400 days,
 * or with `listed` false each at a random time of its own) and 15% spot and futures.
 */
export function bookOf(n: number, listed = true): Position[] {
  const options = Math.round(0.85 * n);
  return syntheticPositions(options, n - options, 21, listed);
}

/** Monte Carlo model of the suites: the defaults (Student-t ν = 5, 1 day, vol shocks) plus a common jump. */
export const mcModel = (paths: number): MonteCarloModelInput => ({
  paths, seed: 7, jumps: { common: { intensity: 2, mean: -0.1, vol: 0.05 } },
});

/** Three hypothetical orders, as in examples/orders.json: a perpetual, a short call, long puts. */
export const orders: Position[] = [
  { id: "buy 200k USD of BTC-PERPETUAL", kind: "future", underlying: "BTC", settlement: "inverse", quantity: 20_000, faceValue: 10 },
  { id: "sell 5 ETH calls 3800", kind: "option", underlying: "ETH", settlement: "inverse", right: "call", strike: 3_800, expiry: expiryIn(120), quantity: -5 },
  { id: "buy 200 SOL puts 120", kind: "option", underlying: "SOL", settlement: "linear", right: "put", strike: 120, expiry: expiryIn(60), quantity: 200, contractSize: 1 },
];

/** n accounts of 20 seeded positions each (17 options on the listed expiries, 3 spot or futures), as a batch file holds them. */
export function accountsOf(n: number): { id: string; positions: Position[] }[] {
  return Array.from({ length: n }, (_, i) => ({ id: `acct-${i}`, positions: syntheticPositions(17, 3, 100_000 + i, true) }));
}
