// The unit that crosses every boundary: check → health → alert → status → `check --json`.
// Kinds are public interface: extend the list, never rename.

export type Severity = "info" | "warning" | "critical";

export const FINDING_KINDS = [
  "config.invalid",
  "config.drift",
  "config.shadowed-default",
  "config.missing-var",
  "env.duplicate-key",
  "secret.plaintext",
  "auth.missing",
  "auth.shadowed",
  "auth.rejected",
  "auth.expiring",
  "probe.failed",
  "probe.empty-reply",
  "run.empty-reply",
  "run.stuck",
  "run.failure-burst",
  "cooldown.active",
  "cooldown.storm",
  "gateway.down",
  "gateway.config-stale",
  "state.unreadable",
  "remedy.no-candidate",
  "remedy.failed",
  "remedy.switched",
  "remedy.would-switch",
  "remedy.conflict",
  "remedy.capped",
  "remedy.blocked",
  "alert.spool-backlog",
  "model.failover",
  "openclaw.unverified-version",
  "clawpatrol.disagrees",
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export interface FindingSubject {
  agent?: string;
  provider?: string;
  profile?: string;
  model?: string;
  file?: string;
}

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  subject: FindingSubject;
  /** Stable fingerprint: kind + subject. Two findings with one key are the same problem. */
  key: string;
  /** One line a person understands without context. */
  summary: string;
  /** What to do about it — the exact command when there is one. */
  detail?: string;
  /** Redacted facts: fingerprints, status codes, paths, diffs. Never a raw secret. */
  evidence?: Record<string, unknown>;
  observedAt: string;
}

const SUBJECT_ORDER: (keyof FindingSubject)[] = ["agent", "provider", "profile", "model", "file"];

export function findingKey(kind: string, subject: FindingSubject): string {
  const parts = SUBJECT_ORDER.filter((k) => subject[k] !== undefined).map((k) => `${k}=${subject[k]}`);
  return parts.length ? `${kind}|${parts.join("|")}` : kind;
}

export interface FindingInit {
  kind: FindingKind;
  severity: Severity;
  subject?: FindingSubject;
  summary: string;
  detail?: string;
  evidence?: Record<string, unknown>;
  /** Epoch milliseconds; checks get time passed in, they never read a clock. */
  at: number;
}

export function makeFinding(init: FindingInit): Finding {
  const subject = init.subject ?? {};
  const finding: Finding = {
    kind: init.kind,
    severity: init.severity,
    subject,
    key: findingKey(init.kind, subject),
    summary: init.summary,
    observedAt: new Date(init.at).toISOString(),
  };
  if (init.detail !== undefined) finding.detail = init.detail;
  if (init.evidence !== undefined) finding.evidence = init.evidence;
  return finding;
}

/** How bad a severity is: the one ranking every module uses. */
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** The worst severity among findings or incidents; null for none. */
export function worstSeverity(findings: readonly { severity: Severity }[]): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) {
    if (worst === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  }
  return worst;
}

/** Nagios-style exit code: 0 ok (info only), 1 warnings, 2 critical. 3 (could not run) is the caller's. */
export function exitCodeFor(findings: readonly Finding[]): 0 | 1 | 2 {
  const worst = worstSeverity(findings);
  if (worst === "critical") return 2;
  if (worst === "warning") return 1;
  return 0;
}

/** Worst first, then by key in code-unit order (localeCompare would load ICU's collator: ~15 ms of every `check`). */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(compareFindings);
}
