// Derive's portfolio margin (PMRM_2): one subaccount, one underlying, the oracle feeds it
// reads and the risk manager's parameters. Names follow Derive's; amounts in the
// manager's quote currency (USD), times as ISO instants.
import type { SviParams } from "../math/svi.js";

/** A price feed with the oracle's confidence in it (0–1). */
export interface ConfidentPrice {
  price: number;
  confidence: number;
}

/** One subaccount margined by PMRM_2: cash, a perpetual, options of one underlying, collateral. */
export interface DerivePortfolio {
  underlying: string;
  cash: number;
  perp?: {
    quantity: number;
    /** Unrealised PnL and unsettled funding not yet in cash: part of the mark-to-market. */
    unrealisedPnl: number;
    unrealisedFunding: number;
  };
  options: DeriveOption[];
  collaterals: { asset: string; amount: number }[];
}

export interface DeriveOption {
  expiry: string;
  strike: number;
  right: "call" | "put";
  quantity: number;
}

/** One expiry's feeds: forward, rate and the SVI surface, each with its confidence. */
export interface DeriveExpiryFeed {
  expiry: string;
  forward: number;
  /**
   * The part of the forward that no longer moves with spot (near settlement the feed
   * fixes a growing share of it); default 0.
   */
  forwardFixed?: number;
  forwardConfidence: number;
  rate: number;
  rateConfidence: number;
  svi: SviParams;
  volConfidence: number;
}

export interface DeriveMarket {
  asOf: string;
  spot: ConfidentPrice;
  perp?: ConfidentPrice;
  /** The stablecoin the manager's cash is in, in USD. */
  stable: ConfidentPrice;
  expiries: DeriveExpiryFeed[];
  collaterals: Record<string, ConfidentPrice>;
}

export type DeriveVolShock = "up" | "down" | "none" | "linear" | "abs";

export interface DeriveScenario {
  /** regular and tail scenarios move spot; skew scenarios tilt each expiry's smile. */
  kind: "regular" | "tail" | "skew";
  /** Spot multiplier (1.18 = +18%). */
  spotShock: number;
  vol: DeriveVolShock;
  /** Multiplies the scenario's PnL (tail scenarios count for less). */
  dampening: number;
}

/** PMRM_2's parameters, as PMRMLib_2 holds them, and each collateral's. */
export interface DeriveProfile {
  model: "derive-pmrm2";
  name?: string;
  source?: string;
  scenarios: DeriveScenario[];
  volShock: { rangeUp: number; rangeDown: number; shortTermPower: number; longTermPower: number; dteFloorDays: number; minVolUp: number };
  skewShock: {
    linearBaseCap: number; absBaseCap: number; linearCBase: number; absCBase: number;
    minKStar: number; widthScale: number; volParamStatic: number; volParamScale: number;
  };
  margin: {
    imFactor: number; mmFactor: number;
    shortRateMultScale: number; longRateMultScale: number; shortRateAddScale: number; longRateAddScale: number;
    longBaseStaticDiscount: number; shortBaseStaticDiscount: number;
  };
  basisContingency: { spotUp: number; spotDown: number; addFactor: number; multFactor: number };
  otherContingency: {
    pegLossThreshold: number; pegLossFactor: number; confThreshold: number; confMargin: number;
    mmPerpPercent: number; imPerpPercent: number; mmOptionPercent: number; imOptionPercent: number;
  };
  collaterals: Record<string, { riskCancelling: boolean; imHaircut: number; mmHaircut: number }>;
}

/** One scenario's PnL against the mark-to-market (negative: a loss), dampened. */
export interface DeriveScenarioPnl extends DeriveScenario {
  pnl: number;
}

export interface DeriveExpiryResult {
  expiry: string;
  secondsToExpiry: number;
  mtm: number;
  discount: number;
  volShockUp: number;
  volShockDown: number;
  staticDiscountPos: number;
  staticDiscountNeg: number;
  minConfidence: number;
}

export interface DeriveMarginResult {
  underlying: string;
  /** Initial and maintenance margin as Derive states them: equity after the requirement (≥ 0 passes). */
  im: number;
  mm: number;
  /** Cash + mark-to-market. */
  mtm: number;
  cash: number;
  optionMtm: number;
  perpMtm: number;
  collateralMtm: number;
  scenarios: DeriveScenarioPnl[];
  /** The worst scenario (or the basis contingency when it is worse). */
  worst: { source: "scenario" | "basisContingency"; index?: number; pnl: number };
  basisContingency: number;
  imFactor: number;
  mmFactor: number;
  /** Contingencies, as positive amounts subtracted from the margin. */
  contingencies: {
    mmPerp: number; imPerp: number; mmOption: number; imOption: number;
    mmCollateral: number; imCollateral: number; oracle: number;
  };
  mmContingency: number;
  imContingency: number;
  expiries: DeriveExpiryResult[];
  /** The same figures under the names Derive's own model output uses (contingencies negative, as there). */
  derive: DeriveReport;
}

/** Derive's names for a margin's figures, as its PMRM_2 test cases state their results. */
export interface DeriveReport {
  IM: number;
  MM: number;
  PortfolioMTM: number;
  Cash: number;
  OptionMTM: number;
  OptionMTMPerExpiry: number[];
  CollateralMTM: number;
  /** The perp's unrealised PnL; its unsettled funding apart, as Derive reports them (both in PortfolioMTM). */
  PerpMTM: number;
  UnrealisedFunding: number;
  IMLossFactor: number;
  MMLossFactor: number;
  worst_reg_loss: number;
  worst_tail_loss: number;
  worst_skew_loss: number;
  /** [spot move, vol shock (1 up, 0 none, −1 down), PnL] per regular scenario; tail ones also carry the dampening. */
  reg_losses: [number, number, number][];
  tail_losses: [number, number, number, number][];
  skew_losses: [string, number][];
  worst_all_scenarios: "regular" | "tail" | "skew" | "fwd_contingency";
  ForwardContingency: number;
  MMPerpCont: number;
  IMPerpCont: number;
  MMOptionCont: number;
  IMOptionCont: number;
  MMBaseCont: number;
  IMBaseCont: number;
  OracleCont: number;
}
