// A TypeScript consumer's view: every entry point resolves with its types (noImplicitAny
// refuses a module without them), the profiles as JSON modules.
import { createEngine, type GridMarginResult } from "pmargin";
import { ScenarioSet } from "pmargin/engine";
import { referenceBackend } from "pmargin/reference";
import { kupiec } from "pmargin/risk";
import { RiskPool } from "pmargin/parallel";
import type {} from "pmargin/parallel-worker";
import { shippedSeries } from "pmargin/shipped-history";
import deribit from "pmargin/profiles/deribit.json" with { type: "json" };

export const uses: [typeof createEngine, GridMarginResult | undefined, typeof ScenarioSet, typeof referenceBackend, typeof kupiec, typeof RiskPool, typeof shippedSeries, string] =
  [createEngine, undefined, ScenarioSet, referenceBackend, kupiec, RiskPool, shippedSeries, deribit.name];
