// Derive's PMRM_2 portfolio cases (derivexyz/v2-core, test/risk-managers/unit-tests/PMRM_2/
// portfolio_cases): one JSON per case with the inputs (Scenario), the manager's parameters
// (Parameters) and every result (Result). This turns a case into pmargin's three Derive files
// and the figures to compare with; the harness's conventions are stated where they apply.
import * as v from "valibot";
import { expectObject, InputError, refuseUnknownKeys } from "../errors.js";
import type { DeriveMarket, DerivePortfolio, DeriveProfile, DeriveScenario, DeriveVolShock } from "../model/derive.js";
import { describe, toInputError } from "./issues.js";
import { PARSE } from "./fields.js";

/** The harness's clock: every time in a case is seconds after this instant (2021-08-26T17:46:40Z). */
export const CASE_REF_TIME = 1_630_000_000;
/** Within this many seconds of expiry the harness's forward feed fixes (30 min − t)/30 min of the forward. */
const FIXING_WINDOW = 30 * 60;

/** A number, or a decimal string as the cases write 18-decimal values (".238", "-0.05"). */
const num = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i))], (issue) => `must be a number or a decimal string, got ${describe(issue.input)}`),
  v.transform(Number),
  v.finite("must be finite"),
);
const flag = v.pipe(v.union([v.boolean(), v.picklist([0, 1])], "must be true, false, 0 or 1"), v.transform((x: boolean | 0 | 1) => Boolean(x)));
const str = v.string("must be a string");

const caseSchema = v.object({
  Scenario: v.object({
    Cash: num,
    Collaterals: v.array(v.object({
      Name: str, Amount: num, Price: num, Confidence: num, IsRiskCancelling: flag, IMHaircut: num, MMHaircut: num,
    })),
    SpotPrice: num, SpotConfidence: num,
    NumPerps: num, PerpPrice: num, PerpConfidence: num, UnrealisedPerpPNL: num, UnrealisedFunding: num,
    StablePrice: num, StableConfidence: num,
    Options: v.array(v.object({ Expiry: num, Strike: num, IsCall: flag, Amount: num })),
    OptionFeeds: v.array(v.object({
      FeedExpiry: num, Forward: num, ForwardConfidence: num, Rate: num, RateConfidence: num,
      SVIparam: v.tuple([num, num, num, num, num, num, num]), OptionVolConfidences: num,
    })),
  }),
  Parameters: v.object({
    Scenarios: v.array(v.object({ SpotShock: num, VolShockDirection: v.picklist(["Up", "Down", "None", "LINEAR", "ABS"]), DampeningFactor: num })),
    SkewShock: v.object({
      LINEAR_SCALE_CAP: num, LINEAR_CBASE: num, ABS_SCALE_CAP: num, ABS_CBASE: num,
      MIN_K_STAR: num, MIN_WIDTH_SCALE: num, VOL_PARAM_STATIC: num, VOL_PARAM_SCALE: num,
    }),
    VolShock: v.object({ VOLRANGEUP: num, VOLRANGEDOWN: num, SHORTTERMPOWER: num, LONGTERMPOWER: num, DTE_FLOOR: num, MIN_VOL_EVAL_SHOCKED: num }),
    Margin: v.object({
      MM_LOSS_FACTOR: num, IM_LOSS_FACTOR: num, SHORT_RATE_MULTSCALE: num, LONG_RATE_MULTSCALE: num,
      SHORT_RATE_ADDSCALE: num, LONG_RATE_ADDSCALE: num, BASE_STATIC_DISCOUNT: num, BASE_STATIC_DISCOUNT_NEG: num,
    }),
    BasisContingency: v.object({ SCENARIO_SPOT_UP: num, SCENARIO_SPOT_DOWN: num, BASIS_CONT_ADD_FACTOR: num, BASIS_CONT_MULT_FACTOR: num }),
    OtherContingency: v.object({
      PEG_LOSS_THRESHOLD: num, PEG_LOSS_FACTOR: num, CONF_THRESHOLD: num, CONF_MARGIN: num,
      MM_PERP_PERCENT: num, IM_PERP_PERCENT: num, MM_OPTION_PERCENT: num, IM_OPTION_PERCENT: num,
    }),
  }),
  Result: v.optional(v.object({
    reg_losses: v.array(v.tuple([v.unknown(), v.unknown(), num])),
    tail_losses: v.array(v.tuple([v.unknown(), v.unknown(), num])),
    skew_losses: v.array(v.tuple([v.unknown(), num])),
    IM: num,
    MM: num,
  })),
});

/** What a case says the model gives: each scenario's PnL in the case's order, IM and MM. */
export interface DeriveExpected {
  scenarioPnls: number[];
  im: number;
  mm: number;
}

export interface DeriveCase {
  portfolio: DerivePortfolio;
  market: DeriveMarket;
  profile: DeriveProfile;
  expected?: DeriveExpected;
}

export interface DeriveCaseOptions {
  /** Name of the underlying (the cases do not say; default "ETH"). */
  underlying?: string;
  /**
   * Non-skew scenarios moving spot by more than this are labelled tail, the others regular
   * (default 0.18, the regular grid of the suite). Labels only: no figure depends on them.
   */
  regularRange?: number;
}

const VOL: Record<string, DeriveVolShock> = { Up: "up", Down: "down", None: "none", LINEAR: "linear", ABS: "abs" };
const iso = (seconds: number): string => new Date((CASE_REF_TIME + seconds) * 1000).toISOString();

/**
 * A PMRM_2 portfolio case as pmargin's Derive portfolio, market and profile (and, when the
 * case holds results, what they should give). Throws InputError naming the case's bad field.
 */
export function importDeriveCase(input: unknown, options: DeriveCaseOptions = {}, source?: string): DeriveCase {
  const parsed = v.safeParse(caseSchema, input, PARSE);
  if (!parsed.success) throw toInputError(parsed.issues, source);
  const { Scenario: s, Parameters: p, Result: r } = parsed.output;
  expectObject(options, "options", "{ underlying?, regularRange? }");
  refuseUnknownKeys(options, ["underlying", "regularRange"], "options");
  const underlying = options.underlying ?? "ETH";
  const regularRange = options.regularRange ?? 0.18;
  if (typeof underlying !== "string" || underlying === "") throw new InputError("options.underlying", `must be a name, got ${String(underlying)}`);
  if (!(typeof regularRange === "number" && regularRange >= 0 && regularRange < 100)) throw new InputError("options.regularRange", `must be a move ≥ 0 (0.18 = ±18%), got ${String(regularRange)}`);

  const names = new Set<string>();
  s.Collaterals.forEach((c, i) => {
    if (names.has(c.Name)) throw new InputError(`Scenario.Collaterals[${i}].Name`, `duplicate collateral ${c.Name}`, source);
    names.add(c.Name);
  });
  const portfolio: DerivePortfolio = {
    underlying,
    cash: s.Cash,
    ...(s.NumPerps !== 0 ? { perp: { quantity: s.NumPerps, unrealisedPnl: s.UnrealisedPerpPNL, unrealisedFunding: s.UnrealisedFunding } } : {}),
    options: s.Options.map((o) => ({ expiry: iso(o.Expiry), strike: o.Strike, right: o.IsCall ? "call" : "put", quantity: o.Amount })),
    collaterals: s.Collaterals.map((c) => ({ asset: c.Name, amount: c.Amount })),
  };
  const market: DeriveMarket = {
    asOf: iso(0),
    spot: { price: s.SpotPrice, confidence: s.SpotConfidence },
    ...(s.NumPerps !== 0 ? { perp: { price: s.PerpPrice, confidence: s.PerpConfidence } } : {}),
    stable: { price: s.StablePrice, confidence: s.StableConfidence },
    expiries: s.OptionFeeds.map((f) => {
      const [a, b, rho, m, sigma, forward, tau] = f.SVIparam;
      const fixing = f.FeedExpiry < FIXING_WINDOW ? (f.Forward * (FIXING_WINDOW - f.FeedExpiry)) / FIXING_WINDOW : 0;
      return {
        expiry: iso(f.FeedExpiry), forward: f.Forward, ...(fixing > 0 ? { forwardFixed: fixing } : {}),
        forwardConfidence: f.ForwardConfidence, rate: f.Rate, rateConfidence: f.RateConfidence,
        svi: { a, b, rho, m, sigma, forward, tau }, volConfidence: f.OptionVolConfidences,
      };
    }),
    collaterals: Object.fromEntries(s.Collaterals.map((c) => [c.Name, { price: c.Price, confidence: c.Confidence }])),
  };
  const scenarios = p.Scenarios.map((x): DeriveScenario => {
    const vol = VOL[x.VolShockDirection]!;
    const kind = vol === "linear" || vol === "abs" ? "skew" : Math.abs(x.SpotShock - 1) <= regularRange + 1e-12 ? "regular" : "tail";
    return { kind, spotShock: x.SpotShock, vol, dampening: x.DampeningFactor };
  });
  const profile: DeriveProfile = {
    model: "derive-pmrm2",
    name: "Derive PMRM_2 (parameters of a portfolio case)",
    source: "derivexyz/v2-core test/risk-managers/unit-tests/PMRM_2/portfolio_cases",
    scenarios,
    volShock: {
      rangeUp: p.VolShock.VOLRANGEUP, rangeDown: p.VolShock.VOLRANGEDOWN, shortTermPower: p.VolShock.SHORTTERMPOWER,
      longTermPower: p.VolShock.LONGTERMPOWER, dteFloorDays: p.VolShock.DTE_FLOOR, minVolUp: p.VolShock.MIN_VOL_EVAL_SHOCKED,
    },
    skewShock: {
      linearBaseCap: p.SkewShock.LINEAR_SCALE_CAP, absBaseCap: p.SkewShock.ABS_SCALE_CAP,
      linearCBase: p.SkewShock.LINEAR_CBASE, absCBase: p.SkewShock.ABS_CBASE, minKStar: p.SkewShock.MIN_K_STAR,
      widthScale: p.SkewShock.MIN_WIDTH_SCALE, volParamStatic: p.SkewShock.VOL_PARAM_STATIC, volParamScale: p.SkewShock.VOL_PARAM_SCALE,
    },
    margin: {
      imFactor: p.Margin.IM_LOSS_FACTOR, mmFactor: p.Margin.MM_LOSS_FACTOR,
      shortRateMultScale: p.Margin.SHORT_RATE_MULTSCALE, longRateMultScale: p.Margin.LONG_RATE_MULTSCALE,
      shortRateAddScale: p.Margin.SHORT_RATE_ADDSCALE, longRateAddScale: p.Margin.LONG_RATE_ADDSCALE,
      longBaseStaticDiscount: p.Margin.BASE_STATIC_DISCOUNT, shortBaseStaticDiscount: p.Margin.BASE_STATIC_DISCOUNT_NEG,
    },
    basisContingency: {
      spotUp: p.BasisContingency.SCENARIO_SPOT_UP, spotDown: p.BasisContingency.SCENARIO_SPOT_DOWN,
      addFactor: p.BasisContingency.BASIS_CONT_ADD_FACTOR, multFactor: p.BasisContingency.BASIS_CONT_MULT_FACTOR,
    },
    otherContingency: {
      pegLossThreshold: p.OtherContingency.PEG_LOSS_THRESHOLD, pegLossFactor: p.OtherContingency.PEG_LOSS_FACTOR,
      confThreshold: p.OtherContingency.CONF_THRESHOLD, confMargin: p.OtherContingency.CONF_MARGIN,
      mmPerpPercent: p.OtherContingency.MM_PERP_PERCENT, imPerpPercent: p.OtherContingency.IM_PERP_PERCENT,
      mmOptionPercent: p.OtherContingency.MM_OPTION_PERCENT, imOptionPercent: p.OtherContingency.IM_OPTION_PERCENT,
    },
    collaterals: Object.fromEntries(s.Collaterals.map((c) => [c.Name, { riskCancelling: c.IsRiskCancelling, imHaircut: c.IMHaircut, mmHaircut: c.MMHaircut }])),
  };
  const expected = r && {
    scenarioPnls: [...r.reg_losses.map((x) => x[2]), ...r.tail_losses.map((x) => x[2]), ...r.skew_losses.map((x) => x[1])],
    im: r.IM,
    mm: r.MM,
  };
  return { portfolio, market, profile, ...(expected ? { expected } : {}) };
}
