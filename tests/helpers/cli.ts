// Runs the built CLI (dist/cli/main.js) as a user would, capturing exit code and output.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const cli = new URL("../../dist/cli/main.js", import.meta.url).pathname;

export function pmargin(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  if (!existsSync(cli)) throw new Error("dist/cli/main.js is missing: run `npm run build` (npm test does)");
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
