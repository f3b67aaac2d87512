import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { appendFileSync, mkdtempSync, mkdirSync, renameSync, rmSync, truncateSync, writeFileSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogFollower } from "../../src/watch/log-follower.js";
import { CursorStore } from "../../src/watch/cursor-store.js";
import { logLocation, lineOfInterest, type LogLocation } from "../../src/openclaw/gateway-log.js";
import type { LogEvent } from "../../src/openclaw/types.js";

let dir: string;
let seq = 0;

function line(text: string, at = "2026-11-21T12:00:00.000Z"): string {
  return JSON.stringify({ "0": '{"subsystem":"agent/embedded"}', "1": text, _meta: { logLevelName: "WARN", date: at }, time: at, message: text }) + "\n";
}
const fetch401 = () => line(`[model-fetch] response provider=openrouter api=openai-completions model=auto status=401 elapsedMs=${seq++}`);
const texts = (events: LogEvent[]) => events.map((e) => e.message);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clawpatrol-logf-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fixed(): { loc: LogLocation; file: string } {
  const file = join(dir, "gw.log");
  return { loc: logLocation({ logFile: file }), file };
}

describe("gateway log follower", () => {
  it("reads only what was appended since the last poll (bytes read = bytes appended)", async () => {
    const { loc, file } = fixed();
    writeFileSync(file, line("old history"));
    const f = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "end" });
    expect(await f.poll()).toEqual([]);
    const before = f.stats.bytesRead;
    const a = line("first") + line("second");
    appendFileSync(file, a);
    expect(texts(await f.poll())).toEqual(["first", "second"]);
    expect(f.stats.bytesRead - before).toBe(Buffer.byteLength(a));
    expect(await f.poll()).toEqual([]);
    expect(f.stats.bytesRead - before).toBe(Buffer.byteLength(a));
  });

  it("holds a partial last line until its newline arrives", async () => {
    const { loc, file } = fixed();
    const f = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "start" });
    const full = line("complete me");
    appendFileSync(file, full.slice(0, 40));
    expect(await f.poll()).toEqual([]);
    appendFileSync(file, full.slice(40));
    expect(texts(await f.poll())).toEqual(["complete me"]);
  });

  it("finishes a file rotated away mid-line, then follows the new file, without duplicates", async () => {
    const { loc, file } = fixed();
    const f = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "start" });
    const half = line("straddles the rotation");
    appendFileSync(file, line("before") + half.slice(0, 30));
    expect(texts(await f.poll())).toEqual(["before"]);
    appendFileSync(file, half.slice(30));
    renameSync(file, join(dir, "gw.1.log"));
    writeFileSync(file, line("after"));
    expect(texts(await f.poll())).toEqual(["straddles the rotation", "after"]);
    expect(f.stats.rotations).toBe(1);
    expect(await f.poll()).toEqual([]);
  });

  it("emits an archive's incomplete last line once the file has rotated away", async () => {
    const { loc, file } = fixed();
    const f = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "start" });
    appendFileSync(file, line("a") + "plain tail without newline");
    expect(texts(await f.poll())).toEqual(["a"]);
    renameSync(file, join(dir, "gw.1.log"));
    writeFileSync(file, line("b"));
    expect(texts(await f.poll())).toEqual(["plain tail without newline", "b"]);
  });

  it("follows the daily rollover of dated files", async () => {
    const logDir = join(dir, "openclaw");
    mkdirSync(logDir);
    const loc = logLocation({ tmp: dir });
    writeFileSync(join(logDir, "openclaw-2026-11-20.log"), line("yesterday, already there"));
    const f = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "end" });
    expect(await f.poll()).toEqual([]);
    appendFileSync(join(logDir, "openclaw-2026-11-20.log"), line("last of the day"));
    writeFileSync(join(logDir, "openclaw-2026-11-21.log"), line("first of the day"));
    expect(texts(await f.poll())).toEqual(["last of the day", "first of the day"]);
  });

  it("starts over when the file is truncated in place", async () => {
    const { loc, file } = fixed();
    const f = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "start" });
    appendFileSync(file, line("one") + line("two") + line("three"));
    expect(await f.poll()).toHaveLength(3);
    truncateSync(file, 0);
    appendFileSync(file, line("fresh"));
    expect(texts(await f.poll())).toEqual(["fresh"]);
    expect(f.stats.truncations).toBe(1);
  });

  it("caps a 5 MB line instead of buffering it and keeps reading after it", async () => {
    const { loc, file } = fixed();
    const f = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "start", limits: { maxLineBytes: 64 * 1024, chunkBytes: 256 * 1024 } });
    const giant = line("giant " + "x".repeat(5 * 1024 * 1024));
    // Written in pieces across polls, the way a slow writer would.
    appendFileSync(file, giant.slice(0, 2_000_000));
    expect(await f.poll()).toEqual([]);
    appendFileSync(file, giant.slice(2_000_000) + line("after the giant"));
    const events = await f.poll();
    expect(f.stats.capped).toBe(1);
    expect(events[events.length - 1]!.message).toBe("after the giant");
    for (const e of events) expect(e.message.length).toBeLessThanOrEqual(4000);
  });

  it("survives garbage bytes and non-JSON lines between real lines", async () => {
    const { loc, file } = fixed();
    const f = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "start" });
    const junk = Buffer.from([0, 1, 2, 0xff, 0xfe, 0xc3, 0x28, 10, 0x00, 0x00, 10]);
    appendFileSync(file, line("good 1"));
    appendFileSync(file, junk);
    appendFileSync(file, "[plain console line] gateway ready\n{\"broken json\n");
    appendFileSync(file, fetch401());
    const events = await f.poll();
    expect(texts(events)).toEqual(expect.arrayContaining(["good 1", "[plain console line] gateway ready"]));
    expect(events.some((e) => e.message.includes("status=401"))).toBe(true);
    expect(f.stats.junk).toBe(2);
  });

  it("the pre-filter skips uninteresting lines without parsing them", async () => {
    const { loc, file } = fixed();
    const f = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "start", wanted: lineOfInterest });
    appendFileSync(file, line("gateway ready") + fetch401() + line("heartbeat"));
    expect(await f.poll()).toHaveLength(1);
  });

  it("the needle fast path finds exactly the lines a line-by-line read finds, across chunk boundaries", async () => {
    const { loc, file } = fixed();
    let body = "";
    for (let i = 0; i < 500; i++) body += i % 7 === 0 ? fetch401() : line(`noise ${i} ${"y".repeat(i % 90)}`);
    appendFileSync(file, body.slice(0, 12_345));
    const fast = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "start", wanted: lineOfInterest, limits: { chunkBytes: 1000 } });
    const plain = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "start", wanted: (b: Buffer) => lineOfInterest(b), limits: { chunkBytes: 777 } });
    const a = [...(await fast.poll())];
    const b = [...(await plain.poll())];
    appendFileSync(file, body.slice(12_345));
    a.push(...(await fast.poll()));
    b.push(...(await plain.poll()));
    expect(a.map((e) => [e.offset, e.message])).toEqual(b.map((e) => [e.offset, e.message]));
    expect(a).toHaveLength(Math.ceil(500 / 7));
  });

  it("works off a backlog in bounded polls, flagging when it is behind", async () => {
    const { loc, file } = fixed();
    const body = Array.from({ length: 1000 }, (_, i) => line(`backlog ${i}`)).join("");
    appendFileSync(file, body);
    const f = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "start", maxBytesPerPoll: 20_000, limits: { chunkBytes: 4096 } });
    let got = 0;
    let polls = 0;
    do {
      got += (await f.poll()).length;
      polls++;
    } while (f.behind);
    expect(got).toBe(1000);
    expect(polls).toBeGreaterThan(5);
    expect(f.stats.bytesRead).toBe(Buffer.byteLength(body));
  });

  it("resumes after a restart with no duplicates and no gaps, even across a rotation while down", async () => {
    const { loc, file } = fixed();
    const cursorPath = join(dir, "state", "cursors.json");
    const first = new CursorStore(cursorPath);
    const a = new LogFollower({ location: loc, cursors: first, startAt: "end" });
    appendFileSync(file, line("history"));
    await a.poll();
    appendFileSync(file, line("seen 1") + line("seen 2") + line("half").slice(0, 20));
    expect(texts(await a.poll())).toEqual(["seen 1", "seen 2"]);
    await first.flush();
    // Down: the pending line completes, more lines arrive, the file rotates, a new file starts.
    appendFileSync(file, line("half").slice(20) + line("while down 1"));
    renameSync(file, join(dir, "gw.1.log"));
    writeFileSync(file, line("while down 2"));
    const b = new LogFollower({ location: loc, cursors: new CursorStore(cursorPath), startAt: "end" });
    expect(texts(await b.poll())).toEqual(["half", "while down 1", "while down 2"]);
    appendFileSync(file, line("live"));
    expect(texts(await b.poll())).toEqual(["live"]);
    expect(JSON.parse(readFileSync(cursorPath, "utf8")).version).toBe(1);
    expect(statSync(cursorPath).mode & 0o777).toBe(0o600);
  });

  it("a broken cursor file is reported, not fatal", () => {
    const cursorPath = join(dir, "cursors.json");
    writeFileSync(cursorPath, "{nope");
    const store = new CursorStore(cursorPath);
    expect(store.loadProblem).toMatch(/cursors\.json/);
    expect(store.keys()).toEqual([]);
  });

  it("overlapping event- and timer-driven polls never read a line twice", async () => {
    const { loc, file } = fixed();
    const f = new LogFollower({ location: loc, cursors: new CursorStore(null), startAt: "start" });
    appendFileSync(file, Array.from({ length: 200 }, (_, i) => line(`l${i}`)).join(""));
    const [x, y, z] = await Promise.all([f.poll(), f.poll(), f.poll()]);
    expect(x!.length + y!.length + z!.length).toBe(200);
  });
});
