// The margin profiles that ship with pmargin (src/profiles/*.json, sources in its README).
import { InputError } from "../errors.js";
import { parseProfile } from "./profile.js";
import bybit from "../profiles/bybit.json" with { type: "json" };
import deribit from "../profiles/deribit.json" with { type: "json" };
import okx from "../profiles/okx.json" with { type: "json" };
import paradex from "../profiles/paradex.json" with { type: "json" };
import span from "../profiles/span.json" with { type: "json" };
import type { MarginProfile } from "../model/profile.js";

const BUILT_IN: Record<string, unknown> = { deribit, paradex, bybit, okx, span };

export const builtInProfileNames = Object.keys(BUILT_IN);

/** A shipped profile by name, validated like a user's own. */
export function builtInProfile(name: string): MarginProfile {
  const data = BUILT_IN[name];
  if (data === undefined) throw new InputError("profile", `unknown profile ${name} (built in: ${builtInProfileNames.join(", ")}; or give a .json file)`);
  return parseProfile(data, `profiles/${name}.json`);
}
