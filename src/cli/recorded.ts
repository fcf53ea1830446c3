// Commands whose results can be verified read their inputs once, validate them once
// at this boundary, and compute through the registry's entry for the run, so that the
// record printed with --json is exactly what ran, on exactly those inputs.
import type { Engine } from "../engine/engine.js";
import {
  methodOf, parseHistory, portfolioInputs, type InputsOf, type PortfolioInputs, type RecordedInputs, type ResultOf, type RunSpec,
} from "../runs/registry.js";
import { InputError } from "../errors.js";
import { record, signRecord } from "../verify/reproducibility.js";
import { historyFiles } from "./history.js";
import { readJsonFile, readKey } from "./run.js";

/** A command's inputs: as recorded (the files' JSON, the history's CSV files) and validated once. */
export interface CommandInputs<In> {
  recorded: RecordedInputs;
  parsed: In;
}

/** The portfolio and market files, read and validated (errors name the files), the market built once. */
export async function readPortfolioInputs(portfolioPath: string, marketPath: string): Promise<CommandInputs<PortfolioInputs>> {
  const recorded = { portfolio: await readJsonFile(portfolioPath), market: await readJsonFile(marketPath) };
  return { recorded, parsed: portfolioInputs(recorded, { portfolio: portfolioPath, market: marketPath }) };
}

/** The inputs with the price history's files (`files`, or the shipped ones) read and parsed when the run reads them. */
export async function withHistoryOf<In extends object>(spec: RunSpec, inputs: CommandInputs<In>, files: string[] | undefined): Promise<CommandInputs<In>> {
  if (!methodOf(spec).readsHistory(spec)) return inputs;
  const history = await historyFiles(files);
  return { recorded: { ...inputs.recorded, history }, parsed: { ...inputs.parsed, history: parseHistory(history) } };
}

/** The output flags of a recorded command: --json, and --no-inputs (the record keeps the inputs' digest only). */
export interface RecordFlags {
  json?: boolean;
  inputs?: boolean;
}

/** The private key `--sign` names (read when a record is written), for every command of this process. */
let signingKey: string | undefined;

/** Sets the PEM file whose Ed25519 private key signs the records --json prints (pmargin --sign key.pem). */
export function signRecordsWith(path: string | undefined): void {
  signingKey = path;
}

/**
 * The result, or with --json nothing: the result and its reproducibility record were
 * printed. `compute` may replace the plain run with one that gives the same bits
 * (a worker pool, a progress bar).
 */
export async function recordedRun<S extends RunSpec>(
  engine: Engine, spec: S, inputs: CommandInputs<InputsOf<S>>, flags: RecordFlags, compute?: () => Promise<ResultOf<S>> | ResultOf<S>,
): Promise<ResultOf<S> | undefined> {
  if (flags.inputs === false && !flags.json) throw new InputError("--no-inputs", "shapes the --json record: use it with --json");
  const result = compute ? await compute() : methodOf(spec).run(engine, spec, inputs.parsed);
  if (!flags.json) {
    if (signingKey !== undefined) throw new InputError("--sign", "signs the reproducibility record of a --json result: give --json too");
    return result;
  }
  const rec = await record(engine, spec, inputs.recorded, { withInputs: flags.inputs !== false });
  const reproducibility = signingKey === undefined ? rec : await signRecord(rec, await readKey(signingKey, "--sign"));
  console.log(JSON.stringify({ ...(result as object), reproducibility }, null, 2));
  return undefined;
}
