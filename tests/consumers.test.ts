// The package as a consumer gets it: the tarball of `npm pack`, installed into a fresh
// project (offline, from the npm cache `npm ci` filled), then a page built from that
// project with no configuration by Vite (dev server and build), esbuild, webpack 5 and
// Rollup (its usual nodeResolve({ browser: true }) and json() plugins), opened in headless
// Chromium. The page computes the example book's grid margin and a Monte Carlo run on the
// main thread and in a module Worker; both must equal Node's, bit for bit. The consumer's
// lockfile must hold no queue code (BullMQ, ioredis and theirs are optional peers), and its
// CLI must say how to get them. Reads the built dist/ (`npm run build`).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import jsonModule from "@rollup/plugin-json";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import * as esbuild from "esbuild";
import type { Browser } from "playwright-core";
import { rollup } from "rollup";
import { build as viteBuild, createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpack from "webpack";
import { CHROMIUM, launchChromium, serve, skipBrowser } from "./helpers/chromium.js";
import { NPM_CLI } from "./helpers/npm.js";

// The plugin's types read as a CommonJS module's; Node's import gives the function itself.
const json = jsonModule as unknown as typeof jsonModule.default;
const repo = fileURLToPath(new URL("..", import.meta.url));
const appSource = fileURLToPath(new URL("./consumers/app/", import.meta.url));

interface Computed {
  error?: string;
  wasmSha256: string;
  initialBits: string;
  grid: string;
  mc: string;
}

type LockEntry = { version?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; [key: string]: unknown };

/**
 * The consumer's lockfile, so that `npm ci --offline` installs from the npm cache alone:
 * the tarball, and everything its dependencies need as the repository's own lockfile
 * resolves it (whose tarballs `npm ci` cached). Built from the tarball's package.json
 * `dependencies` alone, so a dependency the queue needs there would show up here.
 */
function consumerLock(tarball: string, root: Record<string, string>): { lockfileVersion: 3; packages: Record<string, LockEntry> } {
  const manifest = JSON.parse(execFileSync("tar", ["-xOzf", tarball, "package/package.json"], { encoding: "utf8" })) as LockEntry & { name: string; version: string };
  const repoPackages = (JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> }).packages;
  const { name, version, license, dependencies, peerDependencies, peerDependenciesMeta, bin, engines } = manifest;
  const packages: Record<string, LockEntry> = {
    "": { name: "consumer", dependencies: root },
    [`node_modules/${name}`]: {
      version, resolved: root[name], integrity: `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`,
      license, dependencies, peerDependencies, peerDependenciesMeta, bin, engines,
    },
  };
  // Each dependency where Node would find it from its dependent: its own node_modules, then each parent's.
  const queue = [`node_modules/${name}`];
  for (let from = queue.pop(); from !== undefined; from = queue.pop()) {
    const entry = packages[from]!;
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      let dir = from;
      let found: string | undefined;
      for (;;) {
        const candidate = `${dir}/node_modules/${dep}`.replace(/^\//, "");
        if (repoPackages[candidate] || packages[candidate]) { found = candidate; break; }
        if (dir === "") break;
        dir = dir.includes("/node_modules/") ? dir.slice(0, dir.lastIndexOf("/node_modules/")) : "";
      }
      if (found === undefined) throw new Error(`${dep} (needed by ${from}) is not in the repository's lockfile`);
      if (packages[found]) continue;
      const { dev, devOptional, peer, ...copy } = repoPackages[found]!;
      packages[found] = copy;
      queue.push(found);
    }
  }
  return { lockfileVersion: 3, packages: { ...packages, "": { name: "consumer", dependencies: root } } };
}

let tmp: string;
let app: string;


/** Runs node with `args` in `cwd`, failing with its output. */
const node = (args: string[], cwd: string): string => {
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};
const npm = (args: string[], cwd: string): string => node([NPM_CLI, ...args], cwd);
/** The consumer's compute() run in Node. */
const computeInNode = (): Computed =>
  JSON.parse(node(["--input-type=module", "-e", "import { compute } from './compute.js'; console.log(JSON.stringify(await compute()))"], app)) as Computed;

beforeAll(() => {
  if (!existsSync(join(repo, "dist/index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
}, 10_000);

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "pmargin-consumer-"));
  // The build at hand (--ignore-scripts: `prepare` would build it again).
  const [packed] = JSON.parse(npm(["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], repo)) as [{ filename: string }];
  app = join(tmp, "app");
  cpSync(appSource, app, { recursive: true });
  const example = (name: string): string => readFileSync(join(repo, "examples", name), "utf8");
  writeFileSync(join(app, "inputs.js"), `export const portfolio = ${example("portfolio.json")};\nexport const market = ${example("market.json")};\n`);
  const dependencies = { pmargin: `file:../${packed.filename}` };
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies }));
  writeFileSync(join(app, "package-lock.json"), JSON.stringify(consumerLock(join(tmp, packed.filename), dependencies)));
  npm(["ci", "--offline", "--no-audit", "--no-fund"], app);
  // npm's own check of the tree it installed: every dependency present and satisfied.
  npm(["ls", "--all"], app);
}, 120_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("a consumer's install", () => {
  it("brings no queue code: no BullMQ, ioredis, or their msgpackr and luxon", () => {
    const lock = JSON.parse(readFileSync(join(app, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
    const installed = Object.keys(lock.packages).filter((p) => p !== "").map((p) => p.replace(/^.*node_modules\//, ""));
    expect(installed).toContain("pmargin");
    expect(installed.filter((p) => /^(bullmq|ioredis|@ioredis\/|msgpackr|luxon)/.test(p))).toEqual([]);
  });

  it("the CLI's queue commands say how to get the queue's packages (exit 2)", () => {
    const r = spawnSync(process.execPath, [join(app, "node_modules/.bin/pmargin"), "worker", "--queue", "redis://127.0.0.1:9"], { cwd: app, encoding: "utf8" });
    expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({
      status: 2,
      stderr: "pmargin: --queue: needs the optional packages bullmq and ioredis: npm install bullmq ioredis",
    });
  });

  it("the README's first example runs as printed and prints what the README shows", () => {
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    const [, code, output] = /```js\n([^]*?)```\s*```\n([^]*?)```/.exec(readme.slice(readme.indexOf("## First margin")))!;
    writeFileSync(join(app, "first.mjs"), code!);
    expect(node(["first.mjs"], app)).toBe(output);
  });

  it("`pmargin examples` copies the inputs the README's commands then run on", () => {
    const bin = join(app, "node_modules/.bin/pmargin");
    expect(node([bin, "examples"], app)).toContain("pmargin value examples/portfolio.json examples/market.json");
    expect(node([bin, "margin", "examples/portfolio.json", "examples/market.json"], app)).toMatch(/initial/i);
  });

  it("TypeScript finds the types of every entry point (strict, NodeNext)", () => {
    const compilerOptions = { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022", "DOM"], types: [], strict: true, noEmit: true, skipLibCheck: true, resolveJsonModule: true };
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["types.ts"] }));
    node([join(repo, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], app);
  });

  it("runs in Node by require() and import, on the packaged wasm file", () => {
    const viaRequire = node(["-e", "require('pmargin').createEngine().then((e) => console.log(e.wasmSha256))"], app).trim();
    const viaImport = computeInNode();
    expect(viaRequire).toBe(viaImport.wasmSha256);
    expect(viaImport.initialBits).not.toBe("0000000000000000");
  });
});

/** Bundles app/ into `out` (an index.html and its scripts) with no configuration beyond the bundler's basics. */
const BUNDLERS: Record<string, (out: string) => Promise<void>> = {
  vite: async (out) => {
    await viteBuild({ root: app, configFile: false, logLevel: "silent", build: { outDir: out, emptyOutDir: true } });
  },
  esbuild: async (out) => {
    await esbuild.build({ entryPoints: [join(app, "main.js"), join(app, "worker.js")], bundle: true, format: "esm", platform: "browser", outdir: out, logLevel: "silent" });
    cpSync(join(app, "index.html"), join(out, "index.html"));
  },
  rollup: async (out) => {
    const bundle = await rollup({ input: [join(app, "main.js"), join(app, "worker.js")], plugins: [nodeResolve({ browser: true }), json()], onwarn: (w) => { throw new Error(w.message); } });
    await bundle.write({ dir: out, format: "es" });
    cpSync(join(app, "index.html"), join(out, "index.html"));
  },
  webpack: async (out) => {
    const stats = await new Promise<webpack.Stats>((done, fail) =>
      webpack({ mode: "production", context: app, entry: "./main.js", output: { path: out } }, (error, s) => (error || !s ? fail(error) : done(s))));
    if (stats.hasErrors() || stats.hasWarnings()) throw new Error(stats.toString("errors-warnings"));
    // webpack's default output is a classic script, located by document.currentScript.
    writeFileSync(join(out, "index.html"), readFileSync(join(app, "index.html"), "utf8").replace(' type="module"', ""));
  },
};

describe.skipIf(skipBrowser)(skipBrowser ? `consumer bundles (skipped: chromium is not installed at ${CHROMIUM})` : "consumer bundles in Chromium", () => {
  let browser: Browser;
  let inNode: Computed;
  const servers: Server[] = [];
  let dev: ViteDevServer | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    inNode = computeInNode();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await dev?.close();
    for (const s of servers) await new Promise((done) => s.close(done));
  });

  /** What the page at `origin` published: its own result and its Worker's. */
  const open = async (origin: string): Promise<{ page: Computed; worker: Computed; wasm: string[] }> => {
    const page = await browser.newPage();
    const wasm: string[] = [];
    const errors: string[] = [];
    page.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(origin + "/");
      await page.waitForFunction(() => (window as { result?: unknown }).result, undefined, { timeout: 60_000 }).catch((e: Error) => {
        throw new Error(`the page never finished: ${e.message}\n${errors.join("\n")}`);
      });
      const result = await page.evaluate(() => (window as unknown as { result: { error?: string; page: Computed; worker: Computed } }).result);
      if (result.error) throw new Error(result.error);
      return { ...result, wasm };
    } finally {
      await page.close();
    }
  };

  const expectNodes = (r: { page: Computed; worker: Computed; wasm: string[] }): void => {
    expect(r.wasm, "the kernels come inline: no wasm is fetched").toEqual([]);
    expect(r.page).toEqual(inNode);
    expect(r.worker).toEqual(inNode);
  };

  for (const [name, bundle] of Object.entries(BUNDLERS)) {
    it(`${name}: the page and its Worker compute Node's margins, bit for bit`, async () => {
      const out = join(tmp, `out-${name}`);
      await bundle(out);
      const site = await serve(out);
      servers.push(site.server);
      expectNodes(await open(site.origin));
    }, 60_000);
  }

  it("vite dev server: the page and its Worker compute Node's margins, bit for bit", async () => {
    dev = await createServer({ root: app, configFile: false, logLevel: "silent", cacheDir: join(tmp, "vite-cache"), server: { host: "127.0.0.1", port: 0 } });
    await dev.listen();
    expectNodes(await open(dev.resolvedUrls!.local[0]!.replace(/\/$/, "")));
  }, 60_000);
});
