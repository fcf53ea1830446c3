// The same build/pmargin.wasm, loaded through a real Vite bundle in Chromium, must
// compute bit-identical results to Node. This exercises what a consumer gets: the
// package entry dist/index.js and its new URL("../../build/pmargin.wasm", import.meta.url),
// which the bundler must turn into an emitted asset that the loader fetches.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compute, type Results } from "./app/compute.js";

const CHROMIUM = "/usr/bin/chromium";
const repo = fileURLToPath(new URL("../../", import.meta.url));
const distEntry = join(repo, "dist/index.js");
const wasmPath = join(repo, "build/pmargin.wasm");
const haveChromium = existsSync(CHROMIUM);
// In CI a missing browser must fail loudly (in beforeAll); locally it only skips.
const skip = !haveChromium && !process.env.CI;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
};

/** Serves `root` read-only on 127.0.0.1 at a random port. */
async function serve(root: string): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const file = resolve(root, "." + (path.endsWith("/") ? path + "index.html" : path));
    try {
      if (!file.startsWith(root + sep)) throw new Error("outside root");
      const body = await readFile(file);
      res.writeHead(200, { "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Where two hex dumps of Float64Arrays first differ, decoded, or null when equal. */
function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  if (a.length !== b.length) return `lengths differ: ${a.length / 16} vs ${b.length / 16} values`;
  const value = (h: string) => new Float64Array(Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16)).buffer)[0];
  for (let i = 0; i < a.length; i += 16) {
    const x = a.slice(i, i + 16), y = b.slice(i, i + 16);
    if (x !== y) return `value ${i / 16}: browser ${value(x)} (${x}) vs node ${value(y)} (${y})`;
  }
  return null;
}

describe.skipIf(skip)(
  skip ? `browser bundle (skipped: chromium is not installed at ${CHROMIUM})` : "browser bundle",
  () => {
    let outDir: string | undefined;
    let server: Server | undefined;
    let browser: Browser | undefined;
    let emitted: string[] = [];
    let fetchedWasm: { url: string; contentType: string | undefined }[] = [];
    let browserResults: Results;
    let nodeResults: Results;

    beforeAll(async () => {
      if (!haveChromium) throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);
      if (!existsSync(distEntry) || !existsSync(wasmPath)) {
        throw new Error("dist/index.js or build/pmargin.wasm is missing: run `npm run build` first");
      }

      outDir = await mkdtemp(join(tmpdir(), "pmargin-browser-"));
      await build({
        root: fileURLToPath(new URL("./app/", import.meta.url)),
        configFile: false,
        logLevel: "silent",
        build: { outDir, emptyOutDir: true },
        resolve: { alias: [{ find: /^pmargin$/, replacement: distEntry }] },
      });
      emitted = await readdir(join(outDir, "assets"));
      const site = await serve(outDir);
      server = site.server;

      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
      });
      const page = await browser.newPage();
      page.on("response", (r) => {
        if (new URL(r.url()).pathname.endsWith(".wasm")) fetchedWasm.push({ url: r.url(), contentType: r.headers()["content-type"] });
      });
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.stack ?? e.message));
      await page.goto(site.origin + "/");
      await page.waitForFunction(() => window.pmarginRun?.done, undefined, { timeout: 60_000 }).catch((e: Error) => {
        throw new Error(`page never finished: ${e.message}\n${pageErrors.join("\n")}`);
      });
      const run = await page.evaluate(() => window.pmarginRun);
      if (run.error !== undefined) throw new Error(`the page failed: ${run.error}`);
      browserResults = run.results!;

      // The Node side runs the same built package, imported here so that a missing dist/ gets the message above.
      nodeResults = await compute(await import(distEntry));
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await new Promise((done) => (server ? server.close(done) : done(undefined)));
      if (outDir) await rm(outDir, { recursive: true, force: true });
    });

    it("emits pmargin.wasm as a separate asset, byte-identical to build/, and fetches it by URL", async () => {
      const wasmFiles = emitted.filter((f) => f.endsWith(".wasm"));
      expect(wasmFiles).toHaveLength(1);
      const asset = await readFile(join(outDir!, "assets", wasmFiles[0]!));
      expect(asset.equals(await readFile(wasmPath))).toBe(true);
      expect(fetchedWasm).toEqual([{ url: expect.stringMatching(`/assets/${wasmFiles[0]}$`), contentType: "application/wasm" }]);
    });

    it("computes the same results as Node, bit for bit", () => {
      expect(Object.keys(browserResults).sort()).toEqual(Object.keys(nodeResults).sort());
      for (const [name, hex] of Object.entries(nodeResults)) {
        // Guard against a vacuous pass: results must be non-empty and not all zero.
        expect(hex, name).toMatch(/[^0]/);
        expect(firstDifference(browserResults[name]!, hex), name).toBeNull();
      }
    });
  },
);
