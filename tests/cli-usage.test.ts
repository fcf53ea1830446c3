// The command line as a newcomer meets it: --version, usage mistakes (exit 2, like every
// user mistake), `pmargin examples`, tables that fit the terminal, and --json records
// without their inputs (verify then takes the files). Runs the built CLI (`npm run build`).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repo = new URL("..", import.meta.url).pathname;
const cli = join(repo, "dist/cli/main.js");
const examples = join(repo, "examples");
const tmp = mkdtempSync(join(tmpdir(), "pmargin-cli-usage-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The CLI in `cwd`, its output not a terminal: as wide as it takes unless `columns` sets $COLUMNS. */
function pmargin(args: string[], { cwd = tmp, columns }: { cwd?: string; columns?: number } = {}): { code: number | null; stdout: string; stderr: string } {
  if (!existsSync(cli)) throw new Error("dist/cli/main.js is missing: run `npm run build` (npm test does)");
  const { COLUMNS: _, ...env } = process.env;
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env: columns === undefined ? env : { ...env, COLUMNS: String(columns) } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const book = [join(examples, "portfolio.json"), join(examples, "market.json")];

describe("pmargin --version and usage mistakes", () => {
  it("--version prints package.json's version", () => {
    const { version } = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { version: string };
    expect(pmargin(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it.each([
    [["value", ...book, "--bogus"], "error: unknown option '--bogus'"],
    [["valeu", ...book], "error: unknown command 'valeu'"],
    [["value", book[0]!], "error: missing required argument 'market'"],
    [["grid", ...book, "--profile"], "error: option '-p, --profile <name|file.json>' argument missing"],
    [[], "Usage: pmargin [options] [command]"],
  ])("%j exits 2 with commander's message and the help", (args, message) => {
    const r = pmargin(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("--help exits 0", () => {
    const r = pmargin(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("examples [dir]");
  });
});

describe("pmargin examples", () => {
  it("copies the shipped examples, which the commands it suggests then run on", () => {
    const r = pmargin(["examples"]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(tmp, "examples")).sort()).toEqual(readdirSync(examples).sort());
    expect(readFileSync(join(tmp, "examples/portfolio.json"), "utf8")).toBe(readFileSync(join(examples, "portfolio.json"), "utf8"));
    expect(r.stdout).toContain("pmargin value examples/portfolio.json examples/market.json");
    const value = pmargin(["value", "examples/portfolio.json", "examples/market.json"]);
    expect(value.code).toBe(0);
    expect(value.stdout).toMatch(/Total value: [\d,.-]+ USD/);
  });

  it("into a named directory; overwrites nothing (exit 2 naming the file)", () => {
    expect(pmargin(["examples", "start"]).code).toBe(0);
    writeFileSync(join(tmp, "start/portfolio.json"), "{}");
    const again = pmargin(["examples", "start"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^pmargin: .*start\/\w+\.\w+: already exists/);
    expect(readFileSync(join(tmp, "start/portfolio.json"), "utf8")).toBe("{}");
  });
});

/** The distinct numbers a text shows: the same however its tables wrap or split (a split repeats the first column). */
const numbers = (text: string): string[] => [...new Set(text.match(/[-+]?\d[\d,]*(\.\d+)?%?/g))].sort();
/** The widest line of the tables in `text`. */
const tableWidth = (text: string): number => Math.max(...text.split("\n").filter((l) => /^[┌│├└]/.test(l)).map((l) => [...l].length));

describe("tables fit the terminal", () => {
  it.each([
    [["value", ...book]],
    [["grid", ...book, "--matrix", "--attribution", "--greeks"]],
    [["stress", ...book, "--per-position"]],
    [["account", join(examples, "account.json"), join(examples, "market.json"), "--no-distance"]],
  ])("%j at 80 columns: no table line wider, every number as printed at full width", (args) => {
    const wide = pmargin(args);
    const narrow = pmargin(args, { columns: 80 });
    expect(wide.code).toBe(0);
    expect(narrow.code).toBe(0);
    expect(tableWidth(wide.stdout)).toBeGreaterThan(80);
    expect(tableWidth(narrow.stdout)).toBeLessThanOrEqual(80);
    expect(numbers(narrow.stdout)).toEqual(numbers(wide.stdout));
  });
});

describe("--json --no-inputs", () => {
  it("records the inputs' digest only; verify takes the files, checks their digest and reproduces the result", () => {
    const full = pmargin(["stress", ...book, "--json"]);
    const slim = pmargin(["stress", ...book, "--json", "--no-inputs"]);
    expect(slim.code).toBe(0);
    const record = (text: string) => (JSON.parse(text) as { reproducibility: Record<string, unknown> }).reproducibility;
    expect(record(slim.stdout).inputs).toBeUndefined();
    expect(record(slim.stdout).inputsSha256).toBe(record(full.stdout).inputsSha256);
    expect(slim.stdout.length).toBeLessThan(full.stdout.length / 10);
    const saved = join(tmp, "stress.json");
    writeFileSync(saved, slim.stdout);

    const asks = pmargin(["verify", saved]);
    expect(asks.code).toBe(2);
    expect(asks.stderr).toMatch(/^pmargin: reproducibility\.inputs: the record has only the inputs' digest: give the inputs .*--portfolio, --market/);
    const ok = pmargin(["verify", saved, "--portfolio", book[0]!, "--market", book[1]!]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^verified: re-running stress/);
    const other = pmargin(["verify", saved, "--portfolio", join(examples, "orders.json"), "--market", book[1]!]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^pmargin: inputs: these are not the inputs the result was made from/);
  });

  it("a record that carries its inputs takes no files; --no-inputs without --json is refused", () => {
    const saved = join(tmp, "grid.json");
    writeFileSync(saved, pmargin(["grid", ...book, "--json"]).stdout);
    expect(pmargin(["verify", saved, "--portfolio", book[0]!, "--market", book[1]!]).stderr).toMatch(/^pmargin: inputs: the record carries its inputs/);
    const r = pmargin(["grid", ...book, "--no-inputs"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("pmargin: --no-inputs: shapes the --json record: use it with --json\n");
  });
});
