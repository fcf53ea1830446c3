// Verifiable results: a result carries a record of everything that made it — the
// package version, the WASM's digest, the method and its parameters (seed included)
// and the inputs themselves with their digest — so that anyone can re-run it and
// get the same figures, bit for bit (every kernel is deterministic, in Node and in
// browsers). `verify` re-runs a saved result and compares.
import { accountMargin } from "../account/account.js";
import type { Engine } from "../engine/engine.js";
import { InputError } from "../errors.js";
import { parsePriceCsv, type PriceSeries } from "../history/csv.js";
import { prepareInputs } from "../market/inputs.js";
import { gridMargin } from "../methods/grid/grid.js";
import type { MarginProfile } from "../model/profile.js";
import { historicalVaR, type HistoricalOptions } from "../methods/historical/historical.js";
import { backtest, type BacktestOptions } from "../methods/backtest/backtest.js";
import { headlineMargin, whatIf, type MarginMethod } from "../methods/margin.js";
import type { MonteCarloModelInput } from "../model/montecarlo.js";
import { monteCarlo } from "../methods/montecarlo/montecarlo.js";
import { stressTest } from "../methods/stress/stress.js";
import type { StressScenario } from "../model/stress.js";
import { checkAccountAgainstMarket, parseAccount } from "../schema/account.js";
import { parseMarket } from "../schema/market.js";
import { valueBook } from "../methods/valuation.js";
import { VERSION } from "../version.js";

/** How the headline margin is set, as recorded (the price history is among the inputs). */
export type MarginRun =
  | { method: "grid"; profile: MarginProfile }
  | { method: "monte-carlo"; model: MonteCarloModelInput; mmRatio?: number }
  | { method: "historical"; options?: HistoricalOptions; mmRatio?: number };

/** A method and its parameters, as recorded. */
export type RunSpec =
  | { command: "value" }
  | { command: "grid"; profile: MarginProfile; perPosition?: boolean }
  | { command: "monte-carlo"; model: MonteCarloModelInput }
  | { command: "historical"; options: HistoricalOptions }
  | { command: "stress"; scenarios: StressScenario[] }
  | ({ command: "margin" } & MarginRun)
  | { command: "whatif"; margin: MarginRun; orders: unknown }
  | { command: "backtest"; options: Omit<BacktestOptions, "onProgress"> }
  | { command: "account"; margin: MarginRun; distanceToLiquidation: boolean };

/** The inputs as given (JSON values), and the price history's CSV files when the method reads one. */
export interface RecordedInputs {
  /** The portfolio file; for the account command, the account file. */
  portfolio: unknown;
  market: unknown;
  history?: { name: string; text: string }[];
}

export interface Reproducibility {
  pmargin: string;
  /** SHA-256 of the WASM module that computed the result. */
  wasmSha256?: string;
  run: RunSpec;
  inputs: RecordedInputs;
  /** SHA-256 of the canonical JSON of `inputs`: the same digest means the same inputs. */
  inputsSha256: string;
}

/** JSON with object keys sorted and typed arrays as arrays: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The series of the recorded price-history files. */
export function historyOf(inputs: RecordedInputs): PriceSeries[] {
  if (!inputs.history?.length) throw new InputError("reproducibility.inputs.history", "this method needs the price history's CSV files");
  return inputs.history.flatMap((f) => parsePriceCsv(f.text, { source: f.name }).series);
}

/** Runs a recorded method on recorded inputs: the one path results come from, so a record describes exactly what ran. */
export function runRecorded(engine: Engine, run: RunSpec, inputs: RecordedInputs): unknown {
  if (run.command === "account") {
    const marketData = parseMarket(inputs.market, "market");
    const account = parseAccount(inputs.portfolio, "account");
    checkAccountAgainstMarket(account, marketData, "account");
    return accountMargin(engine, account, marketData, marginMethod(run.margin, inputs), { distanceToLiquidation: run.distanceToLiquidation });
  }
  const { portfolio, market, marketData } = prepareInputs(inputs.portfolio, inputs.market, { portfolio: "portfolio", market: "market" });
  const positions = portfolio.positions;
  switch (run.command) {
    case "value":
      return { currency: "USD", ...valueBook(engine, engine.compile(positions, market), market) };
    case "grid":
      return gridMargin(engine, positions, market, { profile: run.profile, perPosition: run.perPosition ?? false });
    case "monte-carlo":
      return monteCarlo(engine, positions, market, run.model);
    case "historical":
      return historicalVaR(engine, positions, market, historyOf(inputs), run.options);
    case "stress":
      return { results: stressTest(engine, positions, market, run.scenarios, run.scenarios.some((s) => s.type === "historical") ? { history: historyOf(inputs) } : {}) };
    case "margin":
      return headlineMargin(engine, positions, market, marginMethod(run, inputs));
    case "whatif": {
      const orders = prepareInputs({ positions: run.orders }, inputs.market, { portfolio: "orders", market: "market" }).portfolio.positions;
      return whatIf(engine, positions, market, orders, marginMethod(run.margin, inputs));
    }
    case "backtest":
      return backtest(engine, positions, marketData, historyOf(inputs), run.options);
  }
}

/** A recorded margin method with what it reads from the inputs (the price history for historical). */
export function marginMethod(run: MarginRun, inputs: RecordedInputs): MarginMethod {
  const mm = "mmRatio" in run && run.mmRatio !== undefined ? { mmRatio: run.mmRatio } : {};
  if (run.method === "grid") return { method: "grid", profile: run.profile };
  if (run.method === "monte-carlo") return { method: "monte-carlo", model: run.model, ...mm };
  return { method: "historical", history: historyOf(inputs), ...(run.options ? { options: run.options } : {}), ...mm };
}

/** The record of a run, to save with its result. */
export async function record(engine: Engine, run: RunSpec, inputs: RecordedInputs): Promise<Reproducibility> {
  return {
    pmargin: VERSION,
    ...(engine.wasmSha256 ? { wasmSha256: engine.wasmSha256 } : {}),
    run,
    inputs,
    inputsSha256: await sha256Hex(canonicalJson(inputs)),
  };
}

export interface Verification {
  identical: boolean;
  /** Where the re-run first differs from the saved result (a JSON path), when it does. */
  difference?: string;
  /** Why the re-run may differ: another version or WASM build than the one recorded. */
  notes: string[];
}

/**
 * Re-runs a saved result ({ ...result, reproducibility }) and compares every figure,
 * bit for bit (canonical JSON: the shortest text that reads back to each double).
 */
export async function verify(engine: Engine, saved: unknown): Promise<Verification> {
  if (saved === null || typeof saved !== "object" || !("reproducibility" in saved)) {
    throw new InputError("reproducibility", "not a pmargin result with a reproducibility record (run the command with --json)");
  }
  const { reproducibility: rec, ...result } = saved as { reproducibility: Reproducibility } & Record<string, unknown>;
  if (!rec || typeof rec !== "object" || !rec.run || !rec.inputs) throw new InputError("reproducibility", "the record lacks its run or its inputs");
  const notes: string[] = [];
  if ((await sha256Hex(canonicalJson(rec.inputs))) !== rec.inputsSha256) throw new InputError("reproducibility.inputs", "the inputs do not match their recorded digest: the file was edited");
  if (rec.pmargin !== VERSION) notes.push(`recorded with pmargin ${rec.pmargin}, re-run with ${VERSION}`);
  if (rec.wasmSha256 && engine.wasmSha256 && rec.wasmSha256 !== engine.wasmSha256) notes.push("recorded with another pmargin.wasm build");
  const again = runRecorded(engine, rec.run, rec.inputs);
  const difference = firstDifference(JSON.parse(canonicalJson(result)), JSON.parse(canonicalJson(again)), "");
  return difference === undefined ? { identical: true, notes } : { identical: false, difference, notes };
}

function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (a === b) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path || "(top)"}: ${a.length} items saved, ${b.length} now`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return undefined;
  }
  return `${path || "(top)"}: saved ${JSON.stringify(a)}, now ${JSON.stringify(b)}`;
}
