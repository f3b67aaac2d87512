// What an incident transition causes: a log line at the incident's level, a queued alert, and a
// fresh status file.
import type { IncidentTransition } from "../health/types.js";
import { incidentLogLevel } from "../util/log.js";
import type { DaemonParts } from "./parts.js";

export function applyTransitions(p: DaemonParts, transitions: IncidentTransition[] | IncidentTransition | null): void {
  const list = transitions === null ? [] : Array.isArray(transitions) ? transitions : [transitions];
  for (const t of list) {
    p.log[incidentLogLevel(t.type, t.incident.severity)]({ incident: t.incident.id, kind: t.incident.kind, subject: t.incident.subjectKey }, `incident ${t.type === "resolved" && t.incident.closedBy ? `closed (${t.incident.closedBy})` : t.type}: ${t.incident.summary}`);
    void p.dispatcher.onTransition(t).catch((err) => p.log.error({ err: String(err) }, "could not queue alert"));
  }
  if (list.length > 0) p.jobs.status.trigger();
}
