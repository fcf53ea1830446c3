// Resting orders beside a portfolio: what a venue that margins open orders (Paradex) reads.
import type { FuturePosition, OptionPosition } from "./types.js";

/**
 * A resting limit order on a USD-settled (linear) future or option: the instrument as a
 * position names it, `quantity` the signed size still open (+ buy, − sell, in the
 * position's units) and `price` its limit price, USD per coin.
 */
export type OpenOrder = (Omit<FuturePosition, "entryPrice" | "faceValue"> | OptionPosition) & { settlement: "linear"; price: number };
