import { InputError } from "../errors.js";
import { methodOf } from "../runs/registry.js";
import { verify, type RecordedInputs, type Reproducibility } from "../verify/reproducibility.js";
import { cliEngine } from "./engine.js";
import { historyFiles } from "./history.js";
import { readJsonFile, readKey } from "./run.js";

/** Exit code of a result that no longer reproduces: neither bad input (2) nor a crash (1). */
export const NOT_REPRODUCED = 3;

/** The public key to check a signature with, and the input files of a result saved with --no-inputs. */
export interface VerifyCommandOptions {
  publicKey?: string;
  portfolio?: string;
  market?: string;
  history?: string[];
  acrossModules?: boolean;
}

/** The inputs the files give, as a record holds them, or none when no file is given. */
async function givenInputs(saved: unknown, opts: VerifyCommandOptions): Promise<RecordedInputs | undefined> {
  if (opts.portfolio === undefined && opts.market === undefined && opts.history === undefined) return undefined;
  if (opts.portfolio === undefined) throw new InputError("--portfolio", "is needed with --market or --history");
  if (opts.market === undefined) throw new InputError("--market", "is needed with --portfolio");
  const inputs = { portfolio: await readJsonFile(opts.portfolio), market: await readJsonFile(opts.market) };
  const run = (saved as { reproducibility?: Partial<Reproducibility> } | null)?.reproducibility?.run;
  if (!run || !methodOf(run).readsHistory(run)) {
    if (opts.history !== undefined) throw new InputError("--history", "this result's method reads no price history");
    return inputs;
  }
  return { ...inputs, history: await historyFiles(opts.history) };
}

export async function verifyCommand(resultPath: string, opts: VerifyCommandOptions = {}): Promise<void> {
  const saved = await readJsonFile(resultPath);
  const publicKey = opts.publicKey === undefined ? undefined : await readKey(opts.publicKey, "--public-key");
  const inputs = await givenInputs(saved, opts);
  const v = await verify(await cliEngine(), saved, {
    ...(publicKey === undefined ? {} : { publicKey }), ...(inputs ? { inputs } : {}), acrossModules: opts.acrossModules === true,
  });
  const rec = (saved as { reproducibility: Reproducibility }).reproducibility;
  for (const note of v.notes) console.log(`note: ${note}`);
  if (v.identical) {
    const how = v.tolerance === undefined ? "bit for bit" : `within ${v.tolerance} relative`;
    console.log(`verified: re-running ${rec.run.command} on the recorded inputs (sha256 ${rec.inputsSha256.slice(0, 16)}…) gives every figure of ${resultPath}, ${how}`);
    return;
  }
  console.log(`NOT reproduced: ${v.difference}`);
  process.exitCode = NOT_REPRODUCED;
}
