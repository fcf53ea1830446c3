// Loads the package as a consumer imports it ("pmargin" is aliased to dist/index.js,
// whose kernels come inline under the "browser" condition) and publishes, for the test:
// - wasmSha256: the digest of the kernels the page's engine runs;
// - ownBook: the whole pipeline run here, book compiled by this browser's JS;
// - runOn: the kernels run on a book the test compiled in Node, so both sides feed
//   the wasm identical inputs.
/// <reference types="vite/client" />
import * as main from "pmargin";
import * as engineTier from "pmargin/engine";
import { RiskPool } from "pmargin/parallel";
import workerScript from "pmargin/parallel-worker?worker&url";
import { syntheticMarket } from "../../fixtures/synthetic.js";
import { poolRunInputs, run, seededBook, type Results } from "./compute.js";

declare global {
  interface Window {
    pmarginPage: {
      done: boolean; error?: string; wasmSha256?: string; ownBook?: Results; runOn?: (book: main.Book) => Results; pooled?: unknown;
      /** verify() in this browser: a record, optionally checked against a signer's public key; an error as its message. */
      verify?: (saved: unknown, publicKey?: string) => Promise<main.Verification | string>;
    };
  }
}

window.pmarginPage = { done: false };
const pmargin = { ...main, ...engineTier };
/** Monte Carlo on two Web Workers, as plain data (what JSON keeps), for comparison with Node. */
async function pooled(): Promise<unknown> {
  const pool = new RiskPool({ workers: 2, script: workerScript });
  try {
    const [positions, , model] = poolRunInputs(pmargin);
    return JSON.parse(JSON.stringify(await pool.monteCarlo(positions, syntheticMarket(), model)));
  } finally {
    await pool.terminate();
  }
}

pmargin
  .createEngine()
  .then(async (engine) => {
    const ownBook = run(pmargin, engine, seededBook(pmargin, engine));
    const verify = (saved: unknown, publicKey?: string) =>
      pmargin.verify(engine, saved, publicKey === undefined ? {} : { publicKey }).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    window.pmarginPage = { done: true, wasmSha256: engine.wasmSha256, ownBook, runOn: (book) => run(pmargin, engine, book), pooled: await pooled(), verify };
  })
  .catch((e: unknown) => (window.pmarginPage = { done: true, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
