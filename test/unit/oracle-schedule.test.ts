import { describe, expect, it } from "@jest/globals";
import { agentsInTurn, GATEWAY_WARMUP_MS, planOracle, type OracleTimes } from "../../src/oracle/schedule.js";

const MIN = 60_000;
const settings = { enabled: true, intervalMs: 24 * 60 * MIN, settleMs: 2 * MIN };
const idle = { activeRuns: 0 };
const times = (t: Partial<OracleTimes> = {}): OracleTimes => ({ startedAt: 0, lastRunAt: null, lastChangeAt: null, ...t });

describe("when the daemon compares its reading with OpenClaw's own", () => {
  it("first once the daemon has settled after starting, not at once", () => {
    expect(planOracle(times(), MIN, settings, idle)).toEqual({ run: false });
    expect(planOracle(times(), 2 * MIN, settings, idle)).toEqual({ run: true, why: "start" });
  });

  it("once a day after the last comparison", () => {
    const t = times({ lastRunAt: 10 * MIN });
    expect(planOracle(t, 10 * MIN + settings.intervalMs - 1, settings, idle)).toEqual({ run: false });
    expect(planOracle(t, 10 * MIN + settings.intervalMs, settings, idle)).toEqual({ run: true, why: "interval" });
  });

  it("after a change, once the install has been still for `settle` (a later edit restarts the wait)", () => {
    const t = times({ lastRunAt: 5 * MIN, lastChangeAt: 20 * MIN });
    expect(planOracle(t, 21 * MIN, settings, idle)).toEqual({ run: false });
    expect(planOracle(t, 22 * MIN, settings, idle)).toEqual({ run: true, why: "change" });
    t.lastChangeAt = 21.5 * MIN;
    expect(planOracle(t, 22 * MIN, settings, idle)).toEqual({ run: false });
    // A change already compared is not compared again.
    expect(planOracle(times({ lastRunAt: 30 * MIN, lastChangeAt: 20 * MIN }), 31 * MIN, settings, idle)).toEqual({ run: false });
  });

  it("never while a run is active or the gateway is starting: it waits and says why", () => {
    const t = times();
    expect(planOracle(t, 3 * MIN, settings, { activeRuns: 2 })).toEqual({ run: false, waiting: "2 runs are active" });
    expect(planOracle(t, 3 * MIN, settings, { activeRuns: 0, gatewayStartedAt: 3 * MIN - 30_000 })).toEqual({ run: false, waiting: "the gateway started 30 s ago" });
    expect(planOracle(t, 3 * MIN, settings, { activeRuns: 0, gatewayStartedAt: 3 * MIN - GATEWAY_WARMUP_MS })).toEqual({ run: true, why: "start" });
  });

  it("not at all when verify.enabled is false", () => {
    expect(planOracle(times(), 99 * MIN, { ...settings, enabled: false }, idle)).toEqual({ run: false });
  });
});

describe("agents compared per run, in turn", () => {
  it("all of them when they fit; otherwise the next n, wrapping around", () => {
    expect(agentsInTurn(["a", "b"], 5, 3)).toEqual({ agents: ["a", "b"], next: 0 });
    const all = ["a", "b", "c", "d", "e"];
    const first = agentsInTurn(all, 0, 2);
    expect(first).toEqual({ agents: ["a", "b"], next: 2 });
    const third = agentsInTurn(all, agentsInTurn(all, first.next, 2).next, 2);
    expect(third).toEqual({ agents: ["e", "a"], next: 1 });
  });
});
