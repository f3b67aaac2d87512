// model.failover: OpenClaw itself fell back from the model a run asked for to another one — the
// "tell me when it silently falls back (maybe to a paid profile)" notice. Pure: observations and
// time in, findings out. One finding per agent × original model while failovers keep happening
// within the window; it clears once none has happened for a whole window.
import { makeFinding, type Finding } from "./finding.js";
import type { OpenClawFailover } from "../openclaw/failover-log.js";
import { parseModelRef } from "../openclaw/routes.js";

export interface FailoverOptions {
  failoverWindowMs: number;
}

export const DEFAULT_FAILOVER_OPTIONS: FailoverOptions = { failoverWindowMs: 60 * 60_000 };

export type FailoverObs = OpenClawFailover & { agent?: string };

function count<T extends string>(values: T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

export function checkFailovers(obs: readonly FailoverObs[], now: number, options: FailoverOptions = DEFAULT_FAILOVER_OPTIONS): Finding[] {
  const recent = obs.filter((o) => Number.isFinite(o.at) && now - o.at <= options.failoverWindowMs && o.at <= now);
  const groups = new Map<string, FailoverObs[]>();
  for (const o of recent) {
    const key = `${o.agent ?? ""}\u0000${o.from}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const findings: Finding[] = [];
  for (const list of groups.values()) {
    const first = list[0]!;
    const last = list.reduce((a, b) => (b.at > a.at ? b : a));
    const parsed = parseModelRef(first.from);
    const provider = parsed?.provider ?? "";
    const model = parsed?.model ?? first.from;
    const to = count(list.map((o) => o.to));
    const reasons = count(list.map((o) => o.reason ?? "unknown"));
    const toText = Object.keys(to).join(", ");
    const times = list.length === 1 ? "once" : `${list.length}×`;
    const who = first.agent ? `agent ${first.agent}` : "a run";
    const minutes = Math.round(options.failoverWindowMs / 60_000);
    findings.push(
      makeFinding({
        kind: "model.failover",
        severity: "warning",
        subject: { ...(first.agent ? { agent: first.agent } : {}), provider, model },
        summary: `OpenClaw fell back from ${first.from} to ${toText} for ${who} (${times} in the last ${minutes} min; ${Object.keys(reasons).join(", ")})`,
        detail: `The model the run asked for failed and OpenClaw answered with a configured fallback, which may bill another provider or profile. Find out why ${first.from} fails: ${first.agent ? `clawpatrol explain --agent ${first.agent}` : "clawpatrol explain"}`,
        evidence: { from: first.from, to, reasons, count: list.length, lastAt: new Date(last.at).toISOString(), source: "gateway log (model_fallback_decision)" },
        at: last.at,
      }),
    );
  }
  return findings;
}
