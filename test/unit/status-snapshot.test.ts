import { describe, it, expect } from "@jest/globals";
import { buildStatusSnapshot, exitCodeForStatus, summaryLine, probeInputsFromRows, STATUS_SCHEMA_VERSION } from "../../src/status/snapshot.js";
import { validateSchema, validateStatus, loadStatusSchema, formatSchemaErrors } from "../../src/status/validate.js";
import { renderStatus } from "../../src/status/render.js";
import { renderPrometheus, parseListen } from "../../src/status/prometheus.js";
import { redactDeep } from "../../src/util/secret.js";
import { fixtureInputs, fixtureInstallation, fixtureSnapshot, FAKE_OPENROUTER_KEY, FAKE_OPENAI_KEY, T0 } from "../support/status-fixture.js";

describe("status snapshot", () => {
  it("lists the down primary of an agent on a fallback, with the fallback in use, and counts the primary as not ok", () => {
    const now = T0 + 50 * 60_000;
    const inputs = fixtureInputs(now);
    // As after a real switch: OpenClaw's config now names the fallback as the agent's model.
    const inst = fixtureInstallation();
    const courier = inst.agents[0]!;
    inst.agents[0] = { ...courier, id: "courier", route: { ...courier.route, primary: { ...courier.route.primary!, ref: { provider: "acme", model: "mock-ok", ref: "acme/mock-ok" } }, fallbacks: [] } };
    const s = buildStatusSnapshot({
      ...inputs,
      installation: inst,
      routeStates: new Map([["courier/openrouter", "down"], ["courier/acme", "ok"]]),
      fallbacks: new Map([["courier", { from: "openrouter/auto", since: Date.parse("2026-11-21T06:07:00Z") }]]),
      incidents: [],
    });
    expect(validateStatus(s)).toEqual([]);
    const a = s.agents.find((x) => x.id === "courier")!;
    expect(a.line).toBe("on acme/mock-ok since 06:07, primary openrouter/auto down");
    expect(a.configuredPrimary).toBe("openrouter/auto");
    expect(a.fallback).toMatchObject({ active: "acme/mock-ok", primary: "openrouter/auto", primaryState: "down" });
    expect(a.routes.map((r) => [r.ref, r.role, r.state])).toEqual([
      ["openrouter/auto", "primary", "down"],
      ["acme/mock-ok", "fallback", "ok"],
    ]);
    expect(s.summary.line).toMatch(/^2 agents, 2\/3 routes ok/);
    expect(renderStatus(s, { now, color: false })).toContain("courier* (on acme/mock-ok since 06:07, primary openrouter/auto down)");
  });

  it("shows every agent with its effective route, each route's last probe, incidents, actions and spool", () => {
    const s = fixtureSnapshot();
    expect(validateStatus(s)).toEqual([]);
    expect(s.schemaVersion).toBe(STATUS_SCHEMA_VERSION);
    expect(s.openclaw).toEqual({ stateDir: "/home/u/.openclaw", configPath: "/home/u/.openclaw/openclaw.json", version: "2026.9.6", era: "E" });
    expect(s.gateway).toMatchObject({ url: "http://127.0.0.1:18789", up: true, state: "ok", latencyMs: 12 });
    const main = s.agents.find((a) => a.id === "main")!;
    expect(main.fallbackFrom).toBe("openrouter/moonshotai/kimi-k2.5");
    expect(main.routes.map((r) => [r.ref, r.role, r.state])).toEqual([
      ["openrouter/moonshotai/kimi-k2.5", "primary", "down"],
      ["openai/gpt-5.4", "fallback", "ok"],
    ]);
    expect(main.routes[0]!.lastProbe).toMatchObject({ verdict: "fail", httpStatus: 401, reason: "auth", latencyMs: 140 });
    // A provider-wide probe row (no agent/model) applies to every agent's route on that provider.
    expect(s.agents.find((a) => a.id === "research")!.routes[0]!.lastProbe).toMatchObject({ verdict: "pass", latencyMs: 212 });
    expect(s.summary).toEqual({
      overall: "critical",
      line: "2 agents, 2/3 routes ok, 1 incident: main openrouter auth",
      agents: 2,
      routes: 3,
      routesOk: 2,
      openIncidents: 1,
    });
    expect(s.incidents[0]).toMatchObject({ id: "inc-20261121-0748-3f9a", severity: "critical", inhibitedBy: null, actions: ["switched main to openai/gpt-5.4 at 07:48"] });
    expect(s.recentActions[0]).toMatchObject({ type: "fallback", agent: "main", result: "ok" });
    expect(s.alerts).toEqual({ spoolDepth: 0, lastSentAt: "2026-11-21T07:48:30.000Z", lastError: null });
    expect(exitCodeForStatus(s)).toBe(2);
  });

  it("holds credential fingerprints, never a key, once redacted for writing", () => {
    const text = JSON.stringify(redactDeep(fixtureSnapshot()));
    expect(text).not.toContain(FAKE_OPENROUTER_KEY);
    expect(text).not.toContain(FAKE_OPENAI_KEY);
    expect(text).toContain("sk-or-v1-…cdef #");
  });

  it("is ok with exit 0 when nothing is open, warning → 1, and an empty first observation validates", () => {
    const quiet = buildStatusSnapshot({ ...fixtureInputs(), incidents: [], routeStates: new Map(), probes: [] });
    expect(quiet.summary.overall).toBe("ok");
    expect(quiet.summary.line).toBe("2 agents, 0/3 routes ok, no incidents");
    expect(exitCodeForStatus(quiet)).toBe(0);
    const inc = { ...fixtureInputs().incidents![0]!, severity: "warning" as const };
    expect(exitCodeForStatus(buildStatusSnapshot({ ...fixtureInputs(), incidents: [inc] }))).toBe(1);
    const first = buildStatusSnapshot({ now: T0, self: fixtureInputs().self });
    expect(validateStatus(first)).toEqual([]);
    expect(first.summary.overall).toBe("unknown");
  });

  it("puts 'gateway down' first in the one-line summary and counts inhibited incidents apart, so line and list agree", () => {
    const inputs = fixtureInputs();
    const inhibited = { ...inputs.incidents![0]!, inhibitedBy: "inc-gw" };
    const s = buildStatusSnapshot({ ...inputs, gateway: { up: false, error: "connection refused" }, incidents: [inhibited] });
    expect(s.summary.line).toBe("gateway down, 2 agents, 2/3 routes ok, 0 incidents (+1 inhibited)");
    expect(s.summary.overall).toBe("critical");
    expect(summaryLine(s)).toBe(s.summary.line);
    const both = buildStatusSnapshot({ ...inputs, gateway: { up: false, error: "connection refused" }, incidents: [inhibited, { ...inputs.incidents![0]!, id: "inc-2", kind: "config.drift", subjectKey: "file:x" }] });
    expect(both.summary.line).toMatch(/, 1 incident \(\+1 inhibited\): /);
    const text = renderStatus(both, { now: T0, color: false });
    expect(text).toContain("INCIDENTS (2, 1 inhibited)");
    expect(text.split("\n").filter((l) => /inhibited by inc-gw/.test(l))).toHaveLength(1);
    // An incident whose data vanished stays listed, marked unknown (not resolved).
    const unknown = buildStatusSnapshot({ ...inputs, incidentState: () => "unknown" });
    expect(validateStatus(unknown)).toEqual([]);
    expect(unknown.incidents[0]!.state).toBe("unknown");
    expect(renderStatus(unknown, { now: T0, color: false })).toContain("[unknown: cannot be observed now]");
  });
});

describe("status schema validator", () => {
  const schema = loadStatusSchema();
  it("names the path and the expectation of each violation", () => {
    const s = JSON.parse(JSON.stringify(fixtureSnapshot())) as Record<string, any>;
    s.agents[0].routes[1].state = "sad";
    delete s.alerts.spoolDepth;
    s.gateway.extra = 1;
    s.schemaVersion = 2;
    s.clawpatrol.pid = 1.5;
    const errors = formatSchemaErrors(validateSchema(schema, s));
    expect(errors).toContain("schemaVersion: expected 1, got 2");
    expect(errors).toContain('agents[0].routes[1].state: expected one of "ok"|"failing"|"down"|"recovering"|"unknown", got "sad"');
    expect(errors).toContain("alerts.spoolDepth: required property is missing");
    expect(errors).toContain("gateway.extra: property is not allowed by the schema");
    expect(errors).toContain("clawpatrol.pid: expected integer, got number");
  });

  it("refuses schema keywords it does not implement rather than ignoring them", () => {
    expect(() => validateSchema({ type: "string", pattern: "^a" }, "b")).toThrow(/pattern/);
  });

  it("supports items, nullable types and additionalProperties schemas", () => {
    const sch = { type: "object", additionalProperties: { type: "array", items: { type: ["integer", "null"] } } };
    expect(validateSchema(sch, { a: [1, null] })).toEqual([]);
    expect(validateSchema(sch, { a: [1, "x"] })).toEqual([{ path: "a[1]", message: "expected integer or null, got string" }]);
  });
});

describe("status for people", () => {
  it("prints a compact table without colour off a TTY", () => {
    const s = fixtureSnapshot();
    const text = renderStatus(s, { now: T0 + 50 * 60_000, color: false });
    expect(text).not.toContain("\x1b[");
    expect(text).toContain("CRITICAL  2 agents, 2/3 routes ok, 1 incident: main openrouter auth");
    expect(text).toMatch(/main\* \(fallback from openrouter\/moonshotai\/kimi-k2\.5\)\s+openrouter\/moonshotai\/kimi-k2\.5\s+down\s+fail HTTP 401 auth 140 ms 60s ago/);
    expect(text).toContain("OpenClaw 2026.9.6 (era E)");
    expect(text).toContain("INCIDENTS");
    expect(text).toContain("RECENT ACTIONS");
    expect(text).not.toContain(FAKE_OPENROUTER_KEY);
  });

  it("colours states on a TTY", () => {
    expect(renderStatus(fixtureSnapshot(), { now: T0 + 50 * 60_000, color: true })).toContain("\x1b[31mdown\x1b[0m");
  });
});

describe("prometheus metrics", () => {
  it("exposes the documented metric names from the same snapshot", () => {
    const text = renderPrometheus(fixtureSnapshot());
    expect(text).toContain('clawpatrol_route_up{agent="main",provider="openrouter",model="moonshotai/kimi-k2.5",role="primary"} 0');
    expect(text).toContain('clawpatrol_route_up{agent="main",provider="openai",model="gpt-5.4",role="fallback"} 1');
    expect(text).toContain('clawpatrol_incidents_open{severity="critical"} 1');
    expect(text).toContain('clawpatrol_incidents_open{severity="warning"} 0');
    expect(text).toContain('clawpatrol_probe_latency_seconds{agent="main",provider="openrouter",model="moonshotai/kimi-k2.5"} 0.14');
    expect(text).toContain("clawpatrol_gateway_up 1");
    expect(text).toContain("clawpatrol_alert_spool_depth 0");
    expect(text).toContain(`clawpatrol_last_loop_timestamp_seconds ${(T0 + 50 * 60_000 - 5000) / 1000}`);
    expect(text).toContain('clawpatrol_fallback_active{agent="main",from_model="openrouter/moonshotai/kimi-k2.5",to_model="openrouter/moonshotai/kimi-k2.5"} 1');
    // Every sample line belongs to a declared family.
    const declared = new Set([...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]));
    for (const line of text.split("\n").filter((l) => l && !l.startsWith("#"))) {
      expect(declared.has(line.split(/[{ ]/)[0]!)).toBe(true);
    }
  });

  it("serves metrics on loopback only", () => {
    expect(parseListen("127.0.0.1:9795")).toEqual({ host: "127.0.0.1", port: 9795 });
    expect(parseListen("[::1]:0")).toEqual({ host: "::1", port: 0 });
    expect(() => parseListen("0.0.0.0:9795")).toThrow(/not a loopback address/);
  });
});

describe("probe rows into the status file", () => {
  it("uses the runtime credential's result for each model of the route", () => {
    const at = T0 + 49 * 60_000;
    const rows = [
      { agent: "main", provider: "openrouter", models: ["openrouter/moonshotai/kimi-k2.5"], credentialRole: "runtime" as const,
        result: { status: "auth" as const, verdict: "fail" as const, httpStatus: 401, latencyMs: 90, reason: "HTTP 401 User not found.", at } },
      { agent: "main", provider: "openrouter", models: ["openrouter/moonshotai/kimi-k2.5"], credentialRole: "other" as const,
        result: { status: "ok" as const, verdict: "pass" as const, httpStatus: 200, latencyMs: 80, reason: "ok", at } },
    ];
    const probes = probeInputsFromRows(rows);
    expect(probes).toEqual([{ provider: "openrouter", agent: "main", model: "moonshotai/kimi-k2.5", at, verdict: "fail", reason: "auth", summary: "HTTP 401 User not found.", httpStatus: 401, latencyMs: 90 }]);
    const s = buildStatusSnapshot({ ...fixtureInputs(), probes, routeStates: new Map() });
    expect(s.agents[0]!.routes[0]).toMatchObject({ state: "failing", lastProbe: { verdict: "fail", httpStatus: 401, latencyMs: 90, summary: "HTTP 401 User not found." } });
    expect(validateStatus(s)).toEqual([]);
  });
});
