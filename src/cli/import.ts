// `pmargin import <venue> <files…|->`: a venue's API responses → portfolio.json, market.json,
// orders.json (when open orders were given) and import-report.json in --out. Each venue is one
// subcommand of `import`, made from the readers' table; registerImport returns the `import`
// command so that further subcommands can be added beside them.
import type { Command } from "commander";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import type { ImportOptions, ResponseDocument } from "../import/index.js";
import { VENUE_ENDPOINTS, VENUES, type VenueName } from "../import/venues.js";
import { parseJson } from "../schema/index.js";
import { number, readJsonFile, run } from "./run.js";

export interface ImportCommandOptions {
  out: string;
  smile: string;
  wings?: string;
  svi?: boolean;
  asOf?: string;
  maxAge?: string;
  fetch?: string;
  baseUrl?: string;
}

/** The responses of the files, or of stdin for "-" (one response, or a JSON array of them). */
async function readDocuments(files: readonly string[]): Promise<ResponseDocument[]> {
  const docs: ResponseDocument[] = [];
  for (const file of files) {
    if (file !== "-") {
      docs.push({ json: await readJsonFile(file), source: file });
      continue;
    }
    let text = "";
    for await (const chunk of process.stdin) text += String(chunk);
    const json = parseJson(text, "stdin");
    docs.push(...(Array.isArray(json) ? json : [json]).map((x, i) => ({ json: x, source: Array.isArray(json) ? `stdin[${i}]` : "stdin" })));
  }
  return docs;
}

function optionsOf(opts: ImportCommandOptions): ImportOptions {
  if (opts.smile !== "mark" && opts.smile !== "mid") throw new InputError("--smile", `must be mark or mid, got ${opts.smile}`);
  return {
    smile: opts.smile,
    ...(opts.wings !== undefined ? { wings: number("--wings", opts.wings) } : {}),
    ...(opts.svi ? { svi: true } : {}),
    ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
    ...(opts.maxAge !== undefined ? { maxAgeSeconds: number("--max-age", opts.maxAge) } : {}),
  };
}

async function importCommand(venue: VenueName, files: string[], opts: ImportCommandOptions): Promise<void> {
  if (opts.baseUrl !== undefined && opts.fetch === undefined) throw new InputError("--base-url", "applies only with --fetch");
  if (files.length === 0 && opts.fetch === undefined) throw new InputError("files", "give the response files (or -), or --fetch <currency>");
  // The readers load only when an import runs, not with every command.
  const { fetchPublic, importReportLines, importVenue } = await import("../import/index.js");
  const fetched = opts.fetch !== undefined ? await fetchPublic(venue, opts.fetch, opts.baseUrl) : [];
  const result = importVenue(venue, [...fetched, ...(await readDocuments(files))], optionsOf(opts));
  await mkdir(opts.out, { recursive: true });
  const outputs: [string, unknown][] = [["market.json", result.market], ["import-report.json", result.report]];
  if (result.portfolio) outputs.unshift(["portfolio.json", result.portfolio]);
  if (result.orders) outputs.push(["orders.json", result.orders]);
  for (const [name, json] of outputs) await writeFile(join(opts.out, name), `${JSON.stringify(json, null, 2)}\n`);
  for (const line of importReportLines(result)) console.log(line);
  console.log(`wrote ${outputs.map(([name]) => join(opts.out, name)).join(", ")}`);
}

/** Adds `pmargin import` and one subcommand per venue to `program`; returns the `import` command. */
export function registerImport(program: Command): Command {
  const command = program.command("import")
    .description("a venue's API responses (JSON files, or - for stdin) → portfolio.json, market.json, orders.json and import-report.json");
  for (const venue of VENUES) {
    command.command(venue)
      .description(`read ${venue}'s ${VENUE_ENDPOINTS[venue].join(", ")} responses`)
      .argument("[files...]", "response JSON files, each one response (recognised by its fields); - reads stdin")
      .option("--out <dir>", "where to write the files", ".")
      .option("--smile <mark|mid>", "smile from the venue's mark IVs, or from bid/ask mids through the implied-vol solver", "mark")
      .option("--wings <n>", "leave out strikes beyond n standard deviations, |ln(K/F)| > n·σ_ATM·√T (default: 6 for mids, none for mark IVs)")
      .option("--svi", "take each expiry's vols from its SVI fit at the nodes")
      .option("--as-of <date>", "valuation time (default the latest timestamp in the responses)")
      .option("--max-age <seconds>", "a quote older than this before asOf is an error (default 300)")
      .option("--fetch <currency>", "also GET the currency's chain, futures marks and index from the venue's public endpoints (the only network calls pmargin makes)")
      .option("--base-url <url>", "with --fetch: the venue's API base URL instead of its production one")
      .action((files: string[], opts: ImportCommandOptions) => run(() => importCommand(venue, files, opts)));
  }
  return command;
}
