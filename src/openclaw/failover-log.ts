// OpenClaw's own model failover, as its gateway log records it. Verified on 2026.9.6 with the real
// CLI (scripts/capture-failover-log.ts → test/fixtures/runs/oc-2026.9.6/failover.log): every
// candidate in the fallback chain gets a WARN line from subsystem "model-fallback/decision" with
// event "model_fallback_decision". When a configured fallback answers after the requested model
// failed, the line has decision "candidate_succeeded", requestedProvider/requestedModel = the
// model the run asked for, candidateProvider/candidateModel = the one that answered, and
// fallbackStepFromFailureReason (auth, rate_limit, billing, format, …). The line carries no agent
// id: runId / sessionId link it to the agent's transcript.
//
// 2026.9.6 does not bundle a Prometheus exporter: `diagnostics-prometheus` is an external plugin
// (catalog entry clawhub:/npm @openclaw/diagnostics-prometheus; its docs list
// openclaw_model_failover_total{from_model,from_provider,lane,reason,suspended,to_model,to_provider}).
// A stock 2026.9.6 gateway answers GET /api/diagnostics/prometheus with 404 even with a valid token
// (checked by scripts/capture-failover-log.ts), so the log is the signal every install has.
import type { LogEvent } from "./types.js";

export const FAILOVER_EVENT = "model_fallback_decision";

export interface OpenClawFailover {
  at: number;
  /** "provider/model" the run asked for (normally the agent's primary). */
  from: string;
  /** "provider/model" that answered instead. */
  to: string;
  /** Why `from` failed, in OpenClaw's words (auth, rate_limit, billing, timeout, format, …). */
  reason?: string;
  runId?: string;
  sessionId?: string;
  agent?: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A failover OpenClaw completed (a different model answered), or null for every other line. */
export function failoverOf(e: LogEvent): OpenClawFailover | null {
  if (e.event !== FAILOVER_EVENT) return null;
  const f = e.fields;
  if (f.decision !== "candidate_succeeded") return null;
  const fromProvider = str(f.requestedProvider);
  const fromModel = str(f.requestedModel);
  const toProvider = str(f.candidateProvider);
  const toModel = str(f.candidateModel);
  if (!fromProvider || !fromModel || !toProvider || !toModel) return null;
  const from = `${fromProvider}/${fromModel}`;
  const to = `${toProvider}/${toModel}`;
  if (from === to) return null;
  const reason = str(f.fallbackStepFromFailureReason) ?? str(f.reason);
  const runId = str(f.runId);
  const sessionId = str(f.sessionId);
  return { at: e.at, from, to, ...(reason ? { reason } : {}), ...(runId ? { runId } : {}), ...(sessionId ? { sessionId } : {}), ...(e.agent ? { agent: e.agent } : {}) };
}
