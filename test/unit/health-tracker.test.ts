import { describe, it, expect } from "@jest/globals";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeFinding, type Finding, type FindingKind, type FindingSubject } from "../../src/checks/finding.js";
import { ManualClock } from "../../src/util/clock.js";
import { HealthTracker, type Coverage } from "../../src/health/tracker.js";
import { HealthStore } from "../../src/health/store.js";
import { DEFAULT_POLICY } from "../../src/health/policy.js";
import type { IncidentTransition } from "../../src/health/types.js";

const MIN = 60_000;
const route = { agent: "main", provider: "openrouter" };
const probeCover: Coverage[] = [{ kinds: ["probe.failed", "auth.rejected", "probe.empty-reply"], subject: route }];

function finding(kind: FindingKind, subject: FindingSubject, at: number, summary = `${kind} observed`): Finding {
  return makeFinding({ kind, severity: kind === "config.drift" ? "warning" : "critical", subject, summary, at });
}

function probe(tracker: HealthTracker, clock: ManualClock, ok: boolean): IncidentTransition[] {
  const findings = ok ? [] : [finding("probe.failed", { ...route, profile: "openrouter:default" }, clock.now(), "401 from openrouter")];
  return tracker.report({ source: "probe", findings, covers: probeCover });
}

function count(ts: IncidentTransition[], type: IncidentTransition["type"]): number {
  return ts.filter((t) => t.type === type).length;
}

describe("health tracker: incidents from probe results", () => {
  it("opens one incident after three failed probes and resolves it after two passes", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    const all: IncidentTransition[] = [];
    for (let i = 0; i < 2; i++) {
      all.push(...probe(tracker, clock, false));
      clock.advance(MIN);
    }
    expect(all).toHaveLength(0);
    expect(tracker.stateOf("route:main/openrouter")).toBe("failing");
    all.push(...probe(tracker, clock, false));
    expect(count(all, "opened")).toBe(1);
    const opened = all[0]!.incident;
    expect(opened.subjectKey).toBe("route:main/openrouter");
    expect(opened.subject).toEqual(route);
    expect(opened.summary).toContain("401 from openrouter");
    expect(tracker.isDown("route:main/openrouter")).toBe(true);
    for (let i = 0; i < 5; i++) {
      clock.advance(MIN);
      all.push(...probe(tracker, clock, false));
    }
    expect(count(all, "opened")).toBe(1);
    clock.advance(MIN);
    all.push(...probe(tracker, clock, true));
    expect(tracker.stateOf("route:main/openrouter")).toBe("recovering");
    expect(count(all, "resolved")).toBe(0);
    clock.advance(MIN);
    all.push(...probe(tracker, clock, true));
    expect(count(all, "resolved")).toBe(1);
    expect(all.find((t) => t.type === "resolved")!.incident.id).toBe(opened.id);
    expect(tracker.stateOf("route:main/openrouter")).toBe("ok");
    expect(tracker.subject("route:main/openrouter")!.lastPassAt).toBe(clock.now());
    expect(tracker.history()).toHaveLength(1);
  });

  it("a single failed probe that recovers never opens an incident", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    const all = [...probe(tracker, clock, false)];
    clock.advance(MIN);
    all.push(...probe(tracker, clock, true));
    expect(all).toHaveLength(0);
    expect(tracker.stateOf("route:main/openrouter")).toBe("ok");
  });

  it("a route flapping 30 times in an hour yields one incident that resolves once", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    const all: IncidentTransition[] = [];
    for (let i = 0; i < 60; i++) {
      all.push(...probe(tracker, clock, i % 2 === 1)); // fail, pass, fail, pass … every minute
      clock.advance(MIN);
    }
    expect(count(all, "opened")).toBe(1);
    expect(count(all, "resolved")).toBe(0);
    for (let i = 0; i < 60; i++) {
      all.push(...probe(tracker, clock, true));
      clock.advance(MIN);
    }
    expect(count(all, "opened")).toBe(1);
    expect(count(all, "resolved")).toBe(1);
    expect(tracker.stateOf("route:main/openrouter")).toBe("ok");
  });

  it("a route that is down a minute, up a minute for an hour yields one incident", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    const all: IncidentTransition[] = [];
    for (let i = 0; i < 120; i++) {
      all.push(...probe(tracker, clock, Math.floor(i / 2) % 2 === 1)); // probes every 30 s: ff pp ff pp …
      clock.advance(MIN / 2);
    }
    for (let i = 0; i < 60; i++) {
      all.push(...probe(tracker, clock, true));
      clock.advance(MIN / 2);
    }
    expect(count(all, "opened")).toBe(1);
    expect(count(all, "resolved")).toBe(1);
  });

  it("lets each source keep its own coverage: a lint pass does not resolve a probe failure", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    for (let i = 0; i < 3; i++) probe(tracker, clock, false);
    const ts = tracker.report({ source: "lint", findings: [], covers: [{ kinds: ["config.invalid", "auth.missing"] }] });
    expect(ts).toHaveLength(0);
    expect(tracker.isDown("route:main/openrouter")).toBe(true);
  });

  it("an inconclusive round never flips a state", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    for (let i = 0; i < 3; i++) probe(tracker, clock, false);
    for (let i = 0; i < 5; i++) {
      clock.advance(MIN);
      tracker.report({ source: "probe", findings: [], covers: probeCover, inconclusive: probeCover });
    }
    expect(tracker.stateOf("route:main/openrouter")).toBe("down");
  });
});

describe("health tracker: deterministic findings", () => {
  const file = "/home/u/.openclaw/openclaw.json";
  const driftCover: Coverage[] = [{ kinds: ["config.drift"] }];

  it("opens on the first observation of a drifted file and resolves on the first clean read", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    const opened = tracker.report({ source: "drift", findings: [finding("config.drift", { file }, clock.now())], covers: driftCover });
    expect(opened.map((t) => t.type)).toEqual(["opened"]);
    expect(opened[0]!.incident.subjectKey).toBe(`config.drift|file=${file}`);
    expect(tracker.stateOf(`file:${file}`)).toBe("down");
    clock.advance(MIN);
    expect(tracker.report({ source: "drift", findings: [finding("config.drift", { file }, clock.now())], covers: driftCover })).toHaveLength(0);
    clock.advance(MIN);
    const resolved = tracker.report({ source: "drift", findings: [], covers: driftCover });
    expect(resolved.map((t) => t.type)).toEqual(["resolved"]);
  });

  it("marks drift the operator accepted as closed by them, and drift fixed by hand as resolved", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    tracker.report({ source: "drift", findings: [finding("config.drift", { file }, clock.now())], covers: driftCover });
    clock.advance(MIN);
    const accepted = tracker.report({ source: "drift", findings: [], covers: driftCover, closedBy: "accepted" });
    expect(accepted.map((t) => [t.type, t.incident.closedBy])).toEqual([["resolved", "accepted"]]);
    tracker.report({ source: "drift", findings: [finding("config.drift", { file }, clock.now())], covers: driftCover });
    clock.advance(MIN);
    const healed = tracker.report({ source: "drift", findings: [], covers: driftCover });
    expect(healed.map((t) => [t.type, t.incident.closedBy])).toEqual([["resolved", undefined]]);
  });

  it("reports an updated incident when the drift itself changes, and not when it repeats", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    tracker.report({ source: "drift", findings: [finding("config.drift", { file }, clock.now(), "model a → b")], covers: driftCover });
    clock.advance(MIN);
    expect(tracker.report({ source: "drift", findings: [finding("config.drift", { file }, clock.now(), "model a → b")], covers: driftCover })).toHaveLength(0);
    const updated = tracker.report({ source: "drift", findings: [finding("config.drift", { file }, clock.now(), "model a → c")], covers: driftCover });
    expect(updated.map((t) => t.type)).toEqual(["updated"]);
    expect(updated[0]!.incident.summary).toBe("model a → c");
  });
});

describe("health tracker: stale data, inhibition, retirement", () => {
  it("goes unknown when no verdict arrives for longer than the staleness limit, keeping the incident open", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    for (let i = 0; i < 3; i++) {
      probe(tracker, clock, false);
      clock.advance(MIN);
    }
    const id = tracker.incidentFor("route:main/openrouter")!.id;
    // The last verdict is a minute old: a minute inside the staleness limit, then a minute past it.
    clock.advance(DEFAULT_POLICY.staleAfterMs - 2 * MIN);
    expect(tracker.tick()).toHaveLength(0);
    expect(tracker.stateOf("route:main/openrouter")).toBe("down");
    clock.advance(2 * MIN);
    expect(tracker.tick()).toHaveLength(0);
    expect(tracker.stateOf("route:main/openrouter")).toBe("unknown");
    expect(tracker.openIncidents().map((i) => i.id)).toEqual([id]);
    // Data returns passing: two passes resolve the same incident.
    probe(tracker, clock, true);
    expect(tracker.stateOf("route:main/openrouter")).toBe("recovering");
    clock.advance(MIN);
    const ts = probe(tracker, clock, true);
    expect(ts.map((t) => [t.type, t.incident.id])).toEqual([["resolved", id]]);
  });

  it("a route that was never reported is unknown; one covered by a passing probe is ok", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    expect(tracker.stateOf("route:main/anthropic")).toBe("unknown");
    tracker.report({ source: "probe", findings: [], covers: [{ subject: { agent: "main", provider: "anthropic" } }] });
    expect(tracker.stateOf("route:main/anthropic")).toBe("ok");
    expect(tracker.subject("route:main/anthropic")!.lastPassAt).toBe(clock.now());
    clock.advance(DEFAULT_POLICY.staleAfterMs + MIN);
    expect(tracker.stateOf("route:main/anthropic")).toBe("unknown");
  });

  it("gateway down inhibits the route incidents behind it, and lifts the inhibition when it recovers", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    for (let i = 0; i < 3; i++) probe(tracker, clock, false);
    const routeInc = tracker.incidentFor("route:main/openrouter")!;
    expect(routeInc.inhibitedBy).toBeUndefined();
    const gw = (up: boolean): IncidentTransition[] =>
      tracker.report({ source: "gateway", findings: up ? [] : [finding("gateway.down", {}, clock.now(), "gateway does not answer")], covers: [{ kinds: ["gateway.down"] }] });
    const all: IncidentTransition[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(MIN);
      all.push(...gw(false));
    }
    const gwInc = all.find((t) => t.type === "opened")!.incident;
    expect(gwInc.subjectKey).toBe("gateway");
    const inhibited = all.find((t) => t.type === "updated" && t.incident.id === routeInc.id)!;
    expect(inhibited.incident.inhibitedBy).toBe(gwInc.id);
    expect(tracker.isDown("gateway")).toBe(true);
    // A new route incident opened while the gateway is down starts inhibited.
    const other = { agent: "worker", provider: "anthropic" };
    let opened: IncidentTransition | undefined;
    for (let i = 0; i < 3; i++) {
      opened = tracker.report({ source: "probe", findings: [finding("probe.failed", other, clock.now())], covers: [{ subject: other }] }).find((t) => t.type === "opened") ?? opened;
    }
    expect(opened!.incident.inhibitedBy).toBe(gwInc.id);
    all.length = 0;
    for (let i = 0; i < 2; i++) {
      clock.advance(MIN);
      all.push(...gw(true));
    }
    expect(all.some((t) => t.type === "resolved" && t.incident.id === gwInc.id)).toBe(true);
    const lifted = all.filter((t) => t.type === "updated" && t.incident.subjectKey.startsWith("route:"));
    expect(lifted).toHaveLength(2);
    expect(lifted.every((t) => t.incident.inhibitedBy === undefined)).toBe(true);
  });

  it("closes an incident whose subject is no longer observed for a day, marked unobserved (not healed)", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    for (let i = 0; i < 3; i++) probe(tracker, clock, false);
    clock.advance(40 * MIN);
    tracker.tick();
    clock.advance(24 * 60 * MIN);
    const ts = tracker.tick();
    expect(ts.map((t) => t.type)).toEqual(["resolved"]);
    expect(ts[0]!.incident.actions.join(" ")).toContain("no longer observed");
    expect(ts[0]!.incident.closedBy).toBe("unobserved");
    expect(tracker.subjects()).toHaveLength(0);
  });

  it("keeps only the last 200 resolved incidents and a bounded number of subjects", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock, limits: { maxSubjects: 50 } });
    for (let i = 0; i < 260; i++) {
      const file = `/x/${i}.json`;
      tracker.report({ source: "drift", findings: [finding("config.drift", { file }, clock.now())], covers: [{ keys: [`config.drift|file=${file}`] }] });
      clock.advance(1000);
      tracker.report({ source: "drift", findings: [], covers: [{ keys: [`config.drift|file=${file}`] }] });
    }
    expect(tracker.history()).toHaveLength(200);
    expect(tracker.subjects().length).toBeLessThanOrEqual(50);
    expect(tracker.openIncidents()).toHaveLength(0);
  });
});

describe("health tracker: persistence", () => {
  it("a restarted daemon resumes an open incident without re-alerting and resolves the same incident", () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-health-"));
    const store = new HealthStore({ dir: join(dir, "state") });
    const clock = new ManualClock();
    const first = new HealthTracker({ clock, persist: store.persister() });
    const opened: IncidentTransition[] = [];
    for (let i = 0; i < 3; i++) {
      opened.push(...probe(first, clock, false));
      clock.advance(MIN);
    }
    expect(count(opened, "opened")).toBe(1);
    const id = opened[0]!.incident.id;
    first.markNotified(id, { notifiedAt: new Date(clock.now()).toISOString() });
    // The process dies here (no shutdown hook). A new one starts from the file.
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "state")).mode & 0o777).toBe(0o700);
    const second = HealthTracker.fromState(new HealthStore({ dir: join(dir, "state") }).load(), { clock, persist: store.persister() });
    expect(second.openIncidents().map((i) => [i.id, i.notifiedAt !== undefined])).toEqual([[id, true]]);
    const after: IncidentTransition[] = [];
    for (let i = 0; i < 5; i++) {
      after.push(...probe(second, clock, false));
      clock.advance(MIN);
    }
    expect(after).toHaveLength(0);
    after.push(...probe(second, clock, true));
    clock.advance(MIN);
    after.push(...probe(second, clock, true));
    expect(after.map((t) => [t.type, t.incident.id])).toEqual([["resolved", id]]);
    const third = HealthTracker.fromState(store.load(), { clock });
    expect(third.openIncidents()).toHaveLength(0);
    expect(third.history().map((i) => i.id)).toEqual([id]);
  });

  it("persists the transition before returning it (write-ahead)", () => {
    const clock = new ManualClock();
    const saved: number[] = [];
    const tracker = new HealthTracker({ clock, persist: (s) => saved.push(s.open.length) });
    for (let i = 0; i < 3; i++) probe(tracker, clock, false);
    expect(saved.at(-1)).toBe(1);
  });

  it("records what clawpatrol did about an incident", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    for (let i = 0; i < 3; i++) probe(tracker, clock, false);
    const id = tracker.incidentFor("route:main/openrouter")!.id;
    const t = tracker.addAction(id, "switched main to openai-codex/gpt-5.4 at 07:48");
    expect(t!.type).toBe("updated");
    expect(tracker.incident(id)!.actions).toEqual(["switched main to openai-codex/gpt-5.4 at 07:48"]);
  });
});
