import { describe, expect, it } from "@jest/globals";
import type { LogEvent, RunRecord, SessionState, UsageState } from "../../src/openclaw/types.js";
import { RunMonitor } from "../../src/checks/run-monitor.js";
import { checkCooldown } from "../../src/checks/cooldown.js";
import { distinctFailures } from "../../src/checks/runs.js";

const T0 = Date.parse("2026-11-21T12:00:00Z");
const KEY = "sk-or-v1-" + "a1b2c3d4e5f60718".repeat(4);
let n = 0;

function rec(p: Partial<RunRecord> & { at: number }): RunRecord {
  return { agent: "steve", sessionId: "s1", sessionKey: "agent:steve:main", cursor: `c${n++}`, role: "assistant", visibleText: "", hasThinking: false, usedMessageTool: false, provider: "openrouter", model: "auto", stopReason: "stop", ...p };
}
const ok = (at: number, extra: Partial<RunRecord> = {}) => rec({ at, visibleText: "Hello!", ...extra });
const err401 = (at: number, runId = `run${n}`) => rec({ at, runId, stopReason: "error", errorMessage: `401 Missing Authentication header ${KEY}` });

function logLine(at: number, message: string, fields: Record<string, unknown> = {}, event?: string): LogEvent {
  return { at, level: "WARN", message, fields, file: "/tmp/openclaw/openclaw-2026-11-21.log", offset: n++, ...(event ? { event } : {}) };
}

describe("run.empty-reply", () => {
  it("flags an empty bubble with stopReason, redacted error, model and provider, and clears on the next visible reply", () => {
    const m = new RunMonitor();
    m.ingestRecords([err401(T0, "r1")]);
    const [f] = m.findings(T0 + 1000).filter((x) => x.kind === "run.empty-reply");
    expect(f).toMatchObject({ severity: "critical", subject: { agent: "steve", provider: "openrouter", model: "auto" } });
    expect(f!.evidence).toMatchObject({ stopReason: "error", runId: "r1", sessionKey: "agent:steve:main" });
    expect(String(f!.evidence!.errorMessage)).toMatch(/^401 Missing Authentication header/);
    expect(JSON.stringify(f)).not.toContain(KEY);
    m.ingestRecords([ok(T0 + 5000)]);
    expect(m.findings(T0 + 6000).filter((x) => x.kind === "run.empty-reply")).toEqual([]);
  });

  it("a success on another provider does not clear it", () => {
    const m = new RunMonitor();
    m.ingestRecords([rec({ at: T0, runId: "r1" }), ok(T0 + 1000, { provider: "anthropic" })]);
    expect(m.findings(T0 + 2000).map((f) => f.kind)).toContain("run.empty-reply");
  });

  it("does not flag NO_REPLY, HEARTBEAT_OK, or a final empty turn after the message tool delivered", () => {
    const m = new RunMonitor();
    m.ingestRecords([
      rec({ at: T0, visibleText: "NO_REPLY", runId: "a" }),
      rec({ at: T0 + 1, visibleText: "HEARTBEAT_OK", runId: "b" }),
      rec({ at: T0 + 2, runId: "c", usedMessageTool: true, toolCalls: 1, stopReason: "toolUse" }),
      rec({ at: T0 + 3, runId: "c" }),
    ]);
    expect(m.findings(T0 + 10).filter((f) => f.kind === "run.empty-reply")).toEqual([]);
  });

  it("counts one run once when the transcript and the log both report it, and when 9.x retried it", () => {
    const m = new RunMonitor();
    m.ingestRecords([
      { ...rec({ at: T0, runId: "r1", provider: "mock", model: "mock-empty" }), agent: "empty" },
      { ...rec({ at: T0 + 700, runId: "r1", provider: "mock", model: "mock-empty" }), agent: "empty" },
    ]);
    m.ingestLogEvents([logLine(T0 + 800, "incomplete turn detected: runId=r1 sessionId=s1 provider=mock/mock-empty stopReason=stop payloads=0 — surfacing error to user")], T0 + 900);
    const f = m.findings(T0 + 1000).filter((x) => x.kind === "run.empty-reply");
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence).toMatchObject({ runs: 1 });
    expect(f[0]!.severity).toBe("warning");
  });

  it("a visible continuation in the same run means the run delivered", () => {
    const m = new RunMonitor();
    m.ingestRecords([rec({ at: T0, runId: "r1" }), ok(T0 + 500, { runId: "r1" })]);
    expect(m.findings(T0 + 1000)).toEqual([]);
  });

  it("reports a log-only empty reply with the agent learned from the transcript", () => {
    const m = new RunMonitor();
    m.ingestRecords([rec({ at: T0 - 1000, role: "user", sessionId: "sess-9", agent: "ops" })]);
    m.ingestLogEvents([logLine(T0, "empty response retries exhausted: runId=r7 sessionId=sess-9 provider=mock/mock-empty attempts=1/1 — surfacing incomplete-turn error")], T0);
    expect(m.findings(T0 + 10)).toEqual([expect.objectContaining({ kind: "run.empty-reply", subject: { agent: "ops", provider: "mock", model: "mock-empty" } })]);
  });

  it("forgets an unresolved empty reply after the window", () => {
    const m = new RunMonitor({ emptyReplyWindowMs: 60_000 });
    m.ingestRecords([rec({ at: T0 })]);
    expect(m.findings(T0 + 59_000)).toHaveLength(1);
    expect(m.findings(T0 + 61_000)).toEqual([]);
  });
});

describe("run.stuck", () => {
  const running = (p: Partial<SessionState>): SessionState => ({ agent: "steve", sessionKey: "agent:steve:main", sessionId: "s1", status: "running", startedAt: T0, queued: 0, ...p });

  it("flags a run active past the threshold with no transcript progress, with session evidence", () => {
    const m = new RunMonitor();
    m.ingestSessions([running({ lastProgressAt: T0 + 1000 })]);
    expect(m.findings(T0 + 4 * 60_000)).toEqual([]);
    const [f] = m.findings(T0 + 6 * 60_000 + 1001);
    expect(f).toMatchObject({ kind: "run.stuck", severity: "critical", subject: { agent: "steve" } });
    expect(f!.evidence).toMatchObject({ sessionKey: "agent:steve:main", startedAt: new Date(T0).toISOString(), lastProgressAt: new Date(T0 + 1000).toISOString(), queued: 0 });
  });

  it("honours a per-agent threshold and clears when the run ends", () => {
    const m = new RunMonitor({ stuckAfterMsByAgent: { steve: 60_000 } });
    m.ingestSessions([running({})]);
    expect(m.findings(T0 + 61_000).map((f) => f.kind)).toEqual(["run.stuck"]);
    m.ingestSessions([running({ status: "done" })]);
    expect(m.findings(T0 + 62_000)).toEqual([]);
  });

  it("does not flag a run that keeps writing to its transcript", () => {
    const m = new RunMonitor();
    m.ingestSessions([running({})]);
    m.ingestRecords([rec({ at: T0 + 9 * 60_000, role: "toolResult" })]);
    expect(m.findings(T0 + 10 * 60_000)).toEqual([]);
  });

  it("does not flag a run working through rate-limit retries for its model", () => {
    const m = new RunMonitor();
    m.ingestRecords([rec({ at: T0, role: "other", provider: "mock", model: "mock-429" })]);
    m.ingestSessions([running({})]);
    m.ingestLogEvents([logLine(T0 + 5 * 60_000, "transient same-model retry 5/9 for mock/mock-429 reason=rate_limit: delayMs=9972")], T0);
    expect(m.findings(T0 + 6 * 60_000)).toEqual([]);
    // Retries on another provider do not excuse it.
    const other = new RunMonitor();
    other.ingestRecords([rec({ at: T0, role: "other", provider: "mock", model: "mock-hang" })]);
    other.ingestSessions([running({})]);
    other.ingestLogEvents([logLine(T0 + 5 * 60_000, "transient same-model retry 5/9 for openai/gpt reason=rate_limit: delayMs=1")], T0);
    expect(other.findings(T0 + 6 * 60_000).map((f) => f.kind)).toEqual(["run.stuck"]);
    expect(other.findings(T0 + 6 * 60_000)[0]!.subject).toEqual({ agent: "steve", provider: "mock", model: "mock-hang" });
  });

  it("flags messages queued behind an active run early", () => {
    const m = new RunMonitor();
    m.ingestSessions([running({ queued: 2 })]);
    const [f] = m.findings(T0 + 61_000);
    expect(f!.summary).toMatch(/2 message\(s\) queued/);
    expect(f!.evidence).toMatchObject({ queued: 2, reason: "queued" });
  });
});

describe("run.failure-burst", () => {
  it("flags N auth failures for one agent × provider in the window (OpenRouter: the only signal)", () => {
    const m = new RunMonitor({ burstThreshold: 3 });
    m.ingestRecords([err401(T0), err401(T0 + 10_000)]);
    expect(m.findings(T0 + 11_000).map((f) => f.kind)).not.toContain("run.failure-burst");
    m.ingestRecords([err401(T0 + 20_000)]);
    const burst = m.findings(T0 + 21_000).find((f) => f.kind === "run.failure-burst")!;
    expect(burst).toMatchObject({ subject: { agent: "steve", provider: "openrouter" }, severity: "critical" });
    expect(burst.evidence).toMatchObject({ count: 3, reasons: { auth: 3 } });
    expect(burst.detail).toMatch(/never puts openrouter profiles in cooldown/);
    expect(JSON.stringify(burst)).not.toContain(KEY);
    // Resolves on the next visible reply on the route.
    m.ingestRecords([ok(T0 + 30_000)]);
    expect(m.findings(T0 + 31_000)).toEqual([]);
  });

  it("counts a failure seen in transcript, run-end log and fetch log once", () => {
    const m = new RunMonitor({ burstThreshold: 2 });
    m.ingestRecords([err401(T0, "r1")]);
    m.ingestLogEvents([
      logLine(T0 - 20, "[model-fetch] response provider=openrouter api=openai-completions model=auto status=401 elapsedMs=26"),
      logLine(T0 + 10, "embedded run agent end", { event: "embedded_run_agent_end", runId: "r1", isError: true, provider: "openrouter", model: "auto", failoverReason: "auth" }, "embedded_run_agent_end"),
    ], T0);
    expect(m.findings(T0 + 100).map((f) => f.kind)).toEqual(["run.empty-reply"]);
  });

  it("falls back to fetch lines when nothing else reports the failures", () => {
    const m = new RunMonitor({ burstThreshold: 3 });
    m.ingestLogEvents([0, 1, 2].map((i) => logLine(T0 + i * 1000, `[model-fetch] response provider=openrouter api=x model=auto status=429 elapsedMs=5`)), T0);
    const f = m.findings(T0 + 5000).find((x) => x.kind === "run.failure-burst")!;
    expect(f.subject).toEqual({ provider: "openrouter" });
    expect(f.evidence).toMatchObject({ count: 3, statuses: [429], reasons: { rate_limit: 3 } });
  });

  it("ignores failures older than the window", () => {
    expect(distinctFailures([])).toEqual([]);
    const m = new RunMonitor({ burstThreshold: 2, burstWindowMs: 60_000 });
    m.ingestRecords([err401(T0), err401(T0 + 1000)]);
    expect(m.findings(T0 + 2000).map((f) => f.kind)).toContain("run.failure-burst");
    expect(m.findings(T0 + 62_000).map((f) => f.kind)).not.toContain("run.failure-burst");
  });
});

describe("cooldown.storm", () => {
  const u = (p: Partial<UsageState>): UsageState => ({ profileId: "mockbad:default", provider: "mockbad", agent: "bad", source: "state/openclaw.sqlite#authProfiles.state", ...p });

  it("flags every profile of a provider cooling at once, not one of two", () => {
    const one = [u({ cooldownUntil: T0 + 30_000, cooldownReason: "auth", errorCount: 1 }), u({ profileId: "mockbad:backup" })];
    expect(checkCooldown(one, [], T0)).toEqual([]);
    const both = [u({ cooldownUntil: T0 + 30_000, cooldownReason: "auth" }), u({ profileId: "mockbad:backup", cooldownUntil: T0 + 60_000, cooldownReason: "auth" })];
    const [f] = checkCooldown(both, [], T0);
    expect(f).toMatchObject({ kind: "cooldown.storm", severity: "critical", subject: { agent: "bad", provider: "mockbad" } });
    expect(f!.evidence).toMatchObject({ reasons: ["all-profiles-unusable"], usableAgainAt: new Date(T0 + 30_000).toISOString() });
    expect(checkCooldown(both, [], T0 + 61_000)).toEqual([]);
  });

  it("reads the provider of an inline key from its synthetic profile id", () => {
    const [f] = checkCooldown([{ profileId: "inline-api-key:mockbad", agent: "bad", cooldownUntil: T0 + 30_000, cooldownReason: "auth", source: "agents/bad/agent/openclaw-agent.sqlite" }], [], T0);
    expect(f!.subject).toEqual({ agent: "bad", provider: "mockbad" });
  });

  it("flags a billing disable", () => {
    const [f] = checkCooldown([u({ disabledUntil: T0 + 3_600_000, disabledReason: "billing" }), u({ profileId: "mockbad:b" })], [], T0);
    expect(f!.evidence).toMatchObject({ reasons: ["billing"] });
    expect(f!.summary).toMatch(/billing/);
  });

  it("flags cooldowns re-entering faster than the threshold, from usage-state changes", () => {
    const m = new RunMonitor({ reentryThreshold: 3, reentryWindowMs: 30 * 60_000 });
    const backup = u({ profileId: "mockbad:backup" });
    for (let i = 0; i < 3; i++) {
      const at = T0 + i * 5 * 60_000;
      m.ingestUsage([u({ cooldownUntil: at + 30_000, lastFailureAt: at, cooldownReason: "auth", errorCount: i + 1 }), backup], at);
      m.ingestUsage([u({ lastFailureAt: at }), backup], at + 60_000);
    }
    const f = m.findings(T0 + 11 * 60_000).find((x) => x.kind === "cooldown.storm")!;
    expect(f.evidence).toMatchObject({ reasons: ["fast-reentry"], reentries: 3 });
  });

  it("counts a window seen in both the log and the usage state once", () => {
    const m = new RunMonitor({ reentryThreshold: 2 });
    m.ingestUsage([u({ cooldownUntil: T0 + 30_000, lastFailureAt: T0 }), u({ profileId: "mockbad:b" })], T0);
    m.ingestLogEvents([logLine(T0 + 20, "auth profile failure state updated", { event: "auth_profile_failure_state_updated", provider: "mockbad", profileId: "sha256:2362a15619b9", reason: "auth", windowType: "cooldown", windowReused: false }, "auth_profile_failure_state_updated")], T0);
    expect(m.findings(T0 + 100).map((f) => f.kind)).not.toContain("cooldown.storm");
  });
});

describe("memory bounds", () => {
  it("keeps lists and maps capped under a flood", () => {
    const m = new RunMonitor({ maxEvents: 100, maxSessions: 50 });
    const records: RunRecord[] = [];
    for (let i = 0; i < 5000; i++) records.push(rec({ at: T0 + i, runId: `r${i}`, sessionId: `s${i}`, agent: `a${i % 7}` }));
    m.ingestRecords(records);
    m.ingestSessions(Array.from({ length: 500 }, (_, i) => ({ agent: "x", sessionKey: `k${i}`, sessionId: `s${i}`, status: "running" as const, startedAt: T0, queued: 0 })));
    m.ingestLogEvents(Array.from({ length: 3000 }, (_, i) => logLine(T0 + i, `[model-fetch] response provider=p${i} api=x model=m status=429 elapsedMs=1`)), T0);
    const sizes = m.sizes;
    expect(sizes.empties).toBeLessThanOrEqual(100);
    expect(sizes.failures).toBeLessThanOrEqual(100);
    expect(sizes.sessions).toBeLessThanOrEqual(50);
    expect(sizes.runs).toBeLessThanOrEqual(50);
    expect(m.findings(T0 + 10_000).length).toBeGreaterThan(0);
  });
});
