// Commands whose results can be verified compute through runRecorded, so that the
// record printed with --json is exactly what ran.
import type { Engine } from "../engine/engine.js";
import { record, runRecorded, type RecordedInputs, type RunSpec } from "../verify/reproducibility.js";

/**
 * The result, or with --json nothing: the result and its reproducibility record were
 * printed. `compute` may replace the plain run with one that gives the same bits
 * (a worker pool, a progress bar).
 */
export async function recordedRun<T>(
  engine: Engine, run: RunSpec, inputs: RecordedInputs, json: boolean | undefined, compute?: () => Promise<T> | T,
): Promise<T | undefined> {
  const result = compute ? await compute() : (runRecorded(engine, run, inputs) as T);
  if (!json) return result;
  console.log(JSON.stringify({ ...result, reproducibility: await record(engine, run, inputs) }, null, 2));
  return undefined;
}
