// What every suite shares: timing by tinybench medians, a sink the work feeds so
// nothing can be optimised away, the machine, number formats, the report's
// sections (printed as Markdown tables, written as JSON), the npm baselines.
import os from "node:os";
import { createRequire } from "node:module";
import v8 from "node:v8";
import vm from "node:vm";
import { Bench } from "tinybench";

// ---------------------------------------------------------------- timing

export interface TimingOptions {
  /** Time budget per task, ms (tinybench runs until both it and `iterations` are met). */
  time: number;
  /** Minimum timed iterations per task. */
  iterations: number;
  warmupTime?: number;
  /** Warm-up iterations (default 2); 0 for none. */
  warmupIterations?: number;
}

export type Task = [name: string, fn: () => unknown, hooks?: { beforeEach?: () => void }];

/** Runs the tasks one after another; returns the median (p50) latency of each, ms, in order. */
export async function medians(tasks: Task[], o: TimingOptions): Promise<number[]> {
  const bench = new Bench({
    time: o.time,
    iterations: o.iterations,
    warmup: o.warmupIterations !== 0,
    warmupTime: o.warmupTime ?? Math.min(o.time, 200),
    warmupIterations: o.warmupIterations ?? 2,
    throws: true,
  });
  for (const [name, fn, hooks] of tasks) bench.add(name, fn, hooks?.beforeEach ? { beforeEach: hooks.beforeEach } : {});
  await bench.run();
  return bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== "completed") throw new Error(`benchmark task "${t.name}" did not complete (${r.state})`);
    return r.latency.p50;
  });
}

/**
 * A full garbage collection (V8's gc(), exposed at run time): before a timing that takes
 * turns with others, so that none pays for the garbage another left.
 */
export function collectGarbage(): void {
  // Exposed on first use, not when this module is imported (scripts read its formats too).
  if (!gc) {
    v8.setFlagsFromString("--expose-gc");
    gc = vm.runInNewContext("gc") as () => void;
  }
  gc();
}
let gc: (() => void) | undefined;

/**
 * The tasks timed in turns, `rounds` times, forwards then backwards: per task, its median
 * in each round. A slow spell of the machine then falls on every task alike.
 */
export async function inTurns(tasks: readonly Task[], rounds: number, options: (round: number) => TimingOptions): Promise<number[][]> {
  const out = tasks.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...tasks.keys()].reverse() : [...tasks.keys()];
    const times = await medians(order.map((i) => tasks[i]!), options(r));
    order.forEach((i, j) => out[i]!.push(times[j]!));
  }
  return out;
}

/** The median over rounds of `a`'s time over `b`'s (the speed-up of b over a). */
export const medianRatio = (a: readonly number[], b: readonly number[]): number => median(a.map((t, r) => t / b[r]!));

/** Median of a list (of an even count: the mean of the two middle values). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// ---------------------------------------------------------------- sink

let sinkValue = 0;

/** Feeds a result into the sink: every timed call's output is used, so none can be dropped. */
export function consume(x: number): void {
  sinkValue += x;
}

/** The sink must be finite at the end: a NaN or an infinity means a suite computed garbage. */
export function checkSink(): number {
  if (!Number.isFinite(sinkValue)) throw new Error(`benchmark sink is ${sinkValue}: a suite produced a non-finite result`);
  return sinkValue;
}

// ---------------------------------------------------------------- machine

export interface Machine {
  cpu: string;
  cores: number;
  availableParallelism: number;
  memoryGiB: number;
  os: string;
  node: string;
  v8: string;
  date: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown CPU",
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------- formats

const group = (x: number, digits: number): string => x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A count with thousands separators: 1,000,000. */
export const count = (n: number): string => group(n, 0);

/** Milliseconds with three significant figures or so. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return "—";
  const digits = x < 1 ? 3 : x < 10 ? 2 : x < 100 ? 1 : 0;
  return `${group(x, digits)} ms`;
}

/** A throughput: 49.5 M pairs/s, 312 k accounts/s, 3,140 accounts/s. */
export function rate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond)) return "—";
  if (perSecond >= 1e9) return `${group(perSecond / 1e9, 2)} G ${unit}/s`;
  if (perSecond >= 1e6) return `${group(perSecond / 1e6, perSecond >= 1e8 ? 0 : 1)} M ${unit}/s`;
  if (perSecond >= 1e5) return `${group(perSecond / 1e3, 0)} k ${unit}/s`;
  return `${group(perSecond, 0)} ${unit}/s`;
}

/** A ratio: 144×, 11.6×, 3.21×. */
export function times(x: number): string {
  if (!Number.isFinite(x)) return "—";
  return `${group(x, x >= 100 ? 0 : x >= 10 ? 1 : 2)}×`;
}

export const pct = (x: number): string => (Number.isFinite(x) ? `${group(100 * x, 100 * x < 10 ? 1 : 0)}%` : "—");

/** A median time and the throughput it gives for `work` units. */
export interface Timing {
  medianMs: number;
  work: number;
  unit: string;
  perSecond: number;
}

export const timing = (medianMs: number, work: number, unit: string): Timing => ({ medianMs, work, unit, perSecond: work / (medianMs / 1000) });

/** "4.21 ms · 11.9 M pairs/s" */
export const cell = (t: Timing): string => `${ms(t.medianMs)} · ${rate(t.perSecond, t.unit)}`;

// ---------------------------------------------------------------- report

/** One table of the report: printed as Markdown, written to JSON with each row's figures. */
export interface Section {
  id: string;
  title: string;
  columns: string[];
  /** Per column, "l" or "r" (default: the first left, the rest right). */
  align?: ("l" | "r")[];
  rows: { cells: string[]; data: Record<string, unknown> }[];
  notes: string[];
  /** Figures of the section as a whole (the peers' f64x2 peak), written to JSON beside its rows. */
  data?: Record<string, unknown>;
}

export function markdown(s: Section): string {
  const lines = [`### ${s.title}`, "", `| ${s.columns.join(" | ")} |`, `|${s.columns.map((_, i) => ((s.align?.[i] ?? (i === 0 ? "l" : "r")) === "l" ? "---" : "--:")).join("|")}|`];
  for (const r of s.rows) lines.push(`| ${r.cells.join(" | ")} |`);
  if (s.notes.length > 0) lines.push("", ...s.notes.map((n) => `- ${n}`));
  return lines.join("\n");
}

// ---------------------------------------------------------------- npm baselines

const require = createRequire(import.meta.url);

/** "black-scholes 1.1.0": the installed version of a baseline package, named in the output. */
export function packageName(name: string): string {
  const { version } = require(`${name}/package.json`) as { version: string };
  return `${name} ${version}`;
}

/** The part of simple-statistics the selection suite compares against. */
export interface SimpleStatistics {
  quantile(x: ArrayLike<number>, p: number[]): number[];
}

// A variable, so that TypeScript does not need the package to type-check the benchmarks.
const SIMPLE_STATISTICS = "simple-statistics";

/** The statistics baseline; a clear error, before any suite runs, when it is not installed. */
export async function loadSimpleStatistics(): Promise<SimpleStatistics> {
  try {
    const mod = (await import(SIMPLE_STATISTICS)) as Partial<SimpleStatistics> & { default?: Partial<SimpleStatistics> };
    const quantile = mod.quantile ?? mod.default?.quantile;
    if (typeof quantile !== "function") throw new Error("it has no quantile export");
    return { quantile };
  } catch (error) {
    throw new Error(
      "bench: the quantile-selection suite compares against the npm package simple-statistics, which is not installed " +
      `(${error instanceof Error ? error.message : String(error)}).\n` +
      "  Install it as a devDependency: npm install --save-dev simple-statistics",
    );
  }
}
