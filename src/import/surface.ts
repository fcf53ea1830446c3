// An option chain → one underlying's forwards and vol surface: per expiry the forward (the venue's
// underlying price, else the future of that expiry, else put–call parity), the smile from mark IVs or
// from bid/ask mids through the implied-vol solver (crossed and empty quotes and far wings left out),
// an SVI fit beside it, and the no-arbitrage report of both.
import { yearFraction } from "../conventions.js";
import { impliedVol } from "../market/implied-vol.js";
import { fitSvi, sviButterflyG } from "../market/svi.js";
import { sviTotalVariance, type SviSmile } from "../math/svi.js";
import { VolSurface } from "../market/vol-surface.js";
import { black76 } from "../math/black76.js";
import { InputError } from "../errors.js";
import type { ForwardQuote, VolSlice } from "../model/types.js";
import type { FutureQuote, OptionQuote } from "./responses.js";

export interface SurfaceOptions {
  /**
   * Where a smile's vols come from: the venue's mark IVs (default; an option without one, the vol of
   * its mark price), or the bid/ask mids, through pmargin's implied-vol solver.
   */
  smile?: "mark" | "mid";
  /**
   * Strikes beyond this many standard deviations, |ln(K/F)| > wings·σ_ATM·√T, are left out: default 6
   * for mids (far quotes are wide and stale), none for mark IVs (the venue's own smile, which prices its marks).
   */
  wings?: number;
  /** Take each slice's vols from its SVI fit at the nodes instead of the quotes (slices of 5 nodes or more). */
  svi?: boolean;
}

export type DropReason = "no mark IV" | "empty quote" | "crossed quote" | "no implied vol" | "far wing";

export interface ExpiryReport {
  expiry: string;
  forward: number;
  forwardFrom: "venue" | "future" | "put-call parity";
  /** Option quotes of this expiry, and the strikes that became the slice's nodes. */
  quotes: number;
  nodes: number;
  dropped: Partial<Record<DropReason, number>>;
  /**
   * Discrete butterfly check of the node smile: at each inner node the butterfly
   * λ·C(Kᵢ₋₁) + (1 − λ)·C(Kᵢ₊₁) − C(Kᵢ), λ = (Kᵢ₊₁ − Kᵢ)/(Kᵢ₊₁ − Kᵢ₋₁), USD per coin, must not be
   * negative by more than `tolerance`, what rounding the vols to 4 decimals can move it by; `worst`
   * the node where value + tolerance is least.
   */
  butterfly: { ok: boolean; worst?: { strike: number; value: number; tolerance: number } };
  svi?: { params: SviSmile; rmse: number; butterfly: { ok: boolean; minG: number; atLogMoneyness: number } };
}

export interface CalendarReport {
  /** Total variance non-decreasing in expiry at every node log-moneyness: pairs of consecutive expiries where it decreases. */
  ok: boolean;
  violations: { expiry: string; logMoneyness: number; variance: number; previousVariance: number }[];
}

export interface SurfaceReport {
  expiries: ExpiryReport[];
  calendar: CalendarReport;
  /** The same check on the SVI fits (expiries that have one). */
  sviCalendar?: CalendarReport;
}

const DEFAULT_WINGS = { mark: Infinity, mid: 6 };
/**
 * The venues quote implied vols to 4 decimals (Deribit's percent to 2): a no-arbitrage check forgives
 * what moving each vol by half of that can do. A smaller violation is rounding, not arbitrage.
 */
const VOL_ROUNDING = 5e-5;

/** The expiry's forward, and where it came from. */
function forwardOf(quotes: OptionQuote[], futures: FutureQuote[], expiry: string, underlying: string): Pick<ExpiryReport, "forward" | "forwardFrom"> {
  const venue = quotes.map((q) => q.forward).filter((f): f is number => f !== undefined).sort((a, b) => a - b);
  if (venue.length > 0) return { forward: venue[venue.length >> 1]!, forwardFrom: "venue" };
  const future = futures.find((f) => f.instrument.expiry === expiry);
  if (future) return { forward: future.mark, forwardFrom: "future" };
  return { forward: parityForward(quotes, underlying, expiry), forwardFrom: "put-call parity" };
}

/**
 * Put–call parity at the strike where call and put are closest in price (nearest the forward), on
 * marks (rate 0, as the venues price): C − P = F − K in USD; for inverse options, priced in coin,
 * c − p = (F − K)/F, so F = K / (1 − (c − p)).
 */
export function parityForward(quotes: readonly OptionQuote[], underlying = "", expiry = ""): number {
  const byStrike = new Map<number, { call?: OptionQuote; put?: OptionQuote }>();
  for (const q of quotes) {
    if (q.mark === undefined) continue;
    const pair = byStrike.get(q.instrument.strike!) ?? {};
    pair[q.instrument.right!] = q;
    byStrike.set(q.instrument.strike!, pair);
  }
  let best: { k: number; diff: number; inverse: boolean } | undefined;
  for (const [k, { call, put }] of byStrike) {
    if (!call || !put) continue;
    const diff = call.mark! - put.mark!;
    if (!best || Math.abs(diff) < Math.abs(best.diff)) best = { k, diff, inverse: call.instrument.settlement === "inverse" };
  }
  if (!best) throw new InputError(`underlyings.${underlying}.forwards`, `expiry ${expiry}: no forward — no underlying price, no future of that expiry and no call and put marked at one strike`);
  const f = best.inverse ? best.k / (1 - best.diff) : best.k + best.diff;
  if (!(f > 0 && Number.isFinite(f))) throw new InputError(`underlyings.${underlying}.forwards`, `expiry ${expiry}: put–call parity at strike ${best.k} gives no positive forward`);
  return f;
}

/** The Black-76 vol of a price in the quote's premium currency, or undefined when the solver refuses it. */
function solvedVol(q: OptionQuote, price: number, forward: number, t: number): number | undefined {
  const usd = q.instrument.settlement === "inverse" ? forward : 1;
  try {
    const vol = impliedVol({ price: price * usd, forward, strike: q.instrument.strike!, time: t, rate: 0, phi: q.instrument.right === "call" ? 1 : -1 });
    return vol > 0 ? vol : undefined;
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

/** The implied vol of one quote — its mark IV (else the vol of its mark price), or its mid's — or why it has none. */
function quoteVol(q: OptionQuote, forward: number, t: number, smile: "mark" | "mid"): number | DropReason {
  if (smile === "mark") {
    if (q.markIv !== undefined && q.markIv > 0) return q.markIv;
    return (q.mark !== undefined && q.mark > 0 ? solvedVol(q, q.mark, forward, t) : undefined) ?? "no mark IV";
  }
  if (q.bid === undefined || q.ask === undefined || !(q.bid > 0) || !(q.ask > 0)) return "empty quote";
  if (q.bid > q.ask) return "crossed quote";
  return solvedVol(q, (q.bid + q.ask) / 2, forward, t) ?? "no implied vol";
}

/** One expiry's smile nodes: per strike the mean of its mark IVs, or the out-of-the-money option's mid IV. */
function smileNodes(quotes: OptionQuote[], forward: number, t: number, options: SurfaceOptions, dropped: ExpiryReport["dropped"]): { strikes: number[]; vols: number[] } {
  const smile = options.smile ?? "mark";
  const byStrike = new Map<number, { vol: number; otm: boolean }[]>();
  for (const q of quotes) {
    const vol = quoteVol(q, forward, t, smile);
    if (typeof vol === "string") {
      dropped[vol] = (dropped[vol] ?? 0) + 1;
      continue;
    }
    const k = q.instrument.strike!;
    byStrike.set(k, [...(byStrike.get(k) ?? []), { vol, otm: (q.instrument.right === "call") === k >= forward }]);
  }
  const strikes = [...byStrike.keys()].sort((a, b) => a - b);
  const vols = strikes.map((k) => {
    const at = byStrike.get(k)!;
    const chosen = smile === "mid" && at.some((x) => x.otm) ? at.filter((x) => x.otm) : at;
    return chosen.reduce((s, x) => s + x.vol, 0) / chosen.length;
  });
  if (strikes.length === 0) return { strikes, vols };
  const atm = strikes.reduce((best, k, i) => (Math.abs(k - forward) < Math.abs(strikes[best]! - forward) ? i : best), 0);
  const bound = (options.wings ?? DEFAULT_WINGS[smile]) * vols[atm]! * Math.sqrt(t);
  const kept = strikes.map((k) => Math.abs(Math.log(k / forward)) <= bound);
  const far = kept.filter((x) => !x).length;
  if (far > 0) dropped["far wing"] = (dropped["far wing"] ?? 0) + far;
  return { strikes: strikes.filter((_, i) => kept[i]), vols: vols.filter((_, i) => kept[i]) };
}

/** Call prices at the nodes convex in strike, to the vols' rounding (see ExpiryReport.butterfly). */
function nodeButterfly(strikes: number[], vols: number[], forward: number, t: number): ExpiryReport["butterfly"] {
  const calls = strikes.map((k, i) => black76({ forward, strike: k, time: t, vol: vols[i]!, rate: 0, phi: 1 }));
  let worst: { strike: number; value: number; tolerance: number } | undefined;
  for (let i = 1; i < strikes.length - 1; i++) {
    const lambda = (strikes[i + 1]! - strikes[i]!) / (strikes[i + 1]! - strikes[i - 1]!);
    const value = lambda * calls[i - 1]!.price + (1 - lambda) * calls[i + 1]!.price - calls[i]!.price;
    const tolerance = VOL_ROUNDING * (lambda * calls[i - 1]!.vega + calls[i]!.vega + (1 - lambda) * calls[i + 1]!.vega);
    if (!worst || value + tolerance < worst.value + worst.tolerance) worst = { strike: strikes[i]!, value, tolerance };
  }
  return { ok: !worst || worst.value >= -worst.tolerance, ...(worst ? { worst } : {}) };
}

/** g(k) on a grid over the nodes' range: its minimum and where. */
function sviButterfly(p: SviSmile, k: number[]): { ok: boolean; minG: number; atLogMoneyness: number } {
  const lo = k[0]!;
  const hi = k[k.length - 1]!;
  let min = { minG: Infinity, atLogMoneyness: lo };
  for (let i = 0; i <= 200; i++) {
    const x = lo + ((hi - lo) * i) / 200;
    const g = sviButterflyG(p, x);
    if (g < min.minG) min = { minG: g, atLogMoneyness: x };
  }
  return { ok: min.minG >= 0, ...min };
}

/**
 * Total variance of consecutive slices compared at both slices' nodes where their ranges overlap
 * (beyond a slice's last node its smile is flat by construction, not by the quotes), to the vols'
 * rounding: dw = 2σt·dσ for each of the two.
 */
function calendar(slices: { expiry: string; t: number; k: number[]; variance: (k: number) => number }[]): CalendarReport {
  const violations: CalendarReport["violations"] = [];
  for (let i = 1; i < slices.length; i++) {
    const [prev, next] = [slices[i - 1]!, slices[i]!];
    const lo = Math.max(prev.k[0]!, next.k[0]!);
    const hi = Math.min(prev.k[prev.k.length - 1]!, next.k[next.k.length - 1]!);
    for (const k of [...new Set([...prev.k, ...next.k])].filter((x) => x >= lo && x <= hi).sort((a, b) => a - b)) {
      const variance = next.variance(k);
      const previousVariance = prev.variance(k);
      const tolerance = 2 * VOL_ROUNDING * (Math.sqrt(variance * next.t) + Math.sqrt(previousVariance * prev.t));
      if (variance < previousVariance - tolerance) violations.push({ expiry: next.expiry, logMoneyness: k, variance, previousVariance });
    }
  }
  return { ok: violations.length === 0, violations };
}

export interface ChainSurface {
  forwards: ForwardQuote[];
  surface: VolSlice[];
  report: SurfaceReport;
}

/**
 * One underlying's forwards and surface from its option quotes (prices in the premium currency:
 * the coin for inverse options, USD for linear ones) and futures marks, as of `asOfMs`.
 * Expiries at or before asOf are left out.
 */
export function chainSurface(underlying: string, quotes: readonly OptionQuote[], futures: readonly FutureQuote[], asOfMs: number, options: SurfaceOptions = {}): ChainSurface {
  const expiries = [...new Set(quotes.map((q) => q.instrument.expiry!))].filter((e) => Date.parse(e) > asOfMs).sort();
  const forwards: ForwardQuote[] = [];
  const surface: VolSlice[] = [];
  const expiryReports: ExpiryReport[] = [];
  const nodeSlices: Parameters<typeof calendar>[0] = [];
  const sviSlices: Parameters<typeof calendar>[0] = [];
  for (const expiry of expiries) {
    const t = yearFraction(asOfMs, Date.parse(expiry));
    const own = quotes.filter((q) => q.instrument.expiry === expiry);
    const { forward, forwardFrom } = forwardOf(own, futures.filter((f) => f.instrument.underlying === underlying), expiry, underlying);
    forwards.push({ expiry, price: forward });
    const dropped: ExpiryReport["dropped"] = {};
    const nodes = smileNodes(own, forward, t, options, dropped);
    const k = nodes.strikes.map((s) => Math.log(s / forward));
    const fit = k.length >= 5 ? fitSvi(t, k, nodes.vols) : undefined;
    const vols = options.svi && fit ? k.map((x) => Math.sqrt(Math.max(sviTotalVariance(fit.params, x), 0) / t)) : nodes.vols;
    const report: ExpiryReport = {
      expiry, forward, forwardFrom, quotes: own.length, nodes: k.length, dropped,
      butterfly: nodeButterfly(nodes.strikes, vols, forward, t),
      ...(fit ? { svi: { ...fit, butterfly: sviButterfly(fit.params, k) } } : {}),
    };
    expiryReports.push(report);
    if (k.length === 0) continue;
    surface.push({ expiry, strikes: nodes.strikes, vols });
    const smile = new VolSurface([{ t, k, vols }]);
    nodeSlices.push({ expiry, t, k, variance: (x) => smile.vol(t, x) ** 2 * t });
    if (fit) sviSlices.push({ expiry, t, k, variance: (x) => sviTotalVariance(fit.params, x) });
  }
  return {
    forwards, surface,
    report: { expiries: expiryReports, calendar: calendar(nodeSlices), ...(sviSlices.length > 1 ? { sviCalendar: calendar(sviSlices) } : {}) },
  };
}
