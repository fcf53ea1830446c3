// A pool worker (worker_threads in Node): its own engine and WASM instance,
// created on first use and kept for the worker's life.
import workerpool from "workerpool";
import { createEngine, type Engine } from "../engine/engine.js";
import type { MarginMethod } from "../methods/margin.js";
import type { MarketData } from "../model/types.js";
import { planSplit, type PlannedSplit, type Range, type SplitName } from "../runs/registry.js";
import { claimedParts, type ClaimBoard } from "./claims.js";
import { marginAccounts } from "./tasks.js";
import { buffersOf, KeptBuffers } from "./recycle.js";
import { fromWire, type WireAccounts } from "./wire.js";

let engine: Promise<Engine> | undefined;
const getEngine = (): Promise<Engine> => (engine ??= createEngine());

/** The run this worker planned last, by the pool's id for it: its other ranges and stages reuse the plan and the compiled books. */
let last: { id: string; part: PlannedSplit } | undefined;
/** Items of the task's earlier parts: its progress is theirs plus the current part's. */
let doneBefore = 0;

/** Buffers the pool moved back: the memory of this worker's parts' largest arrays. */
const kept = new KeptBuffers();

/** Whether the current task reports its progress. */
let reporting = false;

/** Run `id` as planned here, planned now unless it was last; with `progress`, each step reported to the pool as the count done. */
async function planned(id: string, name: SplitName, input: unknown, progress: boolean): Promise<PlannedSplit> {
  const here = await getEngine();
  const report = (done: number): void => {
    if (reporting) workerpool.workerEmit(doneBefore + done);
  };
  if (last?.id !== id) last = { id, part: planSplit(here, name, input, report) };
  reporting = progress;
  doneBefore = 0;
  return last.part;
}

/** A result for the pool, its typed arrays moved. */
const moved = (result: unknown): unknown => new workerpool.Transfer(result as object, [...buffersOf(result)]);

workerpool.worker({
  /** Range `range` of a stage of run `id`: its part. `spare`: buffers for its arrays, moved back by the pool. */
  async part(id: string, name: SplitName, input: unknown, stage: string, range: Range, shared: unknown, progress: boolean, spare: ArrayBuffer[] = []) {
    const part = await planned(id, name, input, progress);
    kept.add(spare);
    return moved(part(stage, range, shared, undefined, kept.take));
  },
  /** The chunks of a stage of run `id` this worker claims on the pool's board (its range `own`, then others'): their parts. */
  async claimed(
    id: string, name: SplitName, input: unknown, stage: string, claims: ClaimBoard, own: number, shared: unknown, progress: boolean, spare: ArrayBuffer[] = [],
  ) {
    const part = await planned(id, name, input, progress);
    kept.add(spare);
    return moved(claimedParts(claims, own, (range, more) => part(stage, range, shared, more, kept.take), (items) => (doneBefore += items)));
  },
  async margins(accounts: WireAccounts, marketData: MarketData, spec: MarginMethod) {
    return marginAccounts(await getEngine(), fromWire(accounts), marketData, spec);
  },
});
