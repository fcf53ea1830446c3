// A pool worker (worker_threads in Node): its own engine and WASM instance,
// created on first use and kept for the worker's life.
import workerpool from "workerpool";
import { createEngine, type Engine } from "../engine/engine.js";
import type { MarginMethod } from "../methods/margin.js";
import type { MarketData } from "../model/types.js";
import { planSplit, type PlannedSplit, type Range, type SplitName } from "../runs/registry.js";
import { marginAccounts } from "./tasks.js";
import { fromWire, type WireAccounts } from "./wire.js";

let engine: Promise<Engine> | undefined;
const getEngine = (): Promise<Engine> => (engine ??= createEngine());

/** The run this worker planned last, by the pool's id for it: its other ranges and stages reuse the plan and the compiled books. */
let last: { id: string; part: PlannedSplit } | undefined;

/** The typed arrays' buffers in a part (once each): moved, not copied, back to the pool. */
function buffersOf(value: unknown, found = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) buffersOf(v, found);
  }
  return found;
}

workerpool.worker({
  /** One range of a stage of run `id`; with `progress`, each step of it reported to the pool as the count done. */
  async part(id: string, name: SplitName, input: unknown, stage: string, range: Range, shared: unknown, progress: boolean) {
    const here = await getEngine();
    if (last?.id !== id) last = { id, part: planSplit(here, name, input, progress ? (done) => workerpool.workerEmit(done) : undefined) };
    const part = last.part(stage, range, shared);
    return new workerpool.Transfer(part as object, [...buffersOf(part)]);
  },
  async margins(accounts: WireAccounts, marketData: MarketData, spec: MarginMethod) {
    return marginAccounts(await getEngine(), fromWire(accounts), marketData, spec);
  },
});
