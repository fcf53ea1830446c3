// Monte Carlo in the browser: the same monteCarlo() run (the 200-position book, one
// thread) in Node and in headless Chromium in one run, the package as a consumer gets
// it on each side (Node: dist/; Chromium: a Vite bundle of dist/ with its kernels
// inline), each part timed — path generation, revaluation, compiling, the summary —
// and Chromium ÷ Node printed per part. Both sides' VaR and ES are checked equal, bit
// for bit, before any figure is reported. Needs /usr/bin/chromium.
import { existsSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { build } from "vite";
import { CHROMIUM, haveChromium, launchChromium, serve } from "../tests/helpers/chromium.js";
import { medianParts, timedRun, type McParts } from "./browser/parts.js";
import { bookOf, marketData, mcModel } from "./fixtures.js";
import { consume, count, median, ms, times, type Section } from "./lib.js";

const repo = fileURLToPath(new URL("../", import.meta.url));
const distEntry = join(repo, "dist/index.js");

/** Minor page faults so far of a process (Linux), or undefined elsewhere. */
function minorFaults(pid: number | "self"): number | undefined {
  const stat = `/proc/${pid}/stat`;
  return existsSync(stat) ? Number(readFileSync(stat, "utf8").split(") ")[1]!.split(" ")[7]) : undefined;
}

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
    const inChromium = (model: object): Promise<McParts> => page.evaluate(([p, m, mo]) => window.pmarginBench.run!(p, m, mo), [positions, marketData, model] as const);
    // The page's renderer: of the browser's renderers, the one whose page faults grow most while the page runs.
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = (await cdp.send("SystemInfo.getProcessInfo")) as { processInfo: { type: string; id: number }[] };
    const faultsOf = (): [number, number][] => processInfo.filter((p) => p.type === "renderer").map((p) => [p.id, minorFaults(p.id) ?? 0]);
    const before = new Map(faultsOf());
    await inChromium(mcModel(100_000));
    const renderer = faultsOf().sort((x, y) => (y[1] - before.get(y[0])!) - (x[1] - before.get(x[0])!))[0]?.[0];

    for (const paths of pathCounts) {
      const model = mcModel(paths);
      const [warmup, runs] = paths >= 100_000 ? [2, 7] : [5, 11];
      // Node and Chromium take turns, run by run, so that both see the same load.
      const node: McParts[] = [];
      const chromium: McParts[] = [];
      const faults = { node: [] as number[], chromium: [] as number[] };
      for (let i = 0; i < warmup + runs; i++) {
        const f0 = minorFaults("self");
        const n = timedRun(pm, engine, positions, market, model);
        const f1 = minorFaults("self");
        const c0 = renderer === undefined ? undefined : minorFaults(renderer);
        const c = await inChromium(model);
        const c1 = renderer === undefined ? undefined : minorFaults(renderer);
        if (i < warmup) continue;
        node.push(n);
        chromium.push(c);
        if (f0 !== undefined && f1 !== undefined) faults.node.push(f1 - f0);
        if (c0 !== undefined && c1 !== undefined) faults.chromium.push(c1 - c0);
      }
      const a = medianParts(node), b = medianParts(chromium);
      if (a.var99 !== b.var99 || a.es975 !== b.es975) {
        throw new Error(`Monte Carlo ${paths}: Chromium's VaR/ES ${b.var99}/${b.es975} differ from Node's ${a.var99}/${a.es975}`);
      }
      consume(a.var99 + b.es975);
      for (const [key, name] of PARTS) {
        section.rows.push({
          cells: [count(paths), name, ms(a[key]), ms(b[key]), times(b[key] / a[key])],
          data: { paths, part: name, nodeMs: a[key], chromiumMs: b[key], ratio: b[key] / a[key] },
        });
      }
      if (faults.node.length > 0 && faults.chromium.length > 0) {
        const [fn, fc] = [median(faults.node), median(faults.chromium)];
        section.rows.push({
          cells: [count(paths), "minor page faults per run", count(fn), count(fc), times(fc / fn)],
          data: { paths, part: "minor page faults", node: fn, chromium: fc, ratio: fc / fn },
        });
      }
    }
    section.notes.push(
      `Chromium ${version} (${CHROMIUM}, headless), the package bundled by Vite with its kernels inline; Node ${process.version} on dist/. Medians of 7 (100k paths) or 11 runs after warm-up, Node and Chromium taking turns run by run, one page, one engine each side.`,
      "Minor page faults (Linux): of this process around each Node run, of the page's renderer around each Chromium run. " +
        "Parts: the engine's paths/pathsAt (path generation), revalue (revaluation) and compile wrapped with timers; the summary is the rest (losses, selection, tail statistics, histogram, worst paths, ES contributions). VaR 99% and ES 97.5% equal on both sides (checked, ===).",
    );
    return section;
  } finally {
    await browser?.close();
    if (server) await new Promise((done) => server!.close(done));
    await rm(outDir, { recursive: true, force: true });
  }
}
