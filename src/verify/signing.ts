// Ed25519 signatures of reproducibility records, through the platform's WebCrypto
// (Node ≥ 20 and current browsers), so that a verified record also proves who made it:
// keys are PEM files as OpenSSL writes them (`openssl genpkey -algorithm ed25519`).
import { InputError } from "../errors.js";

/** A record's signature: the signer's public key (SPKI, base64) and the Ed25519 signature (base64) of the record without it. */
export interface RecordSignature {
  algorithm: "Ed25519";
  publicKey: string;
  value: string;
}

const ED25519 = { name: "Ed25519" } as const;

const toBase64 = (bytes: ArrayBuffer | Uint8Array): string => btoa(String.fromCharCode(...new Uint8Array(bytes)));

function fromBase64(text: string, path: string): Uint8Array<ArrayBuffer> {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw new InputError(path, "is not base64");
  }
}

/** The DER bytes of a PEM block labelled `label` (PRIVATE KEY: PKCS#8, PUBLIC KEY: SPKI). */
function pemBody(pem: string, label: "PRIVATE KEY" | "PUBLIC KEY", path: string): Uint8Array<ArrayBuffer> {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!match) throw new InputError(path, `must be a PEM "${label}" (openssl genpkey -algorithm ed25519${label === "PUBLIC KEY" ? " … then openssl pkey -pubout" : ""})`);
  return fromBase64(match[1]!.replace(/\s/g, ""), path);
}

async function importKey(format: "pkcs8" | "spki", der: Uint8Array<ArrayBuffer>, usage: "sign" | "verify", path: string): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey(format, der, ED25519, true, [usage]);
  } catch (e) {
    throw new InputError(path, `is not an Ed25519 ${format === "pkcs8" ? "private" : "public"} key (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Signs `message` (the canonical JSON of a record) with a PKCS#8 PEM private key. */
export async function sign(message: string, privateKeyPem: string, path = "signing key"): Promise<RecordSignature> {
  const key = await importKey("pkcs8", pemBody(privateKeyPem, "PRIVATE KEY", path), "sign", path);
  const jwk = await crypto.subtle.exportKey("jwk", key);
  // The public half, from the private key's JWK (x is the public point).
  const publicKey = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, ED25519, true, ["verify"]);
  const value = await crypto.subtle.sign(ED25519, key, new TextEncoder().encode(message));
  return { algorithm: "Ed25519", publicKey: toBase64(await crypto.subtle.exportKey("spki", publicKey)), value: toBase64(value) };
}

/** SHA-256 of a public key's SPKI bytes, hex: how a note names the signer. */
export async function keyFingerprint(spkiBase64: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", fromBase64(spkiBase64, "signature.publicKey"));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Throws an InputError naming `reproducibility.signature` unless `signature` signs
 * `message` with the key of `publicKeyPem` (an SPKI PEM).
 */
export async function checkSignature(message: string, signature: unknown, publicKeyPem: string): Promise<void> {
  const path = "reproducibility.signature";
  if (signature === undefined) throw new InputError(path, "the record is not signed, and a public key was given to check its signer");
  const s = signature as Partial<RecordSignature> | null;
  if (typeof s !== "object" || s === null || s.algorithm !== "Ed25519" || typeof s.value !== "string" || typeof s.publicKey !== "string") {
    throw new InputError(path, 'must be { algorithm: "Ed25519", publicKey, value }');
  }
  const key = await importKey("spki", pemBody(publicKeyPem, "PUBLIC KEY", "public key"), "verify", "public key");
  const ok = await crypto.subtle.verify(ED25519, key, fromBase64(s.value, `${path}.value`), new TextEncoder().encode(message));
  if (!ok) throw new InputError(path, "does not verify with the public key given: the record was edited after signing, or another key signed it");
}
