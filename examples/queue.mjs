// The Redis job queue from the library (docs/queue.md): a worker and a coordinator in one
// process, margining examples/accounts.jsonl. Needs a Redis (PMARGIN_REDIS_URL, default
// redis://127.0.0.1:6379) and the secret every host of the queue shares:
//   PMARGIN_QUEUE_SECRET=$(openssl rand -hex 32) node examples/queue.mjs
import { readFileSync } from "node:fs";
import { builtInProfile, parseMarket } from "pmargin";
import { distributedBatch, startWorker } from "pmargin/distributed";

const connection = process.env.PMARGIN_REDIS_URL ?? "redis://127.0.0.1:6379";
const read = (name) => readFileSync(new URL(name, import.meta.url), "utf8");
const accounts = read("accounts.jsonl").trim().split("\n").map((line) => JSON.parse(line));
const marketData = parseMarket(JSON.parse(read("market.json")));

// On each host (or `pmargin worker --queue …`); the secret comes from PMARGIN_QUEUE_SECRET.
const worker = await startWorker({ connection, onError: (e) => console.error(`worker: ${e.message}`) });
try {
  const { results, run } = await distributedBatch({
    connection, accounts, marketData, spec: { method: "grid", profile: builtInProfile("deribit") },
    shardSize: 2, timeoutSeconds: 60, onNotice: (message) => console.error(message),
  });
  for (const r of results) console.log(r.id, "margin" in r ? Math.round(r.margin.initial) : r.error);
  console.log(run);
} finally {
  await worker.close();
}
