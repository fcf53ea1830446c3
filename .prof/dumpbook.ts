import { writeFileSync } from "node:fs";
import { bookOf, marketData } from "../bench/fixtures.js";
for (const n of [200, 2000]) writeFileSync(`/tmp/book${n}.json`, JSON.stringify({ name: `bench ${n}`, positions: bookOf(n) }));
writeFileSync("/tmp/benchmarket.json", JSON.stringify(marketData));
