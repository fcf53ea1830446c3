// Number formats of the page, shared with its test so both agree on every
// character. toFixed is exact by the spec, unlike locale formatting.
const MINUS = "\u2212";

const sign = (x: number, text: string): string => (x < 0 && /[1-9]/.test(text) ? MINUS : "");
const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** 1234567.891 → "1,234,567.89" with `decimals` 2; negatives with a minus sign. */
export function fixed(x: number, decimals = 0): string {
  if (!Number.isFinite(x)) return String(x);
  const [int, frac] = Math.abs(x).toFixed(decimals).split(".");
  const body = group(int!) + (frac === undefined ? "" : "." + frac);
  return sign(x, body) + body;
}

/** Whole dollars: "$312,018", "−$1,250". */
export function usd(x: number): string {
  const body = fixed(Math.abs(x));
  return sign(x, body) + "$" + body;
}

/** Three significant digits, for quantities that span orders of magnitude (gamma). */
export function significant(x: number, digits = 3): string {
  const body = Math.abs(x).toPrecision(digits);
  return sign(x, body) + body;
}

/** A simple return as a signed percentage: 0.16 → "+16%", −0.0533 → "−5.33%". */
export function move(x: number): string {
  const body = String(Number(Math.abs(x * 100).toFixed(2))) + "%";
  return (x > 0 ? "+" : sign(x, body)) + body;
}

/** A confidence level: 0.975 → "97.5%". */
export function level(x: number): string {
  return String(Number((x * 100).toFixed(4))) + "%";
}

/** Short amounts for chart labels: 1234 → "1.2k", −2500000 → "−2.5M". */
export function compact(x: number): string {
  const a = Math.abs(x);
  const [unit, suffix] = a >= 1e6 ? [1e6, "M"] : a >= 1e3 ? [1e3, "k"] : [1, ""];
  const v = a / unit;
  const body = v.toFixed(v >= 100 || unit === 1 ? 0 : 1) + suffix;
  return sign(x, body) + body;
}
