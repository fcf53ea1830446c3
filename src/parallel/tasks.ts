// The work a pool worker does besides a split method's parts (those are the
// registry's, src/runs): the margin of a slice of a batch's accounts, as a plain
// function of plain data; and how ranges are cut. Each worker has its own engine.
import type { Backend } from "../engine/backend.js";
import { buildMarket, checkedMarketData } from "../market/market.js";
import { checkSpec, headlineMargin, type MarginResult, type MarginMethod } from "../methods/margin.js";
import type { MarketData } from "../model/types.js";
import type { Range } from "../runs/registry.js";
import { checkAgainstMarket, parsePortfolio } from "../schema/index.js";

/**
 * 0..n in `parts` ranges (fewer when n is small) whose sizes differ by one at most, the
 * larger last: a stage's last item is the one that may be short (the ES tail's last
 * block), so the range holding it takes one item more. Any split of paths, windows or
 * blocks gives the same bits.
 */
export function evenRanges(n: number, parts: number): Range[] {
  const k = Math.min(n, parts);
  if (k === 0) return [];
  const base = Math.floor(n / k), larger = n % k;
  return Array.from({ length: k }, (_, i) => {
    const extra = Math.max(0, i - (k - larger));
    return { start: i * base + extra, count: base + (i >= k - larger ? 1 : 0) };
  });
}

/** One account of a batch: its id and its positions (validated here, per account). */
export interface BatchAccount {
  id: string;
  positions: unknown;
}

/** An account's margin, or why it could not be computed; a bad account never stops the batch. */
export type BatchAccountResult = { id: string } & ({ margin: MarginResult } | { error: string });

export function marginAccounts(engine: Backend, accounts: BatchAccount[], marketData: MarketData, spec: MarginMethod, market = buildMarket(marketData)): BatchAccountResult[] {
  // Parsed once for the batch (each account's check would otherwise parse them again: a
  // worker's spec is a copy, which no parser marked, and its profile would be parsed per account).
  const data = checkedMarketData(marketData);
  const checked = attempt(() => checkSpec(spec));
  return accounts.map((a) => {
    try {
      const portfolio = parsePortfolio({ positions: a.positions }, `account ${a.id}`);
      checkAgainstMarket(portfolio, data, `account ${a.id}`);
      if ("error" in checked) throw checked.error;
      return { id: a.id, margin: headlineMargin(engine, portfolio.positions, market, checked.value) };
    } catch (error) {
      return { id: a.id, error: error instanceof Error ? error.message : String(error) };
    }
  });
}

/** `run()`'s value, or what it threw. */
function attempt<T>(run: () => T): { value: T } | { error: unknown } {
  try {
    return { value: run() };
  } catch (error) {
    return { error };
  }
}
