// remedy-state.json lost: replay the audit journal (audit.jsonl, appended and fsync'd at every step)
// into the state it implies — active fallbacks with their originals, switch times for the daily caps,
// gateway restarts for the budget, and a switch that started without a result (recovered at start).
import { emptyState, type AuditRecord, type ConfigValue, type RemedyState } from "./types.js";

function refOf(value: ConfigValue | undefined): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && !Array.isArray(value) && typeof (value as { primary?: unknown }).primary === "string") return (value as { primary: string }).primary;
  return "";
}

const APPLIED = new Set(["ok", "applied"]);

/** Pure: the remedy state the journal's records (oldest first) leave behind. */
export function remedyStateFromAudit(records: readonly AuditRecord[]): RemedyState {
  const state = emptyState();
  const open = new Map<string, AuditRecord>();
  for (const r of records) {
    if (r.dryRun || r.phase === "dry-run") continue;
    const at = Date.parse(r.at);
    if (r.phase === "intent") {
      if (r.op === "fallback" && r.agent) (state.switches[r.agent] ??= []).push(at);
      if (r.op === "gateway-restart") state.gatewayRestarts.push(at);
      if (r.op === "fallback" || r.op === "restore") open.set(r.opId, r);
      continue;
    }
    if (r.op === "rollback") continue;
    open.delete(r.opId);
    if (!r.agent || !r.result || !APPLIED.has(r.result)) continue;
    if (r.op === "fallback") {
      const earlier = state.active[r.agent];
      const collateral = [...(earlier?.collateral ?? []), ...(r.collateral ?? [])];
      state.active[r.agent] = {
        agent: r.agent,
        path: r.path ?? "",
        original: earlier?.original ?? r.before ?? null,
        applied: r.after ?? null,
        originalRef: earlier?.originalRef ?? refOf(r.before),
        appliedRef: refOf(r.after),
        appliedAt: at,
        opId: r.opId,
        why: r.why,
        ...(collateral.length ? { collateral } : {}),
      };
    } else if (r.op === "restore") {
      delete state.active[r.agent];
    }
  }
  // A switch whose process died mid-way: hand it to recover(), which reads the config to decide.
  const interrupted = [...open.values()].pop();
  if (interrupted?.agent && interrupted.path && (interrupted.op === "fallback" || interrupted.op === "restore")) {
    const earlier = state.active[interrupted.agent];
    state.pending = {
      opId: interrupted.opId,
      op: interrupted.op,
      who: interrupted.who,
      agent: interrupted.agent,
      path: interrupted.path,
      before: interrupted.before ?? null,
      after: interrupted.after ?? null,
      originalRef: interrupted.op === "fallback" ? refOf(interrupted.before) : refOf(interrupted.after),
      appliedRef: interrupted.op === "fallback" ? refOf(interrupted.after) : refOf(interrupted.before),
      why: interrupted.why,
      startedAt: Date.parse(interrupted.at),
      ...(interrupted.op === "fallback" && earlier ? { keepOriginal: { original: earlier.original, originalRef: earlier.originalRef, appliedAt: earlier.appliedAt } } : {}),
    };
  }
  return state;
}
