// Schema of a hedge-candidates file (src/methods/optimise.ts): the instruments margin
// optimisation may add, each with the largest size to try and, optionally, its cost.
import * as v from "valibot";
import type { HedgeCandidate } from "../model/hedge.js";
import { group, PARSE, positive, rule, schemaRef, strict, within } from "./fields.js";
import { describe, toInputError } from "./issues.js";
import { checked, markParsed } from "./checked.js";
import { InputError } from "../errors.js";
import { position } from "./portfolio.js";

const candidate = strict("a hedge candidate", {
  position,
  maxSize: v.pipe(positive, v.maxValue(1e12, rule("must be ≤ 1e12"))),
  halfSpreadUsd: v.optional(within(0, 1e12, " (USD per unit)")),
});

export const candidatesSchema = group("a hedge-candidates file", {
  ...schemaRef,
  candidates: v.pipe(v.array(candidate, rule("must be an array of hedge candidates")), v.nonEmpty(rule("must list at least one candidate"))),
});

/** `candidates` as optimiseMargin takes them: parseHedgeCandidates' as they are, others parsed (errors under `path[i]`). */
export function checkedCandidates(candidates: unknown, path = "candidates"): HedgeCandidate[] {
  if (!Array.isArray(candidates)) throw new InputError(path, `must be an array of hedge candidates, got ${describe(candidates)}`);
  return candidates.map((c: unknown, i) => checked(c, "candidate", (x) => {
    const result = v.safeParse(candidate, x, PARSE);
    if (!result.success) throw toInputError(result.issues);
    markParsed(result.output.position, "position");
    return markParsed(result.output as HedgeCandidate, "candidate");
  }, `${path}[${i}]`));
}

/** Validates a hedge-candidates file ({ candidates: [...] }); throws InputError naming the field. */
export function parseHedgeCandidates(input: unknown, source?: string): HedgeCandidate[] {
  const result = v.safeParse(candidatesSchema, input, PARSE);
  if (!result.success) throw toInputError(result.issues, source);
  for (const c of result.output.candidates) markParsed(c.position, "position");
  return result.output.candidates.map((c) => markParsed(c as HedgeCandidate, "candidate"));
}
