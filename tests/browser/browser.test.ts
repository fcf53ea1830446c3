// The same build/pmargin.wasm, loaded through a real Vite bundle in Chromium, must
// compute bit-identical results to Node. This exercises what a consumer gets: the
// package entry dist/index.js, whose #pmargin-wasm import the bundler resolves under the
// "browser" condition to dist/engine/wasm-inline.js, the kernels' bytes inside the code.
// (tests/consumers.test.ts installs the packed tarball for each bundler.)
//
// Bit-identity is asserted twice: on identical inputs (a book compiled in Node, sent
// to the page), and end to end with the browser compiling the book itself. The second
// holds because compiling uses src/math/deterministic.ts rather than Math.log/exp, whose
// last bit ECMAScript leaves to the engine (Node 20's V8 and Chromium 156 disagree on
// Math.log(5129 / 3690.3259695721226)).
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, launchChromium, serve, skipBrowser } from "../helpers/chromium.js";
import { poolRunInputs, run, seededBook, type Results } from "./app/compute.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const distEntry = join(repo, "dist/index.js");
const distEngine = join(repo, "dist/engine/index.js");
/** The main entry and the engine tier, as the page gets them. */
const api = async () => ({
  ...((await import(distEntry)) as typeof import("pmargin")),
  ...((await import(distEngine)) as typeof import("pmargin/engine")),
});
const wasmPath = join(repo, "build/pmargin.wasm");

const bits = (a: Float64Array, i: number): string => Buffer.from(a.buffer, a.byteOffset + 8 * i, 8).toString("hex");

/** Where two arrays first differ in any bit, or null when they are identical. */
function firstDifference(browser: Float64Array, node: Float64Array): string | null {
  if (browser.length !== node.length) return `lengths differ: browser ${browser.length}, node ${node.length}`;
  for (let i = 0; i < node.length; i++) {
    if (bits(browser, i) !== bits(node, i)) return `value ${i}: browser ${browser[i]} (${bits(browser, i)}) vs node ${node[i]} (${bits(node, i)})`;
  }
  return null;
}

describe.skipIf(skipBrowser)(
  skipBrowser ? `browser bundle (skipped: chromium is not installed at ${CHROMIUM})` : "browser bundle",
  () => {
    let outDir: string | undefined;
    let server: Server | undefined;
    let browser: Browser | undefined;
    let page: Page | undefined;
    let emitted: string[] = [];
    const fetchedWasm: { path: string; contentType: string | undefined }[] = [];
    let nodeResults: Results;
    let browserSameBook: Results;
    let browserOwnBook: Results;
    let browserPooled: unknown;
    let browserWasmSha256: string | undefined;

    beforeAll(async () => {
      if (!existsSync(distEntry) || !existsSync(wasmPath)) {
        throw new Error("dist/index.js or build/pmargin.wasm is missing: run `npm run build` first");
      }

      outDir = await mkdtemp(join(tmpdir(), "pmargin-browser-"));
      await build({
        root: fileURLToPath(new URL("./app/", import.meta.url)),
        configFile: false,
        logLevel: "silent",
        build: { outDir, emptyOutDir: true },
        resolve: {
          alias: [
            { find: /^pmargin$/, replacement: distEntry },
            { find: /^pmargin\/engine$/, replacement: distEngine },
            { find: /^pmargin\/parallel$/, replacement: join(repo, "dist/parallel/pool.js") },
            { find: /^pmargin\/parallel-worker$/, replacement: join(repo, "dist/parallel/worker.js") },
          ],
        },
        worker: { format: "es" },
      });
      emitted = await readdir(join(outDir, "assets"));
      const site = await serve(outDir);
      server = site.server;

      browser = await launchChromium();
      page = await browser.newPage();
      page.on("response", (r) => {
        const path = new URL(r.url()).pathname;
        if (path.endsWith(".wasm")) fetchedWasm.push({ path, contentType: r.headers()["content-type"] });
      });
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.stack ?? e.message));
      await page.goto(site.origin + "/");
      await page.waitForFunction(() => window.pmarginPage?.done, undefined, { timeout: 60_000 }).catch((e: Error) => {
        throw new Error(`page never finished: ${e.message}\n${pageErrors.join("\n")}`);
      });
      const state = await page.evaluate(() => ({ error: window.pmarginPage.error, wasmSha256: window.pmarginPage.wasmSha256, ownBook: window.pmarginPage.ownBook, pooled: window.pmarginPage.pooled }));
      if (state.error !== undefined) throw new Error(`the page failed: ${state.error}`);
      browserOwnBook = state.ownBook!;
      browserWasmSha256 = state.wasmSha256;
      browserPooled = state.pooled!;

      // Imported only now, so that a missing dist/ gets the message above.
      const pm = await api();
      const engine = await pm.createEngine();
      const book = seededBook(pm, engine);
      // Sent before Node runs it: revaluing fills the book's base values, which the page's wasm must compute itself.
      browserSameBook = await page.evaluate((b) => window.pmarginPage.runOn!(b), structuredClone(book));
      nodeResults = run(pm, engine, book);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      if (server) await new Promise((done) => server!.close(done));
      if (outDir) await rm(outDir, { recursive: true, force: true });
    });

    it("carries build/pmargin.wasm inline: no wasm asset, no wasm fetched, the same bytes run", async () => {
      expect(emitted.filter((f) => f.endsWith(".wasm"))).toEqual([]);
      // Neither the page's engine nor the pool's workers fetch one.
      expect(fetchedWasm).toEqual([]);
      expect(browserWasmSha256).toBe(createHash("sha256").update(await readFile(wasmPath)).digest("hex"));
    });

    it("computes bit-identical results to Node from identical inputs", () => {
      expect(Object.keys(browserSameBook)).toEqual(Object.keys(nodeResults));
      for (const [name, node] of Object.entries(nodeResults)) {
        // Not all zero, so that a broken run cannot pass by matching another one.
        expect(node.some((x) => x !== 0), name).toBe(true);
        expect(firstDifference(browserSameBook[name]!, node), name).toBeNull();
      }
    });

    it("Monte Carlo on a pool of two Web Workers equals Node's single-threaded run, bit for bit", async () => {
      const pm = await api();
      const node = pm.monteCarlo(await pm.createEngine(), ...poolRunInputs(pm));
      expect(browserPooled).toEqual(JSON.parse(JSON.stringify(node)));
    });

    it("verifies a record signed in Node with Ed25519 through the browser's WebCrypto, and refuses another key", async () => {
      const keys = () => generateKeyPairSync("ed25519");
      const signer = keys();
      const pm = await api();
      const { record, signRecord } = await import(pathToFileURL(join(repo, "dist/verify/reproducibility.js")).href) as typeof import("../../src/verify/reproducibility.js");
      const engine = await pm.createEngine();
      const inputs = { portfolio: JSON.parse(await readFile(join(repo, "examples/portfolio.json"), "utf8")) as unknown, market: JSON.parse(await readFile(join(repo, "examples/market.json"), "utf8")) as unknown };
      const { portfolio, market } = pm.prepareInputs(inputs.portfolio, inputs.market);
      const profile = pm.builtInProfile("span");
      const result = pm.gridMargin(engine, portfolio.positions, market, { profile, perPosition: false });
      const rec = await signRecord(await record(engine as unknown as Parameters<typeof record>[0], { command: "grid", profile, perPosition: false }, inputs), signer.privateKey.export({ type: "pkcs8", format: "pem" }).toString());
      const saved = JSON.parse(JSON.stringify({ ...result, reproducibility: rec })) as unknown;
      const pem = (k: KeyObject): string => k.export({ type: "spki", format: "pem" }).toString();
      const ok = await page!.evaluate(([s, k]) => window.pmarginPage.verify!(s, k), [saved, pem(signer.publicKey)] as const);
      expect(ok).toMatchObject({ identical: true });
      expect((ok as { notes: string[] }).notes.some((n) => n.startsWith("signature verified"))).toBe(true);
      const other = await page!.evaluate(([s, k]) => window.pmarginPage.verify!(s, k), [saved, pem(keys().publicKey)] as const);
      expect(other).toMatch(/reproducibility\.signature: does not verify with the public key given/);
    });

    it("computes bit-identical results to Node when the browser compiles the book itself", () => {
      expect(Object.keys(browserOwnBook)).toEqual(Object.keys(nodeResults));
      for (const [name, node] of Object.entries(nodeResults)) {
        expect(firstDifference(browserOwnBook[name]!, node), name).toBeNull();
      }
    });
  },
);
