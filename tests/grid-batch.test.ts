// Many books margined together (gridMargins, headlineMargins, a batch's accounts): each
// book's margin is its own gridMargin's, field for field and bit for bit, whatever books
// share its revaluation, under every shipped profile and option.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError, LimitError } from "../src/errors.js";
import { buildMarket } from "../src/market/market.js";
import { gridHeadlines, gridMargin, gridMargins, type GridOptions } from "../src/methods/grid/grid.js";
import { headlineMargin, headlineMargins } from "../src/methods/margin.js";
import type { Position } from "../src/model/types.js";
import { marginAccounts } from "../src/parallel/tasks.js";
import { parsePortfolio } from "../src/schema/portfolio.js";
import { parseProfile } from "../src/schema/profile.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

const marketData = syntheticMarket();
const market = buildMarket(marketData);
let engine: Engine;
beforeAll(async () => void (engine = await createEngine()));

/** Books of 1 to 30 parsed positions; some on one underlying or one settlement only. */
function books(n: number, seed: number): Position[][] {
  return Array.from({ length: n }, (_, i) => {
    const all = syntheticPositions(1 + ((i * 7) % 25), (i * 3) % 6, seed + i, i % 2 === 0);
    const some = i % 5 === 1 ? all.filter((q) => q.underlying === "BTC") : i % 5 === 2 ? all.filter((q) => q.kind === "spot" || q.settlement !== "inverse") : all;
    return [...parsePortfolio({ positions: some.length > 0 ? some : all }).positions];
  });
}

/** A parsed book of n positions, all on BTC (a compiled book's limit counts one underlying's positions). */
const onBtc = (n: number): Position[] => [...parsePortfolio({ positions: syntheticPositions(200, 30, 2).filter((q) => q.underlying === "BTC").slice(0, n) }).positions];

describe("gridMargins: each book as if margined alone", () => {
  const cases: [string, GridOptions][] = [
    ["deribit (separate settlement books)", { profile: builtInProfile("deribit") }],
    ["deribit, per position, in USD, with MMP", { profile: builtInProfile("deribit"), perPosition: true, measureIn: "USD", mmp: [{ underlying: "BTC", quantityLimit: 5 }] }],
    ["okx", { profile: builtInProfile("okx") }],
    ["span", { profile: builtInProfile("span") }],
    ["paradex", { profile: builtInProfile("paradex") }],
  ];
  it.each(cases)("%s", (_, options) => {
    const many = books(40, 11);
    const alone = many.map((b) => gridMargin(engine, b, market, options));
    expect(gridMargins(engine, many, market, options)).toEqual(alone);
    // The headline alone (a batch's): the same two figures, bit for bit.
    expect(gridHeadlines(engine, many, market, options)).toEqual(alone.map(({ initial, maintenance, spreadCredit }) => ({ initial, maintenance, spreadCredit })));
  });

  it("settlement books that revalue differently (USD-settled books on other moves) are margined alone, with the same figures", () => {
    const json = JSON.parse(readFileSync(new URL("../src/profiles/deribit.json", import.meta.url), "utf8")) as { usdSettled: Record<string, unknown> };
    const profile = parseProfile({ ...json, usdSettled: { ...json.usdSettled, extended: [] } }, "deribit, no extended moves for USD-settled books");
    const many = books(30, 17);
    const alone = many.map((b) => gridMargin(engine, b, market, { profile }));
    expect(alone.some((m) => m.underlyings.some((u) => u.settlements?.length === 2))).toBe(true);
    expect(gridMargins(engine, many, market, { profile })).toEqual(alone);
    expect(gridHeadlines(engine, many, market, { profile })).toEqual(alone.map(({ initial, maintenance, spreadCredit }) => ({ initial, maintenance, spreadCredit })));
  });

  it("in slices when the backend's limits are small, and a book beyond them fails as it does alone", async () => {
    const small = await createEngine({ limits: { positions: 40 } });
    const many = books(30, 3).filter((b) => b.length <= 40);
    const options = { profile: builtInProfile("deribit") };
    const alone = many.map((b) => gridMargin(small, b, market, options));
    expect(gridMargins(small, many, market, options)).toEqual(alone);
    expect(gridHeadlines(small, many, market, options)).toEqual(alone.map(({ initial, maintenance, spreadCredit }) => ({ initial, maintenance, spreadCredit })));
    const big = onBtc(45);
    expect(() => gridMargin(small, big, market, options)).toThrow(LimitError);
    expect(() => gridMargins(small, [many[0]!, big], market, options)).toThrow(LimitError);
  });

  it("unparsed positions are parsed and checked, the error naming the book", () => {
    const raw = JSON.parse(JSON.stringify(books(3, 5))) as Position[][];
    const options = { profile: builtInProfile("deribit") };
    expect(gridMargins(engine, raw, market, options)).toEqual(raw.map((b) => gridMargin(engine, b, market, options)));
    const bad = [raw[0]!, [{ ...raw[1]![0]!, underlying: "DOGE" }]];
    expect(() => gridMargins(engine, bad, market, options)).toThrow(expect.objectContaining({ path: "books[1][0].underlying" }));
    expect(() => gridMargins(engine, "x" as never, market, options)).toThrow(InputError);
    expect(() => gridMargins(engine, raw, market, { ...options, perPositon: true } as never)).toThrow(/options/);
  });

  it("no books, and books on no underlying in common", () => {
    const options = { profile: builtInProfile("deribit") };
    expect(gridMargins(engine, [], market, options)).toEqual([]);
    const split = [...parsePortfolio({ positions: syntheticPositions(12, 3, 8) }).positions];
    const byName = ["BTC", "ETH", "SOL"].map((u) => split.filter((q) => q.underlying === u)).filter((b) => b.length > 0);
    expect(gridMargins(engine, byName, market, options)).toEqual(byName.map((b) => gridMargin(engine, b, market, options)));
  });
});

describe("headlineMargins and a batch's accounts", () => {
  it("equal headlineMargin book by book, for every method", () => {
    const many = books(300, 21);
    const grid = { method: "grid" as const, profile: builtInProfile("deribit") };
    expect(headlineMargins(engine, many, market, grid)).toEqual(many.map((b) => headlineMargin(engine, b, market, grid)));
    const mc = { method: "monte-carlo" as const, model: { paths: 2_000, seed: 3 } };
    expect(headlineMargins(engine, many.slice(0, 3), market, mc)).toEqual(many.slice(0, 3).map((b) => headlineMargin(engine, b, market, mc)));
  });

  it("a batch margins its good accounts together and names each bad one; an account the method refuses falls back to one by one", async () => {
    const spec = { method: "grid" as const, profile: builtInProfile("deribit") };
    const accounts = books(20, 4).map((positions, i) => ({ id: `a${i}`, positions: positions as unknown }));
    accounts[3] = { id: "a3", positions: [{ kind: "spot", underlying: "BTC", quantity: "1" }] };
    const out = marginAccounts(engine, accounts, marketData, spec);
    out.forEach((r, i) => {
      if (i === 3) expect(r).toEqual({ id: "a3", error: expect.stringMatching(/account a3: positions\[0\]\.quantity/) });
      else expect(r).toEqual({ id: `a${i}`, margin: headlineMargin(engine, accounts[i]!.positions as Position[], market, spec) });
    });
    // An account beyond the engine's limits fails alone; the others are margined.
    const small = await createEngine({ limits: { positions: 30 } });
    const big = { id: "big", positions: onBtc(35) as unknown };
    const mixed = marginAccounts(small, [accounts[0]!, big, accounts[1]!], marketData, spec);
    expect(mixed[1]).toEqual({ id: "big", error: expect.stringMatching(/positions/) });
    expect(mixed[0]).toEqual({ id: "a0", margin: headlineMargin(small, accounts[0]!.positions as Position[], market, spec) });
    expect(mixed[2]).toEqual({ id: "a1", margin: headlineMargin(small, accounts[1]!.positions as Position[], market, spec) });
  });
});
