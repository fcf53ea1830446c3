// Publishes the input formats as JSON Schema files, generated from the valibot schemas that
// the parsers use, so the two cannot drift apart. Run: npx tsx scripts/json-schemas.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { marketSchema } from "../src/schema/market.js";
import { modelSchema } from "../src/schema/montecarlo.js";
import { portfolioSchema } from "../src/schema/portfolio.js";
import { profileSchema } from "../src/schema/profile.js";
import { stressFileSchema } from "../src/schema/stress.js";
import { accountSchema } from "../src/schema/account.js";
import { candidatesSchema } from "../src/schema/candidates.js";

/** Where `npx tsx scripts/json-schemas.ts` writes `<name>.schema.json`. */
export const SCHEMA_DIR = fileURLToPath(new URL("../dist/schemas/", import.meta.url));

const LEAD = "JSON Schema checks the structure, types and ranges of this file; pmargin's parser";
const DATES = "dates are ISO-8601 dates (YYYY-MM-DD) or date-times (YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]) naming a real calendar day (here they are only strings)";

interface Published {
  title: string;
  valibot: v.GenericSchema;
  description: string;
}

const PUBLISHED: Record<string, Published> = {
  portfolio: {
    title: "pmargin portfolio",
    valibot: portfolioSchema,
    description:
      `A portfolio of spot, future and option positions. ${LEAD} (parsePortfolio) also checks what JSON Schema cannot express: ` +
      `${DATES}; a linear future's size is contractSize and an inverse future's is faceValue, never the other one. ` +
      "Against a market (checkAgainstMarket) it also checks that every position's underlying is in the market, " +
      "that an option's underlying has an implied-vol surface, and that a dated position expires after the market's asOf.",
  },
  market: {
    title: "pmargin market data",
    valibot: marketSchema,
    description:
      `Index levels, rates, forwards and implied-vol surfaces at asOf. ${LEAD} (parseMarket) also checks what JSON Schema cannot express: ` +
      `${DATES}; underlyings names at least one underlying; a surface slice gives exactly one of strikes and logMoneyness ` +
      "(with strictly increasing nodes and one vol per node) and svi (without vols; sviRange only with svi, holding 0, " +
      "and a positive total variance over it); every forward and surface-slice expiry is after asOf, " +
      "with at most one forward and one slice per expiry of an underlying.",
  },
  "montecarlo-model": {
    title: "pmargin Monte Carlo model",
    valibot: modelSchema,
    description:
      `A Monte Carlo VaR/ES model; omitted fields take their defaults. ${LEAD} (parseMonteCarloModel) checks nothing more, ` +
      "but a run that resolves the model against a portfolio and market also checks what JSON Schema cannot express: " +
      "a horizon of at most 365 days; a correlation that lists every underlying held, once, " +
      "with a square, symmetric matrix of one row per listed underlying and a unit diagonal; jumps whose variance stays below each underlying's vol² with at most 20 expected jumps per horizon; " +
      "a vol in vols, or an implied-vol surface in the market, for every underlying held; VaR/ES levels that leave at least one path in the tail.",
  },
  profile: {
    title: "pmargin margin profile",
    valibot: profileSchema,
    description:
      `Scenario-grid margin parameters of a venue. ${LEAD} (parseProfile) also checks what JSON Schema cannot express: ` +
      "every defaults.extended[].vol names one of defaults.volStates.",
  },
  "stress-scenarios": {
    title: "pmargin stress scenarios",
    valibot: stressFileSchema,
    description:
      `Historical, shock and correlation-to-one stress scenarios. ${LEAD} (parseStressScenarios) also checks what JSON Schema cannot express: ` +
      `${DATES}. Running a historical scenario also checks that to is after from and that the price history covers the window.`,
  },
  account: {
    title: "pmargin account",
    valibot: accountSchema,
    description:
      `Venues with their positions and collateral, haircuts, status thresholds, add-on parameters and depeg prices. ${LEAD} (parseAccount) also checks what JSON Schema cannot express: ` +
      `${DATES}; venue names are distinct; thresholds.marginCall is at most thresholds.liquidation; concentration tiers rise. ` +
      "Against a market (checkAccountAgainstMarket) it also checks every position as a portfolio's, and that every collateral asset is a USD stable or an underlying of the market.",
  },
  "hedge-candidates": {
    title: "pmargin hedge candidates",
    valibot: candidatesSchema,
    description:
      `Instruments margin optimisation may add (pmargin hedge --candidates): each position is one unit, sized up to ±maxSize. ${LEAD} (parseHedgeCandidates) also checks what JSON Schema cannot express: ` +
      `${DATES}. Against a market each position is checked as a portfolio's.`,
  },
};

/** The JSON Schema of each input format, keyed by file name without `.schema.json`. */
export function jsonSchemas(): Record<string, object> {
  return Object.fromEntries(
    Object.entries(PUBLISHED).map(([name, { title, valibot, description }]) => {
      // The skipped actions are the rules named in `description`. `finite` needs no twin:
      // JSON has no NaN or Infinity. "output" converts a pipeline's last schema: the object
      // behind the parsers' not-an-array guard, which "type": "object" already says in JSON
      // Schema. Any other unconvertible construct still throws.
      const { $schema, ...body } = toJsonSchema(valibot, { typeMode: "output", ignoreActions: ["finite", "check", "raw_check"] });
      return [name, { $schema, $id: `https://pmargin.dev/schemas/${name}.schema.json`, title, description, ...body }];
    }),
  );
}

/** A schema as written to disk: the converter's key order (which follows the valibot entries), two-space indent. */
export function schemaFileText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function writeSchemaFiles(): void {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    writeFileSync(resolve(SCHEMA_DIR, `${name}.schema.json`), schemaFileText(schema));
  }
}

// Write only when run as a script, not when a test imports jsonSchemas().
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) writeSchemaFiles();
