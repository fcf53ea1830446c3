// Redis for distributed runs: the connection, a run's keys, and the payloads stored
// there. Payloads are V8-serialised: doubles keep every bit (−0 and NaN included)
// and a Float64Array travels as its raw bytes, so a result computed on another host
// is the one this host would have computed. Every host runs the same Node major.
import { createHash } from "node:crypto";
import { deserialize, serialize } from "node:v8";
import type { ConnectionOptions, RedisOptions } from "bullmq";
import { Redis } from "ioredis";
import { InputError } from "../errors.js";

/** Where Redis is: a redis:// (or rediss://) URL, or connection options (host, port, password, tls…). */
export type RedisConnection = string | RedisOptions;

/** The Redis server and the BullMQ queue a run's jobs go through. */
export interface QueueOptions {
  connection: RedisConnection;
  /** Queue name; coordinators and workers of a run must use the same one. Default "pmargin". */
  queue?: string;
}

/**
 * A phase of a run, the name of its jobs: "margins" for a batch's accounts, or a stage
 * of a split method of the registry (src/runs), e.g. Monte Carlo's "paths", then "tail".
 */
export type Phase = string;

/** What a job carries: the run, which inputs it was made for, and its shard of the phase (the job's name). */
export interface JobData {
  runId: string;
  fingerprint: string;
  shard: number;
}

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

export const bullConnection = (c: RedisConnection): ConnectionOptions => (typeof c === "string" ? { url: c } : c);

const where = (c: RedisConnection): string => (typeof c === "string" ? c : `${c.host ?? "127.0.0.1"}:${c.port ?? 6379}`);

/** A connected client; a server that does not answer is an InputError naming the connection, not a hang. */
export async function openRedis(c: RedisConnection): Promise<Redis> {
  const options: RedisOptions = { lazyConnect: true, maxRetriesPerRequest: null };
  const client = typeof c === "string" ? new Redis(c, options) : new Redis({ ...c, ...options });
  let first: Error | undefined;
  client.on("error", (error: Error) => (first ??= error));
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new InputError("connection", `cannot reach Redis at ${where(c)}: ${(first ?? (error as Error)).message}`);
  }
  return client;
}

/** A run's keys; the hash tag keeps them in one cluster slot for the store script. */
export function runKeys(queue: string, runId: string): { data: string; computed: string; results: (phase: Phase) => string } {
  const base = `pmargin:{${queue}:${runId}}`;
  return { data: `${base}:data`, computed: `${base}:computed`, results: (phase) => `${base}:${phase}` };
}

/** A job's id: BullMQ drops a job added under an id it already holds, so a shard is queued once. */
export const jobId = (runId: string, phase: Phase, shard: number): string => `${runId}.${phase}.${shard}`;

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

export const pack = (value: unknown): Buffer => serialize(value);
export const unpack = <T>(bytes: Buffer): T => deserialize(bytes) as T;

/** What fixes a run's results: its inputs and how they are split. */
export function fingerprintOf(parts: Buffer[]): string {
  const hash = createHash("sha256");
  for (const p of parts) hash.update(String(p.length)).update(":").update(p);
  return hash.digest("hex");
}
