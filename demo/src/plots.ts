// The page's two charts, drawn with Observable Plot as SVG.
import * as Plot from "@observablehq/plot";
import type { MonteCarloResult, UnderlyingGridMargin } from "pmargin";
import { compact, level, move, usd } from "./format.js";

/**
 * An underlying's risk matrix: portfolio PnL (USD) of each regular scenario,
 * price move across, vol state down; red loses, blue gains, white is 0.
 */
export function riskMatrix(u: UnderlyingGridMargin): SVGSVGElement | HTMLElement {
  const cells = u.scenarios.map((s, i) => ({ ...s, pnl: u.pnlUsd[i]! })).filter((c) => !c.extended);
  const moves = [...new Set(cells.map((c) => c.move))].sort((a, b) => a - b);
  // Light labels on the darkest cells; the scale is symmetric, so darkness is |PnL| / max |PnL|.
  const dark = 0.55 * Math.max(...cells.map((c) => Math.abs(c.pnl)));
  return Plot.plot({
    width: Math.max(360, 64 * moves.length + 80),
    height: 56 + 36 * new Set(cells.map((c) => c.vol)).size,
    marginLeft: 56,
    padding: 0.04,
    x: { domain: moves, tickFormat: move, label: "price move", axis: "top" },
    y: { domain: [...new Set(cells.map((c) => c.vol))], label: "vol" },
    color: { type: "diverging", pivot: 0, scheme: "RdBu", legend: true, label: "PnL (USD)", tickFormat: compact },
    marks: [
      Plot.cell(cells, { x: "move", y: "vol", fill: "pnl", title: (c) => `${move(c.move)}, vol ${c.vol}: ${usd(c.pnl)}` }),
      Plot.text(cells, { x: "move", y: "vol", text: (c) => compact(c.pnl), fill: { value: (c: { pnl: number }) => (Math.abs(c.pnl) > dark ? "white" : "#1e293b"), scale: null } }),
    ],
  });
}

/** The Monte Carlo loss distribution (losses = −PnL) with the first VaR and ES levels marked. */
export function lossHistogram(mc: MonteCarloResult): SVGSVGElement | HTMLElement {
  const { edges, counts } = mc.histogram;
  const bins = counts.map((count, i) => ({ x1: edges[i]!, x2: edges[i + 1]!, count }));
  const most = Math.max(...counts);
  const var0 = mc.portfolio.var[0]!;
  const es0 = mc.portfolio.es[0]!;
  // A rule at the amount, labelled to its right; the two labels on separate lines.
  const marker = (x: number, label: string, colour: string, line: number): Plot.Markish[] => [
    Plot.ruleX([x], { stroke: colour, strokeWidth: 2 }),
    Plot.text([x], { x: (d: number) => d, text: () => label, fill: colour, stroke: "white", strokeWidth: 3, frameAnchor: "top", textAnchor: "start", dx: 4, dy: 6 + 16 * line, fontWeight: "bold" }),
  ];
  return Plot.plot({
    width: 960,
    height: 260,
    marginLeft: 56,
    x: { label: "loss over the horizon (USD) →", tickFormat: compact },
    // Symlog: the tails are a few paths per bin beside thousands in the body, and they are the point.
    y: { type: "symlog", label: "paths (symlog scale)", grid: true, tickFormat: compact, ticks: [0, 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7].filter((t) => t <= most) },
    marks: [
      Plot.rectY(bins, { x1: "x1", x2: "x2", y: "count", fill: "#64748b", insetLeft: 0.5, insetRight: 0.5 }),
      Plot.ruleY([0]),
      ...marker(var0.value, `VaR ${level(var0.level)} ${usd(var0.value)}`, "#b45309", 0),
      ...marker(es0.value, `ES ${level(es0.level)} ${usd(es0.value)}`, "#b91c1c", 1),
    ],
  });
}
