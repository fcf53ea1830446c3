// @ts-check
// pmargin's layers, checked by `npm run lint:layers` (dependency-cruiser) and by tests/layers.test.ts.
//
// The flow the README draws is the data's path:
//   schema (parse + validate once) → model → market → engine → risk → methods → account/live → cli.
// Raw JSON becomes the model's types in schema; the market is built from them; the engine revalues
// books on it; risk reduces the results; methods compose those; accounts and the live monitor use
// methods; the CLI and the runners drive it all. In import terms the parser depends on the types it
// produces, so model sits below schema. A folder may import from its own layer and the layers before
// it, lowest first:
//
//   0 base     src/errors.ts, src/conventions.ts, src/version.ts, src/math/
//   1 model    src/model/                     the input and result types, their constants
//   2 schema   src/schema/                    parses raw JSON into model types (and the shipped profiles)
//   3 market   src/market/, src/history/,     curves and surfaces, price histories, venue API responses
//              src/import/                    read into portfolios and markets
//   4 engine   src/engine/, src/reference/    the WASM kernels and their pure-JS twins
//   5 risk     src/risk/                      reductions of revaluation results
//   6 methods  src/methods/                   grid, Monte Carlo, historical, stress, …; valuation
//   7 account  src/account/, src/live/
//   8 registry src/runs/                      the method registry the runners and the CLI read
//   9 runners  src/verify/, src/parallel/, src/distributed/
//  10 cli      src/cli/
//
// src/index.ts (the package entry) may import anything; src/profiles/ holds JSON data any layer may
// read. Any other file directly under src/ must be placed in a layer first. Cycles between folders
// are refused even within a layer (engine ↔ reference, account ↔ live, …).
// Type-only imports count: tsPreCompilationDeps keeps them in the graph.

/** Folder patterns of each layer, lowest first. */
const LAYERS = [
  ["base", ["src/(errors|conventions|version)\\.ts$", "src/math/"]],
  ["model", ["src/model/"]],
  ["schema", ["src/schema/"]],
  ["market", ["src/market/", "src/history/", "src/import/"]],
  ["engine", ["src/engine/", "src/reference/"]],
  ["risk", ["src/risk/"]],
  ["methods", ["src/methods/"]],
  ["account", ["src/account/", "src/live/"]],
  ["registry", ["src/runs/"]],
  ["runners", ["src/verify/", "src/parallel/", "src/distributed/"]],
  ["cli", ["src/cli/"]],
];
const DATA = "src/profiles/";
const ENTRIES = "src/index\\.ts$";

/** One regular expression matching any of `patterns` from the start of a path. */
const anyOf = (patterns) => `^(${patterns.join("|")})`;

/** @type {import("dependency-cruiser").IForbiddenRuleType[]} */
const layerRules = LAYERS.map(([name, paths], i) => {
  const allowed = LAYERS.slice(0, i + 1).flatMap(([, p]) => p);
  const above = LAYERS.slice(i + 1).map(([n]) => n);
  return {
    name: `layer-${name}`,
    severity: "error",
    comment: `${name} (${paths.join(", ")}) may import only from ${LAYERS.slice(0, i + 1).map(([n]) => n).join(", ")} and ${DATA}` +
      (above.length > 0 ? `, not from ${above.join(", ")}` : ""),
    from: { path: anyOf(paths) },
    to: { path: "^src/", pathNot: anyOf([...allowed, DATA]) },
  };
});

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "unplaced-root-file",
      severity: "error",
      comment: "A file directly under src/ other than the base files and the entry has no layer: move it into a folder (or add it to a layer here)",
      from: { path: "^src/[^/]+\\.ts$", pathNot: anyOf([...LAYERS[0][1], ENTRIES]) },
      to: { path: "^src/" },
    },
    {
      name: "no-circular-between-folders",
      severity: "error",
      comment: "An import cycle that leaves its top-level folder (e.g. engine → risk → engine) ties two folders together: the lower one must not need the higher",
      from: { path: "^src/([^/]+)/" },
      to: { circular: true, viaSomeNot: "^src/$1/" },
    },
    {
      name: "no-circular",
      severity: "error",
      comment: "No import cycles between modules either",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".json"],
    },
  },
};
