// The packaged kernels where a file system or a bundler can reach them: build/pmargin.wasm
// and build/pmargin-fma.wasm beside dist/, read from disk in Node. Browsers get the generated
// dist/engine/wasm-inline.js instead (package.json "imports", condition "browser"), which
// carries the bytes themselves.

/** The packaged module: a file: URL in Node. */
export const packagedWasm = (module: "portable" | "fma"): URL =>
  module === "fma" ? new URL("../../build/pmargin-fma.wasm", import.meta.url) : new URL("../../build/pmargin.wasm", import.meta.url);
