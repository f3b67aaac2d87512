import { describe, expect, it } from "@jest/globals";
import { OracleScheduler, type OracleSchedulerDeps } from "../../src/oracle/scheduler.js";
import { OracleCannotRun } from "../../src/openclaw/live-oracle.js";
import type { VerifyOutcome } from "../../src/oracle/verify.js";
import { buildInstallation } from "../../src/fake/installation.js";

const MIN = 60_000;

function harness(over: Partial<OracleSchedulerDeps> = {}) {
  let now = 0;
  const logs: string[] = [];
  const reports: { outcome: VerifyOutcome; compared: readonly string[] }[] = [];
  const runs: string[][] = [];
  const inst = buildInstallation({ agents: ["a", "b", "c"].map((id) => ({ id, models: ["x/m"], credentials: {} })) });
  const outcome = (agents: string[]): VerifyOutcome => ({ openclaw: { bin: "/x", version: "2026.9.6" }, stateDir: "/s", refused: null, install: [], agents: agents.map((agent) => ({ agent, results: [], openclawSaid: {} })) });
  const log = (level: string) => (msg: unknown, text?: string) => void logs.push(`${level} ${typeof msg === "string" ? msg : text}`);
  const deps: OracleSchedulerDeps = {
    settings: () => ({ enabled: true, intervalMs: 24 * 60 * MIN, settleMs: 2 * MIN, agentsPerRun: 2 }),
    clock: { now: () => now } as OracleSchedulerDeps["clock"],
    log: { info: log("info"), warn: log("warn"), error: log("error"), debug: log("debug") } as unknown as OracleSchedulerDeps["log"],
    load: () => ({ activeRuns: 0 }),
    verify: async (pick) => {
      const agents = pick(inst);
      runs.push(agents);
      return outcome(agents);
    },
    report: (o, compared) => void reports.push({ outcome: o, compared }),
    ...over,
  };
  const s = new OracleScheduler(deps);
  return { s, logs, reports, runs, at: (t: number) => (now = t), tick: async (t: number) => { now = t; s.tick(t); await s.idle(); } };
}

describe("the daemon's oracle runner", () => {
  it("compares after settling, the agents in turn, and reports what it compared", async () => {
    const h = harness();
    await h.tick(MIN);
    expect(h.runs).toEqual([]);
    await h.tick(2 * MIN);
    h.s.noteChange(3 * MIN);
    await h.tick(5 * MIN);
    expect(h.runs).toEqual([["a", "b"], ["c", "a"]]);
    expect(h.reports.map((r) => r.compared)).toEqual([["a", "b"], ["c", "a"]]);
    expect(h.logs.filter((l) => l.startsWith("info verify: clawpatrol agrees"))).toHaveLength(2);
  });

  it("a comparison that cannot run is logged once per reason with its fix, reports nothing, and waits for its next turn", async () => {
    const h = harness({ verify: async () => { throw new OracleCannotRun("openclaw is not on PATH", "install it"); } });
    await h.tick(2 * MIN);
    await h.tick(3 * MIN);
    h.s.noteChange(3 * MIN);
    await h.tick(6 * MIN);
    expect(h.logs.filter((l) => l.includes("verify skipped: openclaw is not on PATH — fix: install it"))).toHaveLength(1);
    expect(h.reports).toEqual([]);
  });

  it("waits while runs are active, and stop() ends a comparison in flight without reporting it", async () => {
    let active = 1;
    let release: () => void = () => undefined;
    const h = harness({
      load: () => ({ activeRuns: active }),
      verify: (_pick, signal) => new Promise((_, reject) => { release = () => reject(new OracleCannotRun("stopped", "")); signal.addEventListener("abort", () => release()); }),
    });
    await h.tick(3 * MIN);
    expect(h.logs).toEqual(["debug verify: waiting: 1 run is active (OpenClaw's CLI would take CPU from the gateway)"]);
    active = 0;
    h.at(4 * MIN);
    h.s.tick(4 * MIN);
    await h.s.stop();
    expect(h.reports).toEqual([]);
    expect(h.logs.filter((l) => l.includes("skipped"))).toEqual([]);
  });
});
