// What makes a queue payload trustworthy. Every payload in Redis — a run's inputs, each
// task, each result — is sealed with an HMAC-SHA256 under its run's key, derived from
// the secret the coordinator and its workers share (it never goes into Redis) and the
// run's random nonce (which does: it names this start of the run). Whoever writes into
// Redis without the secret can delete a payload but not forge one. Results also carry
// the build that computed them (pmargin version and WASM digest), so a worker of
// another build is named and refused, and their format is validated before use.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { InputError, PmarginError } from "../errors.js";
import { VERSION } from "../version.js";

/** The build a result comes from: the same inputs on the same build give the same bits. */
export interface Build {
  version: string;
  wasmSha256: string;
}

/** This process's build, from its engine's WASM digest. */
export const buildOf = (engine: { wasmSha256?: string }): Build => ({ version: VERSION, wasmSha256: engine.wasmSha256 ?? "unknown" });

export const sameBuild = (a: Build, b: Build): boolean => a.version === b.version && a.wasmSha256 === b.wasmSha256;

export const describeBuild = (b: Build): string => `pmargin ${b.version}, wasm ${b.wasmSha256.slice(0, 12)}`;

const MIN_SECRET_BYTES = 16;

/** The queue's shared secret, given or from PMARGIN_QUEUE_SECRET; missing or short is an InputError. */
export function queueSecret(secret: string | Uint8Array | undefined): Buffer {
  const given = secret ?? process.env.PMARGIN_QUEUE_SECRET;
  if (given === undefined || given.length === 0) {
    throw new InputError("secret", "the queue needs the secret its coordinator and workers share: set PMARGIN_QUEUE_SECRET (e.g. `openssl rand -hex 32`) on every host");
  }
  const bytes = typeof given === "string" ? Buffer.from(given, "utf8") : Buffer.from(given);
  if (bytes.length < MIN_SECRET_BYTES) throw new InputError("secret", `must be at least ${MIN_SECRET_BYTES} bytes, got ${bytes.length} (e.g. \`openssl rand -hex 32\`)`);
  return bytes;
}

/** A run's nonce: new for each new start of a run id. */
export const newNonce = (): string => randomBytes(16).toString("hex");

/** A sealed payload as stored: its HMAC in hex, ":", then the body (the codec's JSON text, as it is). */
const SEALED = /^([0-9a-f]{64}):/;

/** A payload that does not open: forged, corrupted, or sealed under another secret or start of the run. */
export class SealError extends PmarginError {
  override name = "SealError";
}

/** Seals and opens the payloads of one start of one run. */
export class RunSeal {
  private readonly key: Buffer;

  constructor(secret: Buffer, queue: string, runId: string, nonce: string) {
    this.key = createHmac("sha256", secret).update(`pmargin queue run\0${queue}\0${runId}\0${nonce}`).digest();
  }

  /** `label` says what the payload is (e.g. "result:margins:3"): a payload sealed as one thing does not open as another. */
  private mac(label: string, body: string): Buffer {
    return createHmac("sha256", this.key).update(label).update("\0").update(body).digest();
  }

  seal(label: string, body: string): string {
    return `${this.mac(label, body).toString("hex")}:${body}`;
  }

  /** The body of a payload sealed as `label` for this run; anything else is a SealError. */
  open(label: string, text: string): string {
    const mac = SEALED.exec(text)?.[1];
    if (mac === undefined) throw new SealError(`${label}: not a sealed payload`);
    const body = text.slice(65);
    if (!timingSafeEqual(Buffer.from(mac, "hex"), this.mac(label, body))) {
      throw new SealError(`${label}: its HMAC does not verify (written without the queue's secret, or under another secret or start of the run)`);
    }
    return body;
  }
}
