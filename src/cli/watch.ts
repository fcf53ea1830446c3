// pmargin watch: JSON-lines updates on stdin, JSON-lines events on stdout — a start
// line with the margin, then what the monitor raises, then an end line. The first file
// is a portfolio, or an account (venues, collateral) whose status is followed too.
import { cliEngine } from "./engine.js";
import { once } from "node:events";
import { lines } from "./lines.js";
import { MarginMonitor, watch } from "../live/monitor.js";
import { parseAccount } from "../schema/account.js";
import { checkPriceable } from "../schema/cross.js";
import { parseMarket, parsePortfolio } from "../schema/index.js";
import { loadProfile } from "./grid.js";
import { number, readJsonFile } from "./run.js";

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
  const first = await readJsonFile(portfolioPath);
  const marketData = parseMarket(await readJsonFile(marketPath), marketPath);
  // An account file (it has venues) is followed with its collateral and status; a portfolio is margined alone.
  const isAccount = typeof first === "object" && first !== null && "venues" in first;
  const account = isAccount ? parseAccount(first, portfolioPath) : undefined;
  const positions = account ? [] : parsePortfolio(first, portfolioPath).positions;
  if (!account) checkPriceable({ positions }, marketData, portfolioPath);
  const monitor = new MarginMonitor(await cliEngine(), positions, marketData, {
    ...(account ? { account } : {}),
    profile: await loadProfile(opts.profile),
    marginChange: number("--margin-change", opts.marginChange),
    volJump: number("--vol-jump", opts.volJump),
    correlationJump: number("--corr-jump", opts.corrJump),
    ewma: { intervalMs: 1000 * number("--interval", opts.interval), lambda: number("--lambda", opts.lambda), seed: number("--seed-returns", opts.seedReturns) },
  });
  // Waits while stdout is full, so that a slow reader slows the reading of stdin (backpressure).
  const write = async (line: object): Promise<void> => {
    if (!process.stdout.write(`${JSON.stringify(line)}\n`)) await once(process.stdout, "drain");
  };
  const margin = () => ({ initial: monitor.margin.initial, maintenance: monitor.margin.maintenance });
  const status = () => monitor.status() ?? {};
  await write({ type: "start", profile: monitor.margin.profile, positions: monitor.live.positions.length, ...margin(), ...(account ? { status: status() } : {}) });
  let events = 0;
  for await (const event of watch(monitor, lines(process.stdin))) {
    await write(event);
    events++;
  }
  await write({ type: "end", events, positions: monitor.live.positions.length, ...margin(), ...(account ? { status: status() } : {}), estimates: monitor.estimates() });
}
