// The work a pool worker does besides a split method's parts (those are the
// registry's, src/runs): the margin of a slice of a batch's accounts, as a plain
// function of plain data; and how ranges are cut. Each worker has its own engine.
import type { Backend } from "../engine/backend.js";
import { buildMarket, checkedMarketData } from "../market/market.js";
import { checkSpec, headlineMargin, headlineMargins, type MarginResult, type MarginMethod } from "../methods/margin.js";
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
  const method = "value" in checked ? checked.value : undefined;
  const out: BatchAccountResult[] = [];
  // A group at a time: parsed, then margined together (headlineMargins), so that only a group's inputs are held.
  for (let i = 0; i < accounts.length; i += ACCOUNTS_AT_ONCE) {
    const group = accounts.slice(i, i + ACCOUNTS_AT_ONCE);
    const parsed = group.map((a) => attempt(() => {
      const portfolio = parsePortfolio({ positions: a.positions }, `account ${a.id}`);
      checkAgainstMarket(portfolio, data, `account ${a.id}`);
      if ("error" in checked) throw checked.error;
      return portfolio.positions;
    }));
    const books = parsed.flatMap((p) => ("value" in p ? [p.value] : []));
    // Should margining them together fail (an account the method refuses), each alone, to name it
    // (a parsed account means the spec was checked: `method` is set).
    const together = method && books.length > 0 ? attempt(() => headlineMargins(engine, books, market, method)) : undefined;
    let next = 0;
    group.forEach((a, j) => {
      const p = parsed[j]!;
      if ("error" in p) return void out.push({ id: a.id, error: message(p.error) });
      const k = next++;
      if (together && "value" in together) return void out.push({ id: a.id, margin: together.value[k]! });
      const alone = attempt(() => headlineMargin(engine, p.value, market, method!));
      out.push("value" in alone ? { id: a.id, margin: alone.value } : { id: a.id, error: message(alone.error) });
    });
  }
  return out;
}

/** Accounts a batch parses and margins together. */
const ACCOUNTS_AT_ONCE = 16;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `run()`'s value, or what it threw. */
function attempt<T>(run: () => T): { value: T } | { error: unknown } {
  try {
    return { value: run() };
  } catch (error) {
    return { error };
  }
}
