// compareModules in Chromium: tests/helpers/modules-page.ts bundled by esbuild (under the
// "browser" condition: the kernels inline, from dist/engine/wasm-inline.js, so build
// first), served on 127.0.0.1, run in headless /usr/bin/chromium.
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { launchChromium } from "./chromium.js";
import type { CompareSpec, ModulesComparison } from "./modules-compare.js";

export interface ModulesPage {
  /** Whether this Chromium validates relaxed SIMD. */
  relaxedSimd: boolean;
  compare(spec: CompareSpec): Promise<ModulesComparison>;
  close(): Promise<void>;
}

export async function openModulesPage(): Promise<ModulesPage> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL("./modules-page.ts", import.meta.url))],
    bundle: true, format: "esm", platform: "browser", conditions: ["browser"], write: false, logLevel: "silent",
  });
  const script = bundle.outputFiles[0]!.text;
  const { createServer } = await import("node:http");
  const server: Server = createServer((req, res) => {
    if (req.url === "/page.js") res.writeHead(200, { "Content-Type": "text/javascript" }).end(script);
    else res.writeHead(200, { "Content-Type": "text/html" }).end('<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await new Promise((done) => server.close(done));
  };
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const { port } = server.address() as { port: number };
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => typeof window.compareModules === "function", undefined, { timeout: 30_000 }).catch((e: Error) => {
      throw new Error(`the page never loaded: ${e.message}\n${errors.join("\n")}`);
    });
    const relaxedSimd = await page.evaluate(() => window.relaxedSimd);
    return { relaxedSimd, compare: (spec) => page.evaluate((s) => window.compareModules(s), spec), close };
  } catch (error) {
    await close();
    throw error;
  }
}
