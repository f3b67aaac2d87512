import { describe, it, expect } from "@jest/globals";
import { Notifier, oneLine } from "../../src/systemd/notify.js";
import { ManualClock } from "../../src/util/clock.js";
import type { Exec, ExecOptions, ExecResult } from "../../src/util/exec.js";

/** A systemd-notify that records its argv/env and finishes only when the test says so. */
function controlledExec() {
  const runs: { args: readonly string[]; env: NodeJS.ProcessEnv | undefined; finish: (r?: Partial<ExecResult>) => void }[] = [];
  const exec: Exec = (_file, args, options?: ExecOptions) =>
    new Promise((resolve) => runs.push({ args, env: options?.env, finish: (r = {}) => resolve({ code: 0, stdout: "", stderr: "", ...r }) }));
  return { exec, runs };
}
const tick = () => new Promise((r) => setImmediate(r));

describe("Notifier", () => {
  it("does nothing outside systemd (no NOTIFY_SOCKET)", () => {
    const { exec, runs } = controlledExec();
    const n = new Notifier({ env: { WATCHDOG_USEC: "1000000" }, exec });
    n.ready("x");
    n.status("y");
    expect(n.watchdogTick()).toBe(false);
    expect(n.enabled).toBe(false);
    expect(n.watchdogIntervalMs).toBeNull();
    expect(runs).toHaveLength(0);
  });

  it("hands systemd-notify the socket but no watchdog variables", () => {
    const { exec, runs } = controlledExec();
    const n = new Notifier({ env: { NOTIFY_SOCKET: "/run/user/1000/systemd/notify", WATCHDOG_USEC: "120000000", WATCHDOG_PID: "42", PATH: "/usr/bin" }, exec, pid: 42 });
    n.ready();
    expect(runs[0]!.args).toEqual(["READY=1"]);
    expect(runs[0]!.env?.NOTIFY_SOCKET).toBe("/run/user/1000/systemd/notify");
    expect(runs[0]!.env?.WATCHDOG_USEC).toBeUndefined();
    expect(runs[0]!.env?.WATCHDOG_PID).toBeUndefined();
    expect(n.watchdogIntervalMs).toBe(60_000);
  });

  it("ignores a watchdog meant for another process (WATCHDOG_PID)", () => {
    const n = new Notifier({ env: { NOTIFY_SOCKET: "/x", WATCHDOG_USEC: "1000000", WATCHDOG_PID: "7" }, exec: controlledExec().exec, pid: 8 });
    expect(n.watchdogIntervalMs).toBeNull();
  });

  it("pings the watchdog only while the main loop has ticked within the last interval", async () => {
    const clock = new ManualClock();
    const { exec, runs } = controlledExec();
    const n = new Notifier({ env: { NOTIFY_SOCKET: "/x", WATCHDOG_USEC: "120000000" }, exec, clock });
    clock.advance(30_000);
    n.loopTick();
    clock.advance(60_000);
    expect(n.watchdogTick()).toBe(true);
    runs[0]!.finish();
    await tick();
    clock.advance(60_000); // the last tick is now 120 s old: the loop stopped making progress
    expect(n.watchdogTick()).toBe(false);
    expect(runs).toHaveLength(1);
    expect(n.stats.watchdogSkippedStalled).toBe(1);
    n.loopTick();
    clock.advance(59_000);
    expect(n.watchdogTick()).toBe(true);
    expect(runs).toHaveLength(2);
  });

  it("withholds the ping when the loop is stuck", () => {
    const clock = new ManualClock();
    const { exec, runs } = controlledExec();
    const n = new Notifier({ env: { NOTIFY_SOCKET: "/x", WATCHDOG_USEC: "120000000" }, exec, clock });
    n.loopTick();
    clock.advance(60_001);
    expect(n.watchdogTick()).toBe(false);
    expect(runs).toHaveLength(0);
    expect(n.stats.watchdogSkippedStalled).toBe(1);
  });

  it("runs one systemd-notify at a time, coalesces STATUS and drops a second pending WATCHDOG", async () => {
    const clock = new ManualClock();
    const { exec, runs } = controlledExec();
    const n = new Notifier({ env: { NOTIFY_SOCKET: "/x", WATCHDOG_USEC: "2000000" }, exec, clock });
    n.ready();
    n.status("a");
    n.status("b");
    n.loopTick();
    expect(n.watchdogTick()).toBe(true);
    expect(n.watchdogTick()).toBe(false);
    expect(n.stats.watchdogDroppedBusy).toBe(1);
    n.status("c");
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await tick();
    expect(runs).toHaveLength(2);
    expect(runs[1]!.args).toEqual(["STATUS=c", "WATCHDOG=1"]);
    runs[1]!.finish();
    await n.flush();
    expect(n.stats.sent).toBe(2);
    expect(n.stats.watchdogSent).toBe(1);
  });

  it("a failing or hung systemd-notify is counted, never thrown, and the queue moves on", async () => {
    const { exec, runs } = controlledExec();
    const n = new Notifier({ env: { NOTIFY_SOCKET: "/x" }, exec });
    n.ready();
    n.status("after");
    runs[0]!.finish({ code: 1, error: "timed out after 5000 ms" });
    await tick();
    runs[1]!.finish();
    await n.flush();
    expect(n.stats).toMatchObject({ failed: 1, sent: 1 });
  });

  it("STATUS is one line", () => {
    expect(oneLine("a\nb\r\n  c")).toBe("a b c");
    expect(oneLine("x".repeat(300)).length).toBe(200);
  });
});
