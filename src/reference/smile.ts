// Pure-JS twin of assembly/smile.ts: each option's smile table from the book's packed
// vol-surface slices, with the kernel's arithmetic in its order (the same bits).
// It gives the JS reference kernel its tables and is the WASM kernel's oracle.
import type { Book } from "../engine/book.js";
import { betweenSlices, sliceVols } from "../market/packed-smile.js";

/** Tables of a book computed once: MC and historical revalue one book many times. */
const tablesOf = new WeakMap<Book, Float64Array>();

/** The book's smile tables: nOpt rows of book.slots vols, at the log moves book.xs. */
export function smileTablesReference(book: Book): Float64Array {
  const known = tablesOf.get(book);
  if (known) return known;
  const { layout: L, optCap, opt, slices, xs, slots } = book;
  const tables = new Float64Array(book.nOpt * slots);
  const vb = new Float64Array(slots);
  for (let row = 0; row < book.nOpt; row++) {
    const col = (c: number): number => opt[c * optCap + row]!;
    const out = tables.subarray(row * slots, (row + 1) * slots);
    const k0 = -col(L.opt.lnFK);
    const a = col(L.opt.sliceA);
    const b = col(L.opt.sliceB);
    sliceVols(slices, a, k0, xs, out);
    if (b < 0) continue;
    sliceVols(slices, b, k0, xs, vb);
    const w = col(L.opt.sliceW), t = col(L.opt.t), ta = slices[a]!, tb = slices[b]!;
    for (let i = 0; i < slots; i++) out[i] = betweenSlices(out[i]!, vb[i]!, w, ta, tb, t);
  }
  tablesOf.set(book, tables);
  return tables;
}
