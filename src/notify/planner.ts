// Decides WHAT to send and WHEN, from incident transitions and the passage of time. Pure and
// serialisable: no I/O, no clock reads; the dispatcher persists `state` and renders the intents.
//
//   opened   → waits groupWait, then one "firing" message per agent for everything that opened meanwhile
//   resolved → waits resolveHold; a re-open of the same subject inside it continues the old alert
//              (no new firing, no resolve) — so a flapping route yields one firing and one resolved
//   firing   → a "reminder" every repeatInterval
//   gateway.down open → route/probe/run incidents are held and only named in the gateway's messages
//   info     → collected for the digest
//   muted    → a silence holds new alerts back (one firing once it ends, if still open); an ack stops reminders
//   forgotten→ after a lost health store: kept quietly so the re-observed problem continues its alert
import { SEVERITY_RANK, worstSeverity, type Severity } from "../checks/finding.js";
import { isInhibitable, type Incident, type IncidentTransition } from "../health/types.js";

export interface PlannerPolicy {
  groupWaitMs: number;
  repeatIntervalMs: number;
  resolveHoldMs: number;
  /** Info incidents go to the digest (true) or are not sent at all (false). */
  digest: boolean;
}

export type TrackStatus = "pending" | "held" | "firing" | "resolving" | "digest" | "muted" | "forgotten";

/** Operator mutes (silences.json): a silence holds every message back, an ack only reminders. */
export type MuteFn = (inc: Incident, now: number) => { by: "silence" | "ack" } | null;

/** How long a forgotten alert waits for its problem to be observed again before it is dropped (never "resolved"). */
export const FORGOTTEN_HOLD_MS = 60 * 60_000;

export interface Tracked {
  incident: Incident;
  status: TrackStatus;
  /** Incident id whose firing message this alert belongs to (email threading). */
  threadId: string;
  firingAt?: number;
  lastReminder: number;
  resolvedAt?: number;
  heldBy?: string;
  /** Channels the firing went to; reminders and resolve notices follow it. */
  channels?: string[];
  /** Digest only: already listed in a digest. */
  reported?: boolean;
  /** Firing, then its severity rose: announce it with the next advance (not at the next reminder). */
  escalated?: boolean;
  /** Firing, then clawpatrol acted on it (switched a model, restarted the gateway): say so at once. */
  acted?: boolean;
  /** Firing, and a silence held its reminders back: say once that it is still there when the silence ends. */
  silenced?: boolean;
  /** Status "forgotten": when the health store was found lost. */
  forgottenAt?: number;
}

export interface PendingGroup {
  key: string;
  firstAt: number;
  ids: string[];
}

export interface PlannerState {
  v: 1;
  tracked: Record<string, Tracked>;
  groups: PendingGroup[];
}

export interface Intent {
  type: "firing" | "reminder" | "resolved" | "digest";
  /** Incident id the message id is built from (unique per type and reminder number). */
  leaderId: string;
  threadId: string;
  reminder: number;
  incidents: Incident[];
  suppressed: Incident[];
  severity: Severity;
  channels: string[];
  at: number;
  /** A reminder sent early because the problem got worse (warning → critical). */
  escalated?: boolean;
  /** A reminder sent early because clawpatrol did something about it. */
  acted?: boolean;
}

/** An incident that re-opened inside resolveHold and so rides on an alert already sent. */
export interface Continuation {
  incidentId: string;
  threadId: string;
  at: number;
}

export type Router = (severity: Severity) => string[];


function worst(incidents: Incident[]): Severity {
  return worstSeverity(incidents) ?? "info";
}

function groupKeyOf(inc: Incident): string {
  return inc.subject.agent ?? "";
}

export function emptyPlannerState(): PlannerState {
  return { v: 1, tracked: {}, groups: [] };
}

export class Planner {
  readonly policy: PlannerPolicy;
  readonly route: Router;
  state: PlannerState;
  mute: MuteFn = () => null;

  constructor(policy: PlannerPolicy, route: Router, state: PlannerState = emptyPlannerState()) {
    this.policy = policy;
    this.route = route;
    this.state = state;
  }

  get tracked(): Record<string, Tracked> {
    return this.state.tracked;
  }

  apply(t: IncidentTransition): Continuation[] {
    const inc = t.incident;
    const known = this.tracked[inc.id];
    if (t.type === "resolved") {
      this.#resolve(inc, t.at);
      return [];
    }
    if (known) {
      this.#update(known, inc, t.at);
      return [];
    }
    return this.#open(inc, t.at);
  }

  #open(inc: Incident, at: number): Continuation[] {
    // Flap: the same subject resolved a moment ago and its resolve notice is still on hold.
    // Or the same problem seen again after the health store was lost: its alert went out already.
    const prev = Object.values(this.tracked).find((x) => (x.status === "resolving" || x.status === "forgotten") && x.incident.subjectKey === inc.subjectKey);
    if (prev) {
      delete this.tracked[prev.incident.id];
      const next: Tracked = { ...prev, incident: inc, status: "firing" };
      delete next.resolvedAt;
      delete next.forgottenAt;
      this.tracked[inc.id] = next;
      return [{ incidentId: inc.id, threadId: prev.threadId, at }];
    }
    if (inc.severity === "info") {
      if (this.policy.digest) this.tracked[inc.id] = { incident: inc, status: "digest", threadId: inc.id, lastReminder: 0 };
      return [];
    }
    if (this.mute(inc, at)?.by === "silence") {
      this.tracked[inc.id] = { incident: inc, status: "muted", threadId: inc.id, lastReminder: 0 };
      return [];
    }
    const heldBy = this.#inhibitor(inc);
    if (heldBy) {
      this.tracked[inc.id] = { incident: inc, status: "held", threadId: inc.id, lastReminder: 0, heldBy };
      return [];
    }
    this.#enqueue(inc, at);
    return [];
  }

  #enqueue(inc: Incident, at: number): void {
    this.tracked[inc.id] = { incident: inc, status: "pending", threadId: inc.id, lastReminder: 0 };
    const key = groupKeyOf(inc);
    let group = this.state.groups.find((g) => g.key === key);
    if (!group) this.state.groups.push((group = { key, firstAt: at, ids: [] }));
    group.ids.push(inc.id);
  }

  #update(known: Tracked, inc: Incident, at: number): void {
    const worse = SEVERITY_RANK[inc.severity] > SEVERITY_RANK[known.incident.severity];
    const acted = inc.actions.length > known.incident.actions.length;
    known.incident = inc;
    if (acted && known.status === "firing") known.acted = true;
    if (worse && known.status === "digest") {
      // An info notice became a real problem: it leaves the digest and fires like a new one.
      delete this.tracked[inc.id];
      this.#enqueue(inc, at);
      return;
    }
    if (worse && known.status === "firing") known.escalated = true;
    if (known.status === "pending" && inc.inhibitedBy) {
      this.#ungroup(inc.id);
      known.status = "held";
      known.heldBy = inc.inhibitedBy;
    } else if (known.status === "held" && !inc.inhibitedBy && !this.#openGateway(inc)) {
      delete this.tracked[inc.id];
      this.#enqueue(inc, at);
    }
  }

  #resolve(inc: Incident, at: number): void {
    const known = this.tracked[inc.id];
    if (!known) {
      // Not tracked (state lost): if health says a firing went out, still close the loop.
      if (inc.notifiedAt && !inc.resolveNotifiedAt && !inc.closedBy) {
        this.tracked[inc.id] = { incident: inc, status: "resolving", threadId: inc.id, lastReminder: 0, resolvedAt: at, channels: this.route(inc.severity) };
      }
      return;
    }
    known.incident = inc;
    if (inc.closedBy) {
      // Accepted by the operator (a "resolved" repeats what they just did) or dropped unobserved
      // (nothing healed): either way, not a resolve notice.
      if (known.status === "pending") this.#ungroup(inc.id);
      delete this.tracked[inc.id];
      return;
    }
    switch (known.status) {
      case "pending":
        this.#ungroup(inc.id);
        delete this.tracked[inc.id];
        break;
      case "held":
      case "muted":
      case "forgotten":
        delete this.tracked[inc.id];
        break;
      case "digest":
        known.resolvedAt = at;
        break;
      case "firing":
        known.status = "resolving";
        known.resolvedAt = at;
        break;
      case "resolving":
        break;
    }
    if (inc.kind === "gateway.down") {
      // What the gateway held back is real again only if it outlasts the gateway: regroup it.
      for (const held of Object.values(this.tracked)) {
        if (held.status === "held" && held.heldBy === inc.id && !held.incident.inhibitedBy) {
          delete this.tracked[held.incident.id];
          this.#enqueue(held.incident, at);
        }
      }
    }
  }

  /** The gateway.down incident that explains `inc`, if any. */
  #inhibitor(inc: Incident): string | undefined {
    if (inc.inhibitedBy) return inc.inhibitedBy;
    return this.#openGateway(inc)?.incident.id;
  }

  #openGateway(inc: Incident): Tracked | undefined {
    if (!isInhibitable(inc)) return undefined;
    const opened = Date.parse(inc.openedAt);
    return Object.values(this.tracked).find(
      (x) =>
        x.incident.kind === "gateway.down" &&
        x.status !== "resolving" &&
        x.status !== "held" &&
        Date.parse(x.incident.openedAt) <= opened + this.policy.groupWaitMs,
    );
  }

  #ungroup(id: string): void {
    for (const g of this.state.groups) g.ids = g.ids.filter((x) => x !== id);
    this.state.groups = this.state.groups.filter((g) => g.ids.length > 0);
  }

  /** Everything due at `now`, in the order it should be sent. */
  advance(now: number): Intent[] {
    this.#unmute(now);
    return [...this.#flushGroups(now), ...this.#reminders(now), ...this.#resolves(now)];
  }

  /** Silences that ended with their incident still open: it fires now (after groupWait, as if new). */
  #unmute(now: number): void {
    for (const t of Object.values(this.tracked)) {
      if (t.status === "forgotten" && now - (t.forgottenAt ?? now) >= FORGOTTEN_HOLD_MS) delete this.tracked[t.incident.id];
      if (t.status !== "muted" || this.mute(t.incident, now)?.by === "silence") continue;
      delete this.tracked[t.incident.id];
      this.#open(t.incident, now);
    }
  }

  #flushGroups(now: number): Intent[] {
    const out: Intent[] = [];
    const due = this.state.groups.filter((g) => g.firstAt + this.policy.groupWaitMs <= now);
    this.state.groups = this.state.groups.filter((g) => !due.includes(g));
    // First hold route incidents that raced ahead of a gateway.down, so its message can name them.
    for (const group of due) {
      for (const id of group.ids) {
        const t = this.tracked[id];
        if (!t || t.status !== "pending") continue;
        const heldBy = this.#inhibitor(t.incident);
        if (heldBy && heldBy !== id) {
          t.status = "held";
          t.heldBy = heldBy;
        }
      }
    }
    for (const group of due) {
      for (const id of group.ids) {
        const t = this.tracked[id];
        if (t?.status === "pending" && this.mute(t.incident, now)?.by === "silence") t.status = "muted";
      }
      const members = group.ids.map((id) => this.tracked[id]).filter((t): t is Tracked => t?.status === "pending");
      if (!members.length) continue;
      const incidents = members.map((m) => m.incident);
      const severity = worst(incidents);
      const channels = this.route(severity);
      const leader = incidents[0]!.id;
      for (const m of members) {
        m.status = "firing";
        m.firingAt = now;
        m.threadId = leader;
        m.channels = channels;
      }
      out.push({ type: "firing", leaderId: leader, threadId: leader, reminder: 0, incidents, suppressed: this.#heldBy(incidents), severity, channels, at: now });
    }
    return out;
  }

  #heldBy(incidents: Incident[]): Incident[] {
    const ids = new Set(incidents.map((i) => i.id));
    return Object.values(this.tracked)
      .filter((t) => t.status === "held" && t.heldBy !== undefined && ids.has(t.heldBy))
      .map((t) => t.incident);
  }

  #reminders(now: number): Intent[] {
    const every = this.policy.repeatIntervalMs;
    if (!(every > 0)) return [];
    const due = new Map<string, { t: Tracked; n: number }[]>();
    for (const t of Object.values(this.tracked)) {
      if (t.status !== "firing" || t.firingAt === undefined) continue;
      let n = Math.floor((now - t.firingAt) / every);
      const muted = this.mute(t.incident, now);
      if (muted) {
        // Held back, not postponed: the count moves on, so the end of a mute is not a burst.
        t.lastReminder = Math.max(t.lastReminder, n);
        if (muted.by === "silence") t.silenced = true;
        delete t.escalated;
        delete t.acted;
        continue;
      }
      if (t.escalated || t.acted || t.silenced) n = Math.max(n, t.lastReminder + 1);
      else if (n <= t.lastReminder) continue;
      const key = groupKeyOf(t.incident);
      due.set(key, [...(due.get(key) ?? []), { t, n }]);
    }
    const out: Intent[] = [];
    for (const list of due.values()) {
      const incidents = list.map((x) => x.t.incident);
      const escalated = list.some((x) => x.t.escalated);
      const acted = list.some((x) => x.t.acted);
      for (const x of list) {
        x.t.lastReminder = x.n;
        // A worse problem may route to more channels (critical → email too); later notices follow.
        if (x.t.escalated) x.t.channels = union([x.t.channels ?? [], this.route(x.t.incident.severity)]);
        delete x.t.escalated;
        delete x.t.acted;
        delete x.t.silenced;
      }
      const lead = list[0]!;
      out.push({
        type: "reminder",
        leaderId: lead.t.incident.id,
        threadId: lead.t.threadId,
        reminder: lead.n,
        incidents,
        suppressed: this.#heldBy(incidents),
        severity: worst(incidents),
        channels: union(list.map((x) => x.t.channels ?? this.route(x.t.incident.severity))),
        at: now,
        ...(escalated ? { escalated: true } : {}),
        ...(acted && !escalated ? { acted: true } : {}),
      });
    }
    return out;
  }

  #resolves(now: number): Intent[] {
    const hold = this.policy.resolveHoldMs;
    // A recovery under a silence is not news either.
    for (const t of Object.values(this.tracked)) {
      if (t.status === "resolving" && t.resolvedAt !== undefined && t.resolvedAt + hold <= now && this.mute(t.incident, now)?.by === "silence") delete this.tracked[t.incident.id];
    }
    const resolving = Object.values(this.tracked).filter((t) => t.status === "resolving" && t.resolvedAt !== undefined);
    const dueKeys = new Set(resolving.filter((t) => t.resolvedAt! + hold <= now).map((t) => groupKeyOf(t.incident)));
    const out: Intent[] = [];
    for (const key of dueKeys) {
      // Also take same-agent resolves that are almost due, so a recovery is one message.
      const list = resolving
        .filter((t) => groupKeyOf(t.incident) === key && t.resolvedAt! + hold <= now + this.policy.groupWaitMs)
        .sort((a, b) => a.resolvedAt! - b.resolvedAt!);
      for (const t of list) delete this.tracked[t.incident.id];
      const incidents = list.map((t) => t.incident);
      out.push({
        type: "resolved",
        leaderId: incidents[0]!.id,
        threadId: list[0]!.threadId,
        reminder: 0,
        incidents,
        suppressed: [],
        severity: worst(incidents),
        channels: union(list.map((t) => t.channels ?? this.route(t.incident.severity))),
        at: now,
      });
    }
    return out;
  }

  /** The digest's content, if anything happened since the last one; marks it reported. */
  takeDigest(now: number): Intent | undefined {
    const items = Object.values(this.tracked).filter((t) => t.status === "digest");
    if (!items.some((t) => !t.reported || t.resolvedAt !== undefined)) return undefined;
    for (const t of items) {
      if (t.resolvedAt !== undefined) delete this.tracked[t.incident.id];
      else t.reported = true;
    }
    const incidents = items.map((t) => t.incident);
    const stamp = new Date(now).toISOString().slice(0, 16).replace(/[-:]/g, "");
    return { type: "digest", leaderId: `digest-${stamp}`, threadId: `digest-${stamp}`, reminder: 0, incidents, suppressed: [], severity: "info", channels: this.route("info"), at: now };
  }

  /** When `advance` next has something to do. */
  nextDueAt(): number | undefined {
    const times: number[] = [];
    for (const g of this.state.groups) times.push(g.firstAt + this.policy.groupWaitMs);
    for (const t of Object.values(this.tracked)) {
      if (t.status === "resolving" && t.resolvedAt !== undefined) times.push(t.resolvedAt + this.policy.resolveHoldMs);
      if (t.status === "firing" && t.firingAt !== undefined && this.policy.repeatIntervalMs > 0) {
        times.push(t.firingAt + (t.lastReminder + 1) * this.policy.repeatIntervalMs);
      }
    }
    return times.length ? Math.min(...times) : undefined;
  }

  /**
   * After a restart: `open` is every incident the health layer holds open. Unknown ones are adopted
   * (as already firing if they carry notifiedAt, else as new); tracked ones missing from it resolved.
   */
  reconcile(open: Incident[], now: number, options: { forgotten?: boolean } = {}): Continuation[] {
    const ids = new Set(open.map((i) => i.id));
    for (const t of Object.values(this.tracked)) {
      if (ids.has(t.incident.id) || t.status === "resolving" || t.resolvedAt !== undefined) continue;
      if (!options.forgotten) this.#resolve({ ...t.incident, resolvedAt: new Date(now).toISOString() }, now);
      // The health store was lost: not knowing is not "resolved". Wait for the problem to be seen again.
      else if (t.status === "firing") Object.assign(t, { status: "forgotten", forgottenAt: now });
      else this.#resolve({ ...t.incident, resolvedAt: new Date(now).toISOString() }, now);
    }
    const out: Continuation[] = [];
    for (const inc of open) {
      if (this.tracked[inc.id]) continue;
      if (inc.notifiedAt) {
        const firingAt = Date.parse(inc.notifiedAt);
        const every = this.policy.repeatIntervalMs;
        const last = inc.lastReminderAt && every > 0 ? Math.round((Date.parse(inc.lastReminderAt) - firingAt) / every) : 0;
        this.tracked[inc.id] = { incident: inc, status: inc.severity === "info" ? "digest" : "firing", threadId: inc.id, firingAt, lastReminder: Math.max(0, last), channels: this.route(inc.severity), reported: true };
      } else {
        out.push(...this.#open(inc, Date.parse(inc.openedAt) || now));
      }
    }
    return out;
  }
}

function union(lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}
