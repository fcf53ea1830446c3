// What the queue's tests share: the example market and book, the Deribit grid, and
// batches of accounts made from the book.
import { readFileSync } from "node:fs";
import type { MarginMethod } from "../../src/methods/margin.js";
import type { Position } from "../../src/model/types.js";
import type { BatchAccount } from "../../src/parallel/tasks.js";
import { parseMarket, parsePortfolio } from "../../src/schema/index.js";
import { builtInProfile } from "../../src/schema/profiles.js";
import { prng } from "../fixtures/synthetic.js";

export const root = new URL("../../", import.meta.url);
export const cli = new URL("dist/cli/main.js", root).pathname;
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`examples/${name}`, root), "utf8"));
export const marketData = parseMarket(read("market.json"));
export const book = parsePortfolio(read("portfolio.json")).positions;
export const grid: MarginMethod = { method: "grid", profile: builtInProfile("deribit") };

/** n accounts of 2–5 of the example book's instruments at seeded sizes; account 7 has a bad strike. */
export function accountsOf(n: number): BatchAccount[] {
  return Array.from({ length: n }, (_, i) => {
    const rnd = prng(1_000 + i);
    const positions: Position[] = Array.from({ length: 2 + Math.floor(rnd() * 4) }, (_, j) => {
      const p = book[Math.floor(rnd() * book.length)]!;
      return { ...p, id: `${p.id}#${j}`, quantity: p.quantity * (rnd() - 0.4) };
    });
    if (i === 7) positions[0] = { ...book.find((p) => p.kind === "option")!, strike: -5 } as Position;
    return { id: `acct-${i}`, positions };
  });
}
