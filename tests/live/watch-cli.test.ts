// pmargin watch: JSON lines in, JSON lines out; bad lines reported, the stream goes on,
// and the end line's margin is the from-scratch margin of the final book and market.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { accountMargin } from "../../src/account/account.js";
import { createEngine } from "../../src/engine/engine.js";
import { parseAccount } from "../../src/schema/account.js";
import { movedByHand } from "../fixtures/moved.js";
import { buildMarket } from "../../src/market/market.js";
import { gridMargin } from "../../src/methods/grid/grid.js";
import { builtInProfile } from "../../src/schema/profiles.js";
import type { MarketData, Position } from "../../src/model/types.js";

const cli = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const market = JSON.parse(readFileSync("examples/market.json", "utf8")) as MarketData;
const portfolio = JSON.parse(readFileSync("examples/portfolio.json", "utf8")) as { positions: Position[] };

describe("pmargin watch", () => {
  it("reads updates as JSON lines and writes start, events, errors and end as JSON lines", async () => {
    if (!existsSync(cli)) throw new Error("dist/cli/main.js is missing: run `npm run build` (npm test does)");
    const fill: Position = { id: "hedge", kind: "future", underlying: "ETH", settlement: "linear", quantity: -20 };
    const btc = market.underlyings.BTC!;
    const input = [
      { type: "price", time: "2026-08-22T15:34:00Z", underlying: "BTC", index: btc.index * 0.97 },
      "not json",
      "",
      { type: "price", time: "2026-08-22T15:35:00Z", underlying: "SOL", index: 0 },
      { type: "fill", time: "2026-08-22T15:36:00Z", position: fill },
    ].map((u) => (typeof u === "string" ? u : JSON.stringify(u))).join("\n");
    const r = spawnSync(process.execPath, [cli, "watch", "examples/portfolio.json", "examples/market.json", "--margin-change", "0"], { input, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.type)).toEqual(["start", "margin", "error", "error", "margin", "end"]);
    expect(lines[2]).toMatchObject({ update: 2, message: expect.stringMatching(/malformed JSON/) });
    expect(lines[3]).toMatchObject({ update: 4, field: "index" });
    const engine = await createEngine();
    const profile = builtInProfile("deribit");
    const moved = movedByHand(market, "BTC", 0.97);
    const start = gridMargin(engine, portfolio.positions, buildMarket(market), { profile });
    const end = gridMargin(engine, [...portfolio.positions, fill], buildMarket(moved), { profile });
    expect(lines[0]!.initial).toBe(start.initial);
    expect(lines[5]).toMatchObject({ positions: portfolio.positions.length + 1, initial: expect.closeTo(end.initial, 6) });
  });

  it("ends quietly when its reader closes the pipe early (| head)", async () => {
    const child = spawn(process.execPath, [cli, "watch", "examples/portfolio.json", "examples/market.json", "--margin-change", "0"], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.stdout.destroy();
    const btc = market.underlyings.BTC!.index;
    for (let i = 1; i <= 50; i++) child.stdin.write(`${JSON.stringify({ type: "price", time: `2026-08-22T16:${String(i).padStart(2, "0")}:00Z`, underlying: "BTC", index: btc * (1 - 0.002 * i) })}\n`);
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("follows an account file's status: start and end lines carry it, as accountMargin() reports it", async () => {
    const r = spawnSync(process.execPath, [cli, "watch", "examples/account.json", "examples/market.json"], { input: "", encoding: "utf8" });
    expect(r.status).toBe(0);
    const [start] = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { status: { equity: number; maintenance: number; state: string } });
    const account = parseAccount(JSON.parse(readFileSync("examples/account.json", "utf8")));
    const report = accountMargin(await createEngine(), account, market, { method: "grid", profile: builtInProfile("deribit") }, { distanceToLiquidation: false });
    expect(start!.status.equity).toBeCloseTo(report.equity, 6);
    expect(start!.status.maintenance).toBeCloseTo(report.maintenance, 6);
    expect(start!.status.state).toBe(report.state);
  });
});
