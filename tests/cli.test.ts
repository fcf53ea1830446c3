import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { batchWorkers, POOL_FROM_REVALUATIONS, workersFor } from "../src/cli/workers.js";
import { pmargin } from "./helpers/cli.js";

const examples = new URL("../examples/", import.meta.url).pathname;

const tmp = mkdtempSync(join(tmpdir(), "pmargin-cli-"));
const file = (name: string, text: string): string => {
  writeFileSync(join(tmp, name), text);
  return join(tmp, name);
};

describe("pmargin value", () => {
  it("prints the example portfolio's positions and totals per underlying", () => {
    const r = pmargin("value", `${examples}portfolio.json`, `${examples}market.json`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/BTC-25DEC26-100000-C/);
    expect(r.stdout).toMatch(/Total value: [\d,.-]+ USD/);
  });

  it("--json gives stable field names and a currency on every amount", () => {
    const r = pmargin("value", `${examples}portfolio.json`, `${examples}market.json`, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { currency: string; totalUsd: number; positions: { currency: string; valueUsd: number }[] };
    expect(out.currency).toBe("USD");
    expect(Number.isFinite(out.totalUsd)).toBe(true);
    for (const p of out.positions) expect(["USD", "BTC", "ETH", "SOL"]).toContain(p.currency);
  });

  it("a missing file exits 2 naming the file, without a stack trace", () => {
    const r = pmargin("value", join(tmp, "nope.json"), `${examples}market.json`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.json: cannot read file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("malformed JSON exits 2 naming the file and the position of the error", () => {
    const r = pmargin("value", file("broken.json", '{"positions": [}'), `${examples}market.json`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.json: malformed JSON/);
  });

  it("a bad field exits 2 naming the file and the JSON path", () => {
    const bad = file("neg-strike.json", JSON.stringify({
      positions: [{ kind: "option", settlement: "inverse", right: "call", underlying: "BTC", strike: -1, expiry: "2026-12-25T08:00:00Z", quantity: 1 }],
    }));
    const r = pmargin("value", bad, `${examples}market.json`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/neg-strike\.json: positions\[0\]\.strike: /);
  });

  it("an option expired at the market's asOf exits 2 naming positions[i].expiry", () => {
    const bad = file("expired.json", JSON.stringify({
      positions: [{ kind: "option", settlement: "inverse", right: "put", underlying: "BTC", strike: 70000, expiry: "2026-01-30T08:00:00Z", quantity: 1 }],
    }));
    const r = pmargin("value", bad, `${examples}market.json`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/positions\[0\]\.expiry: expired/);
  });
});

describe("the README's library example", () => {
  it("runs against the built package: valuation, scenario PnLs, grid margin, Monte Carlo, historical, stress, backtest", () => {
    const r = spawnSync(process.execPath, [`${examples}library.mjs`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/value now: [\d.]+ USD/);
    expect(r.stdout.match(/PnL\s+-?[\d.]+ USD =\s+-?[\d.]+ BTC/g)).toHaveLength(3);
    expect(r.stdout).toMatch(/deribit grid: initial [\d.]+ USD, maintenance [\d.]+ USD/);
    expect(r.stdout).toMatch(/monte carlo \(20000 paths, seed 20260822\): VaR 99% [\d.]+ ± [\d.]+ USD, ES 97\.5% [\d.]+ ± [\d.]+ USD/);
    expect(r.stdout).toMatch(/filtered historical \(\d+ windows 2020-08-11…2026-03-30\): VaR 99% [\d.]+ USD/);
    expect(r.stdout.match(/stress \S+\s+PnL\s+-?[\d.]+ USD/g)).toHaveLength(6);
    expect(r.stdout).toMatch(/backtest 2025-01-01…2026-03-29: \d+ breaches in \d+ days, Kupiec p [\d.]+, (green|yellow|red)/);
  });
});

describe("pmargin grid", () => {
  it("prints initial and maintenance margin per underlying and the risk matrix", () => {
    const r = pmargin("grid", `${examples}portfolio.json`, `${examples}market.json`, "--profile", "paradex", "--matrix");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/profile paradex/);
    expect(r.stdout).toMatch(/Initial margin [\d,.]+ USD, maintenance [\d,.]+ USD/);
    expect(r.stdout).toMatch(/BTC PnL USD/);
  });

  it("--json gives IM, MM and per-underlying amounts in USD and coin", () => {
    const r = pmargin("grid", `${examples}portfolio.json`, `${examples}market.json`, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { profile: string; currency: string; initial: number; maintenance: number; underlyings: { initial: { usd: number; coin: number; currency: string } }[] };
    expect(out.profile).toBe("deribit");
    expect(out.currency).toBe("USD");
    expect(out.maintenance).toBeCloseTo(0.8 * out.initial, 6);
    for (const u of out.underlyings) expect(u.initial.currency).toMatch(/^(BTC|ETH|SOL)$/);
  });

  it("--greeks sets the delta–gamma–vega approximation of each underlying's grid against full revaluation", () => {
    const r = pmargin("grid", `${examples}portfolio.json`, `${examples}market.json`, "--greeks");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Delta–gamma–vega approximation of the grid's USD PnL against full revaluation/);
    expect(r.stdout).toMatch(/BTC .*worst loss|│ BTC/);
  });

  it("--attribution lists every position's share of the worst loss and its marginal margin", () => {
    const r = pmargin("grid", `${examples}portfolio.json`, `${examples}market.json`, "--attribution");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Attribution \(shares add up to each underlying's worst loss/);
    expect(r.stdout).toMatch(/BTC-25DEC26-100000-C/);
  });

  it("an unknown profile exits 2 and lists the built-in ones", () => {
    const r = pmargin("grid", `${examples}portfolio.json`, `${examples}market.json`, "--profile", "cme");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown profile cme \(built in: deribit, paradex, bybit, okx, span/);
  });
});

describe("pmargin var", () => {
  it("prints the example's Monte Carlo VaR and ES with standard errors, per underlying, and the worst paths", () => {
    const r = pmargin("var", `${examples}portfolio.json`, `${examples}market.json`, "--model", `${examples}montecarlo.json`, "--paths", "20000");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/20,000 paths, seed 20260822, Student-t ν=5 moves with jumps/);
    expect(r.stdout).toMatch(/VaR 99\.0% [\d,.]+ ± [\d,.]+, VaR 99\.5% [\d,.]+ ± [\d,.]+, ES 97\.5% [\d,.]+ ± [\d,.]+/);
    expect(r.stdout).toMatch(/diversification benefit/);
    expect(r.stdout).toMatch(/Worst paths/);
  });

  it("--attribution prints each position's ES contribution, and they sum to the ES printed", () => {
    const r = pmargin("var", `${examples}portfolio.json`, `${examples}market.json`, "--paths", "5000", "--attribution");
    expect(r.code).toBe(0);
    const es = /ES 97\.5% ([\d,.]+) ±/.exec(r.stdout)![1];
    expect(r.stdout).toContain(`Sum of contributions ${es} USD`);
    expect(r.stdout).toMatch(/BTC-SPOT +│ BTC +│ -[\d,.]+/);
  });

  it("--json is the library's result, and the same seed prints the same figures twice", () => {
    const run = (): { paths: number; portfolio: { var: { value: number }[] }; histogram: { counts: number[] } } =>
      JSON.parse(pmargin("var", `${examples}portfolio.json`, `${examples}market.json`, "--paths", "5000", "--seed", "9", "--json").stdout);
    const a = run();
    expect(a.paths).toBe(5000);
    expect(a.histogram.counts.reduce((x, c) => x + c, 0)).toBe(5000);
    expect(run()).toEqual(a);
  });

  it("--workers 2 prints the single-threaded figures, bit for bit", () => {
    const run = (...extra: string[]): unknown =>
      JSON.parse(pmargin("var", `${examples}portfolio.json`, `${examples}market.json`, "--paths", "40000", "--seed", "5", "--json", ...extra).stdout);
    expect(run("--workers", "2")).toEqual(run());
  });

  it("without --workers, a run of 25 M position-paths goes to every core, smaller ones stay on this thread", () => {
    expect(workersFor(undefined, POOL_FROM_REVALUATIONS - 1)).toBe(1);
    expect(workersFor(undefined, POOL_FROM_REVALUATIONS)).toBe(availableParallelism());
    expect(workersFor(String(availableParallelism()), 1)).toBe(availableParallelism());
    expect(workersFor("1000", 1)).toBe(availableParallelism()); // capped at the cores, with a note
    expect(() => workersFor("two", 1)).toThrow(/--workers: must be a number/);
    // The example's 30 positions × 850,000 paths pass the threshold: the default run is the pool's, with one thread's bits.
    const paths = String(Math.ceil(POOL_FROM_REVALUATIONS / 30 / 1000) * 1000);
    const run = (...extra: string[]): unknown =>
      JSON.parse(pmargin("var", `${examples}portfolio.json`, `${examples}market.json`, "--paths", paths, "--seed", "5", "--json", ...extra).stdout);
    expect(run()).toEqual(run("--workers", "1"));
  });

  it("a bad model field exits 2 naming the file and the JSON path", () => {
    const model = file("bad-model.json", JSON.stringify({ marginal: { type: "student-t", nu: 1.5 } }));
    const r = pmargin("var", `${examples}portfolio.json`, `${examples}market.json`, "--model", model);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-model\.json: marginal\.nu: must be > 2/);
  });

  it("a non-numeric --paths exits 2 naming the flag", () => {
    const r = pmargin("var", `${examples}portfolio.json`, `${examples}market.json`, "--paths", "lots");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--paths: must be a whole number/);
  });
});

describe("pmargin historical, stress, backtest (on the shipped history)", () => {
  const args = [`${examples}portfolio.json`, `${examples}market.json`];

  it("historical prints VaR/ES over the shipped history's windows, the worst windows and the gaps", () => {
    const r = pmargin("historical", ...args, "--from", "2022-01-01", "--to", "2023-12-31");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/historical VaR\/ES, 1-day overlapping windows 2022-01-01 … 2023-12-31 \(729 windows, 0 skipped\)/);
    expect(r.stdout).toMatch(/Worst windows/);
  });

  it("historical --filtered --json is the library's result", () => {
    const r = pmargin("historical", ...args, "--filtered", "--horizon-days", "2", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { method: string; horizonDays: number; portfolio: { var: { value: number }[] } };
    expect(out.method).toBe("filtered-historical");
    expect(out.horizonDays).toBe(2);
    expect(out.portfolio.var[0]!.value).toBeGreaterThan(0);
  });

  it("historical --workers 2 prints what one thread prints, record included; --workers 0 is refused", () => {
    const one = pmargin("historical", ...args, "--vol-rule", "realised", "--json");
    const two = pmargin("historical", ...args, "--vol-rule", "realised", "--json", "--workers", "2");
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(pmargin("historical", ...args, "--workers", "0").stderr).toMatch(/workers/);
  });

  it("stress replays the named crashes and the example's own scenarios", () => {
    const r = pmargin("stress", ...args, "--scenarios", `${examples}stress.json`, "--per-position");
    expect(r.code).toBe(0);
    for (const name of ["covid-2020-03-12", "luna-2022-05", "ftx-2022-11", "crypto −30%, vols \\+80%", "everything −5σ"]) expect(r.stdout).toMatch(new RegExp(name));
    expect(r.stdout).toMatch(/\(proxy\)/);
    expect(r.stdout).toMatch(/Worst: /);
  });

  it("a bad stress scenario exits 2 naming the file and the field", () => {
    const bad = file("bad-stress.json", JSON.stringify({ scenarios: [{ type: "shock", name: "x", moves: { BTC: -2 } }] }));
    const r = pmargin("stress", ...args, "--scenarios", bad, "--no-built-in");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-stress\.json: scenarios\[0\]\.moves\.BTC: must be a move > −100%/);
  });

  it("backtest prints breaches, Kupiec, Christoffersen and the traffic light per model", () => {
    const r = pmargin("backtest", ...args, "--from", "2025-06-01", "--lookback", "250", "--paths", "500");
    expect(r.code).toBe(0);
    for (const model of ["monte-carlo gaussian", "monte-carlo student-t", "historical", "filtered historical"]) expect(r.stdout).toMatch(new RegExp(model));
    expect(r.stdout).toMatch(/Kupiec LR/);
    expect(r.stdout).toMatch(/(green|yellow|red) \(\d+\)/);
  });
});

describe("pmargin margin, whatif and the short names", () => {
  const args = [`${examples}portfolio.json`, `${examples}market.json`];

  it("margin prints the headline IM and MM of the grid, equal to grid's figures", () => {
    const headline = JSON.parse(pmargin("margin", ...args, "--json").stdout) as { initial: number; maintenance: number; basis: string; currency: string };
    const grid = JSON.parse(pmargin("grid", ...args, "--json").stdout) as { initial: number; maintenance: number };
    expect(headline).toMatchObject({ initial: grid.initial, maintenance: grid.maintenance, basis: "deribit grid", currency: "USD" });
  });

  it("margin --method mc sets IM to the ES and MM to 0.8 × IM, like the mc command's ES", () => {
    const m = JSON.parse(pmargin("margin", ...args, "--method", "mc", "--paths", "5000", "--seed", "3", "--json").stdout) as { initial: number; maintenance: number };
    const mc = JSON.parse(pmargin("mc", ...args, "--paths", "5000", "--seed", "3", "--json").stdout) as { portfolio: { es: { value: number }[] } };
    expect(m.initial).toBe(Math.max(mc.portfolio.es[0]!.value, 0));
    expect(m.maintenance).toBeCloseTo(0.8 * m.initial, 9);
  });

  it("whatif gives each order's incremental margin and the book with all of them, the book unchanged", () => {
    const r = pmargin("whatif", ...args, "--orders", `${examples}orders.json`, "--json");
    expect(r.code).toBe(0);
    const w = JSON.parse(r.stdout) as { before: { initial: number }; after: { initial: number }; incremental: { initial: number }; orders: { id: string; initial: number; incrementalInitial: number }[] };
    const grid = JSON.parse(pmargin("grid", ...args, "--json").stdout) as { initial: number };
    expect(w.before.initial).toBe(grid.initial);
    expect(w.orders).toHaveLength(3);
    for (const o of w.orders) expect(o.incrementalInitial).toBeCloseTo(o.initial - w.before.initial, 6);
    expect(w.incremental.initial).toBeCloseTo(w.after.initial - w.before.initial, 6);
    // The BTC perpetual offsets the book's BTC risk.
    expect(w.orders[0]!.incrementalInitial).toBeLessThan(0);
  });

  it("a bad order exits 2 naming the orders file and the field", () => {
    const bad = file("bad-orders.json", JSON.stringify({ positions: [{ kind: "option", underlying: "BTC", settlement: "linear", right: "call", strike: -1, expiry: "2026-12-25", quantity: 1 }] }));
    const r = pmargin("whatif", ...args, "--orders", bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-orders\.json: positions\[0\]\.strike/);
  });

  it("mc and hist are the var and historical commands; --json runs write nothing to stderr", () => {
    const mc = pmargin("mc", ...args, "--paths", "2000", "--var-level", "0.95,0.99", "--horizon-hours", "4", "--json");
    expect(mc.code).toBe(0);
    expect(mc.stderr).toBe("");
    const out = JSON.parse(mc.stdout) as { horizonDays: number; portfolio: { var: { level: number }[] } };
    expect(out.horizonDays).toBeCloseTo(4 / 24, 12);
    expect(out.portfolio.var.map((v) => v.level)).toEqual([0.95, 0.99]);
    const hist = pmargin("hist", ...args, "--from", "2025-01-01", "--json");
    expect(hist.code).toBe(0);
    expect((JSON.parse(hist.stdout) as { method: string }).method).toBe("historical");
  });
});

describe("pmargin hedge", () => {
  it("prints each underlying's perpetual hedge and the margin before and after", () => {
    const r = pmargin("hedge", `${examples}portfolio.json`, `${examples}market.json`, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { hedges: { deltaAfter: number }[]; before: { initial: number }; after: { initial: number } };
    for (const h of out.hedges) expect(h.deltaAfter).toBe(0);
    expect(out.before.initial).toBeGreaterThan(0);
    const text = pmargin("hedge", `${examples}portfolio.json`, `${examples}market.json`, "--inverse");
    expect(text.stdout).toMatch(/Initial margin [\d,.]+ USD → [\d,.]+ USD after the hedges/);
  });

  it("with --candidates sizes each candidate hedge, combines them greedily, and names a bad candidate file's field", () => {
    const r = pmargin("hedge", `${examples}portfolio.json`, `${examples}market.json`, "--candidates", `${examples}candidates.json`, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { initialUsd: number; single: { savedUsd: number; initialUsd: number }[]; greedyInitialUsd: number };
    expect(out.single).toHaveLength(3);
    for (const h of out.single) expect(h.savedUsd).toBeCloseTo(out.initialUsd - h.initialUsd, 6);
    expect(out.greedyInitialUsd).toBeLessThanOrEqual(Math.min(...out.single.map((h) => h.initialUsd)));
    const bad = pmargin("hedge", `${examples}portfolio.json`, `${examples}market.json`, "--candidates", `${examples}portfolio.json`);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/candidates/);
  });
});

describe("pmargin batch", () => {
  it("without --workers, a worker per core but one (this thread reads and hands out the accounts); --workers as given", () => {
    expect(batchWorkers(undefined)).toBe(Math.max(1, availableParallelism() - 1));
    expect(batchWorkers("1")).toBe(1);
    expect(batchWorkers(String(availableParallelism()))).toBe(availableParallelism());
    expect(() => batchWorkers("0")).toThrow(/--workers/);
  });

  it("margins every account of a JSON-lines file on every core, one line per account in input order", () => {
    const r = pmargin("batch", `${examples}accounts.jsonl`, `${examples}market.json`, "--workers", "2");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string; initial: number; currency: string });
    expect(lines.map((l) => l.id)).toEqual(["mm-desk", "btc-basis", "eth-options", "sol-spot", "short-strangle"]);
    const single = JSON.parse(pmargin("margin", `${examples}portfolio.json`, `${examples}market.json`, "--json").stdout) as { initial: number };
    expect(lines[0]!.initial).toBe(single.initial);
    for (const l of lines) expect(l.currency).toBe("USD");
  });

  it("CSV output; a bad account gets its error on its line and a note on stderr, the others their margin", () => {
    const accounts = file("accounts.jsonl", [
      JSON.stringify({ id: "ok", positions: [{ kind: "spot", underlying: "BTC", quantity: 1 }] }),
      JSON.stringify({ id: "bad", positions: [{ kind: "spot", underlying: "DOGE", quantity: 1 }] }),
    ].join("\n"));
    const r = pmargin("batch", accounts, `${examples}market.json`, "--format", "csv", "--workers", "1");
    expect(r.code).toBe(0);
    const [header, ok, bad] = r.stdout.trim().split("\n");
    expect(header).toBe("id,initial_usd,maintenance_usd,error");
    expect(ok).toMatch(/^ok,[-\d.e]+,[-\d.e]+,$/);
    expect(bad).toMatch(/^bad,,,.*DOGE/);
    expect(r.stderr).toMatch(/1 of 2 accounts could not be margined/);
  });

  it("a line that is not JSON exits 2 naming the file and the line", () => {
    const accounts = file("broken.jsonl", `${JSON.stringify({ id: "a", positions: [] })}\n{not json\n`);
    const r = pmargin("batch", accounts, `${examples}market.json`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.jsonl: line 2: not JSON/);
  });
});
