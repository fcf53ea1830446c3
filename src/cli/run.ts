import { readFile } from "node:fs/promises";
import { InputError, LimitError, PmarginError } from "../errors.js";
import { parseJson } from "../schema/index.js";
import { raiseHint } from "./engine.js";

/** Runs a command, mapping user errors to exit code 2 and others to 1, without stack traces. */
export async function run(command: () => Promise<void>): Promise<void> {
  try {
    await command();
  } catch (error) {
    if (error instanceof LimitError) {
      const hint = raiseHint(error.limit);
      console.error(`pmargin: ${hint ? `${error.limit}: ${error.requested} requested, limit ${error.allowed}${hint}` : error.message}`);
      process.exitCode = 2;
    } else if (error instanceof InputError) {
      console.error(`pmargin: ${error.message}`);
      process.exitCode = 2;
    } else if (error instanceof PmarginError) {
      // Raised on purpose (e.g. a queue run that lost Redis): its message says what happened.
      console.error(`pmargin: ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(`pmargin: internal error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  }
}

/** Reads and parses a JSON file; a missing file or bad JSON is the user's InputError. */
/** A key file's PEM text; a file that cannot be read is an InputError naming the option. */
export async function readKey(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new InputError(option, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InputError("", `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, path);
  }
  return parseJson(text, path);
}

/** A numeric flag, or an InputError naming it. */
export function number(flag: string, text: string): number {
  const x = Number(text);
  if (text.trim() === "" || !Number.isFinite(x)) throw new InputError(flag, `must be a number, got ${JSON.stringify(text)}`);
  return x;
}
