// Probe matrix → findings. Pure: matrix and `now` in, findings out.
//  - the runtime's credential rejected → auth.rejected (critical)
//  - …and another configured credential works → also auth.shadowed (critical), the line that
//    explains "probe passes, every real call 401s"
//  - billing / model not listed → probe.failed (critical); timeout, 429, network, 5xx → probe.failed
//    (info, verdict inconclusive: never flips a route on its own)
// Missing and expired credentials are the static auth checks' findings (auth.missing/auth.expiring).
import { makeFinding, type Finding } from "../checks/finding.js";
import { describeCredential, explainGroup, groupRows, shortFingerprint, workingAlternative, type RouteGroup } from "./explain.js";
import type { ProbeMatrix, ProbeRow } from "./types.js";

function rowEvidence(row: ProbeRow): Record<string, unknown> {
  const r = row.result;
  const ev: Record<string, unknown> = {
    status: r.status,
    verdict: r.verdict,
    reason: r.reason,
    credential: row.credential ? { id: row.credential.id, source: row.credential.source.label, fingerprint: row.credential.fingerprint } : null,
    baseUrl: row.baseUrl,
    models: row.models,
  };
  if (r.httpStatus !== undefined) ev.httpStatus = r.httpStatus;
  if (r.latencyMs !== undefined) ev.latencyMs = r.latencyMs;
  if (r.snippet !== undefined) ev.snippet = r.snippet;
  if (r.request !== undefined) ev.request = r.request;
  if (r.retryAfterSeconds !== undefined) ev.retryAfterSeconds = r.retryAfterSeconds;
  return ev;
}

function fixFor(g: RouteGroup, rt: ProbeRow, alt: ProbeRow | undefined): string {
  const src = rt.credential?.source;
  const with_ = alt ? ` with the working key (${shortFingerprint(alt.credential?.fingerprint ?? null)})` : " with a valid key";
  if (src?.kind === "profile" && src.profileId) {
    return `Replace the stored key${with_}: openclaw models auth paste-api-key --agent ${g.agent} --provider ${g.provider} --profile-id ${src.profileId} (reads the key from stdin), then openclaw gateway restart.`;
  }
  if (src?.kind === "env" && src.envVar) return `Update ${src.envVar}${src.file ? ` in ${src.file}` : ""}${with_}, then openclaw gateway restart.`;
  if (src?.kind === "config") return `Update models.providers.${g.provider}.apiKey${src.file ? ` in ${src.file}` : ""}${with_}.`;
  return `Replace ${src?.label ?? "the credential"}${with_}.`;
}

export function probeFindings(matrix: ProbeMatrix, now: number): Finding[] {
  const out: Finding[] = [];
  for (const g of groupRows(matrix.rows)) {
    const rt = g.runtime;
    if (!rt) continue;
    const r = rt.result;
    const subject = {
      agent: g.agent,
      provider: g.provider,
      ...(rt.credential?.source.profileId ? { profile: rt.credential.source.profileId } : {}),
    };
    const summary = explainGroup(g);
    const alt = workingAlternative(g);
    const evidence = {
      ...rowEvidence(rt),
      others: g.others.map((o) => ({ credential: describeCredential(o.credential), status: o.result.status, verdict: o.result.verdict, reason: o.result.reason })),
    };
    if (r.status === "auth") {
      out.push(makeFinding({ kind: "auth.rejected", severity: "critical", subject, summary, detail: fixFor(g, rt, alt), evidence, at: now }));
      if (alt) {
        out.push(
          makeFinding({
            kind: "auth.shadowed",
            severity: "critical",
            subject: { agent: g.agent, provider: g.provider },
            summary,
            detail: fixFor(g, rt, alt),
            evidence: { ...evidence, working: rowEvidence(alt) },
            at: now,
          }),
        );
      }
      continue;
    }
    if (r.status === "ok" || r.status === "missing" || r.status === "expired" || r.status === "unsupported") continue;
    const fail = r.verdict === "fail";
    out.push(
      makeFinding({
        kind: "probe.failed",
        severity: fail ? "critical" : "info",
        subject,
        summary,
        detail:
          r.status === "billing"
            ? `Add credit or raise the key's limit at the provider, or move ${g.agent} to another provider.`
            : r.status === "no_model"
              ? `Pick a model the provider lists (openclaw models list --provider ${g.provider}) for ${g.agent}.`
              : "Inconclusive on its own: clawpatrol probes again on the next round.",
        evidence: { ...evidence, reason: r.status, message: r.reason },
        at: now,
      }),
    );
  }
  return out;
}
