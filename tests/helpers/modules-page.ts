// The page of tests/helpers/modules-chromium.ts: compareModules on the bundled sources
// (their kernels inline, as the "browser" condition gives them), for the caller to invoke.
import * as main from "../../src/index.js";
import * as engineTier from "../../src/engine/index.js";
import { compareModules, type CompareSpec, type ModulesComparison } from "./modules-compare.js";

declare global {
  interface Window {
    compareModules: (spec: CompareSpec) => Promise<ModulesComparison>;
    relaxedSimd: boolean;
  }
}

window.relaxedSimd = engineTier.relaxedSimdSupported();
window.compareModules = (spec) => compareModules({ ...main, ...engineTier }, spec);
