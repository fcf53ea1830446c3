// Loads the package as a consumer imports it ("pmargin" is aliased to dist/index.js,
// so its wasm is an asset the bundle fetches) and publishes, for the test:
// - ownBook: the whole pipeline run here, book compiled by this browser's JS;
// - runOn: the kernels run on a book the test compiled in Node, so both sides feed
//   the wasm identical inputs.
import * as pmargin from "pmargin";
import { run, seededBook, type Results } from "./compute.js";

declare global {
  interface Window {
    pmarginPage: { done: boolean; error?: string; ownBook?: Results; runOn?: (book: pmargin.Book) => Results };
  }
}

window.pmarginPage = { done: false };
pmargin
  .createEngine()
  .then((engine) => {
    const ownBook = run(pmargin, engine, seededBook(pmargin, engine));
    window.pmarginPage = { done: true, ownBook, runOn: (book) => run(pmargin, engine, book) };
  })
  .catch((e: unknown) => (window.pmarginPage = { done: true, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
