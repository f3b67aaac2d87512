// Health vocabulary shared by health/, notify/, remedy/ and status/.
import type { Finding, FindingSubject, Severity } from "../checks/finding.js";

export type SubjectState = "ok" | "failing" | "down" | "recovering" | "unknown";

/** How bad a state is, for "the worst of": the one ranking every module uses. */
export const STATE_RANK: Record<SubjectState, number> = { ok: 0, unknown: 1, failing: 2, recovering: 3, down: 4 };

/** One verdict about one subject from one observation. "inconclusive" never flips a state on its own. */
export type Verdict = "pass" | "fail" | "inconclusive";

export interface Incident {
  /** Stable id, e.g. "inc-20261121-0748-3f9a". */
  id: string;
  /** The subject key it is about (a finding key, or a derived subject like "route:main/openrouter"). */
  subjectKey: string;
  kind: string;
  severity: Severity;
  subject: FindingSubject;
  summary: string;
  openedAt: string;
  resolvedAt?: string;
  /**
   * Closed without healing, so no resolve notice: "accepted" = the operator made it the new baseline;
   * "unobserved" = its subject could not be observed for retireAfter and was dropped without a verdict.
   */
  closedBy?: "accepted" | "unobserved";
  /** The findings behind it, newest observation (already redacted). */
  findings: Finding[];
  /** Set only after a channel accepted the message. */
  notifiedAt?: string;
  lastReminderAt?: string;
  resolveNotifiedAt?: string;
  /** What clawpatrol already did about it, human-readable ("switched main to openai-codex/gpt-5.4 at 07:48"). */
  actions: string[];
  /** Suppressed by another incident (gateway down inhibits its routes). */
  inhibitedBy?: string;
}

export type IncidentTransition =
  | { type: "opened"; incident: Incident; at: number }
  | { type: "updated"; incident: Incident; at: number }
  | { type: "resolved"; incident: Incident; at: number };

/**
 * The one inhibition rule (Alertmanager inhibit_rules): while the gateway is down, route, probe, run,
 * rejected-credential and cooldown incidents are consequences, held back behind gateway.down. The
 * tracker sets `inhibitedBy` with it; the alert planner reads `inhibitedBy` (and this rule, for an
 * incident that opened seconds before the gateway's).
 */
export function isInhibitable(inc: { kind: string; subjectKey: string }): boolean {
  if (inc.subjectKey === "gateway") return false;
  return inc.subjectKey.startsWith("route:") || /^(probe|run|auth\.rejected|cooldown)\b/.test(inc.kind);
}
