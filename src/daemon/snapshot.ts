// The daemon's status snapshot, assembled from its parts (statusView shapes it).
import type { StatusSnapshot } from "../status/snapshot.js";
import { routeState } from "./build-parts.js";
import type { DaemonParts } from "./parts.js";
import { statusView, type StatusView } from "./status-view.js";

export function daemonSnapshot(p: DaemonParts, self: StatusView["self"]): StatusSnapshot {
  const routes = p.tracker.subjects().filter((s) => s.key.startsWith("route:") && s.subject.agent !== undefined && s.subject.provider !== undefined);
  return statusView({
    now: p.clock.now(),
    self,
    installation: p.inst,
    gateway: p.gateway.last,
    gatewayState: p.tracker.stateOf("gateway"),
    probeRows: p.cache.rows(),
    routeStates: new Map(routes.map((s) => [s.key, routeState(p, s.subject.agent!, s.subject.provider!)] as const)),
    fallbacks: p.remedy.activeFallbacks(),
    incidents: p.tracker.openIncidents(),
    audit: [...p.remedy.recentActions(20), ...(p.restarter?.audit.recent?.(10) ?? [])],
    incidentState: (i) => p.tracker.stateOf(i.subjectKey),
    spool: p.dispatcher.spoolStatus(),
    own: p.own.status(p.clock.now()),
  });
}
