// OpenClaw's own failover, from the gateway log lines the real 2026.9.6 wrote
// (test/fixtures/runs/oc-2026.9.6/failover.log, scripts/capture-failover-log.ts).
import { describe, it, expect } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parseLogLine } from "../../src/openclaw/gateway-log.js";
import { failoverOf } from "../../src/openclaw/failover-log.js";
import { checkFailovers } from "../../src/checks/failover.js";
import { RunMonitor } from "../../src/checks/run-monitor.js";
import { lineOfInterest } from "../../src/openclaw/gateway-log.js";
import type { RunRecord } from "../../src/openclaw/types.js";

const FIXTURE = "test/fixtures/runs/oc-2026.9.6/failover.log";
const events = () => readFileSync(FIXTURE, "utf8").split("\n").filter(Boolean).map((l, i) => parseLogLine(l, FIXTURE, i)!);
const MIN = 60_000;

describe("OpenClaw 2026.9.6 failover lines", () => {
  it("yield exactly one completed failover: from the requested model to the fallback that answered", () => {
    const found = events().map(failoverOf).filter((f) => f !== null);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: "mockbad/mock-ok", to: "mock/mock-ok", reason: "auth", runId: "f1ab290c-2e5f-4f60-a3b7-3d3d2c6995da" });
    expect(found[0]!.at).toBe(Date.parse("2026-11-30T07:58:45.278Z"));
  });

  it("pass the log follower's pre-filter", () => {
    for (const line of readFileSync(FIXTURE, "utf8").split("\n").filter((l) => l.includes("model_fallback_decision"))) expect(lineOfInterest(Buffer.from(line))).toBe(true);
  });

  it("become one model.failover finding for the agent whose run it was", () => {
    const monitor = new RunMonitor();
    const runId = "f1ab290c-2e5f-4f60-a3b7-3d3d2c6995da";
    const record: RunRecord = { agent: "fo", sessionId: "52c15e8c-8761-4a57-90a5-dc668884d047", cursor: "t:1", runId, role: "user", at: Date.parse("2026-11-30T07:58:27Z"), visibleText: "ping", hasThinking: false, usedMessageTool: false };
    monitor.ingestRecords([record]);
    monitor.ingestLogEvents(events(), Date.parse("2026-11-30T07:59:00Z"));
    const f = monitor.findings(Date.parse("2026-11-30T07:59:00Z")).filter((x) => x.kind === "model.failover");
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      severity: "warning",
      subject: { agent: "fo", provider: "mockbad", model: "mock-ok" },
      summary: "OpenClaw fell back from mockbad/mock-ok to mock/mock-ok for agent fo (once in the last 60 min; auth)",
      evidence: { from: "mockbad/mock-ok", to: { "mock/mock-ok": 1 }, reasons: { auth: 1 }, count: 1 },
    });
  });
});

describe("model.failover over time", () => {
  const T = Date.parse("2026-11-30T08:00:00Z");
  const fo = (at: number, agent = "main", to = "openai/gpt-5.4", reason = "rate_limit") => ({ at, from: "openrouter/moonshotai/kimi-k2.5", to, reason, agent });

  it("groups by agent and original model, counting targets and reasons", () => {
    const [f, ...rest] = checkFailovers([fo(T - 5 * MIN), fo(T - 2 * MIN, "main", "anthropic/claude-sonnet-4-5", "auth"), fo(T - MIN, "research")], T);
    expect(rest).toHaveLength(1);
    expect(f!.summary).toBe("OpenClaw fell back from openrouter/moonshotai/kimi-k2.5 to openai/gpt-5.4, anthropic/claude-sonnet-4-5 for agent main (2× in the last 60 min; rate_limit, auth)");
    expect(f!.observedAt).toBe(new Date(T - 2 * MIN).toISOString());
  });

  it("clears once no failover has happened for a whole window", () => {
    expect(checkFailovers([fo(T - 59 * MIN)], T)).toHaveLength(1);
    expect(checkFailovers([fo(T - 61 * MIN)], T)).toEqual([]);
  });

  it("still reports a failover whose run cannot be tied to an agent", () => {
    const [f] = checkFailovers([{ at: T, from: "a/b", to: "c/d" }], T);
    expect(f!.subject).toEqual({ provider: "a", model: "b" });
    expect(f!.summary).toContain("for a run");
  });
});
