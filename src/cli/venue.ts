// A venue's own command (okx, bybit): the portfolio and market read, the profile loaded and
// required to carry the venue's section, the recorded run made (or its --json record printed).
import { createEngine } from "../engine/engine.js";
import { InputError } from "../errors.js";
import { SECTIONS } from "../methods/venue-profile.js";
import type { InputsOf, ResultOf, RunSpec } from "../runs/registry.js";
import { loadProfile } from "./grid.js";
import { readPortfolioInputs, recordedRun, type CommandInputs } from "./recorded.js";

export interface VenueCommandOptions {
  profile: string;
  json?: boolean;
  inputs?: boolean;
}

type Venue = "okx" | "bybit";
type VenueSpec<V extends Venue> = Extract<RunSpec, { command: V }>;

/** The venue's result and the portfolio's name, to print; undefined once --json has printed the record. */
export async function venueRun<V extends Venue>(
  venue: V, portfolioPath: string, marketPath: string, opts: VenueCommandOptions,
): Promise<{ result: ResultOf<VenueSpec<V>>; name: string } | undefined> {
  const given = await readPortfolioInputs(portfolioPath, marketPath);
  const profile = await loadProfile(opts.profile);
  if (!profile[venue]) throw new InputError("--profile", `${opts.profile} has no ${venue} section (${SECTIONS[venue]}): use ${venue} or a copy of src/profiles/${venue}.json`);
  const spec = { command: venue, profile } as VenueSpec<V>;
  const result = await recordedRun(await createEngine(), spec, given as CommandInputs<InputsOf<VenueSpec<V>>>, opts);
  return result && { result, name: given.parsed.portfolio.name ?? portfolioPath };
}
