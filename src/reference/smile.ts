// Pure-JS twin of assembly/smile.ts: each option's smile table from the book's packed
// vol-surface slices, with the kernel's arithmetic in its order (the same bits).
// It gives the JS reference kernel its tables and is the WASM kernel's oracle.
import type { Book } from "../engine/book.js";
import { betweenSlices, SLICE_HEADER } from "../market/vol-surface.js";

/** Tables of a book computed once: MC and historical revalue one book many times. */
const tablesOf = new WeakMap<Book, Float64Array>();

/** The book's smile tables (nOpt rows of book.slots vols, at the log moves book.xs), built once per book. */
export function smileTablesReference(book: Book): Float64Array {
  let tables = tablesOf.get(book);
  if (!tables) tablesOf.set(book, (tables = buildSmileTables(book)));
  return tables;
}

/** The book's smile tables, built: the twin of smileTablesF64. */
export function buildSmileTables(book: Book): Float64Array {
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
  return tables;
}

/** The PCHIP smile of the packed slice at `at` at log-moneyness k0 − xs[i] (xs increasing), flat beyond its end nodes. */
function sliceVols(slices: Float64Array, at: number, k0: number, xs: ArrayLike<number>, out: Float64Array): void {
  const count = slices[at + 1]!;
  const k = at + SLICE_HEADER, vols = k + count, slopes = vols + count;
  const n = count - 1;
  let lo = Math.max(n - 1, 0);
  for (let i = 0; i < xs.length; i++) {
    const x = k0 - xs[i]!;
    if (x <= slices[k]!) out[i] = slices[vols]!;
    else if (x >= slices[k + n]!) out[i] = slices[vols + n]!;
    else {
      // The largest lo with k[lo] ≤ x: the k fall as i rises, so walk down.
      while (lo > 0 && slices[k + lo]! > x) lo--;
      const h = slices[k + lo + 1]! - slices[k + lo]!;
      const s = (x - slices[k + lo]!) / h;
      const s2 = s * s;
      const s3 = s2 * s;
      out[i] =
        (2 * s3 - 3 * s2 + 1) * slices[vols + lo]! +
        (s3 - 2 * s2 + s) * h * slices[slopes + lo]! +
        (-2 * s3 + 3 * s2) * slices[vols + lo + 1]! +
        (s3 - s2) * h * slices[slopes + lo + 1]!;
    }
  }
}
