// Operator mutes and a lost health store, as the planner sees them.
import { describe, it, expect } from "@jest/globals";
import { FORGOTTEN_HOLD_MS, Planner, type Intent, type MuteFn } from "../../../src/notify/planner.js";
import { muteOf, type MuteState } from "../../../src/state/silences.js";
import { T0, incident, opened, resolved } from "./fixtures.js";

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const route = () => ["email"];
const policy = { groupWaitMs: 30 * S, repeatIntervalMs: 4 * H, resolveHoldMs: 5 * MIN, digest: true };
const brief = (xs: Intent[]) => xs.map((i) => `${i.type} ${i.incidents.map((x) => x.id).join("+")}`);

function withMutes(state: MuteState): MuteFn {
  return (inc, now) => muteOf(state, inc, now);
}

function silence(until: number, match: { agent?: string; kind?: string }): MuteState {
  return { v: 1, silences: [{ id: "sil-1", ...match, createdAt: new Date(T0).toISOString(), until: new Date(until).toISOString() }], acks: [] };
}

describe("silences and acks", () => {
  it("sends nothing while an agent is silenced and exactly one firing when the silence ends with the problem still open", () => {
    const p = new Planner(policy, route);
    p.mute = withMutes(silence(T0 + 2 * H, { agent: "main" }));
    p.apply(opened(incident({ id: "a" })));
    const sent: Intent[] = [];
    for (let t = T0; t < T0 + 2 * H; t += MIN) sent.push(...p.advance(t));
    expect(sent).toEqual([]);
    for (let t = T0 + 2 * H; t < T0 + 3 * H; t += 10 * S) sent.push(...p.advance(t));
    expect(brief(sent)).toEqual(["firing a"]);
  });

  it("a problem that clears during its silence is never mentioned", () => {
    const p = new Planner(policy, route);
    p.mute = withMutes(silence(T0 + 2 * H, { kind: "auth" }));
    const inc = incident({ id: "a" });
    p.apply(opened(inc));
    p.advance(T0 + MIN);
    p.apply(resolved(inc, T0 + H));
    const sent: Intent[] = [];
    for (let t = T0 + H; t < T0 + 4 * H; t += MIN) sent.push(...p.advance(t));
    expect(sent).toEqual([]);
  });

  it("holds the reminders of a firing incident while silenced, then says once that it is still there", () => {
    const state: MuteState = { v: 1, silences: [], acks: [] };
    const p = new Planner(policy, route);
    p.mute = withMutes(state);
    p.apply(opened(incident({ id: "a" })));
    expect(brief(p.advance(T0 + 30 * S))).toEqual(["firing a"]);
    state.silences.push({ id: "sil-1", agent: "main", createdAt: new Date(T0).toISOString(), until: new Date(T0 + 10 * H).toISOString() });
    const sent: Intent[] = [];
    for (let t = T0 + MIN; t < T0 + 10 * H; t += 5 * MIN) sent.push(...p.advance(t));
    expect(sent).toEqual([]);
    sent.push(...p.advance(T0 + 10 * H), ...p.advance(T0 + 10 * H + MIN));
    expect(sent.map((i) => i.type)).toEqual(["reminder"]);
  });

  it("an ack stops reminders of that incident until its severity changes, and the resolve is still sent", () => {
    const state: MuteState = { v: 1, silences: [], acks: [] };
    const p = new Planner(policy, route);
    p.mute = withMutes(state);
    const warn = incident({ id: "a", severity: "warning" });
    p.apply(opened(warn));
    p.advance(T0 + 30 * S);
    state.acks.push({ incident: "a", severity: "warning", at: new Date(T0 + MIN).toISOString() });
    const sent: Intent[] = [];
    for (let t = T0 + MIN; t < T0 + 9 * H; t += 10 * MIN) sent.push(...p.advance(t));
    expect(sent).toEqual([]);
    p.apply({ type: "updated", incident: { ...warn, severity: "critical" }, at: T0 + 9 * H });
    sent.push(...p.advance(T0 + 9 * H));
    expect(sent.map((i) => `${i.type}${i.escalated ? " escalated" : ""}`)).toEqual(["reminder escalated"]);
    p.apply(resolved({ ...warn, severity: "critical" }, T0 + 10 * H));
    expect(brief(p.advance(T0 + 10 * H + 5 * MIN))).toEqual(["resolved a"]);
  });
});

describe("a lost health store", () => {
  it("sends no resolve for what it forgot, and the same problem seen again continues its alert without a new page", () => {
    const p = new Planner(policy, route);
    p.apply(opened(incident({ id: "old", subjectKey: "gateway", kind: "gateway.down" })));
    expect(brief(p.advance(T0 + 30 * S))).toEqual(["firing old"]);
    // Restart with an empty health store: nothing is open as far as health knows.
    p.reconcile([], T0 + H, { forgotten: true });
    expect(p.advance(T0 + H + 10 * MIN)).toEqual([]);
    const again = incident({ id: "new", subjectKey: "gateway", kind: "gateway.down", at: T0 + H + MIN });
    const continued = p.apply(opened(again, T0 + H + MIN));
    expect(continued).toEqual([{ incidentId: "new", threadId: "old", at: T0 + H + MIN }]);
    expect(p.advance(T0 + H + 5 * MIN)).toEqual([]);
  });

  it("drops a forgotten alert quietly when its problem is not seen again within the hold", () => {
    const p = new Planner(policy, route);
    p.apply(opened(incident({ id: "old" })));
    p.advance(T0 + 30 * S);
    p.reconcile([], T0 + H, { forgotten: true });
    const sent = [...p.advance(T0 + H + FORGOTTEN_HOLD_MS), ...p.advance(T0 + 3 * H)];
    expect(sent).toEqual([]);
    expect(Object.keys(p.tracked)).toEqual([]);
  });

  it("without the lost flag a tracked incident missing after restart is resolved as before", () => {
    const p = new Planner(policy, route);
    p.apply(opened(incident({ id: "old" })));
    p.advance(T0 + 30 * S);
    p.reconcile([], T0 + H);
    expect(brief(p.advance(T0 + H + 5 * MIN))).toEqual(["resolved old"]);
  });
});
