// The checks every venue method (paradexMargin, okxMargin, bybitMargin) makes first: its backend and market,
// its options object and their keys, and a profile that has the venue's own section.
import { assertBackend, type Backend } from "../engine/backend.js";
import { expectObject, InputError, refuseUnknownKeys } from "../errors.js";
import { assertMarket, type Market } from "../market/market.js";
import type { MarginProfile } from "../model/profile.js";
import { checkedProfile } from "../schema/profile.js";
import { paramsFor } from "./grid/grid.js";

/** The venues whose rules beyond the grid a profile section holds, and what each section carries. */
export const SECTIONS = { paradex: "funding, fees, orders", okx: "IM factor, MR7", bybit: "IM factor, contingency rates" } as const;

/** `options.profile` checked, with its `venue` section (an InputError naming what is wrong otherwise). */
export function venueProfile<V extends keyof typeof SECTIONS>(
  backend: Backend, market: Market, options: { profile: MarginProfile }, keys: readonly string[], shape: string, venue: V,
): MarginProfile & Required<Pick<MarginProfile, V>> {
  assertBackend(backend);
  assertMarket(market);
  expectObject(options, "options", shape);
  refuseUnknownKeys(options, keys, "options");
  const profile = checkedProfile(options.profile, "options.profile");
  if (!profile[venue]) throw new InputError(`options.profile.${venue}`, `profile ${profile.name} has no ${venue} section (${SECTIONS[venue]}): use the built-in "${venue}" or a copy of it`);
  return profile as MarginProfile & Required<Pick<MarginProfile, V>>;
}

/** A venue whose grid has exactly these vol states, in this order, for every underlying of the market (an InputError otherwise). */
export function requireVolStates(profile: MarginProfile, market: Market, names: readonly string[], venue: string): void {
  for (const u of market.names) {
    const got = paramsFor(profile, u).volStates.map((v) => v.name);
    if (got.join() !== names.join()) {
      throw new InputError("options.profile", `${venue}'s grid has the vol states ${names.join(", ")}: ${u}'s are ${got.join(", ")}`);
    }
  }
}
