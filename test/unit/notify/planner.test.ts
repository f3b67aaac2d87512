import { describe, it, expect } from "@jest/globals";
import { Planner, type Intent } from "../../../src/notify/planner.js";
import { isInhibitable } from "../../../src/health/types.js";
import type { Severity } from "../../../src/checks/finding.js";
import { T0, incident, opened, resolved } from "./fixtures.js";

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

// critical → email + webhook, warning → webhook only, info → digest (email)
const route = (s: Severity) => (s === "critical" ? ["email", "webhook"] : s === "warning" ? ["webhook"] : ["email"]);
const policy = { groupWaitMs: 30 * S, repeatIntervalMs: 4 * H, resolveHoldMs: 5 * MIN, digest: true };
const brief = (xs: Intent[]) => xs.map((i) => `${i.type} ${i.incidents.map((x) => x.id).join("+")}${i.suppressed.length ? ` held:${i.suppressed.map((x) => x.id).join("+")}` : ""} → ${i.channels.join(",")}`);

describe("what gets sent", () => {
  it("groups problems of one agent that start within groupWait into one message", () => {
    const p = new Planner(policy, route);
    p.apply(opened(incident({ id: "a1", agent: "main" })));
    p.apply(opened(incident({ id: "a2", agent: "main", kind: "probe.failed", severity: "warning" }), T0 + 10 * S));
    p.apply(opened(incident({ id: "b1", agent: "research" }), T0 + 20 * S));
    expect(p.advance(T0 + 29 * S)).toEqual([]);
    expect(brief(p.advance(T0 + 30 * S))).toEqual(["firing a1+a2 → email,webhook"]);
    expect(brief(p.advance(T0 + 50 * S))).toEqual(["firing b1 → email,webhook"]);
  });

  it("routes by severity: a warning goes to the webhook only", () => {
    const p = new Planner(policy, route);
    p.apply(opened(incident({ id: "w", severity: "warning" })));
    expect(brief(p.advance(T0 + 30 * S))).toEqual(["firing w → webhook"]);
  });

  it("sends nothing for a problem that clears within groupWait", () => {
    const p = new Planner(policy, route);
    const inc = incident({ id: "blip" });
    p.apply(opened(inc));
    p.apply(resolved(inc, T0 + 10 * S));
    expect(p.advance(T0 + 10 * MIN)).toEqual([]);
    expect(p.nextDueAt()).toBeUndefined();
  });

  it("reminds every repeatInterval while firing, then sends one resolve notice to the same channels", () => {
    const p = new Planner(policy, route);
    const inc = incident({ id: "r" });
    p.apply(opened(inc));
    p.advance(T0 + 30 * S);
    expect(p.nextDueAt()).toBe(T0 + 30 * S + 4 * H);
    expect(p.advance(T0 + 4 * H)).toEqual([]);
    const first = p.advance(T0 + 30 * S + 4 * H);
    expect(first.map((i) => `${i.type}:${i.reminder}`)).toEqual(["reminder:1"]);
    expect(p.advance(T0 + 5 * H)).toEqual([]);
    expect(p.advance(T0 + 30 * S + 8 * H).map((i) => `${i.type}:${i.reminder}`)).toEqual(["reminder:2"]);
    p.apply(resolved(inc, T0 + 9 * H));
    expect(p.advance(T0 + 9 * H + 4 * MIN)).toEqual([]);
    expect(brief(p.advance(T0 + 9 * H + 5 * MIN))).toEqual(["resolved r → email,webhook"]);
  });

  it("sends no resolve notice for what did not heal: drift the operator accepted, an incident dropped unobserved", () => {
    const p = new Planner(policy, route);
    const drift = incident({ id: "d", kind: "config.drift", severity: "warning" });
    p.apply(opened(drift));
    expect(brief(p.advance(T0 + 30 * S))).toEqual(["firing d → webhook"]);
    const accepted = resolved(drift, T0 + 2 * MIN);
    accepted.incident.closedBy = "accepted";
    p.apply(accepted);
    expect(p.advance(T0 + 2 * MIN + 5 * MIN)).toEqual([]);
    expect(p.advance(T0 + 5 * H)).toEqual([]);
    // Dropped after a day unobserved: nothing healed, so no "resolved" either.
    const r = new Planner(policy, route);
    r.apply(opened(drift));
    r.advance(T0 + 30 * S);
    const dropped = resolved(drift, T0 + 25 * H);
    dropped.incident.closedBy = "unobserved";
    r.apply(dropped);
    expect(r.advance(T0 + 26 * H)).toEqual([]);
    // The same drift healed by hand (no accept) still gets its resolve notice.
    const q = new Planner(policy, route);
    q.apply(opened(drift));
    q.advance(T0 + 30 * S);
    q.apply(resolved(drift, T0 + 2 * MIN));
    expect(brief(q.advance(T0 + 2 * MIN + 5 * MIN))).toEqual(["resolved d → webhook"]);
  });

  it("a route flapping 30 times in an hour gives one firing and one resolved message, not 60", () => {
    // Fed transitions directly (worst case: a new incident per flap, no hysteresis upstream).
    const p = new Planner(policy, route);
    const sent: Intent[] = [];
    const continued: string[] = [];
    for (let k = 0; k < 30; k++) {
      const at = T0 + k * 2 * MIN;
      const inc = incident({ id: `flap-${k}`, kind: "probe.failed", severity: "warning", subjectKey: "route:main/openrouter", at });
      continued.push(...p.apply(opened(inc, at)).map((c) => c.incidentId));
      sent.push(...p.advance(at + 30 * S));
      p.apply(resolved(inc, at + MIN));
      sent.push(...p.advance(at + MIN + 30 * S));
    }
    sent.push(...p.advance(T0 + 2 * H));
    expect(sent.map((i) => i.type)).toEqual(["firing", "resolved"]);
    expect(sent[1]!.incidents[0]!.id).toBe("flap-29");
    expect(sent[1]!.threadId).toBe("flap-0"); // the resolve threads under the one firing mail
    expect(continued).toHaveLength(29);
  });

  it("holds route alerts while the gateway is down and names them in the gateway message", () => {
    const p = new Planner(policy, route);
    // one probe failure races ahead of the gateway check by a few seconds
    const early = incident({ id: "p0", kind: "probe.failed", severity: "warning", agent: "main", at: T0 });
    const gw = incident({ id: "gw", kind: "gateway.down", agent: undefined as never, summary: "the OpenClaw gateway does not answer /healthz", at: T0 + 5 * S });
    delete (gw.subject as { agent?: string }).agent;
    const later = incident({ id: "r1", kind: "run.stuck", agent: "research", at: T0 + 2 * MIN });
    const viaHealth = incident({ id: "x1", kind: "auth.rejected", agent: "coder", inhibitedBy: "gw", at: T0 + 3 * MIN });
    p.apply(opened(early));
    p.apply(opened(gw));
    expect(brief(p.advance(T0 + 40 * S))).toEqual(["firing gw held:p0 → email,webhook"]);
    p.apply(opened(later));
    p.apply(opened(viaHealth));
    expect(p.advance(T0 + 10 * MIN)).toEqual([]);
    // reminder names everything held
    expect(brief(p.advance(T0 + 40 * S + 4 * H))).toEqual(["reminder gw held:p0+r1+x1 → email,webhook"]);
    // gateway recovers; p0 recovers with it, r1 does not (a real problem of its own)
    const back = T0 + 5 * H;
    p.apply(resolved(gw, back));
    p.apply(resolved(early, back + 10 * S));
    expect(brief(p.advance(back + 29 * S))).toEqual([]);
    expect(brief(p.advance(back + 30 * S))).toEqual(["firing r1 → email,webhook"]);
    expect(brief(p.advance(back + 5 * MIN))).toEqual(["resolved gw → email,webhook"]);
  });

  it("holds a cooldown that opens with the gateway down, by the same rule the health tracker inhibits it with", () => {
    const p = new Planner(policy, route);
    const gw = incident({ id: "gw", kind: "gateway.down", agent: undefined as never, at: T0 });
    delete (gw.subject as { agent?: string }).agent;
    const cooldown = incident({ id: "c1", kind: "cooldown.active", severity: "warning", agent: "main", subjectKey: "cooldown:main/openrouter", at: T0 + 10 * S });
    expect(isInhibitable(cooldown)).toBe(true);
    expect(isInhibitable(incident({ id: "d", kind: "config.drift", subjectKey: "file:openclaw.json" }))).toBe(false);
    p.apply(opened(gw));
    p.apply(opened(cooldown));
    expect(brief(p.advance(T0 + 40 * S))).toEqual(["firing gw held:c1 → email,webhook"]);
  });

  it("collects info notices for the digest instead of sending them", () => {
    const p = new Planner(policy, route);
    const info = incident({ id: "i1", kind: "config.drift", severity: "info" });
    p.apply(opened(info));
    expect(p.advance(T0 + H)).toEqual([]);
    const d = p.takeDigest(T0 + H)!;
    expect(brief([d])).toEqual(["digest i1 → email"]);
    expect(p.takeDigest(T0 + 2 * H)).toBeUndefined(); // nothing new
    p.apply(resolved(info, T0 + 3 * H));
    expect(p.takeDigest(T0 + 4 * H)!.incidents[0]!.resolvedAt).toBeDefined();
    expect(p.takeDigest(T0 + 5 * H)).toBeUndefined();
  });

  it("does not page again after a restart for incidents already notified", () => {
    const p = new Planner(policy, route);
    const inc = { ...incident({ id: "n1" }), notifiedAt: new Date(T0 + 30 * S).toISOString() };
    const fresh = incident({ id: "n2", agent: "research", at: T0 + H });
    p.reconcile([inc, fresh], T0 + H);
    expect(brief(p.advance(T0 + H + 30 * S))).toEqual(["firing n2 → email,webhook"]);
    expect(brief(p.advance(T0 + 30 * S + 4 * H))).toEqual(["reminder n1 → email,webhook"]);
  });
});

describe("a problem that gets worse", () => {
  const updated = (inc: ReturnType<typeof incident>, at: number) => ({ type: "updated" as const, incident: inc, at });

  it("sends one 'worse' message at once when a firing warning becomes critical, to the critical channels too", () => {
    const p = new Planner(policy, route);
    const warn = incident({ id: "r1", agent: "main", severity: "warning" });
    p.apply(opened(warn));
    expect(brief(p.advance(T0 + 30 * S))).toEqual(["firing r1 → webhook"]);
    p.apply(updated({ ...warn, severity: "critical" }, T0 + 2 * MIN));
    const sent = p.advance(T0 + 2 * MIN);
    expect(brief(sent)).toEqual(["reminder r1 → webhook,email"]);
    expect(sent[0]!.escalated).toBe(true);
    // Nothing more until the regular reminder is due; a second update at the same severity is quiet.
    p.apply(updated({ ...warn, severity: "critical", summary: "still" }, T0 + 3 * MIN));
    expect(p.advance(T0 + 3 * H)).toEqual([]);
  });

  it("takes an info notice out of the digest and fires it when it becomes a warning", () => {
    const p = new Planner(policy, route);
    const info = incident({ id: "i1", agent: "main", severity: "info" });
    p.apply(opened(info));
    expect(p.advance(T0 + 5 * MIN)).toEqual([]);
    p.apply(updated({ ...info, severity: "warning" }, T0 + 6 * MIN));
    expect(brief(p.advance(T0 + 6 * MIN + 30 * S))).toEqual(["firing i1 → webhook"]);
  });
});

describe("a problem clawpatrol acted on", () => {
  it("sends one 'action taken' notice at once when a remedy action is recorded on a firing incident", () => {
    const p = new Planner(policy, route);
    const inc = incident({ id: "r2", agent: "main", severity: "critical" });
    p.apply(opened(inc));
    expect(brief(p.advance(T0 + 30 * S))).toEqual(["firing r2 → email,webhook"]);
    p.apply({ type: "updated", incident: { ...inc, actions: ["switched main to backup/gpt-ok at 07:48 UTC (ok)"] }, at: T0 + MIN });
    const sent = p.advance(T0 + MIN);
    expect(brief(sent)).toEqual(["reminder r2 → email,webhook"]);
    expect(sent[0]!.acted).toBe(true);
    expect(p.advance(T0 + 2 * MIN)).toEqual([]);
  });
});
