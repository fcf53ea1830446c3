// Deribit's own published figures: the private/pme/simulate response example of the
// Deribit API reference (https://docs.deribit.com/api-reference/account-management/private-simulate,
// model_params timestamp 1718619740501 = 2024-06-17 10:22:20.501 UTC), reproduced by the
// built-in deribit profile. Inputs and figures are Deribit's, typed in here.
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { prepareInputs, type Inputs } from "../src/market/inputs.js";
import { gridMargin } from "../src/methods/grid/grid.js";
import type { DeribitRiskMatrix } from "../src/methods/grid/risk-matrix.js";
import type { MarginProfile } from "../src/model/profile.js";
import { builtInProfile } from "../src/schema/profiles.js";

const INDEX = 65666.19;
const MARK = { "BTC-PERPETUAL": 65910.57, "BTC-28JUN24": 67371.75 };
/** Sizes in BTC as Deribit reports them (size_currency); a Deribit inverse future's USD size is that × its mark. */
const SIZE = { "BTC-PERPETUAL": 0.314538364, "BTC-28JUN24": -0.001187534 };

const published = {
  worst_case: 0.05968587238095239,
  worst_case_bucket: { bucket: 1, side: "left", source: "standard", index: 1 },
  roll_shock: 0.00315725898,
  delta_shock: 0,
  risk_matrix_margin: 0.06284313098,
  maintenance_margin: 0.050274504784,
  aggregated: {
    standard: [
      ...triple(-0.05968587238095239), ...triple(-0.04272965863636364), ...triple(-0.02724789826086957), ...triple(-0.013056284583333334),
      ...triple(0), ...triple(0), ...triple(0), ...triple(0), ...triple(0),
    ],
    extended: [0, 0, 0, 0, 0, 0, 0, 0],
  },
  initial: {
    "BTC-PERPETUAL": {
      standard: [
        ...triple(-0.05991206933333334), ...triple(-0.04289159509090909), ...triple(-0.027351162086956524), ...triple(-0.013105765166666668),
        ...triple(0), ...triple(0.012097629384615385), ...triple(0.023299138074074074), ...triple(0.033700538999999995), ...triple(0.043384601931034494),
      ],
      extended: [-0.05991206933333334, -0.05991206933333334, ...Array<number>(6).fill(0.04338460193103449)],
    },
    "BTC-28JUN24": {
      standard: [
        ...triple(0.0002261969523809524), ...triple(0.00016193645454545456), ...triple(0.00010326382608695652), ...triple(0.00004948058333333334),
        ...triple(0), ...triple(-0.00004567438461538462), ...triple(-0.00008796548148148148), ...triple(-0.0001272357857142857), ...triple(-0.00016379779310344832),
      ],
      extended: [0.0002261969523809524, 0.0002261969523809524, ...Array<number>(6).fill(-0.0001637977931034483)],
    },
  },
};

function triple(x: number): number[] {
  return [x, x, x];
}

/** |a − b| within 1e-6 of |b| (absolutely within 1e-12 where Deribit's figure is 0). */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(1e-6 * Math.abs(b), 1e-12);
}

const inputs = (): Inputs => prepareInputs(
  {
    positions: [
      { id: "BTC-PERPETUAL", kind: "future", underlying: "BTC", settlement: "inverse", quantity: SIZE["BTC-PERPETUAL"] * MARK["BTC-PERPETUAL"], faceValue: 1 },
      { id: "BTC-28JUN24", kind: "future", underlying: "BTC", settlement: "inverse", expiry: "2024-06-28T08:00:00Z", quantity: SIZE["BTC-28JUN24"] * MARK["BTC-28JUN24"], faceValue: 1 },
    ],
  },
  {
    asOf: "2024-06-17T10:22:20.501Z",
    underlyings: { BTC: { index: INDEX, forwards: [{ expiry: "2024-06-28T08:00:00Z", price: MARK["BTC-28JUN24"] }], marks: MARK } },
  },
);

let engine: Engine;
let report: DeribitRiskMatrix;
beforeAll(async () => {
  engine = await createEngine();
  const { portfolio, market } = inputs();
  report = gridMargin(engine, portfolio.positions, market, { profile: builtInProfile("deribit"), perPosition: true }).underlyings[0]!.deribit!;
});

describe("Deribit's published private/pme/simulate example (BTC S:PM, 2024-06-17)", () => {
  it("worst case, roll shock, delta shock, risk-matrix margin and maintenance margin to 1e-6 relative", () => {
    expect(report.currency).toBe("BTC");
    for (const key of ["worst_case", "roll_shock", "delta_shock", "risk_matrix_margin", "maintenance_margin"] as const) {
      expect(close(report[key], published[key]), `${key}: ${report[key]} vs ${published[key]}`).toBe(true);
    }
    expect(report.worst_case_bucket).toEqual(published.worst_case_bucket);
  });

  it("every entry of both instruments' standard and extended risk vectors to 1e-6 relative", () => {
    for (const [id, vectors] of Object.entries(published.initial)) {
      const mine = report.initial_risk_vectors![id]!;
      for (const kind of ["standard", "extended"] as const) {
        expect(mine[kind].length).toBe(vectors[kind].length);
        vectors[kind].forEach((x, i) => expect(close(mine[kind][i]!, x), `${id} ${kind}[${i}]: ${mine[kind][i]} vs ${x}`).toBe(true));
      }
    }
  });

  it("every entry of the aggregated vectors: gains at pnl_offset 0, the extended losses dampened to 0", () => {
    for (const kind of ["standard", "extended"] as const) {
      published.aggregated[kind].forEach((x, i) => expect(close(report.aggregated_risk_vectors[kind][i]!, x), `${kind}[${i}]`).toBe(true));
    }
  });

  it("the headline: IM and MM in USD are the risk-matrix and maintenance margins at the index", () => {
    const { portfolio, market } = inputs();
    const g = gridMargin(engine, portfolio.positions, market, { profile: builtInProfile("deribit") });
    expect(close(g.initial / INDEX, published.risk_matrix_margin)).toBe(true);
    expect(close(g.maintenance / INDEX, published.maintenance_margin)).toBe(true);
  });

  it("MMP margin: 3% of the MMP quantity limit, in IM only; with a 2 BTC limit (what 0.06 BTC implies; the example does not give its settings) IM is Deribit's less its open-orders margin", () => {
    const { portfolio, market } = inputs();
    const mmp = [{ underlying: "BTC", quantityLimit: 2 }];
    const g = gridMargin(engine, portfolio.positions, market, { profile: builtInProfile("deribit"), mmp });
    const d = g.underlyings[0]!.deribit!;
    expect(close(d.mmp_margin, 0.06)).toBe(true);
    expect(close(d.initial_margin, 0.122861343 - 0.000018212)).toBe(true);
    expect(close(d.maintenance_margin, published.maintenance_margin)).toBe(true);
    expect(close(g.maintenance / INDEX, published.maintenance_margin)).toBe(true);
    expect(close(g.initial / INDEX, 0.122861343 - 0.000018212)).toBe(true);
  });

  it("weighting the extended moves' coin PnL instead (0.3.0's rule, roll shock on offsets only) asks 2.35× Deribit's figure", () => {
    const { portfolio, market } = inputs();
    const deribit = builtInProfile("deribit");
    const { extendedWeighting: _w, extendedDampener: _d, ...defaults } = deribit.defaults;
    const old = { ...deribit, defaults: { ...defaults, rollShock: { annualisedMoveRisk: 0.075, minMove: 0.01 } } };
    const ratio = gridMargin(engine, portfolio.positions, market, { profile: old }).initial / INDEX / published.risk_matrix_margin;
    expect(ratio).toBeGreaterThan(2.3);
    expect(ratio).toBeLessThan(2.4);
  });
});

// A second real response of the same endpoint: a user's capture of Deribit's live
// private/pme/simulate for an ETH X:PM account, 2026-02-15 23:20:09.587 UTC (model_params
// timestamp 1771197609587), found in the public code index without an identifiable
// repository: not a Deribit publication, so its ETH parameters are not the profile's
// defaults (src/profiles/README.md); here they are given explicitly, as a user would.
describe("a captured live response (ETH X:PM, 2026-02-15): the same rules with ETH's parameters", () => {
  const SIZE_ETH = -0.999487053;
  const MARK_ETH = 1949.49;
  const INDEX_ETH = 1949.34;
  const range = 0.18;
  const deribit = builtInProfile("deribit");
  const eth: MarginProfile = {
    ...deribit,
    defaults: {
      ...deribit.defaults,
      moves: [-4, -3, -2, -1, 0, 1, 2, 3, 4].map((b) => (b * range) / 4),
      volStates: [{ name: "up", shift: 0.4, floor: 0.5 }, { name: "same", shift: 0 }, { name: "down", shift: -0.25 }],
      extendedDampener: { coinUsd: 200_000, usdUsd: 25_000 },
      pnlOffset: 0.6,
      rollShock: { annualisedMoveRisk: 0.05, minMove: 0.005, basis: "gross", time: "linear" },
    },
  };
  const edge = { down: 0.21939959699999997, up: -0.15246412672881357 };
  const standard = [
    0.21939959699999997, 0.155989308849711, 0.09885036787912087, 0.04709624857068063, 0,
    -0.04304011233014354, -0.08252645391743119, -0.11888171996035243, -0.15246412672881357,
  ].flatMap(triple);

  let r: DeribitRiskMatrix;
  beforeAll(() => {
    const { portfolio, market } = prepareInputs(
      { positions: [{ id: "ETH-PERPETUAL", kind: "future", underlying: "ETH", settlement: "inverse", quantity: SIZE_ETH * MARK_ETH, faceValue: 1 }] },
      { asOf: "2026-02-15T23:20:09.587Z", underlyings: { ETH: { index: INDEX_ETH, marks: { "ETH-PERPETUAL": MARK_ETH } } } },
    );
    r = gridMargin(engine, portfolio.positions, market, { profile: eth, perPosition: true }).underlyings[0]!.deribit!;
  });

  it("worst case, bucket, roll shock, risk-matrix and maintenance margin to 1e-6", () => {
    expect(close(r.worst_case, 0.15246412672881357)).toBe(true);
    expect(r.worst_case_bucket).toEqual({ bucket: 9, side: "right", source: "standard", index: 25 });
    expect(close(r.roll_shock, 0.004997435265)).toBe(true);
    expect(r.delta_shock).toBe(0);
    expect(close(r.risk_matrix_margin, 0.157461562265)).toBe(true);
    expect(close(r.maintenance_margin, 0.125969249812)).toBe(true);
  });

  it("every instrument vector entry, and the aggregated vectors: gains × pnl_offset 0.6, extended dampened to 0", () => {
    const mine = r.initial_risk_vectors!["ETH-PERPETUAL"]!;
    standard.forEach((x, i) => expect(close(mine.standard[i]!, x), `standard[${i}]`).toBe(true));
    [edge.down, edge.down, ...Array<number>(6).fill(edge.up)].forEach((x, i) => expect(close(mine.extended[i]!, x), `extended[${i}]`).toBe(true));
    standard.forEach((x, i) => expect(close(r.aggregated_risk_vectors.standard[i]!, x > 0 ? 0.6 * x : x), `aggregated[${i}]`).toBe(true));
    expect(r.aggregated_risk_vectors.extended).toEqual(Array(8).fill(0));
  });
});

// Deribit's older portfolio-margin page (https://www.deribit.com/pages/docs/portfoliomargin,
// the model before 2024), whose contingencies pmargin's grid expresses as profile parameters:
// its two worked examples, in BTC, with that page's 1% and 0.01 BTC.
describe("Deribit's older portfolio-margin page: its two contingency examples", () => {
  // That page had one roll shock for every book: no usd currency parameters.
  const { usdSettled: _, ...deribit } = builtInProfile("deribit");
  const old: MarginProfile = {
    ...deribit,
    defaults: { ...deribit.defaults, shortOptionMinimum: 0.01, rollShock: { annualisedMoveRisk: 0, minMove: 0.01 } },
  };
  const expiry = (month: string): string => `2026-${month}-25T08:00:00Z`;
  const margin = (positions: unknown[]) => {
    const { portfolio, market } = prepareInputs({ positions }, {
      asOf: "2026-08-22T15:33:51Z",
      underlyings: { BTC: { index: 77_000, surface: [{ expiry: expiry("09"), strikes: [70_000, 80_000], vols: [0.5, 0.5] }] } },
    });
    return gridMargin(engine, portfolio.positions, market, { profile: old }).underlyings[0]!.contingencies;
  };

  it("'call +10 and put −20 on strike X: net short 10, thus 10 × 0.01 BTC extra'", () => {
    const option = { kind: "option", underlying: "BTC", settlement: "inverse", strike: 80_000, expiry: expiry("09") };
    const c = margin([{ ...option, right: "call", quantity: 10 }, { ...option, right: "put", quantity: -20 }]);
    expect(c.shortOption.coin).toBeCloseTo(10 * 0.01, 12);
  });

  it("'long 100 BTC in Future A and short 100 BTC in Future B: 1% × 100 BTC'", () => {
    const future = { kind: "future", underlying: "BTC", settlement: "linear", contractSize: 1 };
    const c = margin([{ ...future, quantity: 100, expiry: expiry("09") }, { ...future, quantity: -100, expiry: expiry("12") }]);
    expect(c.roll.coin).toBeCloseTo(0.01 * 100, 12);
  });
});

// D1's model_params publish the usd currency's own roll shock (annualised_move_risk 0.1,
// min_annualised_move 0.01) beside btc's (0.075, 0.01): a USDC-settled book takes it.
describe("Deribit's per settlement currency roll shock", () => {
  const deribit = builtInProfile("deribit");
  const asOf = "2026-08-22T08:00:00Z";
  const expiry = "2027-02-26T08:00:00Z";
  const years = (Date.parse(expiry) - Date.parse(asOf)) / (365 * 86_400_000);
  const index = 77_000;
  const roll = (positions: unknown[]) => {
    const { portfolio, market } = prepareInputs({ positions }, { asOf, underlyings: { BTC: { index } } });
    const u = gridMargin(engine, portfolio.positions, market, { profile: deribit }).underlyings[0]!;
    return { total: u.contingencies.roll.usd, books: u.settlements?.map((b) => b.contingencies.roll.usd) };
  };
  const linear = { kind: "future", underlying: "BTC", settlement: "linear", contractSize: 1, quantity: 2, expiry };
  const inverse = { kind: "future", underlying: "BTC", settlement: "inverse", faceValue: 10, quantity: -15_400, expiry };

  it("a USDC-settled future: |q| × max(0.1·T, 0.01) × index", () => {
    expect(roll([linear]).total).toBeCloseTo(2 * Math.max(0.1 * years, 0.01) * index, 8);
  });

  it("beside a coin-settled one, each book its own currency's: 0.075·T for BTC, 0.1·T for USDC", () => {
    const { total, books } = roll([linear, inverse]);
    const coinBook = (15_400 * 10) / index * Math.max(0.075 * years, 0.01) * index;
    const usdBook = 2 * Math.max(0.1 * years, 0.01) * index;
    expect(books).toHaveLength(2);
    expect(books![0]).toBeCloseTo(coinBook, 6);
    expect(books![1]).toBeCloseTo(usdBook, 6);
    expect(total).toBeCloseTo(coinBook + usdBook, 6);
  });
});
