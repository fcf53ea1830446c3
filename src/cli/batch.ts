import { readFile, writeFile } from "node:fs/promises";
import { batchWorkers } from "./workers.js";
import { InputError } from "../errors.js";
import { parseMarket } from "../schema/index.js";
import type { BatchAccount, BatchAccountResult } from "../parallel/tasks.js";
import { RiskPool } from "../parallel/pool.js";
import { marginMethodOf, type MarginCommandOptions } from "./margin.js";
import { progressBar } from "./progress.js";
import { queueBatch, type QueueBatchOptions } from "./queue.js";
import { readJsonFile } from "./run.js";
import { portableOnly } from "./engine.js";

export interface BatchCommandOptions extends MarginCommandOptions, QueueBatchOptions {
  format: string;
  workers?: string;
  out?: string;
}

/** Accounts as JSON lines ({ "id", "positions" } per line) or one JSON array of them. */
async function readAccounts(path: string): Promise<BatchAccount[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InputError("", `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, path);
  }
  const rows: unknown[] = text.trimStart().startsWith("[")
    ? (await readJsonFile(path)) as unknown[]
    : text.split(/\r?\n/).map((line, i) => ({ line, i })).filter(({ line }) => line.trim() !== "").map(({ line, i }) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (error) {
        throw new InputError(`line ${i + 1}`, `not JSON: ${(error as Error).message}`, path);
      }
    });
  return rows.map((row, i) => {
    const r = row as { id?: unknown; positions?: unknown };
    if (typeof r !== "object" || r === null || Array.isArray(r)) throw new InputError(`accounts[${i}]`, "must be an object { id, positions }", path);
    if (typeof r.id !== "string" || r.id === "") throw new InputError(`accounts[${i}].id`, "must be a non-empty string", path);
    return { id: r.id, positions: r.positions };
  });
}

const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

function format(results: BatchAccountResult[], as: string): string {
  if (as === "jsonl") {
    return results.map((r) => JSON.stringify("margin" in r ? { id: r.id, ...r.margin } : r)).join("\n") + "\n";
  }
  const lines = ["id,initial_usd,maintenance_usd,error"];
  for (const r of results) {
    lines.push("margin" in r ? `${csvCell(r.id)},${r.margin.initial},${r.margin.maintenance},` : `${csvCell(r.id)},,,${csvCell(r.error)}`);
  }
  return lines.join("\n") + "\n";
}

export async function batchCommand(accountsPath: string, marketPath: string, opts: BatchCommandOptions): Promise<void> {
  if (opts.format !== "jsonl" && opts.format !== "csv") throw new InputError("--format", `must be jsonl or csv, got ${opts.format}`);
  const accounts = await readAccounts(accountsPath);
  const marketData = parseMarket(await readJsonFile(marketPath), marketPath);
  const spec = await marginMethodOf(opts);
  if (opts.queue !== undefined) {
    if (opts.workers !== undefined) throw new InputError("--workers", "not used with --queue: start `pmargin worker` processes instead");
    return writeResults(await queueBatch(accounts, marketData, spec, opts.queue, opts), opts);
  }
  portableOnly("batch (its pool's engines)");
  const pool = new RiskPool({ workers: batchWorkers(opts.workers) });
  const bar = progressBar("accounts");
  try {
    const results = await pool.marginBatch(accounts, marketData, spec, bar.onProgress ? { onProgress: bar.onProgress } : {});
    bar.stop();
    await writeResults(results, opts);
  } finally {
    await pool.terminate();
  }
}

async function writeResults(results: BatchAccountResult[], opts: BatchCommandOptions): Promise<void> {
  const text = format(results, opts.format);
  if (opts.out) await writeFile(opts.out, text);
  else process.stdout.write(text);
  const failed = results.filter((r) => "error" in r).length;
  if (failed > 0) console.error(`pmargin: ${failed} of ${results.length} accounts could not be margined (see their error)`);
}
