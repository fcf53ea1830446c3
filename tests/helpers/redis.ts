// A redis-server of a test's own on a free port (no persistence: a restart loses
// everything, as a production Redis without persistence does), optionally with a
// password or TLS. redis-server from Debian (`.ci/run` installs it).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REDIS_SERVER = process.env.PMARGIN_REDIS_SERVER ?? "redis-server";

/** A free TCP port on 127.0.0.1 (free when asked). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface TlsFiles {
  cert: string;
  key: string;
  /** The CA that signed the server's certificate (here the certificate itself). */
  ca: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl. */
export function selfSignedCertificate(): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), "pmargin-tls-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  const made = spawnSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert,
  ], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
  return { cert, key, ca: cert };
}

export interface RedisServerOptions {
  password?: string;
  tls?: TlsFiles;
}

export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number, private readonly options: RedisServerOptions) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options);
    await server.spawn();
    return server;
  }

  /** The URL clients use (never with the password). */
  get url(): string {
    return `${this.options.tls ? "rediss" : "redis"}://127.0.0.1:${this.port}`;
  }

  private async spawn(): Promise<void> {
    const { password, tls } = this.options;
    const args = [
      "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", mkdtempSync(join(tmpdir(), "pmargin-redis-")),
      ...(tls
        ? ["--port", "0", "--tls-port", String(this.port), "--tls-cert-file", tls.cert, "--tls-key-file", tls.key, "--tls-ca-cert-file", tls.ca, "--tls-auth-clients", "no"]
        : ["--port", String(this.port)]),
      ...(password ? ["--requirepass", password] : []),
    ];
    const child = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = "";
      const onData = (d: Buffer): void => {
        out += d.toString();
        if (out.includes("Ready to accept connections")) resolve();
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
    });
  }

  /** Kills the server (as a crash would) and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    await gone;
  }

  /** Kills and starts it again on the same port, empty (no persistence). */
  async restart(): Promise<void> {
    await this.kill();
    await this.spawn();
  }

  stop(): Promise<void> {
    return this.kill();
  }
}
