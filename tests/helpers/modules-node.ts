// A Node child for tests/fma.test.ts: compareModules on the sources, the spec as argv[2]
// (JSON), the comparison printed as JSON. Run with --experimental-wasm-relaxed-simd on Node 20.
import * as main from "../../src/index.js";
import * as engineTier from "../../src/engine/index.js";
import { compareModules, type CompareSpec } from "./modules-compare.js";

const spec = JSON.parse(process.argv[2] ?? "{}") as CompareSpec;
console.log(JSON.stringify(await compareModules({ ...main, ...engineTier }, spec)));
