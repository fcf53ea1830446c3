// Pure-JS twin of assembly/revalue.ts: the same model and the same hoisting
// (per scenario and underlying e^x and the smile node; per option its constants),
// evaluated scalar with Math.exp/Math.log and Cody's normal CDF. It is the
// baseline of the benchmarks and the oracle of the WASM kernel in tests.
import { assertMovesCompiled, smileNode, smilePosition, zeroMoveSlot, type Book } from "../engine/book.js";
import type { RevalueOptions, RevalueResult } from "../engine/backend.js";
import type { ScenarioSet } from "../engine/scenarios.js";
import { black76Price } from "../math/black76.js";
import { normCdf } from "../math/normal.js";
import { smileTablesReference } from "./smile.js";

export function revalueReference(book: Book, scenarios: ScenarioSet, options: RevalueOptions = {}): RevalueResult {
  const { layout: L, optCap, linCap, opt, lin } = book;
  const dt = options.dt ?? 0;
  const currency = options.currency ?? "USD";
  const ccy = currency === "USD" ? -1 : book.underlyings.indexOf(currency);
  const count = scenarios.count;
  const nUnd = book.underlyings.length;
  assertMovesCompiled(book, scenarios.logMoves);

  const tables = smileTablesReference(book);
  // Per underlying and scenario: price factor and smile node (its slot in the tables).
  const m = scenarios.logMoves.map(Math.exp);
  const node = new Int32Array(nUnd * count);
  const frac = new Float64Array(nUnd * count);
  for (let i = 0; i < nUnd * count; i++) {
    const pos = smilePosition(L, scenarios.logMoves[i]!);
    const j = smileNode(L, pos);
    node[i] = book.nodeOffsets[j]! / 8;
    frac[i] = pos - j;
  }
  const price = new Float64Array(count).fill(1);
  if (ccy >= 0) for (let s = 0; s < count; s++) price[s] = book.indexPrices[ccy]! * m[ccy * count + s]!;
  const x0 = ccy >= 0 ? book.indexPrices[ccy]! : 1;

  const col = (c: number, row: number): number => opt[c * optCap + row]!;
  const optionRow = (row: number, out: Float64Array): number => {
    const u = col(L.opt.u, row);
    const f0 = col(L.opt.f, row), k = col(L.opt.k, row), rate = col(L.opt.rate, row);
    const phi = col(L.opt.phi, row) as 1 | -1;
    const w = col(L.opt.weight, row), volW = col(L.opt.volW, row);
    const t = col(L.opt.t, row);
    const table = tables.subarray(row * book.slots, (row + 1) * book.slots);
    const tLeft = t - dt;
    const lnFK = col(L.opt.lnFK, row);
    const sqrtT = Math.sqrt(Math.max(tLeft, 0));
    const scale = phi * w * Math.exp(-rate * tLeft);
    for (let s = 0; s < count; s++) {
      const i = u * count + s;
      const f = f0 * m[i]!;
      if (!(tLeft > 0)) {
        out[s] = w * Math.max(phi * (f - k), 0);
        continue;
      }
      const j = node[i]!;
      const smile = table[j]! + frac[i]! * (table[j + 1]! - table[j]!);
      const sv = Math.max(smile * (1 + volW * scenarios.volShifts[i]!), scenarios.volFloors[i]!, L.volFloor) * sqrtT;
      const d1 = (lnFK + scenarios.logMoves[i]!) / sv + 0.5 * sv;
      out[s] = scale * (f * normCdf(phi * d1) - k * normCdf(phi * (d1 - sv)));
    }
    // The value now: zero move, no vol shift, no time step.
    return w * black76Price(f0, k, t, table[zeroMoveSlot(book)]!, rate, phi);
  };
  const linearRow = (row: number, out: Float64Array): number => {
    const u = lin[L.lin.u * linCap + row]!;
    const alpha = lin[L.lin.alpha * linCap + row]!, beta = lin[L.lin.beta * linCap + row]!;
    for (let s = 0; s < count; s++) out[s] = alpha + beta * m[u * count + s]!;
    return alpha + beta;
  };

  const pnl = new Float64Array(count);
  const scratch = new Float64Array(count);
  const rows = book.refs.map((ref) => {
    const values = options.reduce === "rows" ? new Float64Array(count) : scratch;
    const base = ref.kind === "option" ? optionRow(ref.row, values) : linearRow(ref.row, values);
    for (let s = 0; s < count; s++) {
      values[s] = values[s]! / price[s]! - base / x0;
      pnl[s]! += values[s]!;
    }
    return values;
  });
  return options.reduce === "rows" ? { currency, pnl, positions: rows } : { currency, pnl };
}
