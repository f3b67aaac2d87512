// Findings that repeat per agent, summarised: past a threshold, one finding per kind and severity
// with the count and a few examples ("43,505 agents pin their own model") instead of one line per
// agent. `check`, the daemon (so status and alerts) and the digest see the same summary. Pure.
import { makeFinding, type Finding } from "./finding.js";

/** More agents than this with the same kind and severity are summarised. */
export const REPEAT_THRESHOLD = 20;
const EXAMPLES = 3;

/** What the agents have in common, as a phrase after "N agents …". */
const PHRASES: Record<string, string> = {
  "config.shadowed-default": "pin their own model (agents.defaults.model does not reach them)",
  "auth.shadowed": "have a credential that beats another configured one for the same provider",
  "auth.missing": "have no credential for a provider their model needs",
  "auth.expiring": "have a credential that expires soon",
  "secret.plaintext": "hold a key in plain text",
  "config.missing-var": "use a ${VAR} that is not set",
  "clawpatrol.disagrees": "are read differently by clawpatrol than by OpenClaw's own `models status`",
};

export function summarizeRepeats(findings: readonly Finding[], threshold = REPEAT_THRESHOLD): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.subject.agent === undefined) continue;
    const k = `${f.kind}\u0000${f.severity}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(f);
  }
  const summarised = new Set<Finding>();
  const out: Finding[] = [];
  for (const g of groups.values()) {
    const agents = [...new Set(g.map((f) => f.subject.agent!))].sort();
    if (agents.length <= threshold) continue;
    for (const f of g) summarised.add(f);
    const first = g.find((f) => f.subject.agent === agents[0]) ?? g[0]!;
    const phrase = PHRASES[first.kind] ?? `share this ${first.kind} finding`;
    const named = agents.slice(0, EXAMPLES);
    const examples = g.filter((f) => named.includes(f.subject.agent!)).slice(0, EXAMPLES);
    const summary = `${agents.length.toLocaleString("en-US")} agents ${phrase} — e.g. ${named.join(", ")}${agents.length > EXAMPLES ? ", …" : ""}`;
    const summaryFinding = makeFinding({
      kind: first.kind,
      severity: first.severity,
      summary,
      ...(first.detail !== undefined ? { detail: `For ${first.subject.agent}: ${first.detail} (the same applies to each of the ${agents.length.toLocaleString("en-US")} agents)` } : {}),
      evidence: { agents: agents.length, examples: examples.map((f) => f.summary) },
      at: Date.parse(first.observedAt),
    });
    // Keyed by kind and severity only: the summary stays one incident while the count moves.
    summaryFinding.key = `${first.kind}|agents=*|${first.severity}`;
    out.push(summaryFinding);
  }
  if (!summarised.size) return [...findings];
  return [...findings.filter((f) => !summarised.has(f)), ...out];
}
