// Schema of a Binance Portfolio Margin account (src/model/binance.ts), so a bad field is named.
import * as v from "valibot";
import { binanceNotional, type BinanceAccount } from "../model/binance.js";
import { InputError } from "../errors.js";
import { MAX_QUANTITY, PARSE, group, price, quantity, rule, strict, symbol, within } from "./fields.js";
import { toInputError } from "./issues.js";

const amount = within(0, MAX_QUANTITY);
const rate = within(0, 1);
const usd = within(0, 1e15, " (USD)");
const CONTIGUOUS = rule("must start from 0, each tier's floor the previous tier's cap");
/** Ranges [floor, cap] from 0, each starting where the previous ends. */
const contiguous = (ranges: [number, number][]): boolean =>
  ranges.length > 0 && ranges[0]![0] === 0 && ranges.every(([floor, cap], i) => cap > floor && (i === 0 || floor === ranges[i - 1]![1]));

const collateralTiers = v.pipe(
  v.array(strict("a collateral tier", { tierFloor: usd, tierCap: usd, collateralRate: rate }), rule("must be an array of tiers")),
  v.check((ts) => contiguous(ts.map((t) => [t.tierFloor, t.tierCap])), CONTIGUOUS),
);
const brackets = v.pipe(
  v.array(strict("a bracket", { notionalFloor: usd, notionalCap: usd, maintMarginRatio: rate, cum: usd }), rule("must be an array of brackets")),
  v.check((bs) => contiguous(bs.map((b) => [b.notionalFloor, b.notionalCap])), CONTIGUOUS),
);

const account = group("a Binance Portfolio Margin account", {
  assets: v.array(strict("an asset", {
    asset: symbol, indexPrice: price,
    marginAsset: v.optional(amount), marginLoan: v.optional(amount), futuresAsset: v.optional(quantity),
    marginMMR: v.optional(rate), openLoss: v.optional(amount),
    collateralRate: v.optional(rate), collateralTiers: v.optional(collateralTiers),
  }), rule("must be an array of assets")),
  positions: v.optional(v.array(strict("a position", {
    symbol, type: v.picklist(["UM", "CM"], rule('must be "UM" or "CM"')), asset: symbol,
    positionAmt: quantity, markPrice: price, entryPrice: v.optional(price), contractSize: v.optional(within(1e-9, 1e9)), brackets,
  }), rule("must be an array of positions"))),
});

/** Validates a Binance Portfolio Margin account (docs/binance.md); throws InputError naming the first bad field. */
export function parseBinanceAccount(input: unknown, source?: string): BinanceAccount {
  const result = v.safeParse(account, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  const out = result.output as BinanceAccount;
  const names = out.assets.map((a) => a.asset);
  const twice = names.findIndex((n, i) => names.indexOf(n) !== i);
  if (twice >= 0) throw new InputError(`assets[${twice}].asset`, `${names[twice]} is listed twice`, source);
  (out.positions ?? []).forEach((p, k) => {
    if (!names.includes(p.asset)) throw new InputError(`positions[${k}].asset`, `${p.asset} is not among the assets (its index price is needed)`, source);
    const cap = p.brackets[p.brackets.length - 1]!.notionalCap;
    if (binanceNotional(p) > cap) throw new InputError(`positions[${k}].brackets`, `the position's notional ${binanceNotional(p)} is above the last bracket's cap ${cap}`, source);
  });
  return out;
}
