// How the daemon routes each source's findings to the tracker: a source's silence resolves only
// what that source owns. Driven through a real HealthTracker on a ManualClock.
import { describe, it, expect } from "@jest/globals";
import { findingKey, makeFinding, type Finding, type FindingKind, type FindingSubject } from "../../src/checks/finding.js";
import { ManualClock } from "../../src/util/clock.js";
import { HealthTracker } from "../../src/health/tracker.js";
import { incidentForAction, probeReport, remedyReport, runsReport, snapshotReport } from "../../src/daemon/routing.js";
import type { Incident } from "../../src/health/types.js";

const MIN = 60_000;
const route = { agent: "main", provider: "openrouter" };

function finding(kind: FindingKind, subject: FindingSubject, clock: ManualClock, severity: "warning" | "critical" = "warning"): Finding {
  return makeFinding({ kind, severity, subject, summary: `${kind} observed`, at: clock.now() });
}

function probeRow(verdict: "ok" | "fail" | "inconclusive") {
  return { ...route, credentialRole: "runtime", result: { verdict } };
}

const reachSubject = { file: "~/.openclaw/openclaw.json#agents.defaults.model" };
const DRIFT_KEY = findingKey("config.shadowed-default", reachSubject);

describe("routing findings to the health tracker", () => {
  it("keeps the static auth.shadowed apart from the probe's: a clean probe round does not resolve it, a clean read does", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    const shadowed = finding("auth.shadowed", { ...route, profile: "openrouter:default" }, clock);
    const opened = tracker.report(snapshotReport([shadowed], undefined, [DRIFT_KEY]));
    expect(opened.map((t) => [t.type, t.incident.subjectKey])).toEqual([["opened", `${shadowed.key}|static`]]);

    clock.advance(MIN);
    for (let i = 0; i < 3; i++) tracker.report(probeReport([probeRow("ok")], []));
    expect(tracker.openIncidents()).toHaveLength(1);

    clock.advance(MIN);
    const resolved = tracker.report(snapshotReport([], undefined, [DRIFT_KEY]));
    expect(resolved.map((t) => t.type)).toEqual(["resolved"]);
  });

  it("drops kinds a snapshot does not own, and leaves the drift source's default-reach finding alone", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    const reach = makeFinding({ kind: "config.shadowed-default", severity: "warning", subject: reachSubject, summary: "default does not reach main", at: clock.now() });
    tracker.report({ source: "drift", findings: [reach], covers: [{ keys: [DRIFT_KEY] }] });
    const stuck = finding("run.stuck", route, clock);
    const report = snapshotReport([stuck], undefined, [DRIFT_KEY]);
    expect(report.findings).toEqual([]);
    clock.advance(MIN);
    expect(tracker.report(report)).toEqual([]);
    expect(tracker.openIncidents().map((i) => i.subjectKey)).toEqual([DRIFT_KEY]);
  });

  it("an inconclusive probe round neither opens nor resolves the route", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    const rejected = finding("auth.rejected", route, clock, "critical");
    for (let i = 0; i < 3; i++) {
      tracker.report(probeReport([probeRow("fail")], [rejected]));
      clock.advance(MIN);
    }
    expect(tracker.stateOf("route:main/openrouter")).toBe("down");
    for (let i = 0; i < 3; i++) {
      expect(tracker.report(probeReport([probeRow("inconclusive")], []))).toEqual([]);
      clock.advance(MIN);
    }
    expect(tracker.stateOf("route:main/openrouter")).toBe("down");
  });

  it("a run source's silence resolves run findings but not remedy findings, and the other way round", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock, policies: { default: { failureThreshold: 1, successThreshold: 1, window: null } } });
    tracker.report(runsReport([finding("run.stuck", { agent: "research" }, clock)], []));
    tracker.report(remedyReport([finding("remedy.no-candidate", { agent: "coder" }, clock)]));
    expect(tracker.openIncidents()).toHaveLength(2);
    clock.advance(MIN);
    tracker.report(runsReport([], []));
    expect(tracker.openIncidents().map((i) => i.kind)).toEqual(["remedy.no-candidate"]);
  });

  it("a run file the runs source could not read is its finding: open while unreadable, resolved once it reads again", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    const unreadable = finding("state.unreadable", { agent: "research", file: "sessions.sqlite" }, clock);
    expect(tracker.report(runsReport([unreadable], [unreadable.key])).map((t) => t.type)).toEqual(["opened"]);
    clock.advance(MIN);
    expect(tracker.report(snapshotReport([], undefined, [DRIFT_KEY, unreadable.key]))).toEqual([]);
    expect(tracker.report(runsReport([], [unreadable.key])).map((t) => t.type)).toEqual(["resolved"]);
  });
});

describe("which incident a remedy action belongs to", () => {
  const incident = (agent: string, subjectKey: string) => ({ id: `inc-${agent}`, subject: { agent }, subjectKey }) as unknown as Incident;
  const open = [incident("main", "route:main/openrouter"), incident("mainline", "route:mainline/openrouter")];

  it("matches the agent and a cause key exactly, also for a switch back", () => {
    expect(incidentForAction(open, { agent: "main", why: ["route:main/openrouter"] })?.id).toBe("inc-main");
    expect(incidentForAction(open, { agent: "main", why: ["recovered:route:main/openrouter"] })?.id).toBe("inc-main");
  });

  it("never matches by a key that only contains the incident's", () => {
    expect(incidentForAction(open, { agent: "main", why: ["route:main/openrouter-eu"] })).toBeUndefined();
    expect(incidentForAction(open, { agent: "mainline", why: ["route:main/openrouter"] })).toBeUndefined();
    expect(incidentForAction(open, { why: ["route:main/openrouter"] })).toBeUndefined();
  });
});
