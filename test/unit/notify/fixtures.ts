// Shared builders for notify tests: incidents with realistic fake secrets in the wrong places.
import { makeFinding, type FindingKind, type Severity } from "../../../src/checks/finding.js";
import type { Incident, IncidentTransition } from "../../../src/health/types.js";

/** A realistic OpenRouter key that "leaked" into evidence by mistake. */
export const LEAKED_KEY = "sk-or-v1-" + "0123456789abcdef".repeat(4);
export const SMTP_PASSWORD = "smtp-Pa55w0rd-6d1f0c2b9e";
export const WEBHOOK_SECRET = "whsec-7f3a91c2d4e5b6a7c8d9e0f1";

export const T0 = Date.parse("2026-11-21T07:46:00Z");

export interface IncidentInit {
  id: string;
  kind?: FindingKind;
  severity?: Severity;
  agent?: string;
  provider?: string;
  summary?: string;
  detail?: string;
  at?: number;
  actions?: string[];
  evidence?: Record<string, unknown>;
  inhibitedBy?: string;
  subjectKey?: string;
}

export function incident(init: IncidentInit): Incident {
  const at = init.at ?? T0;
  const kind = init.kind ?? "auth.rejected";
  const subject = { ...(init.agent !== undefined ? { agent: init.agent } : { agent: "main" }), ...(init.provider ? { provider: init.provider } : {}) };
  const finding = makeFinding({
    kind,
    severity: init.severity ?? "critical",
    subject,
    summary: init.summary ?? "OpenRouter rejects the stored key (401) — env key works",
    detail: init.detail ?? "openclaw models auth login --provider openrouter --agent main",
    evidence: init.evidence ?? { status: 401, storedKey: "sk-or-v1-…04f4 #1a2b3c4d", leakedByMistake: `Bearer ${LEAKED_KEY}`, apiKey: LEAKED_KEY },
    at,
  });
  const inc: Incident = {
    id: init.id,
    subjectKey: init.subjectKey ?? finding.key,
    kind,
    severity: init.severity ?? "critical",
    subject,
    summary: init.summary ?? finding.summary,
    openedAt: new Date(at).toISOString(),
    findings: [finding],
    actions: init.actions ?? [],
  };
  if (init.inhibitedBy) inc.inhibitedBy = init.inhibitedBy;
  return inc;
}

export function opened(inc: Incident, at = Date.parse(inc.openedAt)): IncidentTransition {
  return { type: "opened", incident: inc, at };
}

export function resolved(inc: Incident, at: number): IncidentTransition {
  return { type: "resolved", incident: { ...inc, resolvedAt: new Date(at).toISOString() }, at };
}
