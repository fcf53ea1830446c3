import { cliEngine } from "./engine.js";
import { verify, type Reproducibility } from "../verify/reproducibility.js";
import { readJsonFile, readKey } from "./run.js";

/** Exit code of a result that no longer reproduces: neither bad input (2) nor a crash (1). */
export const NOT_REPRODUCED = 3;

export async function verifyCommand(resultPath: string, opts: { publicKey?: string } = {}): Promise<void> {
  const saved = await readJsonFile(resultPath);
  const publicKey = opts.publicKey === undefined ? undefined : await readKey(opts.publicKey, "--public-key");
  const v = await verify(await cliEngine(), saved, publicKey === undefined ? {} : { publicKey });
  const rec = (saved as { reproducibility: Reproducibility }).reproducibility;
  for (const note of v.notes) console.log(`note: ${note}`);
  if (v.identical) {
    console.log(`verified: re-running ${rec.run.command} on the recorded inputs (sha256 ${rec.inputsSha256.slice(0, 16)}…) gives every figure of ${resultPath}, bit for bit`);
    return;
  }
  console.log(`NOT reproduced: ${v.difference}`);
  process.exitCode = NOT_REPRODUCED;
}
