// Shared fixtures: a small valid portfolio and market, and an assertion on InputError.
import { expect } from "vitest";
import { InputError } from "../../src/errors.js";

export const AS_OF = "2026-08-22T15:33:51Z";

/** One position of each kind and settlement, all priceable with market(). */
export function portfolio(): { name?: string; positions: Record<string, unknown>[] } {
  return {
    name: "fixture",
    positions: [
      { id: "BTC-SPOT", kind: "spot", underlying: "BTC", quantity: 1.5 },
      { id: "BTC-PERPETUAL", kind: "future", underlying: "BTC", settlement: "inverse", quantity: -1000, faceValue: 10 },
      { kind: "future", underlying: "ETH", settlement: "linear", expiry: "2026-12-25", quantity: 3, contractSize: 1, entryPrice: 2400 },
      { kind: "option", underlying: "BTC", settlement: "inverse", right: "call", strike: 100000, expiry: "2026-12-25T08:00:00Z", quantity: -2 },
      { kind: "option", underlying: "ETH", settlement: "linear", right: "put", strike: 2000, expiry: "2026-09-25T08:00:00Z", quantity: 10, contractSize: 0.1 },
    ],
  };
}

export function market(): { asOf: string; underlyings: Record<string, Record<string, unknown>> } {
  return {
    asOf: AS_OF,
    underlyings: {
      BTC: {
        index: 77062.83,
        rate: 0,
        forwards: [{ expiry: "2026-12-25T08:00:00Z", price: 78343.35 }],
        surface: [{ expiry: "2026-12-25T08:00:00Z", strikes: [60000, 80000, 100000], vols: [0.46, 0.41, 0.43] }],
      },
      ETH: {
        index: 2411.73,
        basis: -0.01,
        surface: [{ expiry: "2026-09-25T08:00:00Z", logMoneyness: [-0.2, 0, 0.2], vols: [0.59, 0.54, 0.57] }],
      },
    },
  };
}

/** Runs `act` and asserts it throws an InputError at `path` whose reason contains `phrase`. */
export function expectInputError(act: () => unknown, path: string, phrase: string): InputError {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InputError);
  const error = thrown as InputError;
  expect(error.path).toBe(path);
  expect(error.reason).toContain(phrase);
  return error;
}
