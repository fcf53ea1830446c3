// Maps keyed by underlying (or asset) refuse a key the market does not have, naming it and
// the name it most likely meant; reserved names are refused where names are read (issue 26).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { accountMargin } from "../src/account/account.js";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { closestName, InputError } from "../src/errors.js";
import { prepareInputs, type Inputs } from "../src/market/inputs.js";
import { builtInProfile } from "../src/schema/profiles.js";
import { monteCarlo } from "../src/methods/montecarlo/montecarlo.js";
import { stressTest } from "../src/methods/stress/stress.js";
import { parseAccount } from "../src/schema/account.js";
import { parseMarket, parseMonteCarloModel, parseStressScenarios } from "../src/schema/index.js";
import { inputError } from "./helpers/errors.js";

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../examples/${name}.json`, import.meta.url), "utf8"));

let engine: Engine;
let inputs: Inputs;
beforeAll(async () => {
  engine = await createEngine();
  inputs = prepareInputs(read("portfolio"), read("market"));
});

describe("underlying-keyed maps refuse names the market lacks", () => {
  it("a stress move on btc (the market has BTC) is refused, naming BTC", () => {
    const scenarios = parseStressScenarios({ scenarios: [{ type: "shock", name: "typo", moves: { btc: -0.5 } }] });
    const e = inputError(() => stressTest(engine, inputs.portfolio.positions, inputs.market, scenarios));
    expect(e.path).toBe("scenarios[0].moves.btc");
    expect(e.reason).toMatch(/unknown underlying "btc" \(did you mean BTC\?/);
  });

  it("stress volShifts and correlation-to-one vols likewise", () => {
    const shifts = parseStressScenarios({ scenarios: [{ type: "shock", name: "s", volShifts: { ETh: 0.2 } }] });
    expect(inputError(() => stressTest(engine, inputs.portfolio.positions, inputs.market, shifts)).reason).toMatch(/did you mean ETH/);
    const vols = parseStressScenarios({ scenarios: [{ type: "correlation-to-one", name: "c", sigmas: -3, vols: { XRP: 1 } }] });
    const e = inputError(() => stressTest(engine, inputs.portfolio.positions, inputs.market, vols));
    expect(e.path).toBe("scenarios[0].vols.XRP");
    expect(e.reason).toMatch(/market has BTC, ETH, SOL/);
  });

  it.each([
    [{ vols: { btc: 5 } }, "model.vols.btc"],
    [{ jumps: { common: { intensity: 1, mean: -0.1, vol: 0.05, beta: { SOl: 2 } } } }, "model.jumps.common.beta.SOl"],
    [{ jumps: { idiosyncratic: { intensity: 1, mean: -0.1, vol: 0.05, underlyings: { eth: { intensity: 1, mean: 0, vol: 0.1 } } } } }, "model.jumps.idiosyncratic.underlyings.eth"],
    [{ volDynamics: { underlyings: { Btc: { volOfVol: 1 } } } }, "model.volDynamics.underlyings.Btc"],
  ])("Monte Carlo %j is refused at %s", (model, path) => {
    const e = inputError(() => monteCarlo(engine, inputs.portfolio.positions, inputs.market, parseMonteCarloModel({ paths: 1000, ...model })));
    expect(e.path).toBe(path);
    expect(e.reason).toMatch(/unknown underlying .* \(did you mean (BTC|ETH|SOL)\?/);
  });

  it("an account haircut on btc is refused (it fell back to 0%), at the account and at a venue", () => {
    const account = read("account") as { haircuts: Record<string, number>; venues: { haircuts?: Record<string, number> }[] };
    const data = parseMarket(read("market"));
    const typo = parseAccount({ ...account, haircuts: { ...account.haircuts, btc: 0.5 } });
    const e = inputError(() => accountMargin(engine, typo, data, { method: "grid", profile: builtInProfile("deribit") }));
    expect(e.path).toBe("haircuts.btc");
    expect(e.reason).toMatch(/unknown asset "btc" \(did you mean BTC\?/);
    const venueTypo = parseAccount({ ...account, venues: [{ ...account.venues[0], haircuts: { usdc: 0.1 } }, ...account.venues.slice(1)] });
    const v = inputError(() => accountMargin(engine, venueTypo, data, { method: "grid", profile: builtInProfile("deribit") }));
    expect(v.path).toBe("venues[0].haircuts.usdc");
    expect(v.reason).toMatch(/did you mean USDC\?/);
  });

  it("suggests only close names", () => {
    expect(closestName("btc", ["BTC", "ETH"])).toBe("BTC");
    expect(closestName("ETHH", ["BTC", "ETH"])).toBe("ETH");
    expect(closestName("DOGE", ["BTC", "ETH"])).toBeUndefined();
  });
});

describe("reserved names are refused, not dropped", () => {
  const market = read("market") as { asOf: string; underlyings: Record<string, unknown> };
  // JSON.parse makes "__proto__" an own key, as a user's file would.
  it.each(["constructor", "__proto__", "prototype"])("an underlying keyed %s", (name) => {
    const doc = JSON.parse(JSON.stringify(market).replace('"SOL":', `"${name}":`)) as unknown;
    const e = inputError(() => parseMarket(doc));
    expect(e.path).toBe(`underlyings.${name}`);
    expect(e.reason).toMatch(/reserved name/);
  });

  it("a stress move keyed constructor", () => {
    const e = inputError(() => parseStressScenarios(JSON.parse('{"scenarios":[{"type":"shock","name":"x","moves":{"constructor":-0.5}}]}')));
    expect(e.path).toBe("scenarios[0].moves.constructor");
  });

  it("--profile constructor is an unknown profile (exit 2), not Object's constructor", () => {
    const cli = new URL("../dist/cli/main.js", import.meta.url).pathname;
    const examples = new URL("../examples/", import.meta.url).pathname;
    for (const name of ["constructor", "__proto__", "toString"]) {
      const r = spawnSync(process.execPath, [cli, "grid", `${examples}portfolio.json`, `${examples}market.json`, "--profile", name], { encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`profile: unknown profile ${name} (built in: deribit`);
      expect(r.stderr).not.toMatch(/function|TypeError/);
    }
  });

  it("every error is an InputError", () => {
    expect(inputError(() => parseMarket(JSON.parse(JSON.stringify(market).replace('"SOL":', '"constructor":'))))).toBeInstanceOf(InputError);
  });
});
