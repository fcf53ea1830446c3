// `pmargin examples [dir]`: a copy of the example inputs the package ships, to start from.
import { existsSync } from "node:fs";
import { cp, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../errors.js";

/** The package's examples/, beside dist/ (and beside src/ in the repository). */
const SHIPPED = fileURLToPath(new URL("../../examples/", import.meta.url));

/** Copies the examples into `dir`, refusing to overwrite any file there. */
export async function examplesCommand(dir: string): Promise<void> {
  const names = await readdir(SHIPPED);
  const taken = names.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (taken !== undefined) throw new InputError("", "already exists: pmargin examples overwrites nothing (choose another directory)", taken);
  try {
    await cp(SHIPPED, dir, { recursive: true, force: false, errorOnExist: true });
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    throw new InputError("", `cannot copy the examples here: ${code ?? String(error)}`, dir);
  }
  const shown = relative(process.cwd(), dir) || ".";
  console.log(`Copied ${names.length} example files to ${shown}/ (${names.join(", ")}). Try:`);
  console.log(`  pmargin value ${join(shown, "portfolio.json")} ${join(shown, "market.json")}`);
  console.log(`  pmargin margin ${join(shown, "portfolio.json")} ${join(shown, "market.json")}`);
}
