import { describe, it, expect } from "@jest/globals";
import { startFakeProvider } from "../../src/fake/provider.js";
import { buildInstallation } from "../../src/fake/installation.js";
import { ProbeScheduler, type CronSchedule } from "../../src/probe/scheduler.js";
import type { ProbeMatrix } from "../../src/probe/types.js";
import type { Finding } from "../../src/checks/finding.js";
import { ManualClock } from "../../src/util/clock.js";

const KEY = "sk-or-v1-" + "e".repeat(60) + "e0e0";

function manualCron(): { schedule: CronSchedule; fire: (expr: string) => void } {
  const jobs = new Map<string, () => void>();
  return {
    schedule: (expr, fn) => {
      jobs.set(expr, fn);
      return { stop: () => void jobs.delete(expr) };
    },
    fire: (expr) => jobs.get(expr)?.(),
  };
}

describe("probe scheduler", () => {
  it("never starts a second auth round while one is in flight, and probes each credential once per round", async () => {
    const fake = await startFakeProvider({ keys: { [KEY]: { kind: "ok", latencyMs: 150 } } });
    const inst = buildInstallation({
      agents: ["a", "b", "c"].map((id) => ({ id, models: ["openrouter/auto"], credentials: { openrouter: [{ key: KEY }] } })),
      baseUrls: { openrouter: `${fake.url}/api/v1` },
    });
    const cron = manualCron();
    const rounds: ProbeMatrix[] = [];
    const sched = new ProbeScheduler({ load: () => inst, schedule: cron.schedule, jitterMs: 0, onAuth: (m) => void rounds.push(m), gatewayCron: "*/15 * * * * *" });
    try {
      sched.start();
      cron.fire("*/2 * * * *");
      cron.fire("*/2 * * * *"); // overlaps the first: skipped
      expect(sched.busy("auth")).toBe(true);
      await sched.runAuth();
      expect(rounds).toHaveLength(1);
      expect(fake.requests.filter((r) => r.endpoint === "key")).toHaveLength(1);
      expect(rounds[0]!.rows).toHaveLength(3);
      await sched.runAuth();
      expect(rounds).toHaveLength(2);
    } finally {
      await sched.stop();
      await fake.close();
    }
  });

  it("reports the gateway down on its own schedule", async () => {
    const cron = manualCron();
    const found: Finding[][] = [];
    const inst = buildInstallation({ agents: [], gateway: { port: 1, url: "http://127.0.0.1:1" } });
    const sched = new ProbeScheduler({ load: () => inst, schedule: cron.schedule, onGateway: (_r, f) => void found.push(f) });
    sched.start();
    cron.fire("*/15 * * * * *");
    await sched.runGateway();
    await sched.stop();
    expect(found[0]![0]).toMatchObject({ kind: "gateway.down", severity: "critical" });
  });

  it("runs the opt-in end-to-end turn at most once per interval per agent", async () => {
    const token = "gw-" + "t".repeat(40);
    const fake = await startFakeProvider({ keys: { [token]: "ok" } });
    const clock = new ManualClock();
    const { Secret } = await import("../../src/util/secret.js");
    const inst = buildInstallation({ agents: [{ id: "main", models: ["openrouter/auto"], credentials: {} }], gateway: { port: fake.port, url: fake.url, token: new Secret(token) } });
    const sched = new ProbeScheduler({ load: () => inst, schedule: manualCron().schedule, clock, e2eCron: "0 * * * *", e2eIntervalMs: 6 * 3_600_000, jitterMs: 0 });
    try {
      await sched.runE2E();
      clock.advance(3_600_000);
      await sched.runE2E();
      expect(fake.counters.completions).toBe(1);
      clock.advance(5 * 3_600_000);
      await sched.runE2E();
      expect(fake.counters.completions).toBe(2);
    } finally {
      await sched.stop();
      await fake.close();
    }
  });

  it("fires with real node-cron second expressions and refuses a bad expression with the option name", async () => {
    const inst = buildInstallation({ agents: [], gateway: { port: 1, url: "http://127.0.0.1:1" } });
    let gatewayRounds = 0;
    const sched = new ProbeScheduler({ load: () => inst, gatewayCron: "* * * * * *", authCron: "0 0 1 1 *", onGateway: () => void gatewayRounds++ });
    sched.start();
    await new Promise((r) => setTimeout(r, 2300));
    await sched.stop();
    expect(gatewayRounds).toBeGreaterThanOrEqual(1);
    expect(() => new ProbeScheduler({ load: () => inst, authCron: "every 2 minutes" })).toThrow('probe.authCron: "every 2 minutes" is not a cron expression');
  });
});
