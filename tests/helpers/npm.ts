// The npm that ships with this Node: not the old one a devDependency puts on node_modules/.bin,
// which `npm run` puts first on the PATH (and in npm_execpath) of nested scripts.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

const BESIDE_NODE = join(dirname(process.execPath), "../lib/node_modules/npm/bin/npm-cli.js");

/** npm's CLI script, to run with process.execPath. */
export const NPM_CLI = existsSync(BESIDE_NODE) ? BESIDE_NODE : process.env.npm_execpath!;
