// What clawpatrol's own switches must not be reported back as: lint about the model an agent was
// moved to (held until it is back), and lint that only OpenClaw's collateral changes brought about
// (2026.9.6 sets agents.defaults.model.primary on the first `config set`, which makes every agent
// with its own model "shadow" that default).
import type { Finding } from "../checks/finding.js";
import type { Coverage } from "../health/tracker.js";
import { causedByCollateral } from "../remedy/collateral.js";
import type { ActiveFallback } from "../remedy/types.js";

/** Lint about an agent's own model: not judged while clawpatrol has the agent on a fallback. */
const AGENT_MODEL_KINDS: string[] = ["config.shadowed-default"];

export function withoutOwnChanges(findings: readonly Finding[], active: readonly ActiveFallback[]): { findings: Finding[]; inconclusive: Coverage[] } {
  const collateral = active.flatMap((a) => (a.collateral ?? []).map((c) => c.path));
  const moved = new Set(active.map((a) => a.agent));
  return {
    findings: findings.filter((f) => !causedByCollateral(f.kind, collateral) && !(AGENT_MODEL_KINDS.includes(f.kind) && f.subject.agent !== undefined && moved.has(f.subject.agent))),
    inconclusive: [...moved].map((agent) => ({ subject: { agent }, kinds: AGENT_MODEL_KINDS })),
  };
}
