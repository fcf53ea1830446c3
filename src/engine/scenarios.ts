import { expectNames, InputError, LimitError } from "../errors.js";

/** Scenarios one set may hold unless a backend's limits say otherwise (DEFAULT_LIMITS.scenarios). */
export const MAX_SCENARIOS = 50_000_000;
import { log } from "../math/deterministic.js";

/** A scenario set's planes: per underlying and scenario at [u·count + s]. */
export interface ScenarioPlanes {
  /** Log price move x per underlying and scenario (S′ = S·e^x). */
  logMoves: Float64Array;
  /** Relative implied-vol shift v per underlying and scenario (σ′ = σ·(1 + w·v), w the option's vol-shift weight). */
  volShifts: Float64Array;
  /** Floor f of the shocked vol per underlying and scenario (σ′ = max(…, f); 0: none). */
  volFloors: Float64Array;
}

/**
 * A block of joint market scenarios for the underlyings of a book: per underlying
 * and scenario a log price move x (S' = S·e^x, every forward of the underlying
 * moves by the same factor), a relative implied-vol shift v and a vol floor f
 * (σ' = max(σ(sticky moneyness)·(1 + w·v), f), w the option's vol-shift weight).
 * Stored as planes: value of underlying u in scenario s at [u·count + s].
 */
export class ScenarioSet {
  readonly logMoves: Float64Array;
  readonly volShifts: Float64Array;
  /** Minimum shocked vol, e.g. Deribit's min_volatility_for_shock_up; 0 for none. */
  readonly volFloors: Float64Array;

  constructor(
    readonly underlyings: readonly string[],
    readonly count: number,
    /** The most scenarios allowed (a backend's limits.scenarios), checked before anything is allocated. */
    limit = MAX_SCENARIOS,
    /**
     * Planes to use instead of new ones (each underlyings × count long, in the set's layout):
     * scenarios already laid out elsewhere are revalued without a copy.
     */
    planes?: ScenarioPlanes,
  ) {
    expectNames(underlyings, "scenarios.underlyings");
    if (!Number.isInteger(count) || count < 1) throw new InputError("scenarios.count", `must be a whole number ≥ 1, got ${count}`);
    if (count > limit) throw new LimitError("scenarios", count, limit);
    const cells = underlyings.length * count;
    const plane = (name: keyof ScenarioPlanes): Float64Array => {
      if (!planes) return new Float64Array(cells);
      const given = planes[name];
      if (!(given instanceof Float64Array && given.length === cells)) throw new InputError(`planes.${name}`, `must be a Float64Array of ${cells} entries (underlyings × count)`);
      return given;
    };
    this.logMoves = plane("logMoves");
    this.volShifts = plane("volShifts");
    this.volFloors = plane("volFloors");
  }

  private slot(s: number, underlying: string): number {
    const u = this.underlyings.indexOf(underlying);
    if (u < 0) throw new InputError("scenarios.underlying", `unknown underlying ${underlying} (scenarios cover ${this.underlyings.join(", ")})`);
    if (!(s >= 0 && s < this.count)) throw new InputError("scenarios.index", `scenario ${s} outside 0..${this.count - 1}`);
    return u * this.count + s;
  }

  /** Sets scenario s's price move of an underlying as a simple return (−0.1 = −10%). */
  setMove(s: number, underlying: string, simpleReturn: number): this {
    if (!(simpleReturn > -1)) throw new InputError("scenarios.move", `a price move must be > −100%, got ${simpleReturn}`);
    this.logMoves[this.slot(s, underlying)] = log(1 + simpleReturn);
    return this;
  }

  /** Sets scenario s's relative vol shift of an underlying (+0.25 = vols × 1.25), and optionally a floor for the shocked vols. */
  setVolShift(s: number, underlying: string, shift: number, floor = 0): this {
    const i = this.slot(s, underlying);
    this.volShifts[i] = shift;
    this.volFloors[i] = floor;
    return this;
  }

  /** Throws an InputError naming the first non-finite entry. */
  assertFinite(): void {
    this.assertPlaneFinite("logMoves", this.logMoves);
    this.assertPlaneFinite("volShifts", this.volShifts);
    this.assertPlaneFinite("volFloors", this.volFloors);
  }

  private assertPlaneFinite(name: string, plane: Float64Array): void {
    for (let i = 0; i < plane.length; i++) {
      if (!Number.isFinite(plane[i])) {
        const u = this.underlyings[Math.floor(i / this.count)];
        throw new InputError(`scenarios.${name}[${u}][${i % this.count}]`, `must be finite, got ${plane[i]}`);
      }
    }
  }
}
