// Fault injection on the queue, each on a real redis-server of its own: a killed worker,
// Redis restarted without persistence, Redis down, no workers, a worker of another
// build, forged results, a server that accepts and never answers, a password and TLS.
// Each run is compared account by account with the single-process batch: nothing
// lost, nothing different, and every wait ends (with one clear line). Small books and
// short timeouts keep it fast. Worker processes run dist/cli/main.js: `npm run build` first.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serialize } from "node:v8";
import { QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { distributedBatch, startWorker, type DistributedWorker } from "../src/distributed/index.js";
import { encode } from "../src/distributed/codec.js";
import { LABELS } from "../src/distributed/coordinator.js";
import { runKeys } from "../src/distributed/redis.js";
import { buildOf, RunSeal } from "../src/distributed/seal.js";
import { marginAccounts, type BatchAccount, type BatchAccountResult } from "../src/parallel/tasks.js";
import { accountsOf, cli, grid, marketData, root } from "./helpers/queue.js";
import { freePort, RedisServer, selfSignedCertificate } from "./helpers/redis.js";

const SECRET = "queue-faults-test-secret-0123456789";
process.env.PMARGIN_QUEUE_SECRET = SECRET;
const examples = [new URL("examples/accounts.jsonl", root).pathname, new URL("examples/market.json", root).pathname];

/** What `pmargin batch examples/accounts.jsonl examples/market.json` prints, margined here. */
async function examplesJsonl(): Promise<string> {
  const lines = readFileSync(examples[0]!, "utf8").trim().split("\n").map((l) => JSON.parse(l) as BatchAccount);
  return marginAccounts(await createEngine(), lines, marketData, grid).map((r) => JSON.stringify("margin" in r ? { id: r.id, ...r.margin } : r)).join("\n") + "\n";
}

const accounts = accountsOf(60);
const SHARD = 5;
const SHARDS = accounts.length / SHARD;
let single: BatchAccountResult[];

beforeAll(async () => {
  single = marginAccounts(await createEngine(), accounts, marketData, grid);
});

// What every test starts, stopped after it.
const servers: RedisServer[] = [];
const children: ChildProcess[] = [];
const workers: DistributedWorker[] = [];
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill("SIGKILL");
      await new Promise((r) => c.once("exit", r));
    }
  }
  await Promise.all(workers.splice(0).map((w) => w.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  for (const f of cleanups.splice(0)) f();
});

async function redisServer(options?: Parameters<typeof RedisServer.start>[0]): Promise<RedisServer> {
  const s = await RedisServer.start(options);
  servers.push(s);
  return s;
}

async function worker(url: string, options: Partial<Parameters<typeof startWorker>[0]> = {}): Promise<DistributedWorker> {
  const w = await startWorker({ connection: url, redisTimeoutSeconds: 2, ...options });
  workers.push(w);
  return w;
}

/** `node args` with `env`, its stderr collected; resolves once stderr shows `ready` (or at once). */
async function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}, ready?: string, script = cli): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  children.push(child);
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  if (ready) {
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (err.includes(ready)) resolve();
      };
      child.stderr!.on("data", check);
      child.once("exit", (code) => reject(new Error(`${args[0]} exited (${code}): ${err}`)));
    });
  }
  return { child, stderr: () => err };
}

const exit = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once("exit", (code) => r(code)));

const batch = (url: string, options: Partial<Parameters<typeof distributedBatch>[0]> = {}): ReturnType<typeof distributedBatch> =>
  distributedBatch({ connection: url, accounts, marketData, spec: grid, shardSize: SHARD, redisTimeoutSeconds: 2, ...options });

/** One clean line: the message, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  expect(stderr).not.toMatch(/\n\s+at |Error: .*\n.*node:internal/);
  return lines[lines.length - 1]!;
}

describe("a killed worker", () => {
  it("is noticed within 5 s: its shard is taken by another worker, every account margined as by one process", async () => {
    const server = await redisServer();
    const victim = await spawnCli(["worker", "--queue", server.url, "--name", "victim"], {}, "waiting for jobs");
    const events = new QueueEvents("pmargin", { connection: { host: "127.0.0.1", port: server.port } });
    const stalled = new Map<string, number>();
    events.on("stalled", ({ jobId }) => stalled.set(jobId, Date.now()));
    await events.waitUntilReady();
    const redis = new Redis(server.url);
    cleanups.push(() => {
      void events.close();
      redis.disconnect();
    });
    let killed: { job: string; at: number } | undefined;
    // Freeze the victim; if it holds a job it is mid-job for good: kill it, then start a healthy worker.
    const kill = async (): Promise<void> => {
      while (!killed) {
        victim.child.kill("SIGSTOP");
        const active = await redis.lrange("bull:pmargin:active", 0, -1);
        const held = await Promise.all(active.map(async (id) => ({ id, by: await redis.hget(`bull:pmargin:${id}`, "pb") })));
        const mine = held.find((j) => j.by === "victim");
        if (mine) {
          victim.child.kill("SIGKILL");
          killed = { job: mine.id, at: Date.now() };
          await worker(server.url, { name: "healthy" });
          return;
        }
        victim.child.kill("SIGCONT");
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    let killing: Promise<void> | undefined;
    const { results, run } = await batch(server.url, { onProgress: (done) => void (done >= 1 && (killing ??= kill())) });
    await killing;
    expect(run.shards).toBe(SHARDS);
    expect(results).toStrictEqual(single);
    // The run may finish first (the frozen job's result was stored before it froze): the stalled check still finds the job.
    expect(killed).toBeDefined();
    await vi.waitFor(() => expect(stalled.has(killed!.job)).toBe(true), { timeout: 6_000, interval: 50 });
    expect(stalled.get(killed!.job)! - killed!.at).toBeLessThan(5_000);
  });
});

describe("Redis losing the run or going away", () => {
  it("restarted without persistence: a clear error at once, not a wait; run again, every account as by one process", async () => {
    const server = await redisServer();
    const t0 = Date.now();
    let restarting: Promise<void> | undefined;
    // No worker: the run waits on its queued jobs when Redis restarts empty.
    await expect(batch(server.url, { runId: "lost", onProgress: () => void (restarting ??= server.restart()) }))
      .rejects.toThrow(/run lost: Redis at redis:\/\/127\.0\.0\.1:\d+ lost the run's data \(restarted without persistence/);
    await restarting;
    expect(Date.now() - t0).toBeLessThan(8_000);
    await worker(server.url);
    const { results, run } = await batch(server.url, { runId: "lost" });
    expect(run).toMatchObject({ shards: SHARDS, reused: 0, refused: 0 });
    expect(results).toStrictEqual(single);
  });

  it("down for good mid-run: the coordinator and a worker process each stop with one line after --redis-timeout; on its return, the same results", async () => {
    const server = await redisServer();
    const w = await spawnCli(["worker", "--queue", server.url, "--redis-timeout", "1"], {}, "waiting for jobs");
    const t0 = Date.now();
    let killing: Promise<void> | undefined;
    await expect(batch(server.url, { redisTimeoutSeconds: 1, onProgress: () => void (killing ??= server.kill()) }))
      .rejects.toThrow(/lost Redis at redis:\/\/127\.0\.0\.1:\d+: /);
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(await exit(w.child)).toBe(1);
    expect(oneLine(w.stderr())).toMatch(/^pmargin: lost Redis at redis:\/\/127\.0\.0\.1:\d+: unreachable for 1 s$/);
    await server.restart();
    await worker(server.url);
    expect((await batch(server.url)).results).toStrictEqual(single);
  });

  it("down from the start: `pmargin batch --queue` says so in one line, exit 2; a worker cannot start", async () => {
    const port = await freePort();
    const r = spawnSync(process.execPath, [cli, "batch", ...examples, "--queue", `redis://127.0.0.1:${port}`, "--redis-timeout", "1"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^pmargin: --queue: cannot reach Redis at redis://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    await expect(startWorker({ connection: `redis://127.0.0.1:${port}`, redisTimeoutSeconds: 1 })).rejects.toThrow(/connection: cannot reach Redis at .*ECONNREFUSED/);
  });

  it("a server that accepts and never answers: an error after the timeout, not a hang", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    cleanups.push(() => {
      sockets.forEach((s) => s.destroy());
      silent.close();
    });
    const { port } = silent.address() as { port: number };
    const t0 = Date.now();
    await expect(batch(`redis://127.0.0.1:${port}`, { redisTimeoutSeconds: 1 }))
      .rejects.toThrow(new RegExp(`connection: cannot reach Redis at redis://127\\.0\\.0\\.1:${port}: .*no answer`));
    await expect(startWorker({ connection: `redis://127.0.0.1:${port}`, redisTimeoutSeconds: 1 })).rejects.toThrow(/no answer/);
    expect(Date.now() - t0).toBeLessThan(6_000);
  });
});

describe("no workers", () => {
  it("says no worker has taken a job, then stops at the timeout; resumed with workers, every account as by one process", async () => {
    const server = await redisServer();
    const notices: string[] = [];
    await expect(batch(server.url, { runId: "idle", timeoutSeconds: 2, idleSeconds: 0.5, onNotice: (m) => notices.push(m) }))
      .rejects.toThrow(`run idle: not finished after 2 s (0 of ${SHARDS} margins shards done`);
    expect(notices[0]).toMatch(/^run idle: no worker has taken a job for 0\.5 s \(0 of 12 margins shards done\); is a `pmargin worker` running on queue pmargin/);
    await worker(server.url);
    const { results, run } = await batch(server.url, { runId: "idle" });
    expect(run).toMatchObject({ enqueued: 0, computed: SHARDS });
    expect(results).toStrictEqual(single);
  });

  it("`pmargin batch --queue --timeout` exits 1 with one line", async () => {
    const server = await redisServer();
    const r = spawnSync(process.execPath, [cli, "batch", ...examples, "--queue", server.url, "--timeout", "1"], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/^pmargin: run run-[0-9a-f]{16}: not finished after 1 s \(0 of 1 margins shards done; the finished ones are kept/);
  });
});

/** A copy of the built package whose version is `version`: another build of pmargin. */
function otherBuild(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), "pmargin-other-build-"));
  for (const part of ["dist", "build", "package.json"]) cpSync(new URL(part, root), join(dir, part), { recursive: true });
  symlinkSync(realpathSync(new URL("node_modules", root)), join(dir, "node_modules"));
  const versionFile = join(dir, "dist", "version.js");
  writeFileSync(versionFile, readFileSync(versionFile, "utf8").replace(/VERSION = "[^"]+"/, `VERSION = "${version}"`));
  return join(dir, "dist", "cli", "main.js");
}

/** A result for `shard` sealed as a worker with the run's secret would (or with `secret`). */
async function sealedResult(server: RedisServer, runId: string, shard: number, value: unknown, stamp: { version?: string; worker?: string; secret?: string } = {}): Promise<string> {
  const redis = new Redis(server.url);
  const nonce = (await redis.hget(runKeys("pmargin", runId).data, "nonce"))!;
  redis.disconnect();
  const seal = new RunSeal(Buffer.from(stamp.secret ?? SECRET), "pmargin", runId, nonce);
  const build = { ...buildOf(await createEngine()), ...(stamp.version ? { version: stamp.version } : {}) };
  return seal.seal(LABELS.result("margins", shard), encode({ runId, phase: "margins", shard, ...build, worker: stamp.worker ?? "rogue", value }));
}

describe("a worker of another build", () => {
  it("leaves the jobs to a worker of this build; alone, it is named while the run waits", async () => {
    const server = await redisServer();
    const old = await spawnCli(["worker", "--queue", server.url, "--name", "old"], {}, "waiting for jobs", otherBuild("0.2.9"));
    const notices: string[] = [];
    await expect(batch(server.url, { runId: "builds", timeoutSeconds: 2, idleSeconds: 0.5, onNotice: (m) => notices.push(m) })).rejects.toThrow(/not finished after 2 s/);
    expect(notices.join("\n")).toMatch(/no worker has taken a job for 0\.5 s \(0 of 12 margins shards done\); workers left its jobs: old \(made for pmargin 0\.3\.0, wasm [0-9a-f]{12}, this worker is pmargin 0\.2\.9, wasm [0-9a-f]{12}\)/);
    expect(old.stderr()).toMatch(/job \S+: made for pmargin 0\.3\.0, wasm [0-9a-f]{12}, this worker is pmargin 0\.2\.9, wasm [0-9a-f]{12}: left for another worker/);
    await worker(server.url);
    const { results, run } = await batch(server.url, { runId: "builds" });
    expect(run.refused).toBe(0);
    expect(results).toStrictEqual(single);
  });

  it("a result it computed (IM × 1.02, sealed with the run's secret) is refused by name and computed again", async () => {
    const server = await redisServer();
    const notices: string[] = [];
    let planted: Promise<void> | undefined;
    const plant = async (): Promise<void> => {
      const redis = new Redis(server.url);
      const off = marginAccounts(await createEngine(), accounts.slice(0, SHARD), marketData, grid)
        .map((r) => ("margin" in r ? { ...r, margin: { ...r.margin, initial: r.margin.initial * 1.02 } } : r));
      await redis.hset(runKeys("pmargin", "old-result").results("margins"), "0", await sealedResult(server, "old-result", 0, off, { version: "0.2.9", worker: "w-old" }));
      redis.disconnect();
      await worker(server.url);
    };
    const { results, run } = await batch(server.url, { runId: "old-result", onNotice: (m) => notices.push(m), onProgress: () => void (planted ??= plant()) });
    await planted;
    expect(notices).toContainEqual(expect.stringMatching(/^run old-result: margins shard 0: result refused: computed by worker w-old \(pmargin 0\.2\.9, wasm [0-9a-f]{12}\); this run needs pmargin 0\.3\.0, wasm [0-9a-f]{12}; computing it again$/));
    expect(run.refused).toBe(1);
    expect(results).toStrictEqual(single);
  });
});

describe("forged results", () => {
  it("without the secret, unsigned, a V8 payload, or sealed with the secret but short of accounts: each refused, the shard computed again", async () => {
    const server = await redisServer();
    const notices: string[] = [];
    const one = (shard: number): BatchAccountResult[] => [{ id: accounts[shard * SHARD]!.id, margin: { method: "grid", basis: "forged", currency: "USD", initial: 1, maintenance: 1 } }];
    let planted: Promise<void> | undefined;
    const plant = async (): Promise<void> => {
      const forged = {
        0: await sealedResult(server, "forged", 0, one(0), { secret: "a-secret-that-is-not-the-queues" }),
        1: `${"0".repeat(64)}:${encode({ runId: "forged", phase: "margins", shard: 1, value: one(1) })}`,
        2: serialize({ runId: "forged", shard: 2, value: one(2) }),
        3: await sealedResult(server, "forged", 3, one(3), { worker: "buggy" }),
      };
      const redis = new Redis(server.url);
      await redis.hset(runKeys("pmargin", "forged").results("margins"), forged);
      redis.disconnect();
      await worker(server.url);
    };
    const { results, run } = await batch(server.url, { runId: "forged", onNotice: (m) => notices.push(m), onProgress: () => void (planted ??= plant()) });
    await planted;
    const refused = notices.filter((m) => m.includes("result refused")).sort();
    expect(refused).toHaveLength(4);
    expect(refused[0]).toMatch(/shard 0: result refused: result:margins:0: its HMAC does not verify/);
    expect(refused[1]).toMatch(/shard 1: result refused: result:margins:1: its HMAC does not verify/);
    expect(refused[2]).toMatch(/shard 2: result refused: result:margins:2: not a sealed payload/);
    expect(refused[3]).toMatch(/shard 3: result refused: from worker buggy \(pmargin 0\.3\.0, .*\): its accounts are not the shard's: 1 accounts \(acct-15…\), expected 5/);
    expect(run.refused).toBe(4);
    expect(results).toStrictEqual(single);
  });

  it("a worker with another secret leaves the jobs (its inputs do not open) and is named; the right worker computes them", async () => {
    const server = await redisServer();
    await worker(server.url, { name: "stranger", secret: "not-the-queues-secret-at-all" });
    const notices: string[] = [];
    await expect(batch(server.url, { runId: "stranger", timeoutSeconds: 1.5, idleSeconds: 0.5, onNotice: (m) => notices.push(m) })).rejects.toThrow(/not finished after 1\.5 s/);
    expect(notices.join("\n")).toMatch(/workers left its jobs: stranger \(inputs: its HMAC does not verify .*\(another PMARGIN_QUEUE_SECRET than the coordinator's, or altered in Redis\)\)/);
    await worker(server.url);
    const { results } = await batch(server.url, { runId: "stranger" });
    expect(results).toStrictEqual(single);
  });

  it("a shard refused `attempts` times ends the run, naming it", async () => {
    const server = await redisServer();
    const redis = new Redis(server.url);
    cleanups.push(() => redis.disconnect());
    let over = false;
    // Rewritten as soon as the coordinator drops it, and no worker to compute it.
    const forge = async (): Promise<void> => {
      while (!over) {
        await redis.hsetnx(runKeys("pmargin", "stubborn").results("margins"), "0", "not a result");
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    let forging: Promise<void> | undefined;
    await expect(batch(server.url, { runId: "stubborn", attempts: 2, onProgress: () => void (forging ??= forge()) }))
      .rejects.toThrow(/run stubborn: margins shard 0: result refused: result:margins:0: not a sealed payload \(2 times: giving up\)/);
    over = true;
    await forging;
  });

});

describe("credentials", () => {
  const password = "s3cret-redis-pass!";

  it("the Redis password from PMARGIN_REDIS_PASSWORD or a file, never printed; a wrong one is named without it", async () => {
    const server = await redisServer({ password });
    const dir = mkdtempSync(join(tmpdir(), "pmargin-pass-"));
    writeFileSync(join(dir, "password"), `${password}\n`);
    const w = await spawnCli(["worker", "--queue", server.url, "--redis-password-file", join(dir, "password")], {}, "waiting for jobs");
    const queued = spawnSync(process.execPath, [cli, "batch", ...examples, "--queue", server.url], { encoding: "utf8", env: { ...process.env, PMARGIN_REDIS_PASSWORD: password } });
    expect(queued.status).toBe(0);
    expect(queued.stdout).toBe(await examplesJsonl());
    const wrong = `redis://:wrong-${encodeURIComponent(password)}@127.0.0.1:${server.port}`;
    const refused = await batch(wrong, { redisTimeoutSeconds: 1 }).then(() => "", (error: Error) => error.message);
    expect(refused).toMatch(/^connection: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: WRONGPASS/);
    for (const text of [w.stderr(), queued.stderr, refused]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(encodeURIComponent(password));
    }
    expect(w.stderr()).toMatch(/^pmargin worker \S+ \(pmargin 0\.3\.0, wasm [0-9a-f]{12}\): waiting for jobs on queue pmargin at redis:\/\/127\.0\.0\.1:\d+ /);
  });

  it("no shared secret, or a short one: an error naming PMARGIN_QUEUE_SECRET before anything is queued; plain redis:// to another host is warned about", async () => {
    await expect(batch("redis://127.0.0.1:1", { secret: "short" })).rejects.toThrow(/secret: must be at least 16 bytes, got 5/);
    // 192.0.2.1 (TEST-NET-1) is never reached: the secret is checked first.
    const r = spawnSync(process.execPath, [cli, "worker", "--queue", "redis://192.0.2.1:6379"], { encoding: "utf8", env: { ...process.env, PMARGIN_QUEUE_SECRET: "" } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^pmargin: warning: redis:\/\/192\.0\.2\.1:6379 is plain redis:\/\/: the queue's data crosses the network unencrypted .* use rediss:\/\/\n/);
    expect(oneLine(r.stderr)).toMatch(/^pmargin: PMARGIN_QUEUE_SECRET \(or --queue-secret-file\): the queue needs the secret/);
  });

  it("rediss://: coordinator and worker over TLS (the CA from NODE_EXTRA_CA_CERTS); an unknown CA is refused", async (ctx) => {
    if (spawnSync("openssl", ["version"]).status !== 0) return ctx.skip("openssl is not installed: no certificate for the TLS server");
    const tls = selfSignedCertificate();
    const server = await redisServer({ tls }).catch((error: Error) => {
      if (/tls/i.test(error.message)) return undefined;
      throw error;
    });
    if (!server) return ctx.skip("this redis-server was built without TLS");
    expect(server.url).toMatch(/^rediss:/);
    const env = { NODE_EXTRA_CA_CERTS: tls.ca };
    await spawnCli(["worker", "--queue", server.url], env, "waiting for jobs on queue pmargin at rediss://127.0.0.1");
    const queued = spawnSync(process.execPath, [cli, "batch", ...examples, "--queue", server.url], { encoding: "utf8", env: { ...process.env, ...env } });
    expect(queued.status).toBe(0);
    expect(queued.stdout).toBe(await examplesJsonl());
    // This process does not trust the certificate.
    await expect(batch(server.url, { redisTimeoutSeconds: 1 })).rejects.toThrow(/connection: cannot reach Redis at rediss:\/\/127\.0\.0\.1:\d+: .*self.signed certificate/);
  });
});
