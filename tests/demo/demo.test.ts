// The in-browser margin checker (demo/), end to end: built with Vite as a user
// would, served from a sub-path, driven in headless Chromium like a user — load
// the example, set paths and seed, Compute — and held to Node's numbers bit for
// bit (the worker runs the same wasm; see tests/browser/ for why the bits agree).
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixed, level, move, significant, usd } from "../../demo/src/format.js";
import type { DemoState, Results } from "../../demo/src/protocol.js";
import { CHROMIUM, launchChromium, serve, skipBrowser } from "../helpers/chromium.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const distEntry = join(repo, "dist/index.js");
const wasmPath = join(repo, "build/pmargin.wasm");
const screenshot = join(repo, "build/demo-screenshot.png");

const PATHS = 20_000;
const SEED = 7;
const NU = 5;
const PROFILE = "deribit";
// The site is served below a prefix: base "./" must make every URL relative.
const PREFIX = "/some/sub/path/";

const readJson = async (path: string): Promise<unknown> => JSON.parse(await readFile(join(repo, path), "utf8"));

/** Clicks Compute and returns the page's state once the run has finished. */
async function compute(page: Page): Promise<DemoState> {
  await page.getByRole("button", { name: "Compute" }).click();
  await page.waitForFunction(() => window.pmarginDemo.done, undefined, { timeout: 60_000 });
  return page.evaluate(() => window.pmarginDemo);
}

describe.skipIf(skipBrowser)(
  skipBrowser ? `demo page (skipped: chromium is not installed at ${CHROMIUM})` : "demo page",
  () => {
    let outDir: string | undefined;
    let server: Server | undefined;
    let browser: Browser | undefined;
    let page: Page;
    let origin: string;
    const requested: string[] = [];
    const pageErrors: string[] = [];
    let stages: string[];
    let profileShown: string;
    let state: DemoState;
    let shown: Results;
    let node: Omit<Results, "attribution" | "elapsedMs" | "request">;
    const timings: Record<string, number> = {};

    beforeAll(async () => {
      if (!existsSync(distEntry) || !existsSync(wasmPath)) {
        throw new Error("dist/index.js or build/pmargin.wasm is missing: run `npm run build` first");
      }
      let t = performance.now();
      outDir = await mkdtemp(join(tmpdir(), "pmargin-demo-"));
      await build({ configFile: join(repo, "demo/vite.config.ts"), logLevel: "silent", build: { outDir, emptyOutDir: true } });
      timings["vite build"] = performance.now() - t;
      const site = await serve(outDir, PREFIX);
      server = site.server;
      origin = site.origin;

      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      page.on("request", (r) => requested.push(r.url()));
      page.on("pageerror", (e) => pageErrors.push(e.stack ?? e.message));

      t = performance.now();
      await page.goto(origin + PREFIX);
      await page.getByRole("button", { name: "Load example" }).click();
      await page.getByLabel("Monte Carlo paths").fill(String(PATHS));
      await page.getByLabel("Seed").fill(String(SEED));
      profileShown = await page.getByLabel("Grid profile").inputValue();
      // Every text the status line shows during the run, in order.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { stages: string[] }).stages = seen;
        const stage = document.getElementById("stage")!;
        new MutationObserver(() => seen.push(stage.textContent ?? "")).observe(stage, { childList: true, characterData: true, subtree: true });
      });
      state = await compute(page);
      timings["page load and compute"] = performance.now() - t;
      if (state.error !== undefined) throw new Error(`the page failed: ${state.error}\n${pageErrors.join("\n")}`);
      shown = state.results!;
      stages = await page.evaluate(() => (window as unknown as { stages: string[] }).stages);
      await mkdir(join(repo, "build"), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });

      // The same computation in Node, written out here rather than shared with the worker.
      t = performance.now();
      const pm = (await import(distEntry)) as typeof import("pmargin");
      const inputs = pm.prepareInputs(await readJson("examples/portfolio.json"), await readJson("examples/market.json"));
      const positions = inputs.portfolio.positions;
      const engine = await pm.createEngine();
      node = {
        grid: pm.gridMargin(engine, positions, inputs.market, { profile: pm.builtInProfile(PROFILE), perPosition: true }),
        valuation: pm.valueBook(engine, engine.compile(positions, inputs.market), inputs.market),
        monteCarlo: pm.monteCarlo(engine, positions, inputs.market, { paths: PATHS, seed: SEED, marginal: { type: "student-t", nu: NU } }),
        whatIf: pm.whatIf(engine, positions, inputs.market, pm.parsePortfolio(await readJson("examples/orders.json")).positions, { method: "grid", profile: pm.builtInProfile(PROFILE) }),
      };
      timings["node compute"] = performance.now() - t;
      console.info("demo timings (ms):", Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])), "worker:", Math.round(shown.elapsedMs));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      if (server) await new Promise((done) => server!.close(done));
      if (outDir) await rm(outDir, { recursive: true, force: true });
    });

    it("runs the example with the controls as set, without page errors or requests beyond its own origin", () => {
      expect(pageErrors).toEqual([]);
      expect(profileShown).toBe(PROFILE);
      expect(shown.request).toEqual({ profile: PROFILE, paths: PATHS, seed: SEED, nu: NU });
      expect(requested.every((url) => url.startsWith(origin + PREFIX)), requested.join("\n")).toBe(true);
    });

    it("computes in one worker, whose bundle carries the kernels inline: no wasm is fetched", () => {
      expect(page.workers()).toHaveLength(1);
      expect(page.workers()[0]!.url()).toMatch(/\/assets\/worker-[\w-]+\.js$/);
      expect(requested.filter((url) => url.endsWith(".wasm"))).toEqual([]);
    });

    it("reports the Monte Carlo paths done, chunk by chunk, while the worker computes", () => {
      expect(stages).toContain(`Monte Carlo: ${fixed(16_384)} of ${fixed(PATHS)} paths`);
      expect(stages).toContain(`Monte Carlo: ${fixed(PATHS)} of ${fixed(PATHS)} paths`);
      expect(stages.at(-1)).toMatch(/^Computed in [\d,]+ ms\.$/);
    });

    it("computes the grid margin, Greeks and Monte Carlo VaR/ES bit for bit as Node does", () => {
      const g = shown.grid;
      const mc = shown.monteCarlo;
      expect(g.initial).toBe(node.grid.initial);
      expect(g.maintenance).toBe(node.grid.maintenance);
      expect(g.standalone).toBe(node.grid.standalone);
      expect(g.offsetBenefit).toBe(node.grid.offsetBenefit);
      expect(mc.portfolio.var).toEqual(node.monteCarlo.portfolio.var);
      expect(mc.portfolio.es).toEqual(node.monteCarlo.portfolio.es);
      expect(shown.valuation.underlyings).toEqual(node.valuation.underlyings);
      // Everything else too: risk matrices, per-position rows, histogram, worst paths, contributions.
      expect(g).toEqual(node.grid);
      expect(shown.valuation).toEqual(node.valuation);
      expect(mc).toEqual(node.monteCarlo);
      expect(node.grid.initial).toBeGreaterThan(0);
      expect(node.monteCarlo.portfolio.es[0]!.value).toBeGreaterThan(0);
    });

    it("checks the example orders before trading, client-side: each order's incremental margin as Node computes it, bit for bit", async () => {
      expect(shown.whatIf).toEqual(node.whatIf);
      const w = node.whatIf!;
      expect(w.orders).toHaveLength(3);
      expect(w.before.initial).toBe(node.grid.initial);
      for (const [i, o] of w.orders.entries()) {
        expect(await page.getByTestId(`whatif-${i}-incremental`).textContent()).toBe(usd(o.incrementalInitial));
        expect(o.initial - w.before.initial).toBe(o.incrementalInitial);
      }
    });

    it("attributes to each position its PnL in its underlying's worst grid scenario and its ES contribution", () => {
      const positions = node.valuation.positions;
      expect(shown.attribution.map((a) => a.id)).toEqual(positions.map((p) => p.id));
      shown.attribution.forEach((a, i) => {
        const u = node.grid.underlyings.find((x) => x.underlying === a.underlying)!;
        const worst = u.worstScenario === null ? -1 : u.scenarios.indexOf(u.worstScenario);
        expect(a.worstScenario).toEqual(u.worstScenario);
        expect(a.worstPnlUsd).toBe(worst < 0 ? null : u.positions!.find((p) => p.id === a.id)!.pnlUsd[worst]);
        expect(a.esUsd).toBe(node.monteCarlo.contributions.positions[i]!.esUsd);
      });
      const es = node.monteCarlo.portfolio.es[0]!.value;
      expect(Math.abs(shown.attribution.reduce((s, a) => s + a.esUsd, 0) - es)).toBeLessThan(1e-6 * es);
    });

    it("displays every headline number, Greek and attribution as the formatted raw result", async () => {
      const text = async (id: string): Promise<string> => (await page.getByTestId(id).textContent()) ?? "";
      const g = node.grid;
      const mc = node.monteCarlo;
      const expected: [string, string][] = [
        ["grid-initial", usd(g.initial)],
        ["grid-maintenance", usd(g.maintenance)],
        ["grid-standalone", usd(g.standalone)],
        ["grid-offset", usd(g.offsetBenefit)],
        ["mc-var", usd(mc.portfolio.var[0]!.value)],
        ["mc-var-se", usd(mc.portfolio.var[0]!.standardError)],
        ["mc-es", usd(mc.portfolio.es[0]!.value)],
        ["mc-es-se", usd(mc.portfolio.es[0]!.standardError)],
        ["mc-paths", fixed(PATHS)],
        ["mc-seed", String(SEED)],
      ];
      for (const u of node.valuation.underlyings) {
        expected.push(
          [`greeks-${u.underlying}-value`, usd(u.valueUsd)],
          [`greeks-${u.underlying}-delta`, fixed(u.delta, 4)],
          [`greeks-${u.underlying}-delta-usd`, usd(u.delta * u.index)],
          [`greeks-${u.underlying}-gamma`, significant(u.gamma)],
          [`greeks-${u.underlying}-vega`, usd(u.vega)],
          [`greeks-${u.underlying}-theta`, usd(u.theta)],
        );
      }
      node.valuation.positions.forEach((p, i) => {
        expected.push([`position-${i}-value-usd`, usd(p.valueUsd)], [`position-${i}-delta`, fixed(p.delta, 4)]);
        expected.push([`attribution-${i}-es`, usd(mc.contributions.positions[i]!.esUsd)]);
      });
      for (const [id, value] of expected) expect(await text(id), id).toBe(value);
      expect(await page.getByRole("heading", { name: "Margin", exact: true }).isVisible()).toBe(true);
      expect(await page.getByText(`Monte Carlo VaR ${level(0.99)}`, { exact: true }).isVisible()).toBe(true);
      expect(await page.getByText(`Monte Carlo ES ${level(0.975)}`, { exact: true }).isVisible()).toBe(true);
    });

    it("draws each underlying's risk matrix over its regular scenarios and the loss histogram with VaR and ES rules", async () => {
      for (const u of node.grid.underlyings) {
        const heatmap = page.getByTestId(`heatmap-${u.underlying}`);
        const regular = u.scenarios.filter((s) => !s.extended);
        expect(await heatmap.locator("svg g[aria-label=cell] rect").count()).toBe(regular.length);
        const ticks = await heatmap.locator("svg g[aria-label='x-axis tick label'] text").allTextContents();
        expect(ticks).toEqual([...new Set(regular.map((s) => s.move))].map(move));
      }
      const histogram = page.getByTestId("histogram");
      expect(await histogram.locator("svg g[aria-label=rect] rect").count()).toBeGreaterThan(10);
      expect(await histogram.locator("svg g[aria-label=rule]").count()).toBe(3);
      const labels = await histogram.locator("svg g[aria-label=text] text").allTextContents();
      const [v, e] = [node.monteCarlo.portfolio.var[0]!, node.monteCarlo.portfolio.es[0]!];
      expect(labels).toEqual([`VaR ${level(v.level)} ${usd(v.value)}`, `ES ${level(e.level)} ${usd(e.value)}`]);
      expect(existsSync(screenshot)).toBe(true);
    });

    it("names the source and field of a negative strike in the alert, and hides stale results", async () => {
      const portfolio = (await readJson("examples/portfolio.json")) as { positions: { kind: string; strike?: number }[] };
      const i = portfolio.positions.findIndex((p) => p.kind === "option");
      portfolio.positions[i]!.strike = -5;
      await page.locator("#portfolio").fill(JSON.stringify(portfolio, null, 2));
      const bad = await compute(page);
      expect(bad.results).toBeUndefined();
      expect(bad.error).toBe(`portfolio: positions[${i}].strike: must be a finite number > 0, got -5`);
      expect(await page.getByRole("alert").textContent()).toBe(bad.error);
      expect(await page.locator("#results").isHidden()).toBe(true);
    });

    it("names the orders textarea and field of a bad order", async () => {
      await page.getByRole("button", { name: "Load example" }).click();
      await page.locator("#orders").fill('{ "positions": [{ "kind": "spot", "underlying": "DOGE", "quantity": 1 }] }');
      const bad = await compute(page);
      expect(bad.error).toBe("orders: positions[0].underlying: unknown underlying DOGE (market has BTC, ETH, SOL)");
    });

    it("says where JSON text is malformed, and which textarea it is in", async () => {
      await page.getByRole("button", { name: "Load example" }).click();
      await page.locator("#market").fill('{ "asOf": "2026-08-22T15:33:51Z",\n  "underlyings": { "BTC": { "index": 77000, } } }');
      const bad = await compute(page);
      expect(bad.error).toBe(`market: malformed JSON: expected a double-quoted property name, found "}" at line 2 column 45`);
      expect(await page.getByRole("alert").textContent()).toBe(bad.error);
    });

    it("rejects a Monte Carlo setting out of range with a message naming it, then computes again once fixed", async () => {
      await page.getByRole("button", { name: "Load example" }).click();
      await page.getByLabel("Student-t ν").fill("2");
      const bad = await compute(page);
      expect(bad.error).toBe("Monte Carlo settings: marginal.nu: must be > 2 (finite variance), got 2");
      await page.getByLabel("Student-t ν").fill(String(NU));
      const good = await compute(page);
      expect(good.error).toBeUndefined();
      expect(await page.getByRole("alert").textContent()).toBe("");
      expect(good.results!.monteCarlo.portfolio.es).toEqual(node.monteCarlo.portfolio.es);
    });

    it("imports a venue's API responses into the portfolio, market and orders, as importVenue does in Node, then computes on them", async () => {
      const dir = join(repo, "examples/import/deribit");
      const names = ["book_summary.json", "index.json", "open_orders.json", "positions.json"];
      await page.getByLabel("Venue").selectOption("deribit");
      await page.locator("#import-files").setInputFiles(names.map((n) => join(dir, n)));
      await page.getByRole("button", { name: "Import" }).click();
      await page.waitForFunction(() => document.getElementById("import-report")!.textContent !== "");
      const im = (await import(join(repo, "dist/import/index.js"))) as typeof import("pmargin/import");
      const expected = im.importVenue("deribit", await Promise.all(names.map(async (n) => ({ json: await readJson(`examples/import/deribit/${n}`), source: n }))));
      expect(JSON.parse(await page.locator("#portfolio").inputValue())).toEqual(expected.portfolio);
      expect(JSON.parse(await page.locator("#market").inputValue())).toEqual(expected.market);
      expect(JSON.parse(await page.locator("#orders").inputValue())).toEqual(expected.orders);
      expect(await page.getByTestId("import-report").textContent()).toBe(im.importReportLines(expected).join("\n"));
      const run = await compute(page);
      expect(run.error).toBeUndefined();
      expect(run.results!.grid.initial).toBeGreaterThan(0);
    });

    it("names the file and field of a bad response in the alert", async () => {
      await page.locator("#import-files").setInputFiles([]);
      await page.locator("#import-text").fill(JSON.stringify({ jsonrpc: "2.0", result: [{ instrument_name: "BTC-27FEB26-70000-P", creation_timestamp: 1771588800000, mark_price: "x" }] }));
      await page.getByRole("button", { name: "Import" }).click();
      await expect.poll(() => page.getByRole("alert").textContent()).toBe('pasted response: result[0].mark_price: BTC-27FEB26-70000-P: must be a number or a decimal string, got "x"');
    });
  },
);
