// Lines of a text stream, read only as fast as they are taken: a consumer that waits
// (pmargin watch, its stdout full) leaves the stream paused and the writer blocked,
// instead of buffering everything it sends.
import { InputError } from "../errors.js";

/** A line longer than this is no update (one is a few hundred bytes): refused, not buffered without end. */
export const MAX_LINE = 16 * 1024 * 1024;

/** The lines of `input` (\n or \r\n), the last one without its newline too. */
export async function* lines(input: AsyncIterable<string | Uint8Array>, source = "stdin"): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let carry = "";
  let n = 0;
  for await (const chunk of input) {
    carry += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    const parts = carry.split(/\r?\n/);
    carry = parts.pop()!;
    if (carry.length > MAX_LINE) throw new InputError(`${source} line ${n + parts.length + 1}`, `longer than ${MAX_LINE} characters: no update is`);
    n += parts.length;
    yield* parts;
  }
  carry += decoder.decode();
  if (carry !== "") yield carry;
}
