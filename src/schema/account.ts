// The account.json schema: exactly the Account type of src/model/account.ts — venues with
// their positions (written as in a portfolio) and collateral, haircuts, thresholds,
// add-on parameters, depeg prices — and its checks against a market.
import * as v from "valibot";
import { InputError, refuseUnknownNames } from "../errors.js";
import { builtInProfileNames, type BuiltInProfileName } from "./profiles.js";
import { checkedThresholds, checkedTiers, isStable, USD_STABLES, type Account } from "../model/account.js";
import type { MarketData } from "../model/types.js";
import { checkPriceable } from "./cross.js";
import { atIndex, group, keyed, MAX_QUANTITY, oneOf, PARSE, positive, rule, schemaRef, strict, symbol, text, within } from "./fields.js";
import { toInputError } from "./issues.js";
import { checked, markParsed } from "./checked.js";
import { parseMarket } from "./market.js";
import { position } from "./portfolio.js";

const HAIRCUT = rule("must be within [0, 1) (a fraction of the value: 0.05 means 5%)");
const haircut = v.pipe(v.number(HAIRCUT), v.finite(HAIRCUT), v.minValue(0, HAIRCUT), v.ltValue(1, HAIRCUT));
const haircuts = keyed(haircut, rule("must map assets to haircuts"));
const ratio = v.pipe(positive, v.maxValue(100, rule("must be ≤ 100 (a ratio MM / equity: 1 means 100%)")));

const collateral = strict("a collateral balance", { asset: symbol, quantity: within(0, MAX_QUANTITY, " (units of the asset held)") });

const venue = strict("a venue", {
  name: symbol,
  profile: v.optional(oneOf(builtInProfileNames as readonly [BuiltInProfileName, ...BuiltInProfileName[]])),
  positions: v.optional(v.array(position, rule("must be an array of positions"))),
  collateral: v.optional(v.array(collateral, rule("must be an array of collateral balances"))),
  haircuts: v.optional(haircuts),
  failureLoss: v.optional(within(0, 1, " (a share of the venue's equity)")),
});

const DEPEGGABLE = USD_STABLES.filter((s) => s !== "USD");
const depegPrice = within(0, 2, " (USD per unit in the stress)");

const addOns = strict("addOns", {
  liquidity: v.optional(strict("addOns.liquidity", { stress: v.optional(within(1, 100, " (a multiplier of today's spread and vol)")) })),
  concentration: v.optional(strict("addOns.concentration", {
    tiers: v.optional(v.array(strict("a concentration tier", { above: within(0, 1e6, " (a share of open interest)"), rate: within(0, 1, " (a fraction of the notional)") }), rule("must be an array of tiers"))),
  })),
});

export const accountSchema = group("an account", {
  ...schemaRef,
  name: v.optional(text),
  venues: v.pipe(
    v.array(venue, rule("must be an array of venues")),
    v.minLength(1, "no venues: an account holds its positions and collateral on at least one"),
    v.rawCheck<v.InferOutput<typeof venue>[]>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const names = dataset.value.map((x) => x.name);
      const j = names.findIndex((n, i) => names.indexOf(n) !== i);
      if (j >= 0) addIssue({ message: `duplicate venue name ${JSON.stringify(names[j])}`, path: [atIndex(dataset.value, j)] });
    }),
  ),
  haircuts: v.optional(haircuts),
  thresholds: v.optional(strict("thresholds", { marginCall: ratio, liquidation: ratio })),
  addOns: v.optional(addOns),
  depeg: v.optional(strict("depeg (stablecoins and their stress prices)", Object.fromEntries(DEPEGGABLE.map((s) => [s, v.optional(depegPrice)])))),
  liquidationSearch: v.optional(strict("liquidationSearch", {
    maxMove: v.optional(v.pipe(positive, v.ltValue(1, rule("must be < 1 (a move of the index)")))),
    steps: v.optional(v.pipe(within(1, 1000), v.integer(rule("must be a whole number")))),
  })),
});

/** Re-raises `check`'s InputError with its path under `prefix`. */
function under(prefix: string, source: string | undefined, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(prefix && e.path ? `${prefix}.${e.path}` : prefix + e.path, e.reason, source);
    throw e;
  }
}

/**
 * Validates a parsed account.json; throws InputError naming the first bad field.
 *
 * @example
 * ```ts
 * import { accountMargin, builtInProfile, parseAccount, parseMarket } from "pmargin";
 * const account = parseAccount(accountJson, "account.json");
 * const status = accountMargin(engine, account, parseMarket(marketJson), { method: "grid", profile: builtInProfile("deribit") });
 * ```
 */
export function parseAccount(input: unknown, source?: string): Account {
  const result = v.safeParse(accountSchema, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  const account = result.output;
  // The rules between fields: marginCall ≤ liquidation, tiers rising.
  under("", source, () => {
    checkedThresholds(account.thresholds);
    checkedTiers(account.addOns?.concentration?.tiers);
  });
  for (const venue of account.venues) for (const p of venue.positions ?? []) markParsed(p, "position");
  return markParsed(account, "account");
}

/**
 * Every venue's positions priceable with the market (as checkAgainstMarket checks a
 * portfolio), and every collateral asset a USD stable or an underlying of the market.
 *
 * @example
 * ```ts
 * import { checkAccountAgainstMarket, parseAccount, parseMarket } from "pmargin";
 * checkAccountAgainstMarket(parseAccount(accountJson), parseMarket(marketJson), "account.json");
 * ```
 */
export function checkAccountAgainstMarket(account: Account, market: MarketData, source?: string): void {
  account = checked(account, "account", parseAccount, "account");
  market = checked(market, "market", parseMarket, "market");
  const names = Object.keys(market.underlyings);
  // A haircut for an asset the account cannot hold (a typo: btc for BTC) would never apply.
  const assets = [...names, ...USD_STABLES];
  const where = "the assets are the market's underlyings and the USD stables:";
  refuseUnknownNames(account.haircuts, assets, "haircuts", "asset", where, source);
  account.venues.forEach((venue, i) => {
    refuseUnknownNames(venue.haircuts, assets, `venues[${i}].haircuts`, "asset", where, source);
    under(`venues[${i}]`, source, () => checkPriceable({ positions: venue.positions ?? [] }, market));
    venue.collateral?.forEach((c, j) => {
      if (isStable(c.asset) || Object.hasOwn(market.underlyings, c.asset)) return;
      throw new InputError(`venues[${i}].collateral[${j}].asset`, `unknown asset ${c.asset}: neither an underlying of the market (${names.join(", ")}) nor a USD stable (${USD_STABLES.join(", ")})`, source);
    });
  });
}
