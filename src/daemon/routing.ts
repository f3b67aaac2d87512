// Which source owns which finding kinds, and what each source's report covers: a subject the
// report covers and does not name again passes. Owning kinds per source is what keeps one source's
// silence from resolving another's incident. Also: which open incident a remedy action belongs to.
import type { Finding, FindingSubject } from "../checks/finding.js";
import type { ReportInput } from "../health/tracker.js";
import type { Incident } from "../health/types.js";

export const SNAPSHOT_KINDS = [
  "config.invalid", "config.missing-var", "config.shadowed-default", "env.duplicate-key", "secret.plaintext",
  "auth.missing", "auth.expiring", "cooldown.active", "state.unreadable", "openclaw.unverified-version",
] as const;
export const RUN_KINDS = ["run.empty-reply", "run.stuck", "run.failure-burst", "cooldown.storm", "model.failover"] as const;
export const PROBE_KINDS = ["auth.rejected", "probe.failed", "auth.shadowed", "probe.empty-reply"] as const;
export const REMEDY_KINDS = ["remedy.no-candidate", "remedy.failed", "remedy.conflict", "remedy.switched", "remedy.would-switch", "remedy.capped", "remedy.blocked"] as const;

const has = (kinds: readonly string[], kind: string): boolean => kinds.includes(kind);

// auth.shadowed is reported twice over: by the snapshot ("two sources hold different secrets", a
// read-time fact) and by the probe ("the runtime's key is rejected, another one works"). The static
// one is keyed apart so neither source's silence resolves the other's.
const STATIC = "|static";
const isStaticKey = (key: string): boolean => key.endsWith(STATIC);

/**
 * Lint and credential findings of one installation read. `othersKeys` are keys of snapshot kinds
 * another source reports (drift's default reach, the runs source's unreadable run files).
 */
export function snapshotReport(findings: readonly Finding[], inconclusive: ReportInput["inconclusive"], othersKeys: readonly string[], ownedElsewhere: (key: string) => boolean = () => false, unobserved?: ReportInput["unobserved"]): ReportInput {
  const others = new Set(othersKeys);
  const own = findings
    .filter((f) => has(SNAPSHOT_KINDS, f.kind) || f.kind === "auth.shadowed")
    .map((f) => (f.kind === "auth.shadowed" ? { ...f, key: f.key + STATIC } : f));
  return {
    source: "snapshot",
    findings: own,
    ...(inconclusive ? { inconclusive } : {}),
    ...(unobserved ? { unobserved } : {}),
    covers: (key, _subject, kind) => !others.has(key) && !ownedElsewhere(key) && (has(SNAPSHOT_KINDS, kind) || (kind === "auth.shadowed" && isStaticKey(key))),
  };
}

export interface ProbedRoute {
  agent: string;
  provider: string;
  credentialRole: string;
  result: { verdict: string };
}

/** A probe round: it judges the routes whose runtime credential it probed, and nothing it could not judge. */
export function probeReport(rows: readonly ProbedRoute[], findings: readonly Finding[]): ReportInput {
  const runtime = rows.filter((r) => r.credentialRole === "runtime");
  const routes = new Set(runtime.map((r) => `${r.agent}\u0000${r.provider}`));
  const covers = (key: string, subject: FindingSubject, kind: string) => has(PROBE_KINDS, kind) && !isStaticKey(key) && routes.has(`${subject.agent}\u0000${subject.provider}`);
  const inconclusive = runtime.filter((r) => r.result.verdict === "inconclusive").map((r) => ({ subject: { agent: r.agent, provider: r.provider }, kinds: PROBE_KINDS }));
  return { source: "probe", findings, covers, inconclusive };
}

/** Transcripts and the gateway log; a run file it could not read keeps its findings as they were. */
export function runsReport(findings: readonly Finding[], unreadableKeys: readonly string[]): ReportInput {
  return { source: "runs", findings, covers: [{ kinds: RUN_KINDS }, { keys: unreadableKeys }] };
}

/**
 * A comparison with OpenClaw's own `models status`: it judges the agents it compared and the
 * install-wide answer, and holds for `staleAfterMs` (it runs about once a day).
 */
export function oracleReport(findings: readonly Finding[], compared: readonly string[], staleAfterMs: number): ReportInput {
  const agents = new Set(compared);
  return {
    source: "oracle",
    findings,
    covers: (_key, subject, kind) => kind === "clawpatrol.disagrees" && (subject.agent === undefined || agents.has(subject.agent)),
    staleAfterMs,
  };
}

export function remedyReport(findings: readonly Finding[]): ReportInput {
  return { source: "remedy", findings, covers: [{ kinds: REMEDY_KINDS }] };
}

/** An audit record's `why`: the incident keys that caused it, or `recovered:<key>` for a switch back. */
export function causeKeys(why: readonly string[]): string[] {
  return why.map((w) => (w.startsWith("recovered:") ? w.slice("recovered:".length) : w));
}

/** The open incident a remedy action was taken for: same agent, and its subject among the action's causes. */
export function incidentForAction(open: readonly Incident[], record: { agent?: string; why: readonly string[] }): Incident | undefined {
  if (!record.agent) return undefined;
  const causes = new Set(causeKeys(record.why));
  return open.find((i) => i.subject.agent === record.agent && causes.has(i.subjectKey));
}
