// Distributed runs on BullMQ (Redis): coordinators queue shards of a run, workers on
// any number of hosts compute them, results are stored once per run and shard.
export { distributedBatch, type DistributedBatchOptions } from "./batch.js";
export { distributedMonteCarlo, distributedRun, type DistributedMonteCarloOptions } from "./split.js";
export { startWorker, type DistributedWorker, type WorkerOptions } from "./worker.js";
export type { RunOptions, RunStats } from "./coordinator.js";
export { redisTarget, type Phase, type QueueOptions, type RedisConnection } from "./redis.js";
export { describeBuild } from "./seal.js";
