// pmargin watch with a reader that stops reading (issue 26: 170 MB buffered with a consumer
// blocked 40 s): it must stop reading its updates while its output is not drained, so that
// the writer blocks instead of the process buffering, and lose nothing once the reader resumes.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { lines, MAX_LINE } from "../src/cli/lines.js";

const cli = new URL("../dist/cli/main.js", import.meta.url).pathname;
const examples = new URL("../examples/", import.meta.url).pathname;

/** Update i: BTC's index moving back and forth a minute apart, each a margin event with --margin-change 0. */
const update = (i: number): string =>
  `${JSON.stringify({ type: "price", time: new Date(Date.UTC(2026, 7, 22, 16) + 60_000 * i).toISOString(), underlying: "BTC", index: i % 2 === 0 ? 76_000 : 77_000 })}\n`;

describe("pmargin watch with backpressure", () => {
  it("stops reading stdin while stdout is not drained, then delivers every event", async () => {
    const child = spawn(process.execPath, [cli, "watch", `${examples}portfolio.json`, `${examples}market.json`, "--margin-change", "0"], { stdio: ["pipe", "pipe", "inherit"] });
    // Once the monitor runs (its start line is out), a reader that stops reading.
    const [start] = (await once(child.stdout, "data")) as [Buffer];
    child.stdout.pause();
    expect(start.toString()).toMatch(/^\{"type":"start"/);
    // Updates go in as fast as watch takes them, for 10 s. Without backpressure it keeps taking
    // them (at the pace it computes, its events buffered in memory); with it, it stops once
    // its output is full, and nothing more goes in.
    let written = 0;
    let sent = 0;
    let writtenAt5s = 0;
    const start5s = Date.now() + 5_000;
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      if (writtenAt5s === 0 && Date.now() >= start5s) writtenAt5s = written;
      const line = update(sent++);
      written += line.length;
      if (!child.stdin.write(line)) await Promise.race([once(child.stdin, "drain"), sleep(Math.max(0, Math.min(end, writtenAt5s === 0 ? start5s : end) - Date.now()))]);
    }
    if (writtenAt5s === 0) writtenAt5s = written;
    // (At most the one line handed to the pipe when the 5 s mark passed; without backpressure, ~0.5 MB.)
    expect(written - writtenAt5s, `watch kept reading while its output was not read: ${written - writtenAt5s} bytes of updates taken in the last 5 s`).toBeLessThan(1000);
    expect(written).toBeLessThan(1e6);

    // The reader resumes: every update's event arrives, then the end line.
    const out: string[] = [];
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => out.push(chunk));
    child.stdout.resume();
    child.stdin.end();
    const [code] = await once(child, "close");
    expect(code).toBe(0);
    const events = (start.toString() + out.join("")).trim().split("\n").map((l) => JSON.parse(l) as { type: string; events?: number });
    expect(events[0]!.type).toBe("start");
    expect(events.at(-1)).toMatchObject({ type: "end" });
    expect(events.filter((e) => e.type === "margin")).toHaveLength(sent);
  }, 120_000);

  it("splits lines across chunks, \\r\\n included, and refuses a line without end", async () => {
    async function* chunks(...parts: string[]) {
      yield* parts;
    }
    const got: string[] = [];
    for await (const l of lines(chunks("a\r", "\nb", "c\n", "d"))) got.push(l);
    expect(got).toEqual(["a", "bc", "d"]);
    const huge = (async function* () {
      for (let i = 0; i < 20; i++) yield "x".repeat(MAX_LINE / 16);
    })();
    await expect((async () => { for await (const _ of lines(huge)) { /* read */ } })()).rejects.toThrow(/longer than/);
  });
});
