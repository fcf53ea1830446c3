// `--fetch`: the venues' public endpoints, called only when asked — here against a local fake
// server that answers with the examples' responses, never the real venues.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchPublic, importVenue } from "../src/import/index.js";
import { InputError } from "../src/errors.js";

const example = (path: string): any => JSON.parse(readFileSync(new URL(`../examples/import/${path}`, import.meta.url), "utf8"));
const summary = example("deribit/book_summary.json");
const only = (kind: "option" | "future") => ({ ...summary, result: summary.result.filter((x: any) => ("mark_iv" in x) === (kind === "option")) });

/** What the fake Deribit answers, by path and query. */
const ROUTES: Record<string, unknown> = {
  "/api/v2/public/get_book_summary_by_currency?currency=BTC&kind=option": only("option"),
  "/api/v2/public/get_book_summary_by_currency?currency=BTC&kind=future": only("future"),
  "/api/v2/public/get_index_price?index_name=btc_usd": example("deribit/index.json"),
};

describe("--fetch against a local fake of the venue", () => {
  let server: Server;
  let base: string;
  const requested: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      requested.push(request.url!);
      const body = ROUTES[request.url!];
      response.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
      response.end(body === undefined ? '{"error":"not found"}' : JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("fetchPublic GETs Deribit's option and future book summaries and the index; imported with the positions they make what the saved files make", async () => {
    requested.length = 0;
    const fetched = await fetchPublic("deribit", "BTC", `${base}/api/v2`);
    expect(requested.sort()).toEqual(Object.keys(ROUTES).sort());
    const positions = { json: example("deribit/positions.json"), source: "positions.json" };
    const files = ["book_summary.json", "index.json"].map((f) => ({ json: example(`deribit/${f}`), source: f }));
    const viaFetch = importVenue("deribit", [...fetched, positions]);
    const viaFiles = importVenue("deribit", [...files, positions]);
    expect(viaFetch.market).toEqual(viaFiles.market);
    expect(viaFetch.portfolio).toEqual(viaFiles.portfolio);
  });

  it("a status other than 200 is an InputError naming the URL; a venue without public endpoints here is refused", async () => {
    const error = await fetchPublic("deribit", "ETH", `${base}/api/v2`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2\/public\/get_book_summary_by_currency\?currency=ETH&kind=option: HTTP 404/);
    await expect(fetchPublic("derive", "BTC")).rejects.toThrow(/derive has no public endpoints pmargin fetches/);
  });

  it("pmargin import deribit --fetch BTC --base-url … positions.json writes the portfolio and market", async () => {
    const cli = new URL("../dist/cli/main.js", import.meta.url).pathname;
    const out = mkdtempSync(join(tmpdir(), "pmargin-fetch-"));
    const positions = new URL("../examples/import/deribit/positions.json", import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [cli, "import", "deribit", "--fetch", "BTC", "--base-url", `${base}/api/v2`, positions, "--out", out]);
    expect(stdout).toMatch(/^deribit: 4 positions, 0 open orders/);
    const market = JSON.parse(readFileSync(join(out, "market.json"), "utf8"));
    expect(market).toEqual(importVenue("deribit", ["book_summary.json", "index.json"].map((f) => ({ json: example(`deribit/${f}`) }))).market);
  });
});
