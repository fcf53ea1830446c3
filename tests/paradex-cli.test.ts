// `pmargin paradex` end to end on the shipped example: the table, a verifiable --json record
// whose figures are the library's, and bad inputs refused with the file and field named.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { prepareInputs } from "../src/market/inputs.js";
import { paradexMargin } from "../src/methods/paradex/pm.js";
import { parseOpenOrders } from "../src/schema/orders.js";
import { builtInProfile } from "../src/schema/profiles.js";

const cli = new URL("../dist/cli/main.js", import.meta.url).pathname;
const dir = new URL("../examples/paradex/", import.meta.url).pathname;
const read = (f: string): unknown => JSON.parse(readFileSync(join(dir, f), "utf8"));

function pmargin(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  if (!existsSync(cli)) throw new Error("dist/cli/main.js is missing: run `npm run build` (npm test does)");
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = mkdtempSync(join(tmpdir(), "pmargin-paradex-"));
let engine: Engine;
beforeAll(async () => {
  engine = await createEngine();
});

describe("pmargin paradex", () => {
  const files = [`${dir}portfolio.json`, `${dir}market.json`, "--orders", `${dir}orders.json`, "--fee-rate", "0.0003"];

  it("prints IMR and MMR with their parts; --json is the library's result and verifies bit for bit", () => {
    const text = pmargin("paradex", ...files);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/IMR [\d,.]+ USD, MMR [\d,.]+ USD/);
    const json = pmargin("paradex", ...files, "--json");
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    const { portfolio, market } = prepareInputs(read("portfolio.json"), read("market.json"));
    const lib = paradexMargin(engine, portfolio.positions, market, { profile: builtInProfile("paradex"), orders: parseOpenOrders(read("orders.json")), feeRate: 0.0003 });
    expect(result.IMR).toBe(lib.IMR);
    expect(result.MMR).toBe(lib.MMR);
    expect(result.reproducibility.run.command).toBe("paradex");
    writeFileSync(join(tmp, "result.json"), json.stdout);
    const verified = pmargin("verify", join(tmp, "result.json"));
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it("refuses a bad orders file, a profile without a paradex section and a bad fee rate (exit 2, the file and field named)", () => {
    writeFileSync(join(tmp, "bad-orders.json"), JSON.stringify({ orders: [{ kind: "future", settlement: "inverse", underlying: "BTC", quantity: 1, price: 1 }] }));
    const orders = pmargin("paradex", `${dir}portfolio.json`, `${dir}market.json`, "--orders", join(tmp, "bad-orders.json"));
    expect(orders.code).toBe(2);
    expect(orders.stderr).toMatch(/bad-orders\.json: orders\[0\]\.settlement/);
    const profile = pmargin("paradex", `${dir}portfolio.json`, `${dir}market.json`, "--profile", "deribit");
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(/--profile: deribit has no paradex section/);
    const fee = pmargin("paradex", `${dir}portfolio.json`, `${dir}market.json`, "--fee-rate", "-1");
    expect(fee.code).toBe(2);
    expect(fee.stderr).toMatch(/--fee-rate: must be a fee rate/);
  });
});
