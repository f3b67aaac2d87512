// What the daemon publishes (status.json, the status line, metrics, heartbeat): its own state, the
// installation, the gateway, probe rows, route states, active fallbacks, open incidents and recent
// actions, put together from the parts that own them.
import { buildStatusSnapshot, probeInputsFromRows, type ActionInput, type StatusInputs, type StatusSnapshot } from "../status/snapshot.js";
import type { GatewayProbeResult } from "../probe/gateway.js";
import type { ProbeRow } from "../probe/types.js";
import type { Incident, SubjectState } from "../health/types.js";
import type { ActiveFallback, AuditRecord } from "../remedy/types.js";
import type { SpoolStatus } from "../notify/dispatcher.js";
import type { Installation } from "../openclaw/types.js";
import { actionText } from "../remedy/action-text.js";
import type { OwnStateStatus } from "../state/own-state.js";

export interface StatusView {
  now: number;
  self: StatusInputs["self"];
  installation: Installation;
  gateway: GatewayProbeResult | null;
  gatewayState: SubjectState;
  probeRows: readonly ProbeRow[];
  /** Health state per route, keyed "route:agent/provider". */
  routeStates: ReadonlyMap<string, SubjectState>;
  fallbacks: readonly ActiveFallback[];
  incidents: readonly Incident[];
  /** Where each incident's subject stands now (unknown = cannot be observed). */
  incidentState?: (i: Incident) => SubjectState;
  /** Remedy and gateway-restart audit records, any order. */
  audit: readonly AuditRecord[];
  spool: SpoolStatus;
  /** Silences, acks and clawpatrol's own unreadable state files. */
  own?: OwnStateStatus;
}

const MAX_ACTIONS = 20;

/** The newest completed actions (intents are not actions yet), oldest first. */
export function recentActions(audit: readonly AuditRecord[]): ActionInput[] {
  return audit
    .filter((r) => r.phase !== "intent")
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-MAX_ACTIONS)
    .map((r) => ({
      at: Date.parse(r.at),
      type: r.op,
      ...(r.agent ? { agent: r.agent } : {}),
      result: r.dryRun ? "observed" : r.result === "ok" || r.result === "applied" ? "ok" : r.result === undefined ? "skipped" : "failed",
      summary: actionText(r, Date.parse(r.at)),
    }));
}

export function statusView(v: StatusView): StatusSnapshot {
  const gw = v.gateway;
  return buildStatusSnapshot({
    now: v.now,
    self: v.self,
    installation: v.installation,
    ...(gw ? { gateway: { up: gw.status === "ok", state: v.gatewayState, checkedAt: gw.at, ...(gw.latencyMs !== undefined ? { latencyMs: gw.latencyMs } : {}), ...(gw.status !== "ok" ? { error: gw.reason } : {}) } } : {}),
    probes: probeInputsFromRows(v.probeRows),
    routeStates: v.routeStates,
    fallbacks: new Map(v.fallbacks.map((f) => [f.agent, { from: typeof f.original === "string" ? f.original : f.originalRef, since: f.appliedAt }] as const)),
    incidents: v.incidents,
    ...(v.incidentState ? { incidentState: v.incidentState } : {}),
    actions: recentActions(v.audit),
    spool: v.spool,
    ...(v.own ? { own: v.own } : {}),
  });
}
