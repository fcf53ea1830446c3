// The InputError a call throws, for asserting on the field it names or its reason.
import { InputError } from "../../src/errors.js";

/** The InputError `fn` throws; anything else it throws is rethrown, and throwing nothing fails. */
export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}
