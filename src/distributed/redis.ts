// Redis for distributed runs: the connection (bounded: a server that is down, or that
// accepts and never answers, is an error after `redisTimeoutSeconds`, not a hang), the
// password kept out of every message, a run's keys, and the script that stores a result.
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import type { RedisOptions } from "bullmq";
import { Redis } from "ioredis";
import { InputError, PmarginError } from "../errors.js";

/** Where Redis is: a redis:// (or rediss://, TLS) URL, or connection options (host, port, password, tls…). */
export type RedisConnection = string | RedisOptions;

/** The Redis server and the BullMQ queue a run's jobs go through, and the secret its hosts share. */
export interface QueueOptions {
  connection: RedisConnection;
  /** Queue name; coordinators and workers of a run must use the same one. Default "pmargin". */
  queue?: string;
  /** The Redis password, in place of one in the URL (e.g. read from an environment variable or a file). Never printed. */
  password?: string;
  /**
   * The secret the coordinator and its workers share (at least 16 bytes): it keys the HMAC
   * that authenticates every input, task and result, and never goes into Redis.
   * Default: the environment variable PMARGIN_QUEUE_SECRET.
   */
  secret?: string | Uint8Array;
  /** How long Redis may be unreachable, or leave a command unanswered, before the run or worker stops with an error, seconds. Default 20. */
  redisTimeoutSeconds?: number;
}

/**
 * A phase of a run, the name of its jobs: "margins" for a batch's accounts, or a stage
 * of a split method of the registry (src/runs), e.g. Monte Carlo's "paths", then "tail".
 */
export type Phase = string;

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** A queue name or run id: letters, digits, _ . - (BullMQ job ids may not contain ":"). */
export function checkName(field: string, name: string): string {
  if (!NAME.test(name)) throw new InputError(field, `must be 1–100 letters, digits, "_", "." or "-", got ${JSON.stringify(name)}`);
  return name;
}

/** A whole-number option of a run or a worker. */
export function wholeNumber(field: string, value: number, min = 1): number {
  if (!(Number.isSafeInteger(value) && value >= min)) throw new InputError(field, `must be a whole number ≥ ${min}, got ${value}`);
  return value;
}

export const queueOf = (options: QueueOptions): string => checkName("queue", options.queue ?? "pmargin");

/** A Redis server as options, where it is (for messages), and how to keep its password out of them. */
export interface RedisTarget {
  options: RedisOptions;
  /** scheme://host:port, without credentials. */
  where: string;
  timeoutMs: number;
  /** The message with the password (plain or URL-encoded) replaced by ***. */
  redact(message: string): string;
}

function fromUrl(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError("connection", "must be a redis:// or rediss:// URL");
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw new InputError("connection", `must be a redis:// or rediss:// URL, got ${u.protocol}//`);
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1";
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isSafeInteger(db) || db < 0) throw new InputError("connection", `the database number must be a whole number, got ${u.pathname.slice(1)}`);
  return {
    host,
    port: u.port === "" ? 6379 : Number(u.port),
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    // Certificates are checked against the host name (IP addresses against the certificate's IP entries).
    ...(u.protocol === "rediss:" ? { tls: isIP(host) ? {} : { servername: host } } : {}),
  };
}

export function redisTarget(options: QueueOptions): RedisTarget {
  const timeoutSeconds = options.redisTimeoutSeconds ?? 20;
  if (!(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) throw new InputError("redisTimeoutSeconds", `must be a number of seconds > 0, got ${timeoutSeconds}`);
  const c = options.connection;
  const base = typeof c === "string" ? fromUrl(c) : { ...c };
  if (options.password !== undefined) base.password = options.password;
  const password = base.password;
  const hidden = password ? [password, encodeURIComponent(password)] : [];
  const host = base.host ?? "127.0.0.1";
  return {
    options: base,
    where: `${base.tls ? "rediss" : "redis"}://${host.includes(":") ? `[${host}]` : host}:${base.port ?? 6379}`,
    timeoutMs: Math.round(timeoutSeconds * 1000),
    redact: (message) => hidden.reduce((m, h) => m.split(h).join("***"), message),
  };
}

/**
 * Client options that give up: reconnecting stops once Redis has been unreachable for
 * the timeout (then every waiting command fails), and each command not answered in
 * that time fails. `blocking`: for BullMQ's blocking reads, which wait longer by design.
 */
export function clientOptions(target: RedisTarget, blocking = false): RedisOptions {
  let downSince: number | undefined;
  return {
    ...target.options,
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: target.timeoutMs,
    ...(blocking ? {} : { commandTimeout: target.timeoutMs }),
    retryStrategy: (times: number) => {
      if (times === 1) downSince = Date.now();
      return Date.now() - downSince! > target.timeoutMs ? null : Math.min(100 * times, 1000);
    },
  };
}

/** The message of a Redis error, without the password and with where Redis is. */
export const redisError = (target: RedisTarget, error: unknown): string =>
  target.redact(`Redis at ${target.where}: ${error instanceof Error ? error.message : String(error)}`);

/** `promise`, or a PmarginError saying what did not answer after the target's timeout. */
export async function bounded<T>(target: RedisTarget, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PmarginError(`${what}: no answer from Redis at ${target.where} in ${target.timeoutMs / 1000} s`)), target.timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A connected client; a server that is down or does not answer is an InputError naming it (never its password), not a hang. */
export async function openRedis(target: RedisTarget): Promise<Redis> {
  const client = new Redis(clientOptions(target));
  let first: Error | undefined;
  client.on("error", (error: Error) => (first ??= error));
  try {
    await bounded(target, "connecting", client.connect().then(() => client.ping()));
  } catch (error) {
    client.disconnect();
    throw new InputError("connection", `cannot reach ${redisError(target, first ?? error)}`);
  }
  return client;
}

/** A run's keys; the hash tag keeps them in one cluster slot for the store script. */
export function runKeys(queue: string, runId: string): { data: string; computed: string; refused: string; results: (phase: Phase) => string } {
  const base = `pmargin:{${queue}:${runId}}`;
  return { data: `${base}:data`, computed: `${base}:computed`, refused: `${base}:refused`, results: (phase) => `${base}:${phase}` };
}

/** A job's id: BullMQ drops a job added under an id it already holds, so a shard is queued once (per `retry`, after a refused result). */
export const jobId = (runId: string, phase: Phase, shard: number, retry = 0): string => `${runId}.${phase}.${shard}${retry > 0 ? `.r${retry}` : ""}`;

/**
 * Stores a shard's result unless one is there (a retried job cannot count twice) and
 * counts the computation; nothing when the run's data is gone (finished or expired).
 * KEYS: results, computed, data; ARGV: shard, payload, computed field.
 */
export const STORE_RESULT = `
if redis.call('EXISTS', KEYS[3]) == 0 then return -1 end
local stored = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
local ttl = redis.call('PTTL', KEYS[3])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return stored`;

/** What fixes a run's results: its inputs, how they are split, and the build that computes them. */
export function fingerprintOf(parts: string[]): string {
  const hash = createHash("sha256");
  for (const p of parts) hash.update(String(Buffer.byteLength(p))).update(":").update(p);
  return hash.digest("hex");
}
