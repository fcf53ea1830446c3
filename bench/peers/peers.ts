// The revaluation kernel's peers where they run on this machine: numpy (python3 with numpy and
// scipy), C (gcc: libm and the kernel's own algorithm, scalar and 128-bit SSE2) and QuantLib (g++
// and its headers). Each is found, built into a temporary directory and run on the same problem
// file (problem.ts); it times itself with its own monotonic clock (median of repeated runs) and
// hands back its per-scenario sums, which must agree with the kernel before its time counts.
// A peer that is missing is skipped with the reason, never a failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { encodeProblem, worstDifference, type PeerProblem } from "./problem.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const QUANTLIB_HEADER = "/usr/include/ql/version.hpp";
/** Sums that differ from the kernel's by more than this (relative, per scenario) disqualify a peer's time. */
export const PEER_TOLERANCE = 1e-9;

export interface Command {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** How a peer finds its tools: injectable, so that the skip logic is tested without them. */
export interface Host {
  run(cmd: string, args: string[]): Command;
  exists(file: string): boolean;
  arch: string;
}

export const realHost: Host = {
  run: (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 300_000, maxBuffer: 16 << 20 });
    return { status: r.error ? null : r.status, stdout: r.stdout ?? "", stderr: r.error ? r.error.message : (r.stderr ?? "") };
  },
  exists: existsSync,
  arch: process.arch,
};

export interface PeerVariant {
  /** The variant's argument to its program. */
  variant: string;
  /** What the row says it is. */
  label: string;
}

export interface Peer {
  name: string;
  variants: PeerVariant[];
  /** Why it cannot run here, or undefined. */
  missing(host: Host): string | undefined;
  /** Builds it into `dir` (if it is compiled) and returns the command that runs it: program and leading arguments. */
  build(host: Host, dir: string): string[];
}

const source = (file: string): string => path.join(HERE, file);
const firstLine = (text: string): string => text.trim().split("\n")[0] ?? "";
const found = (host: Host, cmd: string, args = ["--version"]): boolean => host.run(cmd, args).status === 0;

/** Compiles with `compiler`, or throws with its first line of complaint. */
function compile(host: Host, compiler: string, args: string[]): void {
  const r = host.run(compiler, args);
  if (r.status !== 0) throw new Error(`${compiler} failed: ${firstLine(r.stderr) || `exit ${r.status}`}`);
}

function gccBuild(name: string, flags: string[], variants: PeerVariant[]): Peer {
  return {
    name,
    variants,
    missing: (host) => {
      if (!found(host, "gcc")) return "gcc not found (apt-get install gcc)";
      if (flags.includes("-msse2") && host.arch !== "x64") return `SSE2 is x86-64 only (this is ${host.arch})`;
      return undefined;
    },
    build: (host, dir) => {
      const out = path.join(dir, name.replace(/\W+/g, "-"));
      compile(host, "gcc", ["-O3", "-fno-trapping-math", ...flags, "-o", out, source("black76.c"), "-lm"]);
      return [out];
    },
  };
}

export const PEERS: Peer[] = [
  {
    name: "numpy",
    variants: [
      { variant: "broadcast", label: "numpy, broadcasting (options × scenarios arrays)" },
      { variant: "loop", label: "numpy, a Python loop over the options" },
    ],
    missing: (host) => {
      if (!found(host, "python3")) return "python3 not found";
      const r = host.run("python3", ["-c", "import numpy, scipy.special"]);
      return r.status === 0 ? undefined : `python3 cannot import numpy and scipy (${firstLine(r.stderr).replace(/^.*Error: /, "")}; pip install numpy scipy)`;
    },
    build: () => ["python3", source("black76.py")],
  },
  gccBuild("C scalar", ["-fno-tree-vectorize"], [
    { variant: "libm", label: "C -O3, libm exp and erfc" },
    { variant: "kernel", label: "C -O3, the kernel's algorithm, scalar" },
  ]),
  gccBuild("C SSE2", ["-msse2", "-mno-avx"], [{ variant: "kernel", label: "C -O3, the kernel's algorithm, GCC-vectorised to 128-bit SSE2" }]),
  {
    name: "QuantLib",
    variants: [
      { variant: "blackFormula", label: "QuantLib blackFormula" },
      { variant: "BlackCalculator", label: "QuantLib BlackCalculator" },
    ],
    missing: (host) => {
      if (!found(host, "g++")) return "g++ not found (apt-get install g++)";
      if (!host.exists(QUANTLIB_HEADER)) return `QuantLib headers not found (${QUANTLIB_HEADER}; apt-get install libquantlib0-dev)`;
      return undefined;
    },
    build: (host, dir) => {
      const out = path.join(dir, "quantlib");
      compile(host, "g++", ["-O3", "-o", out, source("quantlib.cpp"), "-lQuantLib"]);
      return [out];
    },
  },
];

/** What a peer prints: its variant and version, how many timed runs, and their median, ns per run. */
export interface PeerTiming {
  variant: string;
  version: string;
  runs: number;
  medianNs: number;
}

/** The peer's JSON line (its last line of output), checked field by field. */
export function parsePeerOutput(stdout: string): PeerTiming {
  const line = stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop();
  if (line === undefined) throw new Error(`peer printed no JSON line: ${JSON.stringify(stdout.slice(0, 200))}`);
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`peer printed a line that is not JSON: ${line}`);
  }
  const text = (key: string): string => {
    if (typeof r[key] !== "string" || r[key] === "") throw new Error(`peer output: ${key} must be a non-empty string (${line})`);
    return r[key];
  };
  const positive = (key: string): number => {
    if (typeof r[key] !== "number" || !Number.isFinite(r[key]) || r[key] <= 0) throw new Error(`peer output: ${key} must be a positive number (${line})`);
    return r[key];
  };
  const runs = positive("runs");
  if (!Number.isInteger(runs)) throw new Error(`peer output: runs must be an integer (${line})`);
  return { variant: text("variant"), version: text("version"), runs, medianNs: positive("medianNs") };
}

/** One peer variant's result: timed and agreeing, or skipped with the reason. */
export type PeerResult =
  | { peer: string; variant: string; label: string; version: string; runs: number; nsPerPair: number; worstDifference: number }
  | { peer: string; variant: string; label: string; skipped: string };

export interface PeerRunOptions {
  /** The kernel's per-scenario sums the peers must reproduce. */
  expected: Float64Array;
  minRuns: number;
  budgetSeconds: number;
  host?: Host;
  peers?: Peer[];
}

/** Runs every peer variant on `problem`; a missing or failing peer becomes a skipped row. */
export function runPeers(problem: PeerProblem, o: PeerRunOptions): PeerResult[] {
  const host = o.host ?? realHost;
  const dir = mkdtempSync(path.join(os.tmpdir(), "pmargin-peers-"));
  try {
    const input = path.join(dir, "problem.f64");
    const output = path.join(dir, "sums.f64");
    writeFileSync(input, encodeProblem(problem));
    const pairs = problem.nOpt * problem.nScen;
    const results: PeerResult[] = [];
    for (const peer of o.peers ?? PEERS) {
      const skip = (reason: string): void => {
        for (const v of peer.variants) results.push({ peer: peer.name, variant: v.variant, label: v.label, skipped: reason });
      };
      const missing = peer.missing(host);
      if (missing) {
        skip(missing);
        continue;
      }
      let command: string[];
      try {
        command = peer.build(host, dir);
      } catch (error) {
        skip(error instanceof Error ? error.message : String(error));
        continue;
      }
      for (const v of peer.variants) {
        const r = host.run(command[0]!, [...command.slice(1), v.variant, input, output, String(o.minRuns), String(o.budgetSeconds)]);
        const base = { peer: peer.name, variant: v.variant, label: v.label };
        if (r.status !== 0) {
          results.push({ ...base, skipped: `it failed: ${firstLine(r.stderr) || `exit ${r.status}`}` });
          continue;
        }
        const t = parsePeerOutput(r.stdout);
        const bytes = readFileSync(output);
        const sums = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
        const worst = worstDifference(sums, o.expected);
        results.push(worst <= PEER_TOLERANCE
          ? { ...base, version: t.version, runs: t.runs, nsPerPair: t.medianNs / pairs, worstDifference: worst }
          : { ...base, skipped: `its sums differ from the kernel's by ${worst.toExponential(1)} (tolerance ${PEER_TOLERANCE})` });
      }
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Flops per iteration of the peak probes (assembly/peak.ts, peak.c): 14 f64x2 operations. */
export const PEAK_FLOPS_PER_ITERATION = 28;

/** peak.c's line: its compiler, its iterations per call and the fastest call, ns. */
export function parsePeakOutput(stdout: string): { version: string; gflops: number } {
  const r = JSON.parse(stdout.trim().split("\n").pop() ?? "") as { version?: unknown; iterations?: unknown; fastestNs?: unknown };
  if (typeof r.version !== "string" || typeof r.iterations !== "number" || typeof r.fastestNs !== "number" || !(r.fastestNs > 0)) {
    throw new Error(`peak.c printed ${stdout.trim()}`);
  }
  return { version: r.version, gflops: (PEAK_FLOPS_PER_ITERATION * r.iterations) / r.fastestNs };
}

/** The core's native f64x2 multiply/add ceiling by peak.c (GFLOP/s), or why it was not measured. */
export function nativePeak(host: Host = realHost): { gflops: number; version: string } | { skipped: string } {
  if (host.arch !== "x64") return { skipped: `the native probe is SSE2, x86-64 only (this is ${host.arch})` };
  if (!found(host, "gcc")) return { skipped: "gcc not found" };
  const dir = mkdtempSync(path.join(os.tmpdir(), "pmargin-peak-"));
  try {
    const out = path.join(dir, "peak");
    compile(host, "gcc", ["-O2", "-o", out, source("peak.c")]);
    const r = host.run(out, []);
    if (r.status !== 0) return { skipped: `peak.c failed: ${firstLine(r.stderr) || `exit ${r.status}`}` };
    return parsePeakOutput(r.stdout);
  } catch (error) {
    return { skipped: error instanceof Error ? error.message : String(error) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
