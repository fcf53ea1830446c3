// What the browser tests share: Debian's Chromium (never a download), a static
// file server on 127.0.0.1, and the rule for a missing browser.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, resolve, sep } from "node:path";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);
/** In CI a missing browser must fail loudly (in beforeAll); locally the tests only skip. */
export const skipBrowser = !haveChromium && !process.env.CI;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
};

/** Serves `root` read-only on 127.0.0.1 at a random port, below `prefix` ("/" by default). */
export async function serve(root: string, prefix = "/"): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    try {
      if (!path.startsWith(prefix)) throw new Error("outside the prefix");
      const rest = path.slice(prefix.length);
      const file = resolve(root, rest === "" || rest.endsWith("/") ? rest + "index.html" : rest);
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

export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}
