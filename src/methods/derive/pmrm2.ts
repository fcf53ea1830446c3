// Derive's portfolio margin, PMRM_2 (derivexyz/v2-core, src/risk-managers/PMRM_2.sol and
// PMRMLib_2.sol), in floating point: every scenario's PnL against the mark-to-market, the
// basis (forward) contingency, the perp, option, collateral and oracle-confidence
// contingencies, the peg-loss factor, and IM and MM net of the mark-to-market.
import { InputError } from "../../errors.js";
import { assertBackend, type Backend } from "../../engine/backend.js";
import type { OptionTerms } from "../../engine/book.js";
import { worstWeightedLoss } from "../../risk/reduce.js";
import { under } from "../../schema/checked.js";
import { checkedDeriveInputs } from "../../schema/derive.js";
import { sviVol, type SviGuards } from "../../math/svi.js";
import type {
  DeriveExpiryResult, DeriveMarginResult, DeriveMarket, DeriveOption, DerivePortfolio, DeriveProfile, DeriveReport, DeriveScenario, DeriveVolShock,
} from "../../model/derive.js";

const DAY = 86_400;
const YEAR = 365 * DAY;
/** Derive's vol feed reads SVI with k clipped to ±4·√(a + b·σ) and w ≤ 144 (lyra-utils SVI.sol). */
export const DERIVE_SVI_GUARDS: SviGuards = { kScale: 4, maxTotalVariance: 144 };

interface Holding {
  strike: number;
  vol: number;
  quantity: number;
  phi: 1 | -1;
}

interface Expiry {
  expiry: string;
  seconds: number;
  /** Year fraction, seconds / 365 days. */
  tau: number;
  rate: number;
  discount: number;
  forwardVariable: number;
  forwardFixed: number;
  options: Holding[];
  minConfidence: number;
  netOptions: number;
  volShockUp: number;
  volShockDown: number;
  staticDiscountPos: number;
  staticDiscountNeg: number;
}

/** The contract's confidence contingency: below the threshold, (1 − confidence)·margin of the notional. */
function confidenceContingency(profile: DeriveProfile, confidence: number, notional: number): number {
  const { confThreshold, confMargin } = profile.otherContingency;
  return confidence < confThreshold ? (1 - confidence) * confMargin * notional : 0;
}

/**
 * The option valuations a margin call needs, gathered so that the backend prices them
 * all in one call: each valuation is an expiry's options at one forward and one vol each.
 */
class Valuations {
  readonly terms: OptionTerms[] = [];
  private prices: ArrayLike<number> = [];

  /** Plans an expiry's valuation at a spot multiplier; returns its handle. */
  add(e: Expiry, spotShock: number, volOf: (o: Holding) => number): number {
    const start = this.terms.length;
    const forward = e.forwardVariable * spotShock + e.forwardFixed;
    for (const o of e.options) this.terms.push({ forward, strike: o.strike, time: e.tau, vol: volOf(o), rate: e.rate, phi: o.phi });
    return start;
  }

  price(backend: Backend): void {
    this.prices = Float64Array.from(backend.greeks(this.terms), (g) => g.price);
  }

  /** The expiry's value in a planned valuation. */
  value(e: Expiry, handle: number): number {
    let total = 0;
    e.options.forEach((o, i) => (total += this.prices[handle + i]! * o.quantity));
    return total;
  }
}

function planShocked(v: Valuations, e: Expiry, spotShock: number, vol: "up" | "down" | "none", profile: DeriveProfile): number {
  if (vol === "none") return v.add(e, spotShock, (o) => o.vol);
  const [shock, floor] = vol === "up" ? [e.volShockUp, profile.volShock.minVolUp] : [e.volShockDown, 0];
  return v.add(e, spotShock, (o) => Math.max(floor, o.vol * shock));
}

/**
 * The skew scenario's factor on an option's vol: 1 + a tilt growing with log-moneyness k
 * (|k| for ABS), capped at k*, an estimate of where the smile flattens.
 */
export function skewMultiplier(profile: DeriveProfile, kind: "linear" | "abs", tau: number, strike: number, forward: number): number {
  const s = profile.skewShock;
  const sqrtTau = Math.sqrt(tau);
  const cap = kind === "linear" ? s.linearCBase * sqrtTau + s.linearBaseCap : s.absCBase * sqrtTau + s.absBaseCap;
  const kStar = Math.max(s.minKStar, sqrtTau * s.widthScale * (s.volParamStatic + sqrtTau * s.volParamScale));
  const logMoneyness = Math.log(strike / forward);
  const k = kind === "linear" ? logMoneyness : Math.abs(logMoneyness);
  const tilt = (k * cap) / kStar;
  return 1 + (k >= 0 ? Math.min(cap, tilt) : Math.max(-cap, tilt));
}

function planSkewed(v: Valuations, e: Expiry, kind: "linear" | "abs", profile: DeriveProfile): number {
  const forward = e.forwardVariable + e.forwardFixed;
  return v.add(e, 1, (o) => o.vol * Math.max(0, skewMultiplier(profile, kind, e.tau, o.strike, forward)));
}

/**
 * An expiry's valuations, each planned once: the mark, the basis moves and every scenario
 * that shares a spot shock and vol shock with another (a skew scenario keeps today's forward).
 */
function planner(v: Valuations, e: Expiry, profile: DeriveProfile): (spotShock: number, vol: DeriveVolShock) => number {
  const handles = new Map<string, number>();
  return (spotShock, vol) => {
    const skew = vol === "linear" || vol === "abs";
    const key = skew ? vol : `${vol} ${spotShock}`;
    let handle = handles.get(key);
    if (handle === undefined) {
      handle = skew ? planSkewed(v, e, vol, profile) : planShocked(v, e, spotShock, vol, profile);
      handles.set(key, handle);
    }
    return handle;
  };
}

/** Short contracts per strike not covered by a long at the same strike (calls and puts alike), paired as the contract pairs them. */
function nakedShorts(options: readonly Holding[]): number {
  const seen = new Set<number>();
  let naked = 0;
  options.forEach((o, i) => {
    if (seen.has(i)) return;
    let found = false;
    for (let j = i + 1; j < options.length; j++) {
      const other = options[j]!;
      if (other.strike !== o.strike) continue;
      seen.add(j);
      found = true;
      if (o.quantity * other.quantity < 0) {
        const [short, long] = o.quantity < 0 ? [-o.quantity, other.quantity] : [-other.quantity, o.quantity];
        naked += short - Math.min(short, long);
      } else if (o.quantity < 0) {
        naked += -o.quantity - other.quantity;
      }
    }
    if (!found && o.quantity < 0) naked += -o.quantity;
  });
  return naked;
}

/** Vol multipliers of an expiry's up and down scenarios: the range scaled by (30 days / max(T, floor))^power. */
function volShocks(profile: DeriveProfile, seconds: number): { up: number; down: number } {
  const v = profile.volShock;
  const ratio = (30 * DAY) / Math.max(seconds, v.dteFloorDays * DAY);
  if (!Number.isFinite(ratio)) {
    throw new InputError("volShock.dteFloorDays", "must be > 0 to margin an expired option (30 days / max(time to expiry, floor) is infinite)");
  }
  const mult = ratio ** (seconds <= 30 * DAY ? v.shortTermPower : v.longTermPower);
  return { up: 1 + v.rangeUp * mult, down: Math.max(0, 1 - v.rangeDown * mult) };
}

/** Factors on an expiry's shocked value, by its sign: a long value is discounted, a short one marked up (at most to undiscounted). */
function staticDiscounts(profile: DeriveProfile, tau: number, rate: number, discount: number): { pos: number; neg: number } {
  const m = profile.margin;
  const pos = m.longBaseStaticDiscount * Math.exp(-tau * (rate * m.longRateMultScale + m.longRateAddScale));
  const neg = m.shortBaseStaticDiscount / Math.exp(-tau * (rate * m.shortRateMultScale + m.shortRateAddScale));
  return { pos, neg: Math.min(1 / discount, neg) };
}

function buildExpiries(portfolio: DerivePortfolio, market: DeriveMarket, profile: DeriveProfile, portfolioConfidence: number): Expiry[] {
  const asOf = Date.parse(market.asOf);
  const byExpiry = new Map<number, DeriveOption[]>();
  for (const o of portfolio.options) {
    const t = Date.parse(o.expiry);
    byExpiry.set(t, [...(byExpiry.get(t) ?? []), o]);
  }
  return [...byExpiry].map(([time, options]) => {
    const feedIndex = market.expiries.findIndex((f) => Date.parse(f.expiry) === time);
    const feed = market.expiries[feedIndex];
    if (!feed) throw new InputError(`options[${portfolio.options.indexOf(options[0]!)}].expiry`, `no feed for expiry ${options[0]!.expiry} in the market's expiries`);
    const seconds = Math.max(0, (time - asOf) / 1000);
    const tau = seconds / YEAR;
    const rate = Math.max(0, feed.rate);
    const discount = Math.exp(-rate * tau);
    const fixed = feed.forwardFixed ?? 0;
    const holdings = options.map((o): Holding => {
      const vol = under(`expiries[${feedIndex}].svi`, () => sviVol(feed.svi, o.strike, DERIVE_SVI_GUARDS));
      return { strike: o.strike, vol, quantity: o.quantity, phi: o.right === "call" ? 1 : -1 };
    });
    const shocks = volShocks(profile, seconds);
    const statics = staticDiscounts(profile, tau, rate, discount);
    return {
      expiry: options[0]!.expiry, seconds, tau, rate, discount, forwardVariable: feed.forward - fixed, forwardFixed: fixed,
      // The contract fills an expiry's options from the last one held: sums and the naked-short pairing follow that order.
      options: holdings.reverse(),
      minConfidence: Math.min(portfolioConfidence, feed.forwardConfidence, feed.rateConfidence, feed.volConfidence),
      netOptions: options.reduce((sum, o) => sum + Math.abs(o.quantity), 0),
      volShockUp: shocks.up, volShockDown: shocks.down, staticDiscountPos: statics.pos, staticDiscountNeg: statics.neg,
    };
  });
}

/**
 * PMRM_2's initial and maintenance margin of one subaccount, with every figure the
 * contract computes on the way. Options are priced by the backend's Black-76 (the WASM
 * kernel or its JS twin), all valuations of the call in one batch.
 *
 * @example
 * ```ts
 * import { createEngine, deriveMargin, parseDeriveInputs } from "pmargin";
 * const engine = await createEngine();
 * const { portfolio, market, profile } = parseDeriveInputs(portfolioJson, marketJson, profileJson);
 * const { im, mm, worst } = deriveMargin(engine, portfolio, market, profile);
 * ```
 */
export function deriveMargin(backend: Backend, portfolioInput: DerivePortfolio, marketInput: DeriveMarket, profileInput: DeriveProfile): DeriveMarginResult {
  assertBackend(backend);
  const { portfolio, market, profile } = checkedDeriveInputs(portfolioInput, marketInput, profileInput);
  const spot = market.spot.price;
  const perpHeld = portfolio.perp !== undefined && portfolio.perp.quantity !== 0;
  if (perpHeld && market.perp === undefined) throw new InputError("perp", "a perpetual is held but the market has no perp price");
  const perpQuantity = perpHeld ? portfolio.perp!.quantity : 0;
  const perpPrice = perpHeld ? market.perp!.price : 0;
  const perpMtm = perpHeld ? portfolio.perp!.unrealisedPnl + portfolio.perp!.unrealisedFunding : 0;
  // Collateral reads the spot's confidence only; the perp's joins it for the rest.
  const portfolioConfidence = Math.min(market.spot.confidence, perpHeld ? market.perp!.confidence : 1);
  const other = profile.otherContingency;

  const expiries = buildExpiries(portfolio, market, profile, portfolioConfidence);
  const v = new Valuations();
  const basis = profile.basisContingency;
  const planned = expiries.map((e) => {
    const plan = planner(v, e, profile);
    return {
      mtm: plan(1, "none"),
      up: plan(basis.spotUp, "none"),
      down: plan(basis.spotDown, "none"),
      scenarios: profile.scenarios.map((s) => plan(s.spotShock, s.vol)),
    };
  });
  v.price(backend);

  const perpNotional = Math.abs(perpQuantity) * spot;
  const c = {
    mmPerp: perpNotional * other.mmPerpPercent,
    imPerp: perpNotional * other.imPerpPercent,
    mmOption: 0, imOption: 0, mmCollateral: 0, imCollateral: 0,
    oracle: confidenceContingency(profile, portfolioConfidence, perpNotional),
  };
  let basisContingency = 0;
  let optionMtm = 0;
  const mtms = expiries.map((e, i) => {
    const mtm = v.value(e, planned[i]!.mtm);
    optionMtm += mtm;
    const worst = Math.min(v.value(e, planned[i]!.up) - mtm, v.value(e, planned[i]!.down) - mtm, 0);
    basisContingency += worst * (basis.addFactor + basis.multFactor * e.tau);
    const shortNotional = nakedShorts(e.options) * spot;
    c.mmOption += shortNotional * other.mmOptionPercent;
    c.imOption += shortNotional * other.imOptionPercent;
    c.oracle += confidenceContingency(profile, e.minConfidence, e.netOptions * spot);
    return mtm;
  });

  let collateralMtm = 0;
  let cancelling = 0;
  portfolio.collaterals.forEach(({ asset, amount }, i) => {
    if (!Object.hasOwn(market.collaterals, asset)) throw new InputError(`collaterals[${i}].asset`, `no price for ${asset} in the market's collaterals`);
    if (!Object.hasOwn(profile.collaterals, asset)) throw new InputError(`collaterals[${i}].asset`, `${asset} is not a collateral of the profile (${Object.keys(profile.collaterals).join(", ") || "none"})`);
    const feed = market.collaterals[asset]!;
    const params = profile.collaterals[asset]!;
    const value = (amount * feed.price) / market.stable.price;
    collateralMtm += value;
    if (params.riskCancelling) cancelling += value;
    c.mmCollateral += value * params.mmHaircut;
    c.imCollateral += value * params.imHaircut;
    c.oracle += confidenceContingency(profile, Math.min(feed.confidence, market.spot.confidence), value);
  });

  // Each scenario's PnL against the mark-to-market, dampened: perp, each expiry's options
  // (their shocked value statically discounted by its sign), risk-cancelling collateral.
  const scenarios = profile.scenarios.map((s, k) => {
    let pnl = perpQuantity * ((s.spotShock - 1) * perpPrice) * s.dampening;
    const skew = s.vol === "linear" || s.vol === "abs";
    expiries.forEach((e, i) => {
      const handle = planned[i]!.scenarios[k]!;
      let value = v.value(e, handle);
      value *= value >= 0 ? e.staticDiscountPos : e.staticDiscountNeg;
      const expiryPnl = (value - mtms[i]!) * s.dampening;
      // A skew scenario counts each expiry's move against the holder: a gain is the loss of the opposite tilt.
      pnl += skew && expiryPnl > 0 ? -expiryPnl : expiryPnl;
    });
    return { ...s, pnl: pnl + cancelling * (s.spotShock - 1) * s.dampening };
  });
  const scan = worstWeightedLoss(scenarios.map(() => ({ weight: 1 })), scenarios.map((s) => s.pnl));
  // The basis contingency stands as one more scenario, first in line.
  const worst: DeriveMarginResult["worst"] = -scan.loss < basisContingency
    ? { source: "scenario", index: scan.index, pnl: -scan.loss }
    : { source: "basisContingency", pnl: basisContingency };

  const stable = market.stable.price;
  const imFactor = profile.margin.imFactor + (stable < other.pegLossThreshold ? (other.pegLossThreshold - stable) * other.pegLossFactor : 0);
  const mmContingency = c.mmPerp + c.mmOption + c.mmCollateral;
  const imContingency = c.imPerp + c.imOption + c.imCollateral + c.oracle;
  const equity = perpMtm + optionMtm + collateralMtm + portfolio.cash;
  const im = worst.pnl * imFactor - imContingency - mmContingency + equity;
  const mm = worst.pnl * profile.margin.mmFactor - mmContingency + equity;
  const worstOf = (kind: DeriveScenario["kind"]) => Math.min(0, ...scenarios.filter((s) => s.kind === kind).map((s) => s.pnl));
  const VOL_SIGN = { up: 1, none: 0, down: -1 } as const;
  const derive: DeriveReport = {
    IM: im, MM: mm, PortfolioMTM: equity, Cash: portfolio.cash, OptionMTM: optionMtm, OptionMTMPerExpiry: mtms,
    CollateralMTM: collateralMtm,
    PerpMTM: perpHeld ? portfolio.perp!.unrealisedPnl : 0, UnrealisedFunding: perpHeld ? portfolio.perp!.unrealisedFunding : 0,
    IMLossFactor: imFactor, MMLossFactor: profile.margin.mmFactor,
    worst_reg_loss: worstOf("regular"), worst_tail_loss: worstOf("tail"), worst_skew_loss: worstOf("skew"),
    reg_losses: scenarios.filter((s) => s.kind === "regular").map((s) => [s.spotShock - 1, VOL_SIGN[s.vol as "up"], s.pnl]),
    tail_losses: scenarios.filter((s) => s.kind === "tail").map((s) => [s.spotShock - 1, VOL_SIGN[s.vol as "up"], s.pnl, s.dampening]),
    skew_losses: scenarios.filter((s) => s.kind === "skew").map((s) => [s.vol.toUpperCase(), s.pnl]),
    // A tie goes to the scenario here (the contract's index names the contingency): as Derive's model output labels it.
    worst_all_scenarios: basisContingency < -scan.loss ? "fwd_contingency" : scenarios[scan.index]!.kind,
    ForwardContingency: basisContingency,
    MMPerpCont: -c.mmPerp, IMPerpCont: -c.imPerp, MMOptionCont: -c.mmOption, IMOptionCont: -c.imOption,
    MMBaseCont: -c.mmCollateral, IMBaseCont: -c.imCollateral, OracleCont: -c.oracle,
  };
  return {
    underlying: portfolio.underlying,
    im, mm, derive,
    mtm: equity, cash: portfolio.cash, optionMtm, perpMtm, collateralMtm,
    scenarios, worst, basisContingency, imFactor, mmFactor: profile.margin.mmFactor,
    contingencies: c, mmContingency, imContingency,
    expiries: expiries.map((e, i): DeriveExpiryResult => ({
      expiry: e.expiry, secondsToExpiry: e.seconds, mtm: mtms[i]!, discount: e.discount,
      volShockUp: e.volShockUp, volShockDown: e.volShockDown,
      staticDiscountPos: e.staticDiscountPos, staticDiscountNeg: e.staticDiscountNeg, minConfidence: e.minConfidence,
    })),
  };
}
