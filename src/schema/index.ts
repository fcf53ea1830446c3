// Reading user input: JSON text, the portfolio and market schemas, and their cross-checks.
export { parseJson } from "./json.js";
export { parsePortfolio } from "./portfolio.js";
export { parseMarket } from "./market.js";
export { checkAgainstMarket } from "./cross.js";
export { isoDateToMillis } from "./dates.js";
export { parseProfile } from "./profile.js";
export { parseMonteCarloModel } from "./montecarlo.js";
export { parseStressScenarios } from "./stress.js";
