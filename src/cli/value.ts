import { cliEngine } from "./engine.js";
import { readPortfolioInputs, recordedRun } from "./recorded.js";
import { fmt, sig, TerminalTable } from "./format.js";


export async function valueCommand(portfolioPath: string, marketPath: string, opts: { json?: boolean }): Promise<void> {
  const inputs = await readPortfolioInputs(portfolioPath, marketPath);
  const { portfolio } = inputs.parsed;
  const engine = await cliEngine();
  const valuation = await recordedRun(engine, { command: "value" }, inputs, opts);
  if (!valuation) return;
  const positions = new TerminalTable({
    head: ["id", "qty", "price", "ccy", "value", "value USD", "delta", "gamma", "vega/1%", "theta/day", "vol"],
    colAligns: ["left", "right", "right", "left", "right", "right", "right", "right", "right", "right", "right"],
  });
  valuation.positions.forEach((p, i) => {
    positions.push([
      p.id, fmt(portfolio.positions[i]!.quantity, 4), sig(p.price), p.currency, sig(p.value), fmt(p.valueUsd),
      sig(p.delta), sig(p.gamma), fmt(p.vega), fmt(p.theta), p.vol === undefined ? "" : `${fmt(100 * p.vol, 1)}%`,
    ]);
  });
  const totals = new TerminalTable({
    head: ["underlying", "index USD", "value USD", "delta (coin)", "delta USD", "gamma", "vega/1% USD", "theta/day USD"],
    colAligns: ["left", "right", "right", "right", "right", "right", "right", "right"],
  });
  for (const u of valuation.underlyings) {
    totals.push([u.underlying, fmt(u.index), fmt(u.valueUsd), sig(u.delta), fmt(u.delta * u.index), sig(u.gamma), fmt(u.vega), fmt(u.theta)]);
  }
  console.log(`${portfolio.name ?? portfolioPath} — valued at ${valuation.asOf}`);
  console.log(positions.toString());
  console.log(totals.toString());
  console.log(`Total value: ${fmt(valuation.totalUsd)} USD`);
}
