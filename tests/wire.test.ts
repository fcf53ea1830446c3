// A batch's accounts travel to the pool's workers as JSON text only when the text says exactly
// what they hold; otherwise as a structured clone. Either way a worker margins what this
// thread would have: the pool's results equal marginAccounts' on this thread, errors included.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { RiskPool } from "../src/parallel/pool.js";
import { marginAccounts, type BatchAccount } from "../src/parallel/tasks.js";
import { fromWire, toWire } from "../src/parallel/wire.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { syntheticMarket, syntheticPositions } from "./fixtures/synthetic.js";

const account = (i: number): BatchAccount => ({ id: `a${i}`, positions: syntheticPositions(5, 2, 300 + i) });
const withFirst = (change: Record<string, unknown>): BatchAccount => {
  const a = account(99);
  const [first, ...rest] = a.positions as Record<string, unknown>[];
  return { id: "odd", positions: [{ ...first, ...change }, ...rest] };
};

describe("toWire and fromWire", () => {
  it("plain data goes as JSON text and comes back equal", () => {
    const accounts = [account(1), account(2), { id: "nulls", positions: [null, true, "x", [1, [2]], { a: { b: 0.1 } }] }];
    const wire = toWire(accounts);
    expect("json" in wire).toBe(true);
    expect(fromWire(wire)).toEqual(accounts);
  });

  const odd: [string, BatchAccount][] = [
    ["NaN", withFirst({ quantity: Number.NaN })],
    ["Infinity", withFirst({ quantity: Number.POSITIVE_INFINITY })],
    ["−0", withFirst({ quantity: -0 })],
    ["undefined", withFirst({ id: undefined })],
    ["a Date", withFirst({ expiry: new Date("2027-01-01") })],
    ["a bigint", withFirst({ quantity: 1n })],
    ["a class instance", withFirst({ strike: new Number(5) })],
    ["a sparse array", { id: "sparse", positions: [account(3).positions as unknown[]][0]!.concat([, 1]) }],
  ];
  it.each(odd)("a slice holding %s goes as the accounts themselves", (_, a) => {
    const wire = toWire([account(1), a]);
    expect("accounts" in wire).toBe(true);
    expect(fromWire(wire)[1]).toBe(a);
  });

  it("a cycle, or nesting deeper than accounts go, is not walked forever", () => {
    const cyclic: Record<string, unknown> = { kind: "spot" };
    cyclic.self = cyclic;
    expect("accounts" in toWire([{ id: "c", positions: [cyclic] }])).toBe(true);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect("accounts" in toWire([{ id: "d", positions: deep }])).toBe(true);
  });
});

describe("the pool margins what this thread would", () => {
  let engine: Engine;
  const pool = new RiskPool({ workers: 2 });
  beforeAll(async () => void (engine = await createEngine()));
  afterAll(() => pool.terminate());

  it("plain accounts and odd ones (NaN, −0, a Date): the same results, errors word for word", async () => {
    const marketData = syntheticMarket();
    const spec = { method: "grid", profile: builtInProfile("deribit") } as const;
    const accounts = [...Array.from({ length: 30 }, (_, i) => account(i)), withFirst({ quantity: Number.NaN }), withFirst({ quantity: -0 }), withFirst({ expiry: new Date("2027-01-01") })];
    const here = marginAccounts(engine, accounts, marketData, spec);
    expect(await pool.marginBatch(accounts, marketData, spec)).toEqual(here);
    expect(here.slice(30).map((r) => ("error" in r ? r.error : "ok"))).toEqual([expect.stringMatching(/NaN/), "ok", expect.stringMatching(/expiry/)]);
  });
});
