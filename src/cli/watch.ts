// pmargin watch: JSON-lines updates on stdin, JSON-lines events on stdout — a start
// line with the margin, then what the monitor raises, then an end line.
import { createInterface } from "node:readline";
import { createEngine } from "../engine/engine.js";
import { prepareInputs } from "../inputs.js";
import { MarginMonitor, watch } from "../live/monitor.js";
import { loadProfile } from "./grid.js";
import { number } from "./historical.js";
import { readJsonFile } from "./run.js";

export interface WatchCommandOptions {
  profile: string;
  marginChange: string;
  volJump: string;
  corrJump: string;
  interval: string;
  lambda: string;
  seedReturns: string;
}

export async function watchCommand(portfolioPath: string, marketPath: string, opts: WatchCommandOptions): Promise<void> {
  const raw = { portfolio: await readJsonFile(portfolioPath), market: await readJsonFile(marketPath) };
  const { portfolio, marketData } = prepareInputs(raw.portfolio, raw.market, { portfolio: portfolioPath, market: marketPath });
  const monitor = new MarginMonitor(await createEngine(), portfolio.positions, marketData, {
    profile: await loadProfile(opts.profile),
    marginChange: number("--margin-change", opts.marginChange),
    volJump: number("--vol-jump", opts.volJump),
    correlationJump: number("--corr-jump", opts.corrJump),
    ewma: { intervalMs: 1000 * number("--interval", opts.interval), lambda: number("--lambda", opts.lambda), seed: number("--seed-returns", opts.seedReturns) },
  });
  const write = (line: object): void => {
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
  const margin = () => ({ initial: monitor.margin.initial, maintenance: monitor.margin.maintenance });
  write({ type: "start", profile: monitor.margin.profile, positions: portfolio.positions.length, ...margin() });
  let updates = 0;
  for await (const event of watch(monitor, createInterface({ input: process.stdin, crlfDelay: Infinity }))) {
    write(event);
    updates++;
  }
  write({ type: "end", events: updates, positions: monitor.live.positions.length, ...margin(), estimates: monitor.estimates() });
}
