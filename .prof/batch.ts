import { createEngine } from "../src/engine/engine.js";
import { marginAccounts } from "../src/parallel/tasks.js";
import { accountsOf, deribit, marketData } from "../bench/fixtures.js";
const engine = await createEngine();
const accounts = accountsOf(10_000);
const spec = { method: "grid" as const, profile: deribit };
marginAccounts(engine, accounts.slice(0, 1000), marketData, spec);
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const out = marginAccounts(engine, accounts, marketData, spec);
  console.log((performance.now() - t0).toFixed(0), "ms", out.length);
}
