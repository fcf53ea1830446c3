// Comparing a PMRM_2 margin with what a Derive portfolio case states, at the authors'
// tolerance: 1e-8 relative, and 1e-8 absolute where either value is below 1e-10 in
// magnitude (their harness compares 18-decimal fixed point: 1e10 wei, under 1e8 wei).
import { expectFinite, expectObject, InputError } from "../../errors.js";
import type { DeriveMarginResult } from "../../model/derive.js";
import type { DeriveExpected } from "../../schema/derive-case.js";

export const DERIVE_TOLERANCE = { relative: 1e-8, absolute: 1e-8, nearZero: 1e-10 } as const;

/** The error the authors' rule measures: absolute near zero, relative elsewhere. */
export function deriveError(actual: number, expected: number): number {
  const t = DERIVE_TOLERANCE;
  const diff = Math.abs(actual - expected);
  if (Math.abs(actual) < t.nearZero || Math.abs(expected) < t.nearZero) return diff * (t.relative / t.absolute);
  return diff / Math.abs(expected);
}

export interface DeriveComparison {
  pass: boolean;
  imError: number;
  mmError: number;
  /** The scenario whose PnL is furthest from the case's, and by how much. */
  worstScenario: { index: number; error: number };
  /** Set when the case states a different number of scenario PnLs than the profile has scenarios. */
  mismatch?: string;
}

/** Measures a result against a case's figures; passes when every figure is within tolerance. */
export function compareDerive(result: DeriveMarginResult, expected: DeriveExpected): DeriveComparison {
  expectObject(result, "result", "a deriveMargin result");
  expectObject(expected, "expected", "{ scenarioPnls, im, mm }");
  expectFinite(result.im, "result.im");
  expectFinite(result.mm, "result.mm");
  expectFinite(expected.im, "expected.im");
  expectFinite(expected.mm, "expected.mm");
  if (!Array.isArray(result.scenarios)) throw new InputError("result.scenarios", "must be the result's array of scenarios");
  if (!Array.isArray(expected.scenarioPnls)) throw new InputError("expected.scenarioPnls", "must be an array of PnLs");
  result.scenarios.forEach((s, i) => expectFinite(s?.pnl, `result.scenarios[${i}].pnl`));
  expected.scenarioPnls.forEach((x, i) => expectFinite(x, `expected.scenarioPnls[${i}]`));
  const imError = deriveError(result.im, expected.im);
  const mmError = deriveError(result.mm, expected.mm);
  let worstScenario = { index: -1, error: 0 };
  result.scenarios.forEach((s, index) => {
    const error = deriveError(s.pnl, expected.scenarioPnls[index] ?? Number.NaN);
    if (!(error <= worstScenario.error)) worstScenario = { index, error };
  });
  const mismatch = expected.scenarioPnls.length === result.scenarios.length
    ? undefined
    : `the case states ${expected.scenarioPnls.length} scenario PnLs for ${result.scenarios.length} scenarios`;
  const within = (e: number) => e <= DERIVE_TOLERANCE.relative;
  return {
    pass: mismatch === undefined && within(imError) && within(mmError) && within(worstScenario.error),
    imError, mmError, worstScenario, ...(mismatch ? { mismatch } : {}),
  };
}
