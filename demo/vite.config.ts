// The in-browser margin checker: `vite --config demo/vite.config.ts` serves it,
// `vite build --config demo/vite.config.ts [--outDir dir]` writes a static site
// (default build/demo/) that works offline from any path.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  // Relative asset URLs, so the site can be opened from any directory or sub-path.
  base: "./",
  // The package as a consumer gets it: the built entry, whose kernels come inline under the "browser" condition.
  resolve: { alias: [{ find: /^pmargin$/, replacement: here("../dist/index.js") }, { find: /^pmargin\/import$/, replacement: here("../dist/import/index.js") }] },
  worker: { format: "es" },
  build: { outDir: here("../build/demo"), emptyOutDir: true },
});
