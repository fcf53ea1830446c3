// Distributed runs on a real Redis (a redis-server of this file's own, on a free port):
// worker processes margin a batch and one is killed mid-job, Monte Carlo over the queue
// gives monteCarlo()'s bits, and a restarted coordinator re-uses the shards already
// done. Workers run dist/cli/main.js: `npm run build` first.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { distributedBatch, distributedMonteCarlo, startWorker } from "../src/distributed/index.js";
import { runKeys } from "../src/distributed/redis.js";
import { buildMarket } from "../src/market/market.js";
import { builtInProfile } from "../src/schema/profiles.js";
import type { MarginMethod } from "../src/methods/margin.js";
import { monteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import { RiskPool, type BatchAccount, type BatchAccountResult } from "../src/parallel/pool.js";
import { accountsOf, book, cli, grid, marketData, root } from "./helpers/queue.js";
import { RedisServer } from "./helpers/redis.js";

// The secret this process and its worker processes share.
process.env.PMARGIN_QUEUE_SECRET = "distributed-test-secret-0123456789";
let server: RedisServer;
let REDIS = "";
const connection = (): { host: string; port: number } => ({ host: "127.0.0.1", port: server.port });
const examples = new URL("examples/", root);

/** The single-process batch the distributed one must equal. */
async function localBatch(accounts: BatchAccount[]): Promise<BatchAccountResult[]> {
  const pool = new RiskPool({ workers: 1 });
  try {
    return await pool.marginBatch(accounts, marketData, grid);
  } finally {
    await pool.terminate();
  }
}

let queueName = "";
const children: ChildProcess[] = [];

/** A `pmargin worker` process, once it listens. */
async function spawnWorker(name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, "worker", "--queue", REDIS, "--queue-name", queueName, "--lock-duration", "1000", "--name", name], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let err = "";
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("waiting for jobs")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker ${name} exited (${code}): ${err}`)));
  });
  return child;
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));

beforeAll(async () => {
  server = await RedisServer.start();
  REDIS = server.url;
});

let serial = 0;
const freshQueue = (): string => (queueName = `pmargin-test-${process.pid}-${Date.now().toString(36)}-${serial++}`);

// Every test on its own queue; its jobs and run keys removed after it.
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
    await exited(c);
  }
  const queue = new Queue(queueName, { connection: connection() });
  await queue.obliterate({ force: true });
  await queue.close();
  const redis = new Redis(REDIS);
  const keys = await redis.keys(`pmargin:{${queueName}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

// toStrictEqual compares numbers with Object.is: −0 ≠ 0, so equal means the same bits (NaN aside).
describe("batch margining across worker processes", () => {
  const accounts = accountsOf(3_000);
  let expected: BatchAccountResult[];
  beforeAll(async () => {
    expected = await localBatch(accounts);
  }, 60_000);

  it("3 workers, one killed mid-job: every account margined exactly once, equal to the single-process batch", async () => {
    freshQueue();
    const workers = await Promise.all(["w1", "w2", "w3"].map(spawnWorker));
    const events = new QueueEvents(queueName, { connection: connection() });
    const stalled: string[] = [];
    events.on("stalled", ({ jobId }) => stalled.push(jobId));
    await events.waitUntilReady();
    const queue = new Queue(queueName, { connection: connection() });

    // Freeze w1; if it holds a job it is mid-job for good: kill it. If not, let it go on and try again.
    let killedJob: string | undefined;
    let started = false;
    let finished = false;
    const killer = async (): Promise<void> => {
      while (!finished) {
        workers[0]!.kill("SIGSTOP");
        const held = (await queue.getActive()).find((j) => j.processedBy === "w1");
        if (held) {
          workers[0]!.kill("SIGKILL");
          killedJob = held.id!;
          return;
        }
        workers[0]!.kill("SIGCONT");
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    let killing: Promise<void> | undefined;
    const { results, run } = await distributedBatch({
      connection: REDIS, queue: queueName, runId: "batch-3k", accounts, marketData, spec: grid, shardSize: 40,
      onProgress: (done) => {
        if (!started && done >= 10) {
          started = true;
          killing = killer();
        }
      },
    });
    finished = true;
    await killing;
    expect(killedJob).toBeDefined();
    // The frozen job went back to the queue through BullMQ's stalled-job check.
    await vi.waitFor(() => expect(stalled).toContain(killedJob));
    await events.close();
    await queue.close();

    expect(run).toMatchObject({ runId: "batch-3k", shards: 75, reused: 0, enqueued: 75 });
    expect(run.computed).toBe(75);
    const ids = results.map((r) => r.id);
    expect(new Set(ids).size).toBe(3_000);
    expect(ids).toEqual(accounts.map((a) => a.id));
    expect(results[7]).toMatchObject({ id: "acct-7", error: expect.stringMatching(/account acct-7: positions\[0\]\.strike/) });
    expect(results).toStrictEqual(expected);
  }, 60_000);

  it("a coordinator restarted with the same run id re-uses the finished shards and queues only the missing ones", async () => {
    freshQueue();
    const some = accounts.slice(0, 2_000);
    const options = { connection: REDIS, queue: queueName, runId: "resumed", accounts: some, marketData, spec: grid, shardSize: 10 };
    const first = await startWorker({ connection: REDIS, queue: queueName });
    const stop = new AbortController();
    let stopping = false;
    // The worker stops after 10 shards, then the coordinator: the rest of the run is left undone.
    const aborted = distributedBatch({
      ...options,
      signal: stop.signal,
      onProgress: (done) => {
        if (!stopping && done >= 10) {
          stopping = true;
          void first.close().then(() => stop.abort(new Error("coordinator stopped")));
        }
      },
    });
    await expect(aborted).rejects.toThrow("coordinator stopped");
    // The queue loses its pending jobs too: the restart must queue them from the results alone.
    const queue = new Queue(queueName, { connection: connection() });
    await queue.obliterate({ force: true });
    await queue.close();
    const redis = new Redis(REDIS);
    const done = await redis.hlen(runKeys(queueName, "resumed").results("margins"));
    redis.disconnect();
    expect(done).toBeGreaterThanOrEqual(10);
    expect(done).toBeLessThan(200);

    const second = await startWorker({ connection: REDIS, queue: queueName });
    try {
      const { results, run } = await distributedBatch(options);
      expect(run).toMatchObject({ shards: 200, reused: done, enqueued: 200 - done });
      // Counted over both starts: no shard computed twice.
      expect(run.computed).toBe(200);
      expect(results).toStrictEqual(expected.slice(0, 2_000));
    } finally {
      await second.close();
    }
  }, 60_000);
});

describe("Monte Carlo across worker processes", () => {
  it("path blocks and ES-tail blocks as jobs give monteCarlo()'s result bit for bit", async () => {
    freshQueue();
    await Promise.all(["m1", "m2"].map(spawnWorker));
    const model = { paths: 60_001, seed: 11, levels: { var: [0.99], es: [0.95] }, jumps: { common: { intensity: 3, mean: -0.1, vol: 0.05 } } };
    const { result, run } = await distributedMonteCarlo({ connection: REDIS, queue: queueName, positions: book, marketData, model, blockPaths: 8_192 });
    const single = monteCarlo(await createEngine(), book, buildMarket(marketData), model);
    // 8 path blocks; the 95% ES tail of 3,001 paths is 3 blocks of 1,024.
    expect(run).toMatchObject({ shards: 8 + 3, computed: 8 + 3 });
    expect(result).toStrictEqual(single);
  }, 60_000);
});

describe("the queue's command line and bad input", () => {
  it("`pmargin batch --queue` writes what the local batch writes; a worker stops on SIGTERM", async () => {
    freshQueue();
    const worker = await spawnWorker("cli");
    const files = [new URL("accounts.jsonl", examples).pathname, new URL("market.json", examples).pathname];
    for (const format of ["jsonl", "csv"]) {
      const local = spawnSync(process.execPath, [cli, "batch", ...files, "--workers", "1", "--format", format], { encoding: "utf8" });
      const queued = spawnSync(process.execPath, [cli, "batch", ...files, "--queue", REDIS, "--queue-name", queueName, "--shard-size", "2", "--format", format], { encoding: "utf8" });
      expect(queued.status).toBe(0);
      expect(local.status).toBe(0);
      expect(queued.stdout).toBe(local.stdout);
      expect(queued.stderr).toMatch(/run run-[0-9a-f]{16}: 3 shards, 0 done before this start, 3 computed/);
    }
    worker.kill("SIGTERM");
    await exited(worker);
    expect(worker.exitCode).toBe(0);
  }, 60_000);

  it("`pmargin var --queue` prints what the one-process run prints, record and all", async () => {
    freshQueue();
    await spawnWorker("mc-cli");
    const files = [new URL("portfolio.json", examples).pathname, new URL("market.json", examples).pathname];
    const args = ["var", ...files, "--paths", "30000", "--seed", "5", "--json"];
    const local = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
    const queued = spawnSync(process.execPath, [cli, ...args, "--queue", REDIS, "--queue-name", queueName, "--block-paths", "8192"], { encoding: "utf8" });
    expect(local.status).toBe(0);
    expect(queued.status).toBe(0);
    expect(queued.stdout).toBe(local.stdout);
    // 4 path blocks; the 97.5% ES tail of 750 paths is 1 block.
    expect(queued.stderr).toMatch(/run run-[0-9a-f]{16}: 5 shards, 0 done before this start, 5 computed/);
  }, 60_000);

  it("an unreachable Redis, a bad run id or shard size, and a run id reused with other inputs are InputErrors naming the field", async () => {
    freshQueue();
    const base = { queue: queueName, accounts: accountsOf(20), marketData, spec: grid };
    await expect(distributedBatch({ ...base, connection: "redis://127.0.0.1:1" })).rejects.toThrow(/connection: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
    const field = (path: string): object => expect.objectContaining({ name: "InputError", path });
    await expect(distributedBatch({ ...base, connection: REDIS, runId: "a:b" })).rejects.toEqual(field("runId"));
    await expect(distributedBatch({ ...base, connection: REDIS, shardSize: 0 })).rejects.toEqual(field("shardSize"));
    await expect(startWorker({ connection: REDIS, queue: queueName, lockDuration: 5 })).rejects.toEqual(field("lockDuration"));
    // A run left under way (no worker, coordinator stopped at its first progress report)…
    const stop = new AbortController();
    await expect(distributedBatch({ ...base, connection: REDIS, runId: "taken", signal: stop.signal, onProgress: () => stop.abort(new Error("stopped")) }))
      .rejects.toThrow("stopped");
    // …refuses the same id with another split.
    await expect(distributedBatch({ ...base, connection: REDIS, runId: "taken", shardSize: 3 })).rejects.toThrow(/runId: run taken is under way with other inputs/);
  });

  it("a run id used again after its data expired replaces the jobs its earlier run left queued", async () => {
    freshQueue();
    const base = { connection: REDIS, queue: queueName, runId: "again", accounts: accountsOf(30), marketData };
    const stop = new AbortController();
    await expect(distributedBatch({ ...base, spec: grid, signal: stop.signal, onProgress: () => stop.abort(new Error("stopped")) })).rejects.toThrow("stopped");
    const redis = new Redis(REDIS);
    await redis.del(runKeys(queueName, "again").data);
    redis.disconnect();
    const okx: MarginMethod = { method: "grid", profile: builtInProfile("okx") };
    const worker = await startWorker({ connection: REDIS, queue: queueName });
    try {
      const { results, run } = await distributedBatch({ ...base, spec: okx });
      expect(run).toMatchObject({ shards: 1, reused: 0, enqueued: 1, computed: 1 });
      const pool = new RiskPool({ workers: 1 });
      expect(results).toStrictEqual(await pool.marginBatch(base.accounts, marketData, okx));
      await pool.terminate();
    } finally {
      await worker.close();
    }
  });
});

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await server.stop();
});
