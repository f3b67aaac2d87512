// The status file's shape (schema/status.schema.json is the public contract; a test keeps the two
// in step) and the builder the daemon calls with what it already holds.
import type { Era, Installation } from "../openclaw/types.js";
import type { Incident, SubjectState, Verdict } from "../health/types.js";
import { SEVERITY_RANK, type Severity } from "../checks/finding.js";
import { driftChangeLines } from "../drift/check.js";
import type { ProbeRow } from "../probe/types.js";
import { parseModelRef } from "../openclaw/routes.js";
import { muteOf, type Mute, type MuteState } from "../state/silences.js";
import type { OwnStateStatus } from "../state/own-state.js";

export const STATUS_SCHEMA_VERSION = 1 as const;
/** `clawpatrol status` calls the daemon dead when its last loop tick is older than this. */
export const STALE_AFTER_MS = 3 * 60_000;

export type Overall = "ok" | "warning" | "critical" | "unknown";

export interface ProbeStatus {
  at: string;
  verdict: Verdict;
  /** HTTP status of the probe, when there was one. */
  httpStatus: number | null;
  /** rate_limit, billing, timeout, network, no_model, server, auth, … */
  reason: string | null;
  latencyMs: number | null;
  summary: string | null;
}

export interface RouteStatus {
  /** "openrouter/moonshotai/kimi-k2.5" */
  ref: string;
  provider: string;
  model: string;
  role: "primary" | "fallback";
  state: SubjectState;
  /** Fingerprint + source label of the credential the runtime would use; never the value. */
  credential: string | null;
  lastProbe: ProbeStatus | null;
}

export interface AgentStatus {
  id: string;
  isDefault: boolean;
  /** Primary model ref in OpenClaw's config right now. */
  configuredPrimary: string | null;
  /** Set when clawpatrol switched the agent to a fallback: the ref it came from. */
  fallbackFrom: string | null;
  /** While on a fallback: the primary it replaced (still probed) and the model in use since when. */
  fallback: { active: string; since: string; primary: string; primaryState: SubjectState } | null;
  /** "on acme/mock-ok since 06:07, primary openrouter/auto down", or the primary and its state. */
  line: string;
  routes: RouteStatus[];
}

export interface IncidentStatus {
  id: string;
  kind: string;
  severity: Severity;
  subjectKey: string;
  subject: { agent?: string; provider?: string; profile?: string; model?: string; file?: string };
  summary: string;
  openedAt: string;
  notifiedAt: string | null;
  inhibitedBy: string | null;
  actions: string[];
  /** Held back by an operator: a silence (until when) or an ack (since when). */
  muted?: Mute;
  /** config.drift: what changed, key by key (secrets as fingerprints). */
  changes?: string[];
  /** Where its subject stands now; `unknown` = what it is about could not be read (open, not resolved). */
  state?: SubjectState;
}

export interface ActionStatus {
  at: string;
  /** fallback, restore, gateway-restart, … */
  type: string;
  agent: string | null;
  result: "ok" | "failed" | "skipped" | "observed";
  summary: string;
}

export interface StatusSnapshot {
  schemaVersion: typeof STATUS_SCHEMA_VERSION;
  generatedAt: string;
  summary: {
    overall: Overall;
    /** One line, also sent as systemd STATUS=. */
    line: string;
    agents: number;
    routes: number;
    routesOk: number;
    openIncidents: number;
  };
  clawpatrol: {
    version: string;
    pid: number;
    startedAt: string;
    lastLoopTickAt: string;
    /** READY=1 sent: the first full observation finished. */
    ready: boolean;
    configPath: string | null;
    configSource: "file" | "defaults";
    remedyMode: "observe" | "act";
  };
  openclaw: {
    stateDir: string | null;
    configPath: string | null;
    version: string | null;
    era: Era;
  };
  gateway: {
    url: string | null;
    state: SubjectState;
    up: boolean | null;
    checkedAt: string | null;
    latencyMs: number | null;
    error: string | null;
  };
  agents: AgentStatus[];
  incidents: IncidentStatus[];
  recentActions: ActionStatus[];
  alerts: {
    spoolDepth: number;
    lastSentAt: string | null;
    lastError: string | null;
  };
  /** Active silences and acks (`clawpatrol silence` / `ack`), and clawpatrol's own state files it could not read. */
  silences?: OwnStateStatus["silences"];
  acks?: OwnStateStatus["acks"];
  stateProblems?: OwnStateStatus["stateProblems"];
}

// ---- builder ------------------------------------------------------------------------------

/** One probe row as the probe runner reports it (structural, so probe/ need not import this). */
export interface ProbeInput {
  provider: string;
  agent?: string;
  model?: string;
  at: number;
  verdict: Verdict;
  httpStatus?: number;
  reason?: string;
  latencyMs?: number;
  summary?: string;
}

/**
 * Probe matrix rows → builder input: one entry per model of the agent's route, from the
 * credential the runtime would actually send (rows for shadowed credentials are left out).
 */
export function probeInputsFromRows(rows: Iterable<Pick<ProbeRow, "agent" | "provider" | "models" | "credentialRole" | "result">>): ProbeInput[] {
  const out: ProbeInput[] = [];
  for (const row of rows) {
    if (row.credentialRole !== "runtime") continue;
    const r = row.result;
    const base: ProbeInput = { provider: row.provider, agent: row.agent, at: r.at, verdict: r.verdict, reason: r.status, summary: r.reason };
    if (r.httpStatus !== undefined) base.httpStatus = r.httpStatus;
    if (r.latencyMs !== undefined) base.latencyMs = r.latencyMs;
    const models = row.models.map((ref) => (ref.startsWith(`${row.provider}/`) ? ref.slice(row.provider.length + 1) : ref));
    if (models.length === 0) out.push(base);
    for (const model of models) out.push({ ...base, model });
  }
  return out;
}

export interface ActionInput {
  at: number;
  type: string;
  agent?: string;
  result: ActionStatus["result"];
  summary: string;
}

export interface StatusInputs {
  now: number;
  self: {
    version: string;
    pid?: number;
    startedAt: number;
    lastLoopTickAt: number;
    ready: boolean;
    configPath: string | null;
    configSource: "file" | "defaults";
    remedyMode: "observe" | "act";
  };
  installation?: Pick<Installation, "paths" | "version" | "agents" | "gateway"> | null;
  gateway?: { state?: SubjectState; up: boolean | null; checkedAt?: number; latencyMs?: number; error?: string };
  probes?: Iterable<ProbeInput>;
  /** Health state per route, keyed "agent/provider" (or "route:agent/provider"). */
  routeStates?: ReadonlyMap<string, SubjectState>;
  /** agent id → the ref it was switched away from (and since when), while a fallback is active. */
  fallbacks?: ReadonlyMap<string, string | { from: string; since: number }>;
  incidents?: readonly Incident[];
  /** The state of an open incident's subject now (the tracker's view). */
  incidentState?: (incident: Incident) => SubjectState;
  actions?: readonly ActionInput[];
  /** Newest-first cap for recentActions. */
  maxActions?: number;
  spool?: { depth: number; lastSentAt?: number; lastError?: string };
  own?: OwnStateStatus;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function probeFor(probes: ProbeInput[], agent: string, provider: string, model: string): ProbeInput | undefined {
  const newest = (rows: ProbeInput[]) => rows.reduce<ProbeInput | undefined>((best, p) => (!best || p.at > best.at ? p : best), undefined);
  const same = probes.filter((p) => p.provider === provider);
  return (
    newest(same.filter((p) => p.agent === agent && p.model === model)) ??
    newest(same.filter((p) => p.agent === agent && p.model === undefined)) ??
    newest(same.filter((p) => p.agent === undefined && p.model === model)) ??
    newest(same.filter((p) => p.agent === undefined && p.model === undefined))
  );
}

function stateFromProbe(p: ProbeInput | undefined): SubjectState {
  if (!p) return "unknown";
  return p.verdict === "pass" ? "ok" : p.verdict === "fail" ? "failing" : "unknown";
}

function incidentTag(i: IncidentStatus): string {
  const who = [i.subject.agent, i.subject.provider ?? i.subject.file].filter(Boolean).join(" ");
  const what = i.kind.split(".")[0] ?? i.kind;
  return who ? `${who} ${what}` : i.kind;
}

/** "3 agents, 14/15 routes ok, 1 incident: main openrouter auth" */
export function summaryLine(s: Pick<StatusSnapshot, "agents" | "incidents" | "gateway">): string {
  const routes = s.agents.flatMap((a) => a.routes);
  const ok = routes.filter((r) => r.state === "ok").length;
  const open = s.incidents.filter((i) => !i.inhibitedBy);
  const parts = [
    ...(s.gateway.up === false ? ["gateway down"] : []),
    `${s.agents.length} agent${s.agents.length === 1 ? "" : "s"}`,
    `${ok}/${routes.length} routes ok`,
  ];
  let line = parts.join(", ");
  // Inhibited incidents are listed too: counted apart, so the line and the list agree.
  const inhibited = s.incidents.length - open.length;
  const held = inhibited ? ` (+${inhibited} inhibited)` : "";
  if (open.length === 0) return `${line}, ${inhibited ? `0 incidents${held}` : "no incidents"}`;
  const tags = open.slice(0, 3).map(incidentTag).join(", ");
  line += `, ${open.length} incident${open.length === 1 ? "" : "s"}${held}: ${tags}${open.length > 3 ? ", …" : ""}`;
  return line;
}

export function overallOf(s: Pick<StatusSnapshot, "incidents" | "gateway" | "agents">): Overall {
  const open = s.incidents.filter((i) => !i.inhibitedBy);
  const worst = open.reduce((w, i) => Math.max(w, SEVERITY_RANK[i.severity]), -1);
  if (worst === 2 || s.gateway.up === false) return "critical";
  if (worst === 1) return "warning";
  if (s.gateway.up === null && s.agents.every((a) => a.routes.every((r) => r.state === "unknown"))) return "unknown";
  return "ok";
}

function toIncident(i: Incident, mutes: MuteState | undefined, now: number, state?: SubjectState): IncidentStatus {
  const muted = mutes ? muteOf(mutes, i, now) : null;
  return {
    id: i.id,
    kind: i.kind,
    severity: i.severity,
    subjectKey: i.subjectKey,
    subject: { ...i.subject },
    summary: i.summary,
    openedAt: i.openedAt,
    notifiedAt: i.notifiedAt ?? null,
    inhibitedBy: i.inhibitedBy ?? null,
    actions: [...i.actions],
    ...(muted ? { muted } : {}),
    ...(i.kind === "config.drift" ? { changes: driftChangeLines(i.findings[0]?.evidence) } : {}),
    ...(state ? { state } : {}),
  };
}

type AgentInput = NonNullable<StatusInputs["installation"]>["agents"][number];

function routeBase(agent: AgentInput, provider: string, model: string, ref: string, probe: ProbeInput | undefined): Omit<RouteStatus, "role" | "state"> {
  const cred = agent.credentials.find((c) => c.provider === provider)?.winner ?? null;
  return {
    ref,
    provider,
    model,
    credential: cred ? `${cred.secret?.fingerprint ?? "(no value)"} from ${cred.source.label}` : null,
    lastProbe: probe
      ? {
          at: iso(probe.at),
          verdict: probe.verdict,
          httpStatus: probe.httpStatus ?? null,
          reason: probe.reason ?? null,
          latencyMs: probe.latencyMs ?? null,
          summary: probe.summary ?? null,
        }
      : null,
  };
}

export function buildStatusSnapshot(input: StatusInputs): StatusSnapshot {
  const probes = [...(input.probes ?? [])];
  const inst = input.installation ?? null;
  const agents: AgentStatus[] = (inst?.agents ?? []).map((agent) => {
    const entries = [agent.route.primary, ...agent.route.fallbacks].filter((e) => e !== null);
    const routes: RouteStatus[] = entries.map((entry) => {
      const { provider, model, ref } = entry.ref;
      const probe = probeFor(probes, agent.id, provider, model);
      const state =
        input.routeStates?.get(`${agent.id}/${provider}`) ?? input.routeStates?.get(`route:${agent.id}/${provider}`) ?? stateFromProbe(probe);
      return { ...routeBase(agent, provider, model, ref, probe), role: entry.role, state };
    });
    const fb = input.fallbacks?.get(agent.id);
    const from = typeof fb === "string" ? fb : fb?.from;
    const current = agent.route.primary?.ref.ref ?? null;
    let fallback: AgentStatus["fallback"] = null;
    if (from !== undefined && current !== null && current !== from) {
      // The configured primary is the one clawpatrol switched away from: it stays listed, with its state.
      const parsed = parseModelRef(from);
      const provider = parsed?.provider ?? "";
      const model = parsed?.model ?? from;
      const probe = probeFor(probes, agent.id, provider, model);
      const primaryState = input.routeStates?.get(`${agent.id}/${provider}`) ?? input.routeStates?.get(`route:${agent.id}/${provider}`) ?? stateFromProbe(probe);
      const active = routes.find((r) => r.role === "primary");
      if (active) active.role = "fallback";
      routes.unshift({ ...routeBase(agent, provider, model, from, probe), role: "primary", state: primaryState });
      fallback = { active: current, since: iso(typeof fb === "object" ? fb.since : input.now), primary: from, primaryState };
    }
    const primaryRoute = routes.find((r) => r.role === "primary");
    const line = fallback
      ? `on ${fallback.active} since ${fallback.since.slice(11, 16)}, primary ${fallback.primary} ${fallback.primaryState}`
      : primaryRoute
        ? `primary ${primaryRoute.ref} ${primaryRoute.state}`
        : "no model configured";
    return {
      id: agent.id,
      isDefault: agent.isDefault,
      configuredPrimary: from ?? current,
      fallbackFrom: from ?? null,
      fallback,
      line,
      routes,
    };
  });
  const incidents = (input.incidents ?? []).filter((i) => !i.resolvedAt).map((i) => toIncident(i, input.own && { v: 1, silences: input.own.silences, acks: input.own.acks }, input.now, input.incidentState?.(i)));
  incidents.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.openedAt.localeCompare(b.openedAt));
  const gw = input.gateway;
  const gateway: StatusSnapshot["gateway"] = {
    url: inst?.gateway.url ?? null,
    state: gw?.state ?? (gw?.up === true ? "ok" : gw?.up === false ? "down" : "unknown"),
    up: gw?.up ?? null,
    checkedAt: gw?.checkedAt !== undefined ? iso(gw.checkedAt) : null,
    latencyMs: gw?.latencyMs ?? null,
    error: gw?.error ?? null,
  };
  const actions = [...(input.actions ?? [])].sort((a, b) => b.at - a.at).slice(0, input.maxActions ?? 20);
  const routes = agents.flatMap((a) => a.routes);
  const partial = { agents, incidents, gateway };
  return {
    schemaVersion: STATUS_SCHEMA_VERSION,
    generatedAt: iso(input.now),
    summary: {
      overall: overallOf(partial),
      line: summaryLine(partial),
      agents: agents.length,
      routes: routes.length,
      routesOk: routes.filter((r) => r.state === "ok").length,
      openIncidents: incidents.filter((i) => !i.inhibitedBy).length,
    },
    clawpatrol: {
      version: input.self.version,
      pid: input.self.pid ?? process.pid,
      startedAt: iso(input.self.startedAt),
      lastLoopTickAt: iso(input.self.lastLoopTickAt),
      ready: input.self.ready,
      configPath: input.self.configPath,
      configSource: input.self.configSource,
      remedyMode: input.self.remedyMode,
    },
    openclaw: {
      stateDir: inst?.paths.stateDir ?? null,
      configPath: inst?.paths.configPath ?? null,
      version: inst?.version.version ?? null,
      era: inst?.version.era ?? "unknown",
    },
    gateway,
    agents,
    incidents,
    recentActions: actions.map((a) => ({ at: iso(a.at), type: a.type, agent: a.agent ?? null, result: a.result, summary: a.summary })),
    alerts: {
      spoolDepth: input.spool?.depth ?? 0,
      lastSentAt: input.spool?.lastSentAt !== undefined ? iso(input.spool.lastSentAt) : null,
      lastError: input.spool?.lastError ?? null,
    },
    ...(input.own ? { silences: input.own.silences, acks: input.own.acks, stateProblems: input.own.stateProblems } : {}),
  };
}

/** Exit code like `check`: 0 ok, 1 warning, 2 critical (3 — not running — is decided by the reader). */
export function exitCodeForStatus(s: StatusSnapshot): 0 | 1 | 2 {
  return s.summary.overall === "critical" ? 2 : s.summary.overall === "warning" ? 1 : 0;
}
