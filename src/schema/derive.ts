// The Derive (PMRM_2) input files: a subaccount (portfolio), the feeds it reads (market) and
// the manager's parameters (profile). Each refuses unknown keys and names the bad field.
import * as v from "valibot";
import { expectObject, InputError } from "../errors.js";
import type { DeriveMarket, DerivePortfolio, DeriveProfile } from "../model/derive.js";
import { atIndex, group, keyed, isoDate, oneOf, positive, price, quantity, rule, schemaRef, strict, symbol, text, within, PARSE } from "./fields.js";
import { isParsed, markParsed } from "./checked.js";
import { toInputError } from "./issues.js";
import deriveProfileJson from "../profiles/derive.json" with { type: "json" };

const unit = within(0, 1);
const nonNegative = within(0, 1e12);
const confident = strict("a confident price", { price, confidence: unit });

const portfolioSchema = group("a Derive portfolio", {
  ...schemaRef,
  underlying: symbol,
  cash: within(-1e15, 1e15),
  perp: v.optional(strict("a perp holding", { quantity, unrealisedPnl: within(-1e15, 1e15), unrealisedFunding: within(-1e15, 1e15) })),
  options: v.array(strict("an option", { expiry: isoDate, strike: price, right: oneOf(["call", "put"]), quantity }), rule("must be an array of options")),
  collaterals: v.array(strict("a collateral holding", { asset: symbol, amount: nonNegative }), rule("must be an array of collateral holdings")),
});

const svi = strict("SVI parameters", {
  a: within(-1e6, 1e6), b: nonNegative, rho: within(-1, 1), m: within(-1e6, 1e6), sigma: positive, forward: price, tau: positive,
});

const marketSchema = group("a Derive market", {
  ...schemaRef,
  asOf: isoDate,
  spot: confident,
  perp: v.optional(confident),
  stable: confident,
  expiries: v.array(strict("an expiry feed", {
    expiry: isoDate, forward: price, forwardFixed: v.optional(nonNegative), forwardConfidence: unit,
    rate: within(-10, 10), rateConfidence: unit, svi, volConfidence: unit,
  }), rule("must be an array of expiry feeds")),
  collaterals: keyed(confident, rule("must map collateral assets to their prices")),
});

const VOL_SHOCKS = ["up", "down", "none", "linear", "abs"] as const;

const profileSchema = group("a Derive profile", {
  ...schemaRef,
  model: v.literal("derive-pmrm2", rule('must be "derive-pmrm2"')),
  name: v.optional(text),
  source: v.optional(text),
  scenarios: v.pipe(
    v.array(strict("a scenario", { kind: oneOf(["regular", "tail", "skew"]), spotShock: within(0, 100), vol: oneOf(VOL_SHOCKS), dampening: within(0, 100) }),
      rule("must be an array of scenarios")),
    v.minLength(1, "must hold at least one scenario"),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      dataset.value.forEach((s, i) => {
        const skew = s.vol === "linear" || s.vol === "abs";
        if (skew !== (s.kind === "skew")) {
          addIssue({ message: `a ${s.vol} vol shock is ${skew ? "a skew scenario" : "not a skew scenario"}: kind must be ${skew ? "skew" : "regular or tail"}, got ${s.kind}`, path: [atIndex(dataset.value, i)] });
        } else if (skew && s.spotShock !== 1) {
          addIssue({ message: `a skew scenario's spotShock must be 1 (PMRM_2 tilts the smile at today's forward and ignores a spot shock), got ${s.spotShock}`, path: [atIndex(dataset.value, i)] });
        }
      });
    }),
  ),
  volShock: strict("the vol-shock parameters", {
    rangeUp: within(0, 10), rangeDown: within(0, 10), shortTermPower: within(-10, 10), longTermPower: within(-10, 10),
    dteFloorDays: within(0, 400), minVolUp: within(0, 20),
  }),
  skewShock: strict("the skew-shock parameters", {
    linearBaseCap: within(0, 10), absBaseCap: within(0, 10), linearCBase: within(-10, 10), absCBase: within(-10, 10),
    minKStar: within(0, 10), widthScale: within(0, 10), volParamStatic: within(0, 10), volParamScale: within(-20, 20),
  }),
  margin: strict("the margin parameters", {
    imFactor: within(0.5, 10), mmFactor: within(0.1, 10),
    shortRateMultScale: within(0, 10), longRateMultScale: within(0, 10), shortRateAddScale: within(0, 10), longRateAddScale: within(0, 10),
    longBaseStaticDiscount: within(0, 4), shortBaseStaticDiscount: within(0, 4),
  }),
  basisContingency: strict("the basis-contingency parameters", {
    spotUp: within(1, 3), spotDown: within(0, 1), addFactor: within(0, 20), multFactor: within(0, 20),
  }),
  otherContingency: strict("the other contingency parameters", {
    pegLossThreshold: within(0, 100), pegLossFactor: within(0, 10), confThreshold: unit, confMargin: within(0, 20),
    mmPerpPercent: within(0, 3), imPerpPercent: within(0, 3), mmOptionPercent: within(0, 2), imOptionPercent: within(0, 2),
  }),
  collaterals: keyed(v.pipe(
    strict("a collateral's parameters", { riskCancelling: v.boolean(rule("must be true or false")), imHaircut: unit, mmHaircut: unit }),
    v.check((c) => c.imHaircut + c.mmHaircut <= 1, "imHaircut + mmHaircut must be ≤ 1 (PMRMLib_2's bound)"),
  ), rule("must map collateral assets to their parameters")),
});

function parseWith<T>(schema: v.GenericSchema<unknown, T>, input: unknown, source?: string): T {
  const result = v.safeParse(schema, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  return result.output;
}

/** Validates a Derive portfolio (one PMRM_2 subaccount); throws InputError naming the first bad field. */
export function parseDerivePortfolio(input: unknown, source?: string): DerivePortfolio {
  return markParsed(parseWith(portfolioSchema, input, source), "derivePortfolio");
}

/** Validates a Derive market: every expiry and collateral at most once. */
export function parseDeriveMarket(input: unknown, source?: string): DeriveMarket {
  const market = parseWith(marketSchema, input, source);
  const seen = new Set<number>();
  market.expiries.forEach((e, i) => {
    const t = Date.parse(e.expiry);
    if (seen.has(t)) throw new InputError(`expiries[${i}].expiry`, `duplicate expiry ${e.expiry}`, source);
    seen.add(t);
    if ((e.forwardFixed ?? 0) > e.forward) throw new InputError(`expiries[${i}].forwardFixed`, `must be ≤ the forward ${e.forward}, got ${e.forwardFixed}`, source);
  });
  return markParsed(market, "deriveMarket");
}

/** Validates a Derive (PMRM_2) profile. */
export function parseDeriveProfile(input: unknown, source?: string): DeriveProfile {
  return markParsed(parseWith(profileSchema, input, source), "deriveProfile");
}

/**
 * Derive's PMRM_2 parameters as its deployment script sets them on a new market
 * (src/profiles/derive.json, its source inside): the scenarios, vol and skew shocks,
 * margin factors and contingencies. Collateral parameters are set per market on chain
 * and are not there: a portfolio holding collateral other than cash needs a profile
 * file that gives them.
 *
 * @example
 * ```ts
 * import { builtInDeriveProfile, createEngine, deriveMargin, parseDeriveInputs } from "pmargin";
 * const { portfolio, market } = parseDeriveInputs(portfolioJson, marketJson, builtInDeriveProfile());
 * const margin = deriveMargin(await createEngine(), portfolio, market, builtInDeriveProfile());
 * ```
 */
export function builtInDeriveProfile(): DeriveProfile {
  return parseDeriveProfile(deriveProfileJson, "profiles/derive.json");
}

/** True for a profile document of Derive's model (what `--profile` reads decides the method). */
export const isDeriveProfile = (input: unknown): boolean =>
  typeof input === "object" && input !== null && (input as { model?: unknown }).model === "derive-pmrm2";

/** The three inputs as parseDeriveInputs gives them: as they are when its parsers made them, parsed otherwise. */
export function checkedDeriveInputs(
  portfolio: unknown, market: unknown, profile: unknown,
): { portfolio: DerivePortfolio; market: DeriveMarket; profile: DeriveProfile } {
  if (isParsed(portfolio, "derivePortfolio") && isParsed(market, "deriveMarket") && isParsed(profile, "deriveProfile")) {
    return { portfolio: portfolio as DerivePortfolio, market: market as DeriveMarket, profile: profile as DeriveProfile };
  }
  return parseDeriveInputs(portfolio, market, profile, { portfolio: "portfolio", market: "market", profile: "profile" });
}

/** The three files, and the cross-checks between them: every option's expiry has a feed, every collateral a price and parameters. */
export function parseDeriveInputs(
  portfolioInput: unknown, marketInput: unknown, profileInput: unknown,
  sources: { portfolio?: string; market?: string; profile?: string } = {},
): { portfolio: DerivePortfolio; market: DeriveMarket; profile: DeriveProfile } {
  expectObject(sources, "sources", "{ portfolio?, market?, profile? } (the names errors give each input)");
  const portfolio = parseDerivePortfolio(portfolioInput, sources.portfolio);
  const market = parseDeriveMarket(marketInput, sources.market);
  const profile = parseDeriveProfile(profileInput, sources.profile);
  const feeds = new Set(market.expiries.map((e) => Date.parse(e.expiry)));
  portfolio.options.forEach((o, i) => {
    if (!feeds.has(Date.parse(o.expiry))) throw new InputError(`options[${i}].expiry`, `the market has no feed for ${o.expiry}`, sources.portfolio);
  });
  portfolio.collaterals.forEach(({ asset }, i) => {
    if (!Object.hasOwn(market.collaterals, asset)) throw new InputError(`collaterals[${i}].asset`, `the market has no price for ${asset}`, sources.portfolio);
    if (!Object.hasOwn(profile.collaterals, asset)) throw new InputError(`collaterals[${i}].asset`, `${asset} is not a collateral of the profile`, sources.portfolio);
  });
  if (portfolio.perp && portfolio.perp.quantity !== 0 && !market.perp) throw new InputError("perp", "a perpetual is held but the market has no perp price", sources.market);
  return { portfolio, market, profile };
}
