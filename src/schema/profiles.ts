// The margin profiles that ship with pmargin (src/profiles/*.json, sources in its README).
import { InputError } from "../errors.js";
import { parseProfile } from "./profile.js";
import bybit from "../profiles/bybit.json" with { type: "json" };
import deribit from "../profiles/deribit.json" with { type: "json" };
import okx from "../profiles/okx.json" with { type: "json" };
import paradex from "../profiles/paradex.json" with { type: "json" };
import span from "../profiles/span.json" with { type: "json" };
import type { BuiltInProfileName, MarginProfile } from "../model/profile.js";

export type { BuiltInProfileName };

const BUILT_IN: Record<BuiltInProfileName, unknown> = { deribit, paradex, bybit, okx, span };

/**
 * The shipped profiles' names, in a stable order.
 *
 * @example
 * ```ts
 * import { builtInProfileNames } from "pmargin";
 * builtInProfileNames; // ["deribit", "paradex", "bybit", "okx", "span"]
 * ```
 */
export const builtInProfileNames: readonly BuiltInProfileName[] = Object.keys(BUILT_IN) as BuiltInProfileName[];

/**
 * A shipped profile by name, validated like a user's own. A name that is not built in
 * (from a command line or a file, cast to the type) throws an InputError naming `profile`.
 *
 * @example
 * ```ts
 * import { builtInProfile, createEngine, gridMargin, prepareInputs } from "pmargin";
 * const { portfolio, market } = prepareInputs(portfolioJson, marketJson);
 * const margin = gridMargin(await createEngine(), portfolio.positions, market, { profile: builtInProfile("deribit") });
 * ```
 */
export function builtInProfile(name: BuiltInProfileName): MarginProfile {
  const data = Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name] : undefined;
  if (data === undefined) throw new InputError("profile", `unknown profile ${name} (built in: ${builtInProfileNames.join(", ")}; or give a .json file)`);
  return parseProfile(data, `profiles/${name}.json`);
}
