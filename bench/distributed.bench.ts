// Batch margining through the Redis job queue (PMARGIN_REDIS_URL, default
// redis://127.0.0.1:6379): 10,000 accounts × 20 positions, grid margin under the
// Deribit profile, in shards of 250 accounts, with 1, 2 and 4 `pmargin worker`
// processes (dist/cli/main.js; spawned, and warmed by a small run, before timing),
// against one thread margining the same accounts with no queue. Then the queue's own
// cost per job: 200 one-account jobs through one worker, less one account's margining.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { createEngine } from "../src/engine/engine.js";
import { distributedBatch } from "../src/distributed/batch.js";
import { encode } from "../src/distributed/codec.js";
import { redisTarget } from "../src/distributed/redis.js";
import type { MarginMethod } from "../src/methods/margin.js";
import { marginAccounts, type BatchAccountResult } from "../src/parallel/tasks.js";
import { accountsOf, deribit, marketData } from "./fixtures.js";
import { cell, consume, count, medians, ms, times, timing, type Section } from "./lib.js";

const REDIS = process.env.PMARGIN_REDIS_URL ?? "redis://127.0.0.1:6379";
const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
// The secret the coordinator here and its worker processes share (a bench's own).
process.env.PMARGIN_QUEUE_SECRET ??= randomUUID();

/** `pmargin worker` processes on `queue`, once each listens. */
async function spawnWorkers(n: number, queue: string): Promise<ChildProcess[]> {
  return Promise.all(Array.from({ length: n }, () => new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "worker", "--queue", REDIS, "--queue-name", queue], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("waiting for jobs")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`distributed: a worker exited (${code}): ${err}`)));
  })));
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((c) => new Promise<void>((resolve) => {
    c.removeAllListeners("exit");
    c.once("exit", () => resolve());
    c.kill("SIGTERM");
  })));
}

const initial = (r: BatchAccountResult): number => {
  if (!("margin" in r)) throw new Error(`account ${r.id}: ${r.error}`);
  return r.margin.initial;
};

export async function benchDistributed(nAccounts = 10_000, shardSize = 250, workerCounts = [1, 2, 4], overheadJobs = 200): Promise<Section> {
  const engine = await createEngine();
  const accounts = accountsOf(nAccounts);
  const spec: MarginMethod = { method: "grid", profile: deribit };
  const queue = `pmargin-bench-${randomUUID().slice(0, 8)}`;
  let runs = 0;
  const batch = (part = accounts, size = shardSize): Promise<BatchAccountResult[]> =>
    distributedBatch({ connection: REDIS, queue, runId: `bench-${runs++}`, accounts: part, marketData, spec, shardSize: size }).then((r) => r.results);
  const o = { time: 0, iterations: 3, warmupTime: 0, warmupIterations: 0 };

  marginAccounts(engine, accounts.slice(0, 1_000), marketData, spec);
  let single: BatchAccountResult[] = [];
  const [singleMs] = await medians([["one thread", () => { single = marginAccounts(engine, accounts, marketData, spec); consume(initial(single[0]!)); }]], o);
  const singleT = timing(singleMs!, nAccounts, "accounts");
  // What the shards carry through Redis: the accounts, in the queue's JSON as the coordinator stores them.
  const payloadMB = Buffer.byteLength(encode(accounts)) / 1e6;

  const rows: { workers: number; t: ReturnType<typeof timing> }[] = [];
  let overhead = { jobMs: 0, perJobMs: 0, accountMs: 0 };
  try {
    for (const n of workerCounts) {
      const workers = await spawnWorkers(n, queue);
      try {
        await batch(accounts.slice(0, 1_000));
        let queued: BatchAccountResult[] = [];
        const [queuedMs] = await medians([[`${n} workers`, async () => { queued = await batch(); consume(initial(queued[0]!)); }]], o);
        if (!queued.every((r, i) => initial(r) === initial(single[i]!))) throw new Error(`distributed: ${n} workers' margins differ from one thread's`);
        rows.push({ workers: n, t: timing(queuedMs!, nAccounts, "accounts") });
        if (n === 1) {
          // One-account jobs through one worker: the round trip of a job, less its account.
          const few = accounts.slice(0, overheadJobs);
          const [fewMs] = await medians([["1-account jobs", async () => consume(initial((await batch(few, 1))[0]!))]], o);
          const accountMs = singleMs! / nAccounts;
          overhead = { jobMs: fewMs! / overheadJobs, perJobMs: fewMs! / overheadJobs - accountMs, accountMs };
        }
      } finally {
        await stopWorkers(workers);
      }
    }
  } finally {
    const q = new Queue(queue, { connection: redisTarget({ connection: REDIS }).options });
    await q.obliterate({ force: true });
    await q.close();
  }

  return {
    id: "distributed",
    title: `Distributed: batch grid margin of ${count(nAccounts)} accounts × 20 positions through the Redis queue, shards of ${count(shardSize)}`,
    columns: ["", "time · accounts/s", "vs one thread"],
    rows: [
      { cells: ["one thread, no queue", cell(singleT), times(1)], data: { mode: "single", accounts: nAccounts, payloadMB, ...singleT } },
      ...rows.map(({ workers, t }) => ({
        cells: [`${workers} worker process${workers > 1 ? "es" : ""}`, cell(t), times(t.perSecond / singleT.perSecond)],
        data: { mode: "queue", workers, accounts: nAccounts, shardSize, ...t, speedup: t.perSecond / singleT.perSecond, equal: true },
      })),
      {
        cells: [`queue overhead per job (${count(overheadJobs)} one-account jobs, 1 worker)`, `${ms(overhead.perJobMs)} per job`, `round trip ${ms(overhead.jobMs)}`],
        data: { mode: "overhead", jobs: overheadJobs, ...overhead },
      },
    ],
    notes: [
      "Each distributed run: a coordinator in this process stores the run's market and profile once in Redis, queues one BullMQ job per shard, " +
        "and polls for the shards' results (every 50 ms), opening (HMAC) and checking each; each result is sealed (HMAC-SHA256) by its worker; each worker process has its own engine. Every run's margins equal one thread's (checked).",
      `The shards carry ${payloadMB.toFixed(1)} MB of accounts into Redis and out to the workers, who decode them again: ` +
        "a cost on top of the per-job round trips, paid whatever the number of workers.",
      "This machine has 2 cores shared by the workers, Redis and the coordinator: beyond 2 workers there is nothing left to gain here.",
    ],
  };
}
