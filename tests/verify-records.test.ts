// verify checks what produced a figure, not only the figure (issue 26): the recorded method
// and parameters pass the parsers, the digest covers them (0.3.0's records, whose digest
// covers the inputs only, still verify, with a note), records can be signed with Ed25519,
// and a broken record is an InputError (exit 2), never an internal error or a stack overflow.
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/engine/engine.js";
import { InputError } from "../src/errors.js";
import { verify, type Reproducibility } from "../src/verify/reproducibility.js";

const cli = new URL("../dist/cli/main.js", import.meta.url).pathname;
const examples = new URL("../examples/", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "pmargin-records-"));
const file = (name: string, content: unknown): string => {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};
const pmargin = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

type Saved = Record<string, unknown> & { reproducibility: Omit<Reproducibility, "run"> & { run: Record<string, unknown> } };
const OLD = JSON.parse(readFileSync(new URL("./recorded/0.3.0/grid-deribit.json", import.meta.url), "utf8")) as Saved;

const keys = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    private: file(`key-${Math.random()}.pem`, privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
    public: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
};

let engine: Engine;
let fresh: Saved;
let signer: ReturnType<typeof keys>;
let signed: Saved;
beforeAll(async () => {
  engine = await createEngine();
  signer = keys();
  const plain = pmargin("grid", `${examples}portfolio.json`, `${examples}market.json`, "--json");
  expect(plain.status).toBe(0);
  fresh = JSON.parse(plain.stdout) as Saved;
  const withKey = pmargin("grid", `${examples}portfolio.json`, `${examples}market.json`, "--json", "--sign", signer.private);
  expect(withKey.status, withKey.stderr).toBe(0);
  signed = JSON.parse(withKey.stdout) as Saved;
});

const edited = (saved: Saved, change: (rec: Saved["reproducibility"]) => void): Saved => {
  const copy = structuredClone(saved);
  change(copy.reproducibility);
  return copy;
};

describe("verify checks the recorded method and parameters", () => {
  it("a record with mmFactor −1 is refused naming the field (it 'verified' MM −312,017 USD), exit 2", () => {
    const r = pmargin("verify", file("mm.json", edited(OLD, (rec) => { (rec.run.profile as { mmFactor: number }).mmFactor = -1; })));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("reproducibility.run.profile.mmFactor: must be a finite number > 0, got -1");
  });

  it.each([
    ["an unknown command", (rec: Saved["reproducibility"]) => { rec.run.command = "swap"; }, /reproducibility\.run\.command: unknown command "swap"/],
    ["a command named constructor", (rec: Saved["reproducibility"]) => { rec.run.command = "constructor"; }, /reproducibility\.run\.command: unknown command "constructor"/],
    ["a profile that is a number", (rec: Saved["reproducibility"]) => { rec.run.profile = 5; }, /reproducibility\.run\.profile: must be an object/],
    ["a profile {}", (rec: Saved["reproducibility"]) => { rec.run.profile = {}; }, /reproducibility\.run\.profile\.\w+: is required/],
    ["an unknown run field", (rec: Saved["reproducibility"]) => { rec.run.perPositon = true; }, /reproducibility\.run\.perPositon: unknown option/],
  ])("%s is an InputError naming it", async (_, change, message) => {
    await expect(verify(engine, edited(OLD, change))).rejects.toThrow(message);
  });

  it("in the CLI, an unknown command exits 2 (it was an internal error, exit 1)", () => {
    const r = pmargin("verify", file("command.json", edited(OLD, (rec) => { rec.run.command = "swap"; })));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('reproducibility.run.command: unknown command "swap"');
  });

  it("20,000 levels of nesting are a clean error, not a stack overflow", () => {
    const deep = "[".repeat(20_000) + "]".repeat(20_000);
    const text = JSON.stringify(OLD).replace('"name":', `"deep": ${deep}, "name":`);
    const r = pmargin("verify", file("deep.json", text));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("nested more than 100 levels deep");
  });
});

describe("the digest covers method, parameters and inputs", () => {
  it("new records carry recordSha256 and verify without a note about it", async () => {
    expect(fresh.reproducibility.recordSha256).toMatch(/^[0-9a-f]{64}$/);
    const v = await verify(engine, fresh);
    expect(v.identical).toBe(true);
    expect(v.notes.join()).not.toContain("recordSha256");
  });

  it("a parameter edited in a new record (still valid: mmFactor 0.9) no longer matches its digest", async () => {
    const tampered = edited(fresh, (rec) => { (rec.run.profile as { mmFactor: number }).mmFactor = 0.9; });
    await expect(verify(engine, tampered)).rejects.toMatchObject({ path: "reproducibility.recordSha256" });
  });

  it("0.3.0's records (inputs-only digest) still verify bit for bit, with a note saying what their digest covers", async () => {
    const v = await verify(engine, OLD);
    expect(v.identical).toBe(true);
    expect(v.notes).toContain("a record without recordSha256 (pmargin 0.3.0): its digest covers the inputs, not the method and parameters");
  });
});

describe("Ed25519 signatures", () => {
  it("a record signed with --sign verifies with the public key, and names the signer", async () => {
    expect(signed.reproducibility.signature?.algorithm).toBe("Ed25519");
    const v = await verify(engine, signed, { publicKey: signer.public });
    expect(v.identical).toBe(true);
    expect(v.notes.some((n) => n.startsWith("signature verified"))).toBe(true);
    const r = pmargin("verify", file("signed.json", signed), "--public-key", file("signer.pub.pem", signer.public));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("signature verified");
  });

  it("another key, an unsigned record, or a record edited and re-digested after signing is refused", async () => {
    const other = keys();
    await expect(verify(engine, signed, { publicKey: other.public })).rejects.toMatchObject({ path: "reproducibility.signature" });
    await expect(verify(engine, fresh, { publicKey: signer.public })).rejects.toThrow(/not signed/);
    // Whoever edits the file can recompute a SHA-256, not the signature.
    const { createHash } = await import("node:crypto");
    const { canonicalJson } = await import("../src/verify/reproducibility.js");
    const forged = edited(signed, (rec) => {
      (rec.run.profile as { mmFactor: number }).mmFactor = 0.9;
      const { recordSha256: _d, signature: _s, ...rest } = rec;
      rec.recordSha256 = createHash("sha256").update(canonicalJson(rest)).digest("hex");
    });
    await expect(verify(engine, forged, { publicKey: signer.public })).rejects.toBeInstanceOf(InputError);
    const r = pmargin("verify", file("forged.json", forged), "--public-key", file("signer2.pub.pem", signer.public));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("reproducibility.signature: does not verify with the public key given");
  });

  it("--sign without --json, or with an unreadable key, is an InputError naming the option", () => {
    const noJson = pmargin("grid", `${examples}portfolio.json`, `${examples}market.json`, "--sign", signer.private);
    expect(noJson.status).toBe(2);
    expect(noJson.stderr).toContain("--sign: signs the reproducibility record of a --json result");
    const missing = pmargin("grid", `${examples}portfolio.json`, `${examples}market.json`, "--json", "--sign", join(tmp, "none.pem"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--sign: cannot read");
    const notKey = pmargin("grid", `${examples}portfolio.json`, `${examples}market.json`, "--json", "--sign", `${examples}market.json`);
    expect(notKey.status).toBe(2);
    expect(notKey.stderr).toMatch(/signing key: must be a PEM "PRIVATE KEY"/);
  });
});
