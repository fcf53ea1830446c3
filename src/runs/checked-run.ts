// A recorded run (method and parameters) checked with the parsers a command's own files go
// through, so that a record cannot make verify run what the CLI would refuse: a profile with
// mmFactor −1 is an InputError naming reproducibility.run.profile.mmFactor, not a "verified" MM.
import { expectObject, InputError, refuseUnknownKeys } from "../errors.js";
import { under } from "../schema/checked.js";
import { checkedModel } from "../schema/montecarlo.js";
import { checkedProfile } from "../schema/profile.js";
import { checkedScenarios } from "../schema/stress.js";
import { MARGIN_METHODS, METHODS, type MarginRun, type RunSpec } from "./registry.js";

/** The keys each recorded command's run has (margin's: its margin method's, checkedMargin). */
const RUN_KEYS: Record<Exclude<RunSpec["command"], "margin">, readonly string[]> = {
  value: ["command"],
  grid: ["command", "profile", "perPosition"],
  "monte-carlo": ["command", "model"],
  historical: ["command", "options"],
  stress: ["command", "scenarios"],
  whatif: ["command", "margin", "orders"],
  backtest: ["command", "options"],
  account: ["command", "margin", "distanceToLiquidation"],
  paradex: ["command", "profile", "orders", "feeRate"],
  okx: ["command", "profile"],
  bybit: ["command", "profile"],
  derive: ["command", "profile"],
};

const MARGIN_KEYS: Record<MarginRun["method"], readonly string[]> = {
  grid: ["method", "profile"],
  "monte-carlo": ["method", "model", "mmRatio"],
  historical: ["method", "options", "mmRatio"],
};

function flag(value: unknown, path: string): void {
  if (value !== undefined && typeof value !== "boolean") throw new InputError(path, "must be true or false");
}

/** A recorded margin method (`margin`'s own fields, or whatif's and account's `margin`), its profile or model parsed. */
function checkedMargin<R extends MarginRun>(run: R, path: string, extra: readonly string[] = []): R {
  expectObject(run, path, "a margin method");
  const keys = Object.hasOwn(MARGIN_METHODS, run.method) ? MARGIN_KEYS[run.method] : undefined;
  if (!keys) throw new InputError(`${path}.method`, `must be one of ${Object.keys(MARGIN_METHODS).join(", ")}, got ${JSON.stringify(run.method)}`);
  refuseUnknownKeys(run, [...keys, ...extra], path);
  const ratio = (run as { mmRatio?: unknown }).mmRatio;
  if (ratio !== undefined && !(typeof ratio === "number" && ratio > 0 && ratio <= 1)) throw new InputError(`${path}.mmRatio`, "must be within (0, 1]");
  if (run.method === "grid") return { ...run, profile: checkedProfile(run.profile, `${path}.profile`) };
  if (run.method === "monte-carlo") return { ...run, model: checkedModel(run.model ?? {}, `${path}.model`) };
  expectObject(run.options, `${path}.options`, "an object of historical options", true);
  return run;
}

/**
 * `run` (a record's reproducibility.run) as the registry runs it: a known command with
 * only its own keys, each parameter parsed; InputErrors name `path` and the field.
 */
export function checkedRun(run: unknown, path = "reproducibility.run"): RunSpec {
  expectObject(run, path, "a recorded run { command, … }");
  const spec = run as RunSpec;
  if (typeof spec.command !== "string" || !Object.hasOwn(METHODS, spec.command)) {
    throw new InputError(`${path}.command`, `unknown command ${JSON.stringify(spec.command)}: one of ${Object.keys(METHODS).join(", ")}`);
  }
  if (spec.command !== "margin") refuseUnknownKeys(spec, RUN_KEYS[spec.command], path);
  switch (spec.command) {
    case "value":
      return spec;
    case "grid":
      flag(spec.perPosition, `${path}.perPosition`);
      return { ...spec, profile: checkedProfile(spec.profile, `${path}.profile`) };
    case "monte-carlo":
      return { ...spec, model: checkedModel(spec.model, `${path}.model`) };
    case "historical":
    case "backtest":
      expectObject(spec.options, `${path}.options`, "an object of options", true);
      return spec;
    case "stress":
      return { ...spec, scenarios: under(path, () => checkedScenarios(spec.scenarios)) };
    case "margin":
      return checkedMargin(spec, path, ["command"]);
    case "whatif":
      return { ...spec, margin: checkedMargin(spec.margin, `${path}.margin`) };
    case "account":
      flag(spec.distanceToLiquidation, `${path}.distanceToLiquidation`);
      return { ...spec, margin: checkedMargin(spec.margin, `${path}.margin`) };
    case "paradex":
      if (spec.feeRate !== undefined && !(typeof spec.feeRate === "number" && spec.feeRate >= 0 && spec.feeRate <= 1)) {
        throw new InputError(`${path}.feeRate`, "must be a fee rate within [0, 1]");
      }
      return { ...spec, profile: checkedProfile(spec.profile, `${path}.profile`) };
    case "okx":
    case "bybit":
      return { ...spec, profile: checkedProfile(spec.profile, `${path}.profile`) };
    case "derive":
      // Its profile is parsed with the inputs (the registry's parse), under this path.
      return spec;
  }
}
