// Monte Carlo in the browser: the same monteCarlo() run (the 200-position book, one
// thread) in Node and in headless Chromium in one run, the package as a consumer gets
// it on each side (Node: dist/; Chromium: a Vite bundle of dist/ with its kernels
// inline), each part timed — path generation, revaluation, compiling, the summary —
// and Chromium ÷ Node printed per part. Both sides' VaR and ES are checked equal, bit
// for bit, before any figure is reported. Needs /usr/bin/chromium.
import type { Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { build } from "vite";
import { CHROMIUM, haveChromium, launchChromium, serve } from "../tests/helpers/chromium.js";
import { medianParts, type McParts } from "./browser/parts.js";
import { bookOf, marketData, mcModel } from "./fixtures.js";
import { consume, count, ms, times, type Section } from "./lib.js";

const repo = fileURLToPath(new URL("../", import.meta.url));
const distEntry = join(repo, "dist/index.js");

type PartKey = "totalMs" | "pathsMs" | "revalueMs" | "compileMs" | "summaryMs";
const PARTS: [PartKey, string][] = [["totalMs", "whole run"], ["pathsMs", "path generation"], ["revalueMs", "revaluation"], ["compileMs", "compiling books"], ["summaryMs", "summary"]];

export async function benchBrowser(pathCounts = [10_000, 100_000]): Promise<Section> {
  const section: Section = {
    id: "browser",
    title: "Monte Carlo in the browser: monteCarlo() on one thread, 200-position book, Node vs headless Chromium (same run)",
    columns: ["paths", "part", "Node", "Chromium", "Chromium ÷ Node"],
    rows: [],
    notes: [],
  };
  if (!haveChromium) {
    section.notes.push(`Not run: ${CHROMIUM} is missing (apt-get install -y chromium).`);
    return section;
  }
  const pm = (await import(distEntry)) as typeof import("pmargin");
  const engine = await pm.createEngine();
  const positions = bookOf(200);
  const market = pm.buildMarket(marketData);

  const outDir = await mkdtemp(join(tmpdir(), "pmargin-bench-browser-"));
  let server: Server | undefined;
  let browser: Browser | undefined;
  try {
    await build({
      root: fileURLToPath(new URL("./browser/", import.meta.url)),
      configFile: false,
      logLevel: "silent",
      build: { outDir, emptyOutDir: true },
      resolve: { alias: [{ find: /^pmargin$/, replacement: distEntry }] },
    });
    const site = await serve(outDir);
    server = site.server;
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(site.origin + "/");
    await page.waitForFunction(() => window.pmarginBench?.ready || window.pmarginBench?.error !== undefined, undefined, { timeout: 60_000 });
    const error = await page.evaluate(() => window.pmarginBench.error);
    if (error !== undefined) throw new Error(`the benchmark page failed: ${error}`);
    const version = browser.version();

    for (const paths of pathCounts) {
      const model = mcModel(paths);
      const [warmup, runs] = paths >= 100_000 ? [2, 5] : [5, 11];
      const node = medianParts(pm, engine, positions, market, model, warmup, runs);
      const chromium: McParts = await page.evaluate(([p, m, mo, w, r]) => window.pmarginBench.run!(p, m, mo, w, r), [positions, marketData, model, warmup, runs] as const);
      if (node.var99 !== chromium.var99 || node.es975 !== chromium.es975) {
        throw new Error(`Monte Carlo ${paths}: Chromium's VaR/ES ${chromium.var99}/${chromium.es975} differ from Node's ${node.var99}/${node.es975}`);
      }
      consume(node.var99 + chromium.es975);
      for (const [key, name] of PARTS) {
        section.rows.push({
          cells: [count(paths), name, ms(node[key]), ms(chromium[key]), times(chromium[key] / node[key])],
          data: { paths, part: name, nodeMs: node[key], chromiumMs: chromium[key], ratio: chromium[key] / node[key] },
        });
      }
    }
    section.notes.push(
      `Chromium ${version} (${CHROMIUM}, headless), the package bundled by Vite with its kernels inline; Node ${process.version} on dist/. Medians of 5 (100k paths) or 11 runs after warm-up, one page, one engine each side.`,
      "Parts: the engine's paths/pathsAt (path generation), revalue (revaluation) and compile wrapped with timers; the summary is the rest (losses, selection, tail statistics, histogram, worst paths, ES contributions). VaR 99% and ES 97.5% equal on both sides (checked, ===).",
    );
    return section;
  } finally {
    await browser?.close();
    if (server) await new Promise((done) => server!.close(done));
    await rm(outDir, { recursive: true, force: true });
  }
}
