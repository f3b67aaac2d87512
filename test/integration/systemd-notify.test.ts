import { describe, it, expect, beforeAll, afterAll, afterEach } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Notifier } from "../../src/systemd/notify.js";

// A stand-in for PID 1: an AF_UNIX/SOCK_DGRAM socket that prints every datagram as one JSON line.
// Ancillary fds (systemd-notify's BARRIER=1 carries one) are closed, which releases the barrier.
const LISTENER = String.raw`
import socket, sys, json, os, array
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print(json.dumps({"listening": path}), flush=True)
while True:
    data, anc, flags, addr = s.recvmsg(65536, socket.CMSG_SPACE(16 * 4))
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i"); fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
            for fd in fds: os.close(fd)
    print(json.dumps({"msg": data.decode("utf8", "replace")}), flush=True)
`;

const NOTIFY_BIN = "/usr/bin/systemd-notify";
const haveNotify = existsSync(NOTIFY_BIN);

let dir: string;
let listener: ChildProcess;
const messages: { at: number; text: string }[] = [];

function waitFor(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (pred()) return resolve();
      if (Date.now() - start > timeoutMs) return reject(new Error(`timed out; got ${JSON.stringify(messages.map((m) => m.text))}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const payloads = () => messages.map((m) => m.text).filter((t) => t !== "BARRIER=1");

(haveNotify ? describe : describe.skip)("sd_notify through systemd-notify to a real datagram socket", () => {
  let socketPath: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "clawpatrol-notify-"));
    socketPath = join(dir, "notify.sock");
    const script = join(dir, "listener.py");
    writeFileSync(script, LISTENER);
    listener = spawn("python3", [script, socketPath], { stdio: ["ignore", "pipe", "inherit"] });
    let ready!: () => void;
    const listening = new Promise<void>((r) => (ready = r));
    createInterface({ input: listener.stdout! }).on("line", (line) => {
      const rec = JSON.parse(line) as { listening?: string; msg?: string };
      if (rec.listening) ready();
      if (rec.msg !== undefined) messages.push({ at: Date.now(), text: rec.msg });
    });
    await listening;
  });
  afterAll(() => {
    listener.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => void messages.splice(0));

  it("READY, STATUS, periodic WATCHDOG while the loop ticks, none once it hangs, then STOPPING", async () => {
    // WATCHDOG_USEC=1s → a ping every 500 ms while the loop makes progress.
    const env = { PATH: process.env.PATH, NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: "1000000", WATCHDOG_PID: String(process.pid) };
    const notifier = new Notifier({ env });
    expect(notifier.enabled).toBe(true);
    expect(notifier.watchdogIntervalMs).toBe(500);
    const loop = setInterval(() => notifier.loopTick(), 100);
    notifier.start();
    notifier.ready("3 agents, 14/14 routes ok, no incidents");
    await waitFor(() => payloads().some((p) => p.includes("READY=1")));
    expect(payloads().find((p) => p.includes("READY=1"))).toBe("READY=1\nSTATUS=3 agents, 14/14 routes ok, no incidents");
    notifier.status("3 agents, 13/14 routes ok, 1 incident: main openrouter auth");
    await waitFor(() => payloads().includes("STATUS=3 agents, 13/14 routes ok, 1 incident: main openrouter auth"));
    await waitFor(() => payloads().filter((p) => p.includes("WATCHDOG=1")).length >= 3, 8000);

    // The main loop hangs: it stops ticking. The timer keeps firing, but withholds the ping.
    clearInterval(loop);
    await sleep(700); // let a ping already in flight land
    const before = payloads().filter((p) => p.includes("WATCHDOG=1")).length;
    await sleep(1600);
    expect(payloads().filter((p) => p.includes("WATCHDOG=1")).length).toBe(before);
    expect(notifier.stats.watchdogSkippedStalled).toBeGreaterThanOrEqual(2);

    // Progress resumes → pings resume.
    const resumed = setInterval(() => notifier.loopTick(), 100);
    await waitFor(() => payloads().filter((p) => p.includes("WATCHDOG=1")).length > before, 5000);
    clearInterval(resumed);

    await notifier.stopping("shutting down");
    expect(payloads()).toContain("STOPPING=1\nSTATUS=shutting down");
    expect(notifier.stats.failed).toBe(0);
    // Every systemd-notify run waited for the barrier (blocking mode), which the listener released.
    expect(messages.filter((m) => m.text === "BARRIER=1").length).toBeGreaterThanOrEqual(notifier.stats.sent);
  }, 30_000);

  it("RELOADING then READY arrive in order", async () => {
    const notifier = new Notifier({ env: { PATH: process.env.PATH, NOTIFY_SOCKET: socketPath } });
    notifier.reloading();
    notifier.ready();
    await notifier.flush();
    expect(payloads()).toEqual(["RELOADING=1", "READY=1"]);
  });

  it("a burst of STATUS updates coalesces while one systemd-notify is running", async () => {
    const notifier = new Notifier({ env: { PATH: process.env.PATH, NOTIFY_SOCKET: socketPath } });
    for (let i = 1; i <= 20; i++) notifier.status(`update ${i}`);
    await notifier.flush();
    const statuses = payloads().filter((p) => p.startsWith("STATUS="));
    expect(statuses[0]).toBe("STATUS=update 1");
    expect(statuses[statuses.length - 1]).toBe("STATUS=update 20");
    expect(statuses.length).toBeLessThanOrEqual(2);
  });
});
