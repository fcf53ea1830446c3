// The packaged kernels where a file system or a bundler can reach them: build/pmargin.wasm
// beside dist/, read from disk in Node. Browsers get the generated dist/engine/wasm-inline.js
// instead (package.json "imports", condition "browser"), which carries the bytes themselves.

/** The packaged pmargin.wasm: a file: URL in Node. */
export const packagedWasm = (): URL => new URL("../../build/pmargin.wasm", import.meta.url);
