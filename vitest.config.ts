import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests run the sources: the package's #pmargin-wasm import is the source's, not dist/'s.
  resolve: { alias: { "#pmargin-wasm": fileURLToPath(new URL("./src/engine/wasm-file.ts", import.meta.url)) } },
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
