// Findings over time → subject states → incidents. Every finding key is a member subject with its
// own state machine (per-kind thresholds). Members are grouped for incidents: findings about one
// agent × provider form the route "route:<agent>/<provider>", gateway.down forms "gateway", anything
// else is its own group. A group has one incident while any member holds it; flapping members keep
// it open (see policy.flap), so a flapping route yields one incident that resolves once.
// Write-ahead: the state is persisted (options.persist) before transitions are returned.
import { randomBytes } from "node:crypto";
import { compareFindings, type Finding, type FindingSubject, type Severity } from "../checks/finding.js";
import { systemClock, type Clock } from "../util/clock.js";
import { STATE_RANK, isInhibitable, type Incident, type IncidentTransition, type SubjectState } from "./types.js";
import { policyFor, type HealthPolicy, type PolicyOverrides } from "./policy.js";
import { expire, initialMachine, release, step, type MachineState } from "./state-machine.js";
import { factAt } from "./route-verdict.js";

/** Which existing subjects a report has a verdict for. Every given field must match. */
export interface Coverage {
  kinds?: readonly string[];
  /** Partial subject: `{agent: "main", provider: "openrouter"}` covers every finding about that route. */
  subject?: FindingSubject;
  keys?: readonly string[];
}

export type CoveragePredicate = (key: string, subject: FindingSubject, kind: string) => boolean;

export interface ReportInput {
  /** Who observed ("probe", "lint", "drift", "runs", "gateway"…), recorded per subject. */
  source: string;
  /** Failing verdicts: one per finding key. */
  findings: readonly Finding[];
  /** Subjects this report covers: covered and absent from findings = pass. */
  covers?: readonly Coverage[] | CoveragePredicate;
  /** Covered subjects that this round could not judge (no verdict, no flip). */
  inconclusive?: readonly Coverage[];
  /**
   * Covered subjects whose data went away (the file they are about is gone or unreadable): `unknown`
   * at once, incident kept open. A datum that vanished is not a datum that healed: never a pass.
   */
  unobserved?: CoveragePredicate;
  /**
   * Why the subjects this report passes stopped failing, when it is not that they healed:
   * "accepted" = the operator made the observed state the new baseline (`clawpatrol accept`).
   * Their incidents close with `closedBy` set, and no one is told what they did themselves.
   */
  closedBy?: Incident["closedBy"];
  /** Epoch ms; defaults to the tracker's clock. */
  at?: number;
  /** Override the policy's staleness limit for subjects this source reports (e.g. 3× its interval). */
  staleAfterMs?: number;
}

export interface SubjectView {
  key: string;
  kind: string;
  subject: FindingSubject;
  state: SubjectState;
  since: number;
  consecutiveFails: number;
  consecutivePasses: number;
  lastVerdictAt?: number;
  lastPassAt?: number;
  lastFailAt?: number;
  incidentId?: string;
  source?: string;
  /** When the fact behind the newest failing observation happened (the run's time for run findings). */
  evidenceAt?: number;
}

interface Member {
  key: string;
  kind: string;
  subject: FindingSubject;
  group: string;
  source: string;
  staleAfterMs?: number;
  m: MachineState;
  /** Newest failing observation (redacted finding). */
  lastFinding?: Finding;
}

interface RouteTouch {
  key: string;
  lastVerdictAt: number;
  lastPassAt?: number;
  lastFailAt?: number;
  consecutiveFails: number;
  consecutivePasses: number;
}

export interface TrackerState {
  version: 1;
  savedAt: number;
  members: Member[];
  routes: RouteTouch[];
  open: Incident[];
  history: Incident[];
  /** Signature of each open incident's content, so a restart does not emit spurious "updated". */
  signatures: Record<string, string>;
}

export interface TrackerLimits {
  maxSubjects: number;
  maxHistory: number;
  maxFindingsPerIncident: number;
}

export interface TrackerOptions {
  clock?: Clock;
  policies?: PolicyOverrides;
  /** Write-ahead hook: called synchronously with the state before transitions are returned. */
  persist?: (state: TrackerState) => void;
  /** Persist timestamp-only changes at most this often (state/incident changes persist at once). */
  persistEveryMs?: number;
  newId?: (at: number) => string;
  limits?: Partial<TrackerLimits>;
}

export function groupOf(kind: string, subject: FindingSubject, key: string): string {
  if (kind === "gateway.down") return "gateway";
  // Read-time facts about a route (a shadowed key copy) are their own incidents: they never hold a route open.
  if (key.endsWith("|static")) return key;
  if (subject.agent !== undefined && subject.provider !== undefined) return routeKey(subject.agent, subject.provider);
  return key;
}

export function routeKey(agent: string, provider: string): string {
  return `route:${agent}/${provider}`;
}

function defaultId(at: number): string {
  const d = new Date(at).toISOString();
  return `inc-${d.slice(0, 10).replace(/-/g, "")}-${d.slice(11, 16).replace(":", "")}-${randomBytes(2).toString("hex")}`;
}

function matches(c: Coverage, key: string, subject: FindingSubject, kind: string): boolean {
  if (c.kinds && !c.kinds.includes(kind)) return false;
  if (c.keys && !c.keys.includes(key)) return false;
  if (c.subject) {
    for (const [k, v] of Object.entries(c.subject)) if (v !== undefined && subject[k as keyof FindingSubject] !== v) return false;
  }
  return true;
}

function worstState(states: SubjectState[]): SubjectState {
  let worst: SubjectState = "ok";
  for (const s of states) if (STATE_RANK[s] > STATE_RANK[worst]) worst = s;
  return worst;
}

export class HealthTracker {
  readonly #clock: Clock;
  #policies: PolicyOverrides;
  readonly #persist?: (state: TrackerState) => void;
  readonly #persistEveryMs: number;
  readonly #newId: (at: number) => string;
  readonly #limits: TrackerLimits;
  #members = new Map<string, Member>();
  #groups = new Map<string, Set<string>>(); // group → member keys
  #routes = new Map<string, RouteTouch>();
  #open = new Map<string, Incident>(); // group → incident
  #history: Incident[] = [];
  #signatures = new Map<string, string>();
  #lastPersistAt = -Infinity;
  #dirtyQuiet = false;

  constructor(options: TrackerOptions = {}, state?: TrackerState) {
    this.#clock = options.clock ?? systemClock;
    this.#policies = options.policies ?? {};
    this.#persist = options.persist;
    this.#persistEveryMs = options.persistEveryMs ?? 60_000;
    this.#newId = options.newId ?? defaultId;
    this.#limits = { maxSubjects: 5000, maxHistory: 200, maxFindingsPerIncident: 20, ...options.limits };
    if (state) this.#restore(state);
  }

  /** Resume from a persisted state (after a restart or a SIGKILL): open incidents stay open, nothing re-alerts. */
  static fromState(state: TrackerState | null, options: TrackerOptions = {}): HealthTracker {
    return new HealthTracker(options, state ?? undefined);
  }

  #restore(state: TrackerState): void {
    for (const m of state.members ?? []) this.#addMember(m);
    for (const r of state.routes ?? []) this.#routes.set(r.key, r);
    for (const inc of state.open ?? []) this.#open.set(inc.subjectKey, inc);
    this.#history = [...(state.history ?? [])].slice(-this.#limits.maxHistory);
    this.#signatures = new Map(Object.entries(state.signatures ?? {}));
  }

  #policy(kind: string): HealthPolicy {
    return policyFor(kind, this.#policies);
  }

  // ── input ──────────────────────────────────────────────────────────────────────────────

  /** Feed one observation round from one source. Returns the incident transitions it caused (already persisted). */
  /** New thresholds (a config reload): they apply from the next verdict on; states and incidents stay. */
  setPolicies(policies: PolicyOverrides): void {
    this.#policies = policies;
  }

  report(input: ReportInput): IncidentTransition[] {
    const at = input.at ?? this.#clock.now();
    const out: IncidentTransition[] = [];
    let changed = false;
    const failing = new Map<string, Finding>();
    for (const f of input.findings) failing.set(f.key, f);
    const covered = (key: string, subject: FindingSubject, kind: string): boolean => {
      if (!input.covers) return false;
      if (typeof input.covers === "function") return input.covers(key, subject, kind);
      return input.covers.some((c) => matches(c, key, subject, kind));
    };
    const inconclusive = (key: string, subject: FindingSubject, kind: string): boolean =>
      (input.inconclusive ?? []).some((c) => matches(c, key, subject, kind));
    const touchedGroups = new Set<string>();
    const routeVerdicts = new Map<string, boolean>(); // route → failed?

    // Failing verdicts.
    for (const f of failing.values()) {
      let member = this.#members.get(f.key);
      if (!member) {
        member = { key: f.key, kind: f.kind, subject: f.subject, group: groupOf(f.kind, f.subject, f.key), source: input.source, m: initialMachine(at) };
        this.#addMember(member);
      }
      if (input.staleAfterMs !== undefined) member.staleAfterMs = input.staleAfterMs;
      member.source = input.source;
      member.lastFinding = f;
      changed = this.#apply(member, "fail", at) || changed;
      touchedGroups.add(member.group);
      if (member.group.startsWith("route:")) routeVerdicts.set(member.group, true);
    }
    // Passing verdicts for covered subjects that did not fail.
    for (const member of this.#members.values()) {
      if (failing.has(member.key)) continue;
      if (!covered(member.key, member.subject, member.kind)) continue;
      if (inconclusive(member.key, member.subject, member.kind)) continue;
      if (input.unobserved?.(member.key, member.subject, member.kind)) {
        const next = expire(member.m, at, -1);
        if (next) {
          member.m = next;
          changed = true;
          touchedGroups.add(member.group);
        }
        continue;
      }
      member.source = input.source;
      if (input.staleAfterMs !== undefined) member.staleAfterMs = input.staleAfterMs;
      changed = this.#apply(member, "pass", at) || changed;
      touchedGroups.add(member.group);
      if (member.group.startsWith("route:") && !routeVerdicts.has(member.group)) routeVerdicts.set(member.group, false);
    }
    // Routes named by coverage but without members yet (a route that has always passed).
    if (input.covers && typeof input.covers !== "function") {
      for (const c of input.covers) {
        if (c.subject?.agent !== undefined && c.subject.provider !== undefined) {
          const r = routeKey(c.subject.agent, c.subject.provider);
          if (!routeVerdicts.has(r)) routeVerdicts.set(r, false);
        }
      }
    }
    for (const [r, failed] of routeVerdicts) this.#touchRoute(r, failed, at);

    for (const group of touchedGroups) out.push(...this.#reconcileGroup(group, at, undefined, input.closedBy));
    out.push(...this.#reconcileInhibition(at));
    this.#enforceLimits();
    this.#commit(changed || out.length > 0, at);
    return out;
  }

  /**
   * Newer evidence made these subjects' failures moot (passing probes of the runtime credential after
   * an old failed run): members that hold an incident are `ok` at once and release their part of it;
   * the rest clear through their own source's next report.
   */
  supersede(keys: readonly string[], at: number = this.#clock.now()): IncidentTransition[] {
    const groups = new Set<string>();
    for (const key of keys) {
      const member = this.#members.get(key);
      if (!member?.m.held) continue;
      member.m = release(member.m, at);
      groups.add(member.group);
    }
    const out: IncidentTransition[] = [];
    for (const g of groups) out.push(...this.#reconcileGroup(g, at));
    this.#commit(groups.size > 0, at);
    return out;
  }

  /** Staleness and retirement; call on a timer (e.g. every minute). */
  tick(now: number = this.#clock.now()): IncidentTransition[] {
    const out: IncidentTransition[] = [];
    const staled = new Set<string>();
    const retired = new Set<string>();
    let changed = false;
    for (const member of [...this.#members.values()]) {
      const policy = this.#policy(member.kind);
      const stale = member.staleAfterMs ?? policy.staleAfterMs;
      const next = expire(member.m, now, stale);
      if (next) {
        member.m = next;
        changed = true;
        staled.add(member.group);
      }
      if (member.m.state === "unknown" && now - member.m.since >= policy.retireAfterMs) {
        this.#deleteMember(member);
        changed = true;
        retired.add(member.group);
      }
    }
    for (const [key, r] of this.#routes) {
      if (now - r.lastVerdictAt >= this.#policy("probe.failed").retireAfterMs && !this.#membersOf(key).length) this.#routes.delete(key);
    }
    for (const g of staled) if (!retired.has(g)) out.push(...this.#reconcileGroup(g, now));
    // Unknown for retireAfter: dropped without a verdict. Nothing healed, so it is never a "resolved".
    for (const g of retired) out.push(...this.#reconcileGroup(g, now, "no longer observed", "unobserved"));
    out.push(...this.#reconcileInhibition(now));
    this.#commit(changed || out.length > 0, now);
    return out;
  }

  #apply(member: Member, verdict: "pass" | "fail", at: number): boolean {
    const before = member.m;
    const { next } = step(before, verdict, at, this.#policy(member.kind));
    member.m = next;
    if (next.state !== before.state || next.held !== before.held) return true;
    this.#dirtyQuiet = true;
    return false;
  }

  #touchRoute(key: string, failed: boolean, at: number): void {
    const r = this.#routes.get(key) ?? { key, lastVerdictAt: at, consecutiveFails: 0, consecutivePasses: 0 };
    r.lastVerdictAt = at;
    if (failed) {
      r.lastFailAt = at;
      r.consecutiveFails++;
      r.consecutivePasses = 0;
    } else {
      r.lastPassAt = at;
      r.consecutivePasses++;
      r.consecutiveFails = 0;
    }
    this.#routes.set(key, r);
    this.#dirtyQuiet = true;
  }

  #membersOf(group: string): Member[] {
    return [...(this.#groups.get(group) ?? [])].map((k) => this.#members.get(k)!).filter(Boolean);
  }

  #addMember(m: Member): void {
    this.#members.set(m.key, m);
    let set = this.#groups.get(m.group);
    if (!set) this.#groups.set(m.group, (set = new Set()));
    set.add(m.key);
  }

  #deleteMember(m: Member): void {
    this.#members.delete(m.key);
    const set = this.#groups.get(m.group);
    set?.delete(m.key);
    if (set && set.size === 0) this.#groups.delete(m.group);
  }

  // ── incidents ──────────────────────────────────────────────────────────────────────────

  #incidentContent(group: string, members: Member[]): Pick<Incident, "kind" | "severity" | "subject" | "summary" | "findings"> | null {
    const held = members.filter((m) => m.m.held && m.lastFinding);
    if (!held.length) return null;
    const findings = held
      .map((m) => m.lastFinding!)
      .sort(compareFindings)
      .slice(0, this.#limits.maxFindingsPerIncident);
    const worst = findings[0]!;
    const route = /^route:(.+)\/(.+)$/.exec(group);
    const subject: FindingSubject = route ? { agent: route[1]!, provider: route[2]! } : worst.subject;
    const summary = route && !worst.summary.includes(route[1]!) ? `${route[1]} → ${route[2]}: ${worst.summary}` : worst.summary;
    return { kind: worst.kind, severity: worst.severity, subject, summary, findings };
  }

  #signature(inc: Pick<Incident, "severity" | "summary" | "findings" | "inhibitedBy" | "actions">): string {
    return JSON.stringify([inc.severity, inc.summary, inc.findings.map((f) => [f.key, f.severity, f.summary]), inc.inhibitedBy ?? null, inc.actions.length]);
  }

  #reconcileGroup(group: string, at: number, closeReason?: string, closedBy?: Incident["closedBy"]): IncidentTransition[] {
    const members = this.#membersOf(group);
    const open = this.#open.get(group);
    const content = this.#incidentContent(group, members);
    if (!open && content) {
      const incident: Incident = { id: this.#newId(at), subjectKey: group, ...content, openedAt: new Date(at).toISOString(), actions: [] };
      const inhibitor = this.#inhibitorFor(incident);
      if (inhibitor) incident.inhibitedBy = inhibitor;
      this.#open.set(group, incident);
      this.#signatures.set(incident.id, this.#signature(incident));
      return [{ type: "opened", incident: structuredClone(incident), at }];
    }
    if (open && !content) {
      open.resolvedAt = new Date(at).toISOString();
      if (closedBy) open.closedBy = closedBy;
      if (closeReason) open.actions.push(`closed: ${closeReason} since ${new Date(at).toISOString()}`);
      this.#open.delete(group);
      this.#signatures.delete(open.id);
      this.#history.push(open);
      if (this.#history.length > this.#limits.maxHistory) this.#history.splice(0, this.#history.length - this.#limits.maxHistory);
      return [{ type: "resolved", incident: structuredClone(open), at }];
    }
    // Held only by clawpatrol's own note (an agent still on its fallback): the incident stays about the
    // problem that opened it, so the resolve notice names that problem, not the note.
    if (open && content && content.findings.every((f) => f.kind.startsWith("remedy.")) && !open.kind.startsWith("remedy.")) return [];
    if (open && content) {
      Object.assign(open, content);
      const sig = this.#signature(open);
      if (sig !== this.#signatures.get(open.id)) {
        this.#signatures.set(open.id, sig);
        return [{ type: "updated", incident: structuredClone(open), at }];
      }
    }
    return [];
  }

  /** Gateway down inhibits route, probe and run incidents (Alertmanager inhibit_rules). */
  #inhibitorFor(inc: Pick<Incident, "subjectKey" | "kind">): string | undefined {
    if (!isInhibitable(inc)) return undefined;
    const gw = this.#open.get("gateway");
    return gw && ["down", "recovering", "unknown"].includes(this.stateOf("gateway")) ? gw.id : undefined;
  }

  #reconcileInhibition(at: number): IncidentTransition[] {
    const out: IncidentTransition[] = [];
    for (const inc of this.#open.values()) {
      const want = this.#inhibitorFor(inc);
      if (inc.inhibitedBy === want) continue;
      if (want) inc.inhibitedBy = want;
      else delete inc.inhibitedBy;
      this.#signatures.set(inc.id, this.#signature(inc));
      out.push({ type: "updated", incident: structuredClone(inc), at });
    }
    return out;
  }

  // ── effects' bookkeeping ───────────────────────────────────────────────────────────────

  #findOpen(id: string): Incident | undefined {
    for (const inc of this.#open.values()) if (inc.id === id) return inc;
    return undefined;
  }

  /** Record what clawpatrol did about an incident ("switched main to openai-codex/gpt-5.4 at 07:48"). */
  addAction(incidentId: string, text: string, at: number = this.#clock.now()): IncidentTransition | null {
    const inc = this.#findOpen(incidentId);
    if (!inc) return null;
    inc.actions.push(text);
    if (inc.actions.length > 50) inc.actions.splice(0, inc.actions.length - 50);
    this.#signatures.set(inc.id, this.#signature(inc));
    this.#commit(true, at);
    return { type: "updated", incident: structuredClone(inc), at };
  }

  /** Notification bookkeeping (set only after a channel accepted the message). Persisted, no transition. */
  markNotified(incidentId: string, patch: Partial<Pick<Incident, "notifiedAt" | "lastReminderAt" | "resolveNotifiedAt">>): boolean {
    const inc = this.#findOpen(incidentId) ?? this.#history.find((i) => i.id === incidentId);
    if (!inc) return false;
    Object.assign(inc, patch);
    this.#commit(true, this.#clock.now());
    return true;
  }

  // ── queries ────────────────────────────────────────────────────────────────────────────

  /**
   * State of a subject: a finding key, "route:<agent>/<provider>", "gateway", "agent:<id>" or
   * "file:<path>". Aggregates report their worst member. Never observed → "unknown".
   */
  stateOf(subjectKey: string): SubjectState {
    return this.subject(subjectKey)?.state ?? "unknown";
  }

  /** Down or recovering (an incident is open and not yet resolved by enough passes). */
  isDown(subjectKey: string): boolean {
    const s = this.stateOf(subjectKey);
    return s === "down" || s === "recovering";
  }

  subject(subjectKey: string): SubjectView | undefined {
    const member = this.#members.get(subjectKey);
    if (member) return this.#view(member);
    let members: Member[];
    let kind = subjectKey;
    let subject: FindingSubject = {};
    const route = /^route:(.+)\/(.+)$/.exec(subjectKey);
    if (route) {
      members = this.#membersOf(subjectKey);
      subject = { agent: route[1]!, provider: route[2]! };
      kind = "route";
    } else if (subjectKey === "gateway") {
      members = this.#membersOf("gateway");
      kind = "gateway";
    } else if (subjectKey.startsWith("agent:")) {
      const agent = subjectKey.slice(6);
      members = [...this.#members.values()].filter((m) => m.subject.agent === agent);
      subject = { agent };
      kind = "agent";
    } else if (subjectKey.startsWith("file:")) {
      const file = subjectKey.slice(5);
      members = [...this.#members.values()].filter((m) => m.subject.file === file);
      subject = { file };
      kind = "file";
    } else {
      return undefined;
    }
    const touch = this.#routes.get(subjectKey);
    if (!members.length && !touch) return undefined;
    const views = members.map((m) => this.#view(m));
    const max = (xs: (number | undefined)[]): number | undefined => {
      const ns = xs.filter((x): x is number => x !== undefined);
      return ns.length ? Math.max(...ns) : undefined;
    };
    let state = worstState(views.map((v) => v.state));
    if (!views.length && touch) {
      const stale = this.#clock.now() - touch.lastVerdictAt > this.#policy("probe.failed").staleAfterMs;
      state = stale ? "unknown" : "ok";
    }
    const view: SubjectView = {
      key: subjectKey,
      kind,
      subject,
      state,
      since: views.filter((v) => v.state === state).reduce((a, v) => Math.min(a, v.since), Infinity),
      consecutiveFails: touch?.consecutiveFails ?? Math.max(0, ...views.map((v) => v.consecutiveFails)),
      consecutivePasses: touch?.consecutivePasses ?? Math.min(...views.map((v) => v.consecutivePasses)),
    };
    if (!Number.isFinite(view.since)) view.since = touch?.lastVerdictAt ?? 0;
    const lastVerdictAt = max([touch?.lastVerdictAt, ...views.map((v) => v.lastVerdictAt)]);
    const lastPassAt = max([touch?.lastPassAt, ...views.map((v) => v.lastPassAt)]);
    const lastFailAt = max([touch?.lastFailAt, ...views.map((v) => v.lastFailAt)]);
    if (lastVerdictAt !== undefined) view.lastVerdictAt = lastVerdictAt;
    if (lastPassAt !== undefined) view.lastPassAt = lastPassAt;
    if (lastFailAt !== undefined) view.lastFailAt = lastFailAt;
    const inc = this.#open.get(subjectKey);
    if (inc) view.incidentId = inc.id;
    return view;
  }

  #view(member: Member): SubjectView {
    const v: SubjectView = {
      key: member.key,
      kind: member.kind,
      subject: member.subject,
      state: member.m.state,
      since: member.m.since,
      consecutiveFails: member.m.consecutiveFails,
      consecutivePasses: member.m.consecutivePasses,
      source: member.source,
    };
    if (member.m.lastVerdictAt !== undefined) v.lastVerdictAt = member.m.lastVerdictAt;
    if (member.m.lastPassAt !== undefined) v.lastPassAt = member.m.lastPassAt;
    if (member.m.lastFailAt !== undefined) v.lastFailAt = member.m.lastFailAt;
    if (member.lastFinding) v.evidenceAt = factAt(member.lastFinding);
    const inc = this.#open.get(member.group);
    if (inc && member.m.held) v.incidentId = inc.id;
    return v;
  }

  /** Every member subject plus every route (for the status file). */
  subjects(): SubjectView[] {
    const out = [...this.#members.values()].map((m) => this.#view(m));
    const routes = new Set([...this.#routes.keys(), ...[...this.#members.values()].map((m) => m.group).filter((g) => g.startsWith("route:"))]);
    for (const r of [...routes].sort()) out.push(this.subject(r)!);
    return out;
  }

  openIncidents(): Incident[] {
    return [...this.#open.values()].map((i) => structuredClone(i));
  }

  /** Open incident of a subject group ("route:main/openrouter", "gateway", or a finding key). */
  incidentFor(subjectKey: string): Incident | undefined {
    const inc = this.#open.get(subjectKey) ?? this.#open.get(this.#members.get(subjectKey)?.group ?? "");
    return inc ? structuredClone(inc) : undefined;
  }

  incident(id: string): Incident | undefined {
    const inc = this.#findOpen(id) ?? this.#history.find((i) => i.id === id);
    return inc ? structuredClone(inc) : undefined;
  }

  /** Resolved incidents, oldest first (last `maxHistory`). */
  history(): Incident[] {
    return this.#history.map((i) => structuredClone(i));
  }

  // ── persistence and bounds ─────────────────────────────────────────────────────────────

  toState(at: number = this.#clock.now()): TrackerState {
    return {
      version: 1,
      savedAt: at,
      members: [...this.#members.values()],
      routes: [...this.#routes.values()],
      open: [...this.#open.values()],
      history: this.#history,
      signatures: Object.fromEntries(this.#signatures),
    };
  }

  /** Persist now if anything changed since the last write (shutdown path). */
  flush(at: number = this.#clock.now()): void {
    if (this.#dirtyQuiet) this.#commit(true, at);
  }

  #commit(significant: boolean, at: number): void {
    if (!this.#persist) return;
    if (significant || (this.#dirtyQuiet && at - this.#lastPersistAt >= this.#persistEveryMs)) {
      this.#persist(this.toState(at));
      this.#lastPersistAt = at;
      this.#dirtyQuiet = false;
    }
  }

  #enforceLimits(): void {
    const excess = this.#members.size - this.#limits.maxSubjects;
    if (excess > 0) {
      const evictable = [...this.#members.values()]
        .filter((m) => !m.m.held)
        .sort((a, b) => (a.m.lastVerdictAt ?? 0) - (b.m.lastVerdictAt ?? 0));
      for (const m of evictable.slice(0, excess)) this.#deleteMember(m);
    }
    const routeExcess = this.#routes.size - this.#limits.maxSubjects;
    if (routeExcess > 0) {
      const old = [...this.#routes.values()].sort((a, b) => a.lastVerdictAt - b.lastVerdictAt).slice(0, routeExcess);
      for (const r of old) this.#routes.delete(r.key);
    }
  }
}
