import { InputError } from "../errors.js";
import { log } from "../math/deterministic.js";

/**
 * A block of joint market scenarios for the underlyings of a book: per underlying
 * and scenario a log price move x (S' = S·e^x, every forward of the underlying
 * moves by the same factor) and a relative implied-vol shift v
 * (σ' = σ(sticky moneyness)·(1 + w·v), w the option's vol-shift weight).
 * Stored as planes: value of underlying u in scenario s at [u·count + s].
 */
export class ScenarioSet {
  readonly logMoves: Float64Array;
  readonly volShifts: Float64Array;

  constructor(
    readonly underlyings: readonly string[],
    readonly count: number,
  ) {
    if (!Number.isInteger(count) || count < 1) throw new InputError("scenarios.count", `must be a whole number ≥ 1, got ${count}`);
    this.logMoves = new Float64Array(underlyings.length * count);
    this.volShifts = new Float64Array(underlyings.length * count);
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

  /** Sets scenario s's relative vol shift of an underlying (+0.25 = vols × 1.25). */
  setVolShift(s: number, underlying: string, shift: number): this {
    this.volShifts[this.slot(s, underlying)] = shift;
    return this;
  }

  /** Throws an InputError naming the first non-finite entry. */
  assertFinite(): void {
    for (const [name, plane] of [["logMoves", this.logMoves], ["volShifts", this.volShifts]] as const) {
      for (let i = 0; i < plane.length; i++) {
        if (!Number.isFinite(plane[i])) {
          const u = this.underlyings[Math.floor(i / this.count)];
          throw new InputError(`scenarios.${name}[${u}][${i % this.count}]`, `must be finite, got ${plane[i]}`);
        }
      }
    }
  }
}
