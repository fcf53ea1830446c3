// The revaluation every peer computes, as plain columns: a compiled book's options (forward,
// strike, years, rate, weight, vol-shift weight, ln F/K), their smile tables, and per underlying
// and scenario the log move, vol shift, vol floor and where the move falls on the smile grid.
// Written to the peers as one little-endian f64 file (problem.h and black76.py read it); the
// peers sum w·Black-76 over the options per scenario, which is the kernel's PnL plus the value now.
import type { Book } from "../../src/engine/book.js";
import { smileNode, smilePosition, zeroMoveSlot } from "../../src/engine/book.js";
import type { ScenarioSet } from "../../src/engine/scenarios.js";
import { black76Price } from "../../src/math/black76.js";
import { smileTablesReference } from "../../src/reference/smile.js";

/** Per option, in file order. */
export const OPTION_COLUMNS = ["u", "f", "k", "t", "rate", "phi", "w", "volW", "lnFK"] as const;
/** Per underlying and scenario (nUnd·nScen each), in file order. */
export const SCENARIO_PLANES = ["x", "v", "floor", "node", "frac"] as const;
/** f64s before the columns: nOpt, nScen, nUnd, slots, dt, volFloor, and two spare. */
export const HEADER = 8;

export interface PeerProblem {
  nOpt: number;
  nScen: number;
  nUnd: number;
  /** Smile table entries per option. */
  slots: number;
  /** Time step of every scenario, years: options age by it. */
  dt: number;
  /** The kernel's floor under every shocked vol. */
  volFloor: number;
  /** The table slot of the zero move: the vol now. */
  zeroSlot: number;
  option: Record<(typeof OPTION_COLUMNS)[number], Float64Array>;
  /** nOpt tables of `slots` vols. */
  tables: Float64Array;
  scenario: Record<(typeof SCENARIO_PLANES)[number], Float64Array>;
}

/** The problem of revaluing `book`'s options (its linear positions are left out) under `set`, aged by `dt`. */
export function peerProblem(book: Book, set: ScenarioSet, dt: number): PeerProblem {
  const L = book.layout;
  const nOpt = book.nOpt, nScen = set.count, nUnd = book.underlyings.length;
  const column = (c: number): Float64Array => book.opt.slice(c * book.optCap, c * book.optCap + nOpt);
  const node = new Float64Array(nUnd * nScen);
  const frac = new Float64Array(nUnd * nScen);
  for (let i = 0; i < node.length; i++) {
    const pos = smilePosition(L, set.logMoves[i]!);
    const j = smileNode(L, pos);
    node[i] = book.nodeOffsets[j]! / 8;
    frac[i] = pos - j;
  }
  return {
    nOpt, nScen, nUnd, slots: book.slots, dt, volFloor: L.volFloor, zeroSlot: zeroMoveSlot(book),
    option: {
      u: column(L.opt.u), f: column(L.opt.f), k: column(L.opt.k), t: column(L.opt.t), rate: column(L.opt.rate),
      phi: column(L.opt.phi), w: column(L.opt.weight), volW: column(L.opt.volW), lnFK: column(L.opt.lnFK),
    },
    tables: smileTablesReference(book).slice(0, nOpt * book.slots),
    scenario: { x: set.logMoves.slice(), v: set.volShifts.slice(), floor: set.volFloors.slice(), node, frac },
  };
}

/** The problem file's bytes (little-endian f64: the header, the option columns, the tables, the scenario planes). */
export function encodeProblem(p: PeerProblem): Uint8Array {
  const parts = [
    Float64Array.of(p.nOpt, p.nScen, p.nUnd, p.slots, p.dt, p.volFloor, 0, 0),
    ...OPTION_COLUMNS.map((c) => p.option[c]), p.tables, ...SCENARIO_PLANES.map((c) => p.scenario[c]),
  ];
  const out = new Float64Array(parts.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of parts) {
    out.set(a, at);
    at += a.length;
  }
  // Float64Array is little-endian on every host Node runs on (x64, arm64).
  return new Uint8Array(out.buffer);
}

/**
 * Σ w·Black-76 now (zero move, no vol shift, no ageing) of the first `options` options: the
 * kernel's PnL is the peers' sums less this.
 */
export function valueNow(p: PeerProblem, options = p.nOpt): number {
  const o = p.option;
  let sum = 0;
  for (let i = 0; i < options; i++) {
    sum += o.w[i]! * black76Price(o.f[i]!, o.k[i]!, o.t[i]!, p.tables[i * p.slots + p.zeroSlot]!, o.rate[i]!, o.phi[i] as 1 | -1);
  }
  return sum;
}

/** σ' of option o in scenario s: its smile at the scenario's node, shocked and floored, as the kernel reads it. */
export function shockedVol(p: PeerProblem, o: number, s: number): number {
  const i = p.option.u[o]! * p.nScen + s;
  const table = o * p.slots + p.scenario.node[i]!;
  const smile = p.tables[table]! + p.scenario.frac[i]! * (p.tables[table + 1]! - p.tables[table]!);
  return Math.max(smile * (1 + p.option.volW[o]! * p.scenario.v[i]!), p.scenario.floor[i]!, p.volFloor);
}

/** Largest |a − b| / (1 + |b|) over the scenarios: the agreement a peer must show before its time counts. */
export function worstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let s = 0; s < a.length; s++) {
    const d = Math.abs(a[s]! - b[s]!) / (1 + Math.abs(b[s]!));
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst;
}
