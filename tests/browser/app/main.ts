// Runs compute() against the package as a consumer imports it ("pmargin" is aliased
// to dist/index.js), and publishes the outcome for the test to read.
import * as pmargin from "pmargin";
import { compute, type Results } from "./compute.js";

declare global {
  interface Window {
    pmarginRun: { done: boolean; results?: Results; error?: string };
  }
}

window.pmarginRun = { done: false };
compute(pmargin).then(
  (results) => (window.pmarginRun = { done: true, results }),
  (e: unknown) => (window.pmarginRun = { done: true, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
);
