import { availableParallelism } from "node:os";
import type { Engine } from "../engine/engine.js";
import { withPool } from "../parallel/pool.js";
import { runSplitHere, type PlanOptions, type SplitInputOf, type SplitName, type SplitResultOf } from "../runs/registry.js";
import { InputError } from "../errors.js";
import { number } from "./run.js";
import { cliModule, portableOnly } from "./engine.js";

/**
 * Revaluations (positions × paths, or positions × windows) from which the CLI
 * splits a run across every core by default. Starting a pool of workers, each
 * compiling the kernels and the book, costs ~0.15 s; measured on the 2-core
 * machine, `pmargin var` broke even at ~20 M (200 positions × 100,000 paths:
 * 0.67 s on one thread, 0.69 s on two) and the pool was 1.3× faster at 60 M.
 */
export const POOL_FROM_REVALUATIONS = 25_000_000;

/**
 * `--workers` for a batch if given, else a worker per core but one: the thread that reads the
 * accounts and hands their slices out is busy too, and a worker's first accounts run before V8
 * has optimised its code. Measured on the 2-core machine, `pmargin batch` of 15,000 accounts took
 * 2.6–3.7 s on one thread and 3.9–4.1 s on 2 workers: there a batch runs on this thread.
 */
export function batchWorkers(flag: string | undefined): number {
  if (flag !== undefined) return workersFor(flag, Number.POSITIVE_INFINITY);
  return cliModule() === "portable" ? Math.max(1, availableParallelism() - 1) : 1;
}

/**
 * `--workers` if given (at most the cores: more add memory, not speed, so more is capped
 * with a note), else every core for a run large enough to repay the pool (with the
 * portable module), else this thread.
 */
export function workersFor(flag: string | undefined, revaluations: number): number {
  const cores = availableParallelism();
  // The pool's workers run the portable module: with --wasm-module fma, this thread only.
  if (flag === undefined) return revaluations >= POOL_FROM_REVALUATIONS && cliModule() === "portable" ? cores : 1;
  const given = number("--workers", flag);
  if (!(Number.isInteger(given) && given >= 1)) throw new InputError("--workers", `must be a whole number ≥ 1, got ${flag}`);
  if (given <= cores) return given;
  console.error(`pmargin: --workers ${given}: capped at ${cores}, this machine's cores (docs/limits.md)`);
  return cores;
}

/**
 * A split method of the registry on this thread (workers = 1) or across `workers`
 * threads: the same bits either way. `options.market`: the market, built already.
 */
export function splitRun<N extends SplitName>(
  engine: Engine, name: N, input: SplitInputOf<N>, workers: number, options: PlanOptions = {},
): Promise<SplitResultOf<N>> {
  if (workers === 1) return runSplitHere(engine, name, input, options);
  portableOnly("--workers (worker threads)");
  return withPool({ workers }, (pool) => pool.run(name, input, options));
}
