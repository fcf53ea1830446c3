// pmargin 0.3.0, built from this repository's history, to time against in the same run on
// the same machine: `git archive` of its commit into bench/.baseline/0.3.0 (gitignored),
// built there once (its asc and tsc, from this checkout's node_modules) and reused while
// its marker names the commit. Without git history (a tarball install) there is no
// baseline: the suites say so and leave its column out.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export const BASELINE_VERSION = "0.3.0";
const COMMIT = "ffd5992";

/** What the suites call in 0.3.0: its own API (engine first; options with the profile). */
export interface Baseline {
  version: string;
  createEngine(): Promise<unknown>;
  buildMarket(data: unknown): unknown;
  builtInProfile(name: string): unknown;
  gridMargin(engine: unknown, positions: readonly unknown[], market: unknown, options: { profile: unknown }): { initial: number };
  /** Its shipped Deribit profile's JSON, for today's parser: the same parameters on both versions. */
  deribitJson: unknown;
  /** Each account parsed, checked and margined, as 0.3.0's `pmargin batch` on one thread. */
  marginAccounts(engine: unknown, accounts: readonly { id: string; positions: unknown[] }[], marketData: unknown, spec: { method: "grid"; profile: unknown }): unknown[];
}

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = fileURLToPath(new URL(`./.baseline/${BASELINE_VERSION}/`, import.meta.url));
const marker = `${dir}.built`;

function run(command: string, args: string[], cwd: string): string | undefined {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  return r.status === 0 ? undefined : `${command} ${args.join(" ")}: ${(r.stderr || r.stdout || String(r.error)).trim().split("\n").slice(0, 3).join(" ")}`;
}

/** Materialises and builds 0.3.0 unless built already; the reason when it cannot. */
function build(): string | undefined {
  if (existsSync(marker) && readFileSync(marker, "utf8") === COMMIT) return undefined;
  if (run("git", ["cat-file", "-e", `${COMMIT}^{commit}`], root)) return `no git history with ${BASELINE_VERSION} (commit ${COMMIT}) here: a tarball install cannot build the baseline`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = `${dir}../${BASELINE_VERSION}.tar`;
  const failed = run("git", ["archive", "--output", tar, COMMIT], root) ?? run("tar", ["-xf", tar, "-C", dir], root);
  rmSync(tar, { force: true });
  if (failed) return failed;
  symlinkSync(realpathSync(`${root}node_modules`), `${dir}node_modules`, "dir");
  const bin = (name: string): string => `${dir}node_modules/.bin/${name}`;
  const error = run(bin("asc"), ["assembly/index.ts", "--target", "release"], dir) ?? run(bin("tsc"), ["-p", "tsconfig.build.json"], dir);
  if (error) return `building ${BASELINE_VERSION} failed: ${error}`;
  writeFileSync(marker, COMMIT);
  return undefined;
}

let loaded: Promise<Baseline | { missing: string }> | undefined;

/** 0.3.0's API, built on first use; or why there is none. */
export function baseline(): Promise<Baseline | { missing: string }> {
  return (loaded ??= (async () => {
    const missing = build();
    if (missing) return { missing };
    const index = await import(pathToFileURL(`${dir}dist/index.js`).href);
    const tasks = await import(pathToFileURL(`${dir}dist/parallel/tasks.js`).href);
    const deribitJson: unknown = JSON.parse(readFileSync(`${dir}src/profiles/deribit.json`, "utf8"));
    return { ...index, version: BASELINE_VERSION, marginAccounts: tasks.marginAccounts, deribitJson } as Baseline;
  })());
}
