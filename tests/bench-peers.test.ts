// The revaluation kernel's peers (bench/peers/): their problem file, their output's parsing, the
// skip logic when python3, gcc or QuantLib are absent, and the check that a peer's sums agree with
// the kernel's before its time counts. No timing is asserted; the real peers run only where their
// tools are installed (skipped with a message otherwise).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { nativePeak, parsePeakOutput, parsePeerOutput, PEERS, runPeers, type Host, type Peer } from "../bench/peers/peers.js";
import { encodeProblem, HEADER, OPTION_COLUMNS, peerProblem, SCENARIO_PLANES, shockedVol, valueNow, worstDifference, type PeerProblem } from "../bench/peers/problem.js";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { ScenarioSet } from "../src/engine/scenarios.js";
import { black76Price } from "../src/math/black76.js";
import { market } from "../bench/fixtures.js";
import { prng, syntheticPositions } from "./fixtures/synthetic.js";

const DT = 1 / 365;
let engine: Engine;
let problem: PeerProblem;
let kernelSums: Float64Array;

beforeAll(async () => {
  engine = await createEngine();
  const book = engine.compile(syntheticPositions(12, 0, 7), market);
  const set = new ScenarioSet(book.underlyings, 40);
  const rnd = prng(3);
  for (let i = 0; i < set.logMoves.length; i++) {
    set.logMoves[i] = 0.3 * (rnd() - 0.5);
    set.volShifts[i] = 0.4 * (rnd() - 0.5);
    set.volFloors[i] = rnd() < 0.2 ? 0.9 : 0;
  }
  problem = peerProblem(book, set, DT);
  kernelSums = Float64Array.from(engine.revalue(book, set, { dt: DT }).pnl, (x) => x + valueNow(problem));
});

/** Σ w·Black-76 per scenario straight from the problem's columns, with the JS formula: what every peer must reproduce. */
function sumsOf(p: PeerProblem): Float64Array {
  const o = p.option;
  const sums = new Float64Array(p.nScen);
  for (let row = 0; row < p.nOpt; row++) {
    for (let s = 0; s < p.nScen; s++) {
      const f = o.f[row]! * Math.exp(p.scenario.x[o.u[row]! * p.nScen + s]!);
      sums[s]! += o.w[row]! * black76Price(f, o.k[row]!, o.t[row]! - p.dt, shockedVol(p, row, s), o.rate[row]!, o.phi[row] as 1 | -1);
    }
  }
  return sums;
}

describe("the peers' problem", () => {
  it("the kernel's PnL plus the value now is what Black-76 gives on the problem's columns (the peers' target)", () => {
    expect(worstDifference(sumsOf(problem), kernelSums)).toBeLessThan(1e-10);
  });

  it("is laid out as problem.h and black76.py read it: the header, the option columns, the tables, the scenario planes", () => {
    const f = new Float64Array(encodeProblem(problem).buffer);
    expect([...f.subarray(0, 6)]).toEqual([problem.nOpt, problem.nScen, problem.nUnd, problem.slots, DT, problem.volFloor]);
    const n = problem.nOpt, planes = problem.nUnd * problem.nScen;
    const tables = HEADER + OPTION_COLUMNS.length * n;
    expect(f.length).toBe(tables + n * problem.slots + SCENARIO_PLANES.length * planes);
    expect(f.subarray(HEADER + OPTION_COLUMNS.indexOf("k") * n, HEADER + (OPTION_COLUMNS.indexOf("k") + 1) * n)).toEqual(problem.option.k);
    expect(f.subarray(tables, tables + n * problem.slots)).toEqual(problem.tables);
    const frac = tables + n * problem.slots + SCENARIO_PLANES.indexOf("frac") * planes;
    expect(f.subarray(frac, frac + planes)).toEqual(problem.scenario.frac);
  });

  it("worstDifference is relative, and infinite for a NaN or a length that differs", () => {
    expect(worstDifference([1e6, 2], [1e6 + 1, 2])).toBe(1 / (1e6 + 2));
    expect(worstDifference([NaN], [1])).toBe(Infinity);
    expect(worstDifference([1, 2], [1])).toBe(Infinity);
  });
});

describe("a peer's output", () => {
  it("peak.c's line: 28 flops an iteration over its fastest call; anything else refused", () => {
    expect(parsePeakOutput('{"version":"gcc 12.2.0","iterations":2000000,"fastestNs":2000000.0,"sink":1.5}\n')).toEqual({ version: "gcc 12.2.0", gflops: 28 });
    expect(() => parsePeakOutput('{"version":"gcc 12.2.0","iterations":2000000,"fastestNs":0}')).toThrow(/peak.c printed/);
  });

  it("is its last JSON line, field by field", () => {
    expect(parsePeerOutput('warming up\n{"variant":"libm","version":"gcc 12.2.0","runs":7,"medianNs":1234.5}\n'))
      .toEqual({ variant: "libm", version: "gcc 12.2.0", runs: 7, medianNs: 1234.5 });
  });

  it("is refused, naming the field, when a line or a field is missing or wrong", () => {
    expect(() => parsePeerOutput("Traceback (most recent call last):")).toThrow(/no JSON line/);
    expect(() => parsePeerOutput("{not json")).toThrow(/not JSON/);
    expect(() => parsePeerOutput('{"variant":"x","version":"v","runs":3,"medianNs":-1}')).toThrow(/medianNs/);
    expect(() => parsePeerOutput('{"variant":"x","version":"v","runs":2.5,"medianNs":1}')).toThrow(/runs must be an integer/);
    expect(() => parsePeerOutput('{"variant":"x","version":"","runs":2,"medianNs":1}')).toThrow(/version/);
  });
});

/** A host without any of the peers' tools, or with the ones named. */
const host = (tools: string[], o: { arch?: string; headers?: boolean; numpy?: boolean } = {}): Host => ({
  run: (cmd, args) => {
    if (!tools.includes(cmd)) return { status: null, stdout: "", stderr: `spawnSync ${cmd} ENOENT` };
    if (cmd === "python3" && args[0] === "-c" && o.numpy === false) return { status: 1, stdout: "", stderr: "ModuleNotFoundError: No module named 'numpy'" };
    return { status: 0, stdout: "", stderr: "" };
  },
  exists: () => o.headers ?? false,
  arch: o.arch ?? "x64",
});
const reasons = (h: Host): Record<string, string | undefined> => Object.fromEntries(PEERS.map((p) => [p.name, p.missing(h)]));

describe("a peer that cannot run here is skipped with the reason", () => {
  it("python3, gcc, g++ absent", () => {
    expect(reasons(host([]))).toEqual({
      numpy: "python3 not found", "C scalar": "gcc not found (apt-get install gcc)", "C SSE2": "gcc not found (apt-get install gcc)",
      QuantLib: "g++ not found (apt-get install g++)",
    });
  });

  it("numpy not importable, QuantLib's headers absent, SSE2 on another architecture", () => {
    const r = reasons(host(["python3", "gcc", "g++"], { numpy: false, arch: "arm64" }));
    expect(r.numpy).toBe("python3 cannot import numpy and scipy (No module named 'numpy'; pip install numpy scipy)");
    expect(r["C scalar"]).toBeUndefined();
    expect(r["C SSE2"]).toBe("SSE2 is x86-64 only (this is arm64)");
    expect(r.QuantLib).toMatch(/QuantLib headers not found .*libquantlib0-dev/);
  });

  it("every tool present: none is skipped", () => {
    expect(Object.values(reasons(host(["python3", "gcc", "g++"], { headers: true })))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("runPeers: missing peers become skipped rows, never a failure; so do a failed build and a failed run", () => {
    const broken: Peer[] = [
      { name: "builds badly", variants: [{ variant: "a", label: "A" }], missing: () => undefined, build: () => { throw new Error("gcc failed: no"); } },
      { name: "crashes", variants: [{ variant: "b", label: "B" }], missing: () => undefined, build: () => ["crash"] },
    ];
    const h: Host = { ...host([]), run: (cmd) => ({ status: 139, stdout: "", stderr: cmd === "crash" ? "Segmentation fault\nmore" : "" }) };
    const rows = runPeers(problem, { expected: kernelSums, minRuns: 1, budgetSeconds: 0, host: host([]) });
    expect(rows.map((r) => "skipped" in r && r.skipped)).toEqual(["python3 not found", "python3 not found",
      "gcc not found (apt-get install gcc)", "gcc not found (apt-get install gcc)", "gcc not found (apt-get install gcc)",
      "g++ not found (apt-get install g++)", "g++ not found (apt-get install g++)"]);
    expect(runPeers(problem, { expected: kernelSums, minRuns: 1, budgetSeconds: 0, host: h, peers: broken }))
      .toEqual([{ peer: "builds badly", variant: "a", label: "A", skipped: "gcc failed: no" }, { peer: "crashes", variant: "b", label: "B", skipped: "it failed: Segmentation fault" }]);
  });

  it("nativePeak: skipped off x86-64 and without gcc", () => {
    expect(nativePeak(host(["gcc"], { arch: "arm64" }))).toEqual({ skipped: "the native probe is SSE2, x86-64 only (this is arm64)" });
    expect(nativePeak(host([]))).toEqual({ skipped: "gcc not found" });
  });
});

describe("a peer's time counts only when its sums agree with the kernel's", () => {
  /** A peer that writes `sums` and reports a run of 2 ms. */
  const echo = (sums: Float64Array): { peers: Peer[]; host: Host } => ({
    peers: [{ name: "echo", variants: [{ variant: "v", label: "Echo" }], missing: () => undefined, build: () => ["echo"] }],
    host: {
      ...host([]),
      run: (_cmd, args) => {
        writeFileSync(args[2]!, new Uint8Array(sums.buffer));
        return { status: 0, stdout: '{"variant":"v","version":"echo 1","runs":5,"medianNs":2000000}\n', stderr: "" };
      },
    },
  });

  it("agreeing: ns per pair from the peer's median", () => {
    const [row] = runPeers(problem, { expected: kernelSums, minRuns: 1, budgetSeconds: 0, ...echo(kernelSums) });
    expect(row).toEqual({ peer: "echo", variant: "v", label: "Echo", version: "echo 1", runs: 5, nsPerPair: 2e6 / (problem.nOpt * problem.nScen), worstDifference: 0 });
  });

  it("disagreeing: skipped, saying by how much", () => {
    const off = kernelSums.map((x, s) => (s === 3 ? x * (1 + 1e-6) : x));
    const [row] = runPeers(problem, { expected: kernelSums, minRuns: 1, budgetSeconds: 0, ...echo(off) });
    expect(row).toMatchObject({ skipped: expect.stringMatching(/^its sums differ from the kernel's by 1\.0e-6 \(tolerance 1e-9\)$/) });
  });
});

const has = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { encoding: "utf8" }).status === 0;
const gcc = has("gcc", ["--version"]);
const numpy = has("python3", ["-c", "import numpy, scipy.special"]);

describe("the real peers agree with the kernel (where their tools are installed)", () => {
  it.skipIf(!gcc)("C: libm, and the kernel's algorithm scalar and SSE2 (skipped without gcc)", () => {
    const rows = runPeers(problem, { expected: kernelSums, minRuns: 1, budgetSeconds: 0, peers: PEERS.filter((p) => p.name.startsWith("C ")) });
    expect(rows.length).toBe(3);
    for (const r of rows) expect(r).toMatchObject({ version: expect.stringMatching(/^gcc /), worstDifference: expect.any(Number) });
  });

  it.skipIf(!numpy)("numpy: broadcasting and the loop (skipped without python3, numpy and scipy)", () => {
    const rows = runPeers(problem, { expected: kernelSums, minRuns: 1, budgetSeconds: 0, peers: PEERS.filter((p) => p.name === "numpy") });
    for (const r of rows) expect(r).toMatchObject({ version: expect.stringMatching(/^numpy .*, scipy /), worstDifference: expect.any(Number) });
  });
});
