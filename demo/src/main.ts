// The page: reads the inputs and controls, hands them to the worker, and shows
// what comes back. Nothing is computed here, so the page stays responsive.
import { builtInProfileNames, InputError, parseJson, type BuiltInProfileName } from "pmargin";
import { importReportLines, importVenue, VENUES, type ResponseDocument, type VenueName } from "pmargin/import";
// Bundled, not fetched: "Load example" works offline.
import examplePortfolio from "../../examples/portfolio.json" with { type: "json" };
import exampleMarket from "../../examples/market.json" with { type: "json" };
import exampleOrders from "../../examples/orders.json" with { type: "json" };
import { fixed, level, move, significant, usd } from "./format.js";
import { lossHistogram, riskMatrix } from "./plots.js";
import type { ComputeRequest, Results, WorkerMessage } from "./protocol.js";

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const portfolioText = $<HTMLTextAreaElement>("portfolio");
const marketText = $<HTMLTextAreaElement>("market");
const ordersText = $<HTMLTextAreaElement>("orders");
const profile = $<HTMLSelectElement>("profile");
const paths = $<HTMLInputElement>("paths");
const seed = $<HTMLInputElement>("seed");
const nu = $<HTMLInputElement>("nu");
const computeButton = $<HTMLButtonElement>("compute");
const progress = $<HTMLProgressElement>("progress");
const stage = $("stage");
const message = $("message");
const results = $("results");
const importVenueSelect = $<HTMLSelectElement>("import-venue");
const importFiles = $<HTMLInputElement>("import-files");
const importText = $<HTMLTextAreaElement>("import-text");
const importReport = $("import-report");

window.pmarginDemo = { done: false };

for (const name of builtInProfileNames) profile.append(new Option(name, name, name === "deribit", name === "deribit"));

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
worker.addEventListener("message", (event: MessageEvent<WorkerMessage>) => {
  const m = event.data;
  if (m.type === "progress") {
    stage.textContent = m.total === undefined ? `${m.stage}…` : `${m.stage}: ${fixed(m.done ?? 0)} of ${fixed(m.total)} paths`;
    if (m.total !== undefined) progress.value = (m.done ?? 0) / m.total;
  } else if (m.type === "error") {
    finish(m.message);
  } else {
    show(m.results);
    finish(undefined, m.results);
  }
});
worker.addEventListener("error", (event) => finish(`internal error: the worker failed: ${event.message}`));

$("load-example").addEventListener("click", () => {
  portfolioText.value = JSON.stringify(examplePortfolio, null, 2);
  marketText.value = JSON.stringify(exampleMarket, null, 2);
  ordersText.value = JSON.stringify(exampleOrders, null, 2);
});

for (const [input, target] of [["portfolio-file", portfolioText], ["market-file", marketText], ["orders-file", ordersText]] as const) {
  $<HTMLInputElement>(input).addEventListener("change", async (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) target.value = await file.text();
  });
}

// Import: a venue's API responses (files, or pasted: one response or a JSON array of them) become
// the portfolio, market and orders above, by the same readers as `pmargin import`.
for (const venue of VENUES) importVenueSelect.append(new Option(venue, venue));
$("import").addEventListener("click", async () => {
  message.textContent = "";
  importReport.textContent = "";
  try {
    const documents: ResponseDocument[] = [];
    for (const file of importFiles.files ?? []) documents.push({ json: parseJson(await file.text(), file.name), source: file.name });
    if (importText.value.trim() !== "") {
      const pasted = parseJson(importText.value, "pasted responses");
      documents.push(...(Array.isArray(pasted) ? pasted : [pasted]).map((json, i) => ({ json, source: Array.isArray(pasted) ? `pasted responses[${i}]` : "pasted response" })));
    }
    const result = importVenue(importVenueSelect.value as VenueName, documents);
    portfolioText.value = result.portfolio ? JSON.stringify(result.portfolio, null, 2) : "";
    marketText.value = JSON.stringify(result.market, null, 2);
    ordersText.value = result.orders ? JSON.stringify(result.orders, null, 2) : "";
    importReport.textContent = importReportLines(result).join("\n");
  } catch (error) {
    message.textContent = error instanceof InputError ? error.message : `internal error: ${String(error)}`;
  }
});

$("controls").addEventListener("submit", (event) => {
  event.preventDefault();
  window.pmarginDemo = { done: false };
  message.textContent = "";
  let request: ComputeRequest;
  try {
    request = {
      portfolio: parseJson(portfolioText.value, "portfolio"),
      market: parseJson(marketText.value, "market"),
      orders: ordersText.value.trim() === "" ? null : parseJson(ordersText.value, "orders"),
      profile: profile.value as BuiltInProfileName, // one of the options appended from builtInProfileNames
      // valueAsNumber is NaN for an empty field, which the worker's validation names.
      paths: paths.valueAsNumber,
      seed: seed.valueAsNumber,
      nu: nu.valueAsNumber,
    };
  } catch (error) {
    finish(error instanceof InputError ? error.message : `internal error: ${String(error)}`);
    return;
  }
  computeButton.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  worker.postMessage(request);
});

function finish(error: string | undefined, r?: Results): void {
  computeButton.disabled = false;
  progress.hidden = true;
  stage.textContent = r ? `Computed in ${fixed(r.elapsedMs)} ms.` : "";
  if (error !== undefined) {
    message.textContent = error;
    results.hidden = true;
  }
  window.pmarginDemo = error === undefined ? { done: true, results: r } : { done: true, error };
}

type Child = Node | string;

function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

interface Column<T> {
  head: string;
  cell: (row: T) => string;
  /** The data-testid of a cell, for numbers the test reads. */
  id?: (row: T, i: number) => string;
  text?: boolean;
}

function table<T>(columns: Column<T>[], rows: T[], foot?: Child[]): HTMLElement {
  return h("div", { class: "table" }, h(
    "table", {},
    h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", c.text ? {} : { class: "num" }, c.head)))),
    h("tbody", {}, ...rows.map((row, i) => h("tr", {}, ...columns.map((c) => h("td", { ...(c.text ? {} : { class: "num" }), ...(c.id ? { "data-testid": c.id(row, i) } : {}) }, c.cell(row)))))),
    ...(foot ? [h("tfoot", {}, h("tr", {}, ...foot.map((f, i) => h("td", i === 0 ? {} : { class: "num" }, f))))] : []),
  ));
}

const figure = (label: string, value: string, id: string, note?: Child): HTMLElement =>
  h("div", { class: "figure" }, h("span", { class: "label" }, label), h("strong", { "data-testid": id }, value), ...(note ? [h("small", {}, note)] : []));

function show(r: Results): void {
  const { grid, valuation, monteCarlo: mc, attribution, request } = r;
  const var0 = mc.portfolio.var[0]!;
  const es0 = mc.portfolio.es[0]!;
  const se = (x: number, id: string): HTMLElement => h("span", {}, "± ", h("span", { "data-testid": id }, usd(x)), " s.e.");
  const scenario = (s: { move: number; vol: string; extended: boolean; weight: number } | null): string =>
    s === null ? "no loss" : `${move(s.move)}, vol ${s.vol}${s.extended ? ` (extended, weight ${level(s.weight)})` : ""}`;

  results.replaceChildren(
    h("section", {},
      h("h2", {}, "Margin"),
      h("div", { class: "figures" },
        figure(`Initial margin (${grid.profile})`, usd(grid.initial), "grid-initial"),
        figure("Maintenance margin", usd(grid.maintenance), "grid-maintenance"),
        figure("Single-position margin", usd(grid.standalone), "grid-standalone", "sum of each position margined alone"),
        figure("Offset benefit", usd(grid.offsetBenefit), "grid-offset", "what portfolio margining saves"),
        figure(`Monte Carlo VaR ${level(var0.level)}`, usd(var0.value), "mc-var", se(var0.standardError, "mc-var-se")),
        figure(`Monte Carlo ES ${level(es0.level)}`, usd(es0.value), "mc-es", se(es0.standardError, "mc-es-se")),
      ),
      h("p", { class: "note" },
        "Monte Carlo: ", h("span", { "data-testid": "mc-paths" }, fixed(mc.paths)), " paths, seed ", h("span", { "data-testid": "mc-seed" }, String(mc.seed)),
        `, Student-t ν = ${request.nu}, ${Number(mc.horizonDays.toFixed(2))}-day horizon, losses in USD.`),
    ),
    ...(r.whatIf ? [h("section", {},
      h("h2", {}, "Pre-trade check"),
      h("p", { class: "note" }, `Each order added alone to the book, and all of them together, under the ${grid.profile} grid; the book itself is unchanged.`),
      table([
        { head: "order", cell: (o) => o.id, text: true },
        { head: "initial margin with it (USD)", cell: (o) => usd(o.initial), id: (_, i) => `whatif-${i}-initial` },
        { head: "incremental initial (USD)", cell: (o) => usd(o.incrementalInitial), id: (_, i) => `whatif-${i}-incremental` },
        { head: "incremental maintenance (USD)", cell: (o) => usd(o.incrementalMaintenance) },
      ], r.whatIf.orders, ["all orders", usd(r.whatIf.after.initial), usd(r.whatIf.incremental.initial), usd(r.whatIf.incremental.maintenance)]),
    )] : []),
    h("section", {},
      h("h2", {}, "Greeks per underlying"),
      table([
        { head: "underlying", cell: (u) => u.underlying, text: true },
        { head: "index", cell: (u) => fixed(u.index, 2) },
        { head: "value (USD)", cell: (u) => usd(u.valueUsd), id: (u) => `greeks-${u.underlying}-value` },
        { head: "delta (coin)", cell: (u) => fixed(u.delta, 4), id: (u) => `greeks-${u.underlying}-delta` },
        { head: "delta (USD)", cell: (u) => usd(u.delta * u.index), id: (u) => `greeks-${u.underlying}-delta-usd` },
        { head: "gamma (coin/USD)", cell: (u) => significant(u.gamma), id: (u) => `greeks-${u.underlying}-gamma` },
        { head: "vega (USD/vol pt)", cell: (u) => usd(u.vega), id: (u) => `greeks-${u.underlying}-vega` },
        { head: "theta (USD/day)", cell: (u) => usd(u.theta), id: (u) => `greeks-${u.underlying}-theta` },
      ], valuation.underlyings),
    ),
    h("section", {},
      h("h2", {}, "Risk matrices"),
      h("p", { class: "note" }, `Portfolio PnL per underlying under the ${grid.profile} grid; extended (tail) moves are not drawn.`),
      ...grid.underlyings.map((u) =>
        h("figure", {},
          h("figcaption", {}, h("strong", {}, u.underlying), ` initial ${usd(u.initial.usd)}; worst scenario: ${scenario(u.worstScenario)}`),
          h("div", { class: "chart", "data-testid": `heatmap-${u.underlying}` }, riskMatrix(u)),
        )),
    ),
    h("section", {},
      h("h2", {}, "Monte Carlo loss distribution"),
      h("div", { class: "chart", "data-testid": "histogram" }, lossHistogram(mc)),
    ),
    h("section", {},
      h("h2", {}, "Attribution"),
      h("p", { class: "note" }, `Each position's PnL in its underlying's worst grid scenario (unweighted: the margin counts an extended scenario's loss at its weight), and its share of the Monte Carlo ES ${level(mc.contributions.level)} (negative: it hedges the tail).`),
      table([
        { head: "position", cell: (a) => a.id, text: true },
        { head: "underlying", cell: (a) => a.underlying, text: true },
        { head: "worst grid scenario", cell: (a) => scenario(a.worstScenario), text: true },
        { head: "PnL there (USD)", cell: (a) => (a.worstPnlUsd === null ? "—" : usd(a.worstPnlUsd)), id: (_, i) => `attribution-${i}-worst` },
        { head: "ES contribution (USD)", cell: (a) => usd(a.esUsd), id: (_, i) => `attribution-${i}-es` },
      ], attribution, ["total", "", "", "", usd(attribution.reduce((s, a) => s + a.esUsd, 0))]),
    ),
    h("section", {},
      h("h2", {}, "Positions"),
      table([
        { head: "position", cell: (p) => p.id, text: true },
        { head: "kind", cell: (p) => p.kind, text: true },
        { head: "value", cell: (p) => `${fixed(p.value, p.currency === "USD" ? 0 : 4)} ${p.currency}`, id: (_, i) => `position-${i}-value` },
        { head: "value (USD)", cell: (p) => usd(p.valueUsd), id: (_, i) => `position-${i}-value-usd` },
        { head: "delta (coin)", cell: (p) => fixed(p.delta, 4), id: (_, i) => `position-${i}-delta` },
        { head: "gamma", cell: (p) => significant(p.gamma), id: (_, i) => `position-${i}-gamma` },
        { head: "vega", cell: (p) => usd(p.vega), id: (_, i) => `position-${i}-vega` },
        { head: "theta", cell: (p) => usd(p.theta), id: (_, i) => `position-${i}-theta` },
      ], valuation.positions),
    ),
  );
  results.hidden = false;
}
