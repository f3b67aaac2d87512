// Run detectors: the empty bubble (`run.empty-reply`), runs that never end or hold a queue
// (`run.stuck`) and bursts of auth / rate-limit failures on one route (`run.failure-burst`).
// Pure: a window of observations and `now` in, findings out. Resolution is built in: a visible
// reply on the same agent + provider after a problem clears that problem.
import { makeFinding, type Finding } from "./finding.js";
import type { SessionState } from "../openclaw/types.js";
import { redactDeep, redactText } from "../util/secret.js";

export interface RunCheckOptions {
  /** A run active this long without transcript progress is stuck. */
  stuckAfterMs: number;
  stuckAfterMsByAgent: Record<string, number>;
  /** Messages queued behind a run active this long make it stuck regardless of progress. */
  queuedAfterMs: number;
  /** `transient same-model retry` lines this recent mean the run is working through rate limits. */
  retryGraceMs: number;
  burstThreshold: number;
  burstWindowMs: number;
  /** How long an unresolved empty reply stays a finding. */
  emptyReplyWindowMs: number;
}

export const DEFAULT_RUN_OPTIONS: RunCheckOptions = {
  stuckAfterMs: 5 * 60_000,
  stuckAfterMsByAgent: {},
  queuedAfterMs: 60_000,
  retryGraceMs: 3 * 60_000,
  burstThreshold: 3,
  burstWindowMs: 10 * 60_000,
  emptyReplyWindowMs: 60 * 60_000,
};

export interface EmptyReplyObs {
  at: number;
  agent?: string;
  provider?: string;
  model?: string;
  sessionKey?: string;
  sessionId?: string;
  runId?: string;
  stopReason?: string;
  /** Redacted. */
  errorMessage?: string;
  hasThinking?: boolean;
  source: "transcript" | "log";
  /** Log signature that reported it, when from the log. */
  signature?: string;
}

export type FailureReason = "auth" | "billing" | "rate_limit";

export interface FailureObs {
  at: number;
  agent?: string;
  provider: string;
  model?: string;
  runId?: string;
  reason: FailureReason;
  status?: number;
  /** Redacted. */
  error?: string;
  source: "transcript" | "log-run" | "log-fetch";
}

export interface RetryObs {
  at: number;
  provider?: string;
  model?: string;
  agent?: string;
}

export interface SuccessObs {
  at: number;
  agent: string;
  provider: string;
}

export interface RunWindow {
  empties: EmptyReplyObs[];
  failures: FailureObs[];
  retries: RetryObs[];
  successes: SuccessObs[];
  /** Running sessions (others are irrelevant to these checks). */
  sessions: SessionState[];
}

/** Classify a provider error text as a burst-worthy failure (auth, billing, rate limit), else null. */
export function failureReasonOf(text: string | undefined, status?: number): FailureReason | null {
  if (status === 401 || status === 403) return "auth";
  if (status === 402) return "billing";
  if (status === 429) return "rate_limit";
  if (!text) return null;
  if (/\b(401|403)\b|unauthori[sz]ed|forbidden|invalid[_ ]api[_ ]key|incorrect api key|authentication|missing authentication|auth_permanent|\bauth\b|user not found|revoked/i.test(text)) return "auth";
  if (/\b402\b|billing|insufficient (credits|funds|balance)|payment required|credit/i.test(text)) return "billing";
  if (/\b429\b|rate.?limit|too many requests|quota|resource.?exhausted/i.test(text)) return "rate_limit";
  return null;
}

/** Latest success time per "agent|provider" and per "|provider" (any agent). */
function successIndex(successes: SuccessObs[]): Map<string, number> {
  const idx = new Map<string, number>();
  const bump = (k: string, at: number) => idx.set(k, Math.max(idx.get(k) ?? -Infinity, at));
  for (const s of successes) {
    bump(`${s.agent}|${s.provider}`, s.at);
    bump(`|${s.provider}`, s.at);
    bump(`${s.agent}|`, s.at);
  }
  return idx;
}

function resolved(idx: Map<string, number>, agent: string | undefined, provider: string | undefined, at: number): boolean {
  const key = `${agent ?? ""}|${provider ?? ""}`;
  return (idx.get(key) ?? -Infinity) > at;
}

/** As the config and `openclaw models status` name it: `openrouter/auto`, not `openrouter/openrouter/auto`. */
function routeLabel(provider?: string, model?: string): string {
  if (!provider) return "unknown model";
  if (!model) return provider;
  return model.toLowerCase().startsWith(`${provider.toLowerCase()}/`) ? model : `${provider}/${model}`;
}

const at = (ms: number) => new Date(ms).toISOString();

export function checkEmptyReplies(w: RunWindow, now: number, opts: RunCheckOptions = DEFAULT_RUN_OPTIONS): Finding[] {
  const idx = successIndex(w.successes);
  const groups = new Map<string, EmptyReplyObs[]>();
  for (const e of w.empties) {
    if (now - e.at > opts.emptyReplyWindowMs || e.at > now) continue;
    if (resolved(idx, e.agent, e.provider, e.at)) continue;
    const k = `${e.agent ?? ""}|${e.provider ?? ""}|${e.model ?? ""}`;
    const list = groups.get(k) ?? [];
    list.push(e);
    groups.set(k, list);
  }
  const out: Finding[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => a.at - b.at);
    const last = list[list.length - 1]!;
    const runs = new Set(list.map((e) => e.runId ?? `${e.source}:${e.at}`));
    const error = [...list].reverse().find((e) => e.errorMessage)?.errorMessage;
    const subject = { ...(last.agent ? { agent: last.agent } : {}), ...(last.provider ? { provider: last.provider } : {}), ...(last.model ? { model: last.model } : {}) };
    const who = last.agent ? `Agent "${last.agent}"` : "An agent";
    const why = error ? `: ${error.slice(0, 160)}` : last.hasThinking ? " (only thinking, no text)" : last.stopReason ? ` (stopReason=${last.stopReason})` : "";
    const evidence: Record<string, unknown> = {
      runs: runs.size,
      lastAt: at(last.at),
      firstAt: at(list[0]!.at),
      source: last.source,
    };
    if (last.stopReason) evidence.stopReason = last.stopReason;
    if (error) evidence.errorMessage = error;
    if (last.sessionKey) evidence.sessionKey = last.sessionKey;
    if (last.sessionId) evidence.sessionId = last.sessionId;
    if (last.runId) evidence.runId = last.runId;
    if (last.signature) evidence.logSignature = last.signature;
    if (last.provider) evidence.provider = last.provider;
    if (last.model) evidence.model = last.model;
    out.push(
      makeFinding({
        kind: "run.empty-reply",
        severity: last.stopReason === "error" || runs.size > 1 ? "critical" : "warning",
        subject,
        summary: last.provider
          ? `${who} answered with an empty reply on ${routeLabel(last.provider, last.model)}${runs.size > 1 ? ` (${runs.size} runs)` : ""}${why}`
          : `${who} ended ${runs.size > 1 ? `${runs.size} runs` : "a run"} without a reply${why}`,
        detail: error
          ? `The user got no answer because the ${last.provider ? "provider call" : "run"} failed. Fix the cause above (\`clawpatrol check\` shows the route's credential and model); this clears on the next visible reply.`
          : "The model returned no visible text, so the user saw an empty bubble. If it repeats, switch the agent to another model; this clears on the next visible reply.",
        evidence,
        at: now,
      }),
    );
  }
  return out;
}

export function checkStuckRuns(w: RunWindow, now: number, opts: RunCheckOptions = DEFAULT_RUN_OPTIONS): Finding[] {
  const groups = new Map<string, { s: SessionState; reason: string; started: number; progress: number }[]>();
  for (const s of w.sessions) {
    if (s.status !== "running") continue;
    const started = s.startedAt ?? s.updatedAt;
    if (started === undefined) continue;
    const threshold = opts.stuckAfterMsByAgent[s.agent] ?? opts.stuckAfterMs;
    const progress = Math.max(started, s.lastProgressAt ?? -Infinity);
    let reason: string | null = null;
    if (s.queued > 0 && now - started >= opts.queuedAfterMs) reason = "queued";
    else if (now - started >= threshold && now - progress >= threshold) reason = "no-progress";
    if (!reason) continue;
    // Rate-limit retries keep a healthy run alive for minutes (one 429 chain took 149 s in 9.6).
    const retrying = w.retries.some(
      (r) => now - r.at <= opts.retryGraceMs && r.at <= now && (!r.agent || r.agent === s.agent) && (!s.provider || !r.provider || r.provider === s.provider),
    );
    if (retrying && reason === "no-progress") continue;
    const k = `${s.agent}|${s.provider ?? ""}|${s.model ?? ""}`;
    const list = groups.get(k) ?? [];
    list.push({ s, reason, started, progress });
    groups.set(k, list);
  }
  const out: Finding[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => a.started - b.started);
    const first = list[0]!;
    const { s } = first;
    const queued = list.reduce((n, x) => n + x.s.queued, 0);
    const mins = Math.round((now - first.started) / 60_000);
    const subject = { agent: s.agent, ...(s.provider ? { provider: s.provider } : {}), ...(s.model ? { model: s.model } : {}) };
    out.push(
      makeFinding({
        kind: "run.stuck",
        severity: "critical",
        subject,
        summary:
          queued > 0
            ? `Agent "${s.agent}" has ${queued} message(s) queued behind a run active for ${mins} min`
            : `Agent "${s.agent}" has a run active for ${mins} min with no progress${s.provider ? ` on ${routeLabel(s.provider, s.model)}` : ""}`,
        detail: `New messages to this session wait behind the run. Abort it from the chat with /stop (or /new for a fresh session), or restart the gateway: \`openclaw gateway restart\`.`,
        evidence: {
          sessionKey: s.sessionKey,
          sessionId: s.sessionId,
          startedAt: at(first.started),
          lastProgressAt: at(first.progress),
          queued,
          reason: first.reason,
          sessions: list.map((x) => ({ sessionKey: x.s.sessionKey, startedAt: at(x.started), lastProgressAt: at(x.progress), queued: x.s.queued, reason: x.reason })),
        },
        at: now,
      }),
    );
  }
  return out;
}

/** Distinct failures: one per run id; a fetch failure with no run id counts unless a run failure on the same provider is near it. */
export function distinctFailures(failures: FailureObs[], nearMs = 180_000): FailureObs[] {
  const byRun = new Map<string, FailureObs>();
  const loose: FailureObs[] = [];
  for (const f of failures) {
    if (f.runId) {
      const prev = byRun.get(f.runId);
      byRun.set(f.runId, prev ? { ...prev, agent: prev.agent ?? f.agent, model: prev.model ?? f.model, status: prev.status ?? f.status, error: prev.error ?? f.error } : f);
    } else loose.push(f);
  }
  const runs = [...byRun.values()];
  const retained = loose.filter((f) => !runs.some((r) => r.provider === f.provider && Math.abs(r.at - f.at) <= nearMs));
  return [...runs, ...retained];
}

export function checkFailureBursts(w: RunWindow, now: number, opts: RunCheckOptions = DEFAULT_RUN_OPTIONS): Finding[] {
  const idx = successIndex(w.successes);
  const recent = distinctFailures(w.failures.filter((f) => now - f.at <= opts.burstWindowMs && f.at <= now + 1000));
  const groups = new Map<string, FailureObs[]>();
  for (const f of recent) {
    if (resolved(idx, f.agent, f.provider, f.at)) continue;
    const k = `${f.agent ?? ""}|${f.provider}`;
    const list = groups.get(k) ?? [];
    list.push(f);
    groups.set(k, list);
  }
  const out: Finding[] = [];
  for (const list of groups.values()) {
    if (list.length < opts.burstThreshold) continue;
    list.sort((a, b) => a.at - b.at);
    const last = list[list.length - 1]!;
    const reasons: Record<string, number> = {};
    for (const f of list) reasons[f.reason] = (reasons[f.reason] ?? 0) + 1;
    const statuses = [...new Set(list.map((f) => f.status).filter((s): s is number => s !== undefined))];
    const main = Object.entries(reasons).sort((a, b) => b[1] - a[1])[0]![0];
    const who = last.agent ? `agent "${last.agent}" on provider "${last.provider}"` : `provider "${last.provider}"`;
    const bypass = last.provider === "openrouter" || last.provider === "kilocode";
    out.push(
      makeFinding({
        kind: "run.failure-burst",
        severity: "critical",
        subject: { ...(last.agent ? { agent: last.agent } : {}), provider: last.provider },
        summary: `${list.length} ${main.replace("_", "-")} failures for ${who} in the last ${Math.round(opts.burstWindowMs / 60_000)} min`,
        detail:
          (main === "auth"
            ? "The provider rejects the credential this route uses. Check which credential wins (`clawpatrol check`), then fix or replace it."
            : main === "billing"
              ? "The provider refuses for billing/credits. Top up the account or switch the agent to another provider."
              : "The provider is rate-limiting this route. Lower the load or add a fallback model.") +
          (bypass ? ` OpenClaw never puts ${last.provider} profiles in cooldown, so these failures repeat on every message.` : ""),
        evidence: {
          count: list.length,
          reasons,
          ...(statuses.length ? { statuses } : {}),
          firstAt: at(list[0]!.at),
          lastAt: at(last.at),
          windowMs: opts.burstWindowMs,
          ...(last.error ? { lastError: last.error } : {}),
          ...(last.model ? { model: last.model } : {}),
          sources: [...new Set(list.map((f) => f.source))],
        },
        at: now,
      }),
    );
  }
  return out;
}

/** Last line of defence: error texts come from providers, so scrub every finding once more. */
export function scrubFinding(f: Finding): Finding {
  const out: Finding = { ...f, summary: redactText(f.summary) };
  if (f.detail !== undefined) out.detail = redactText(f.detail);
  if (f.evidence !== undefined) out.evidence = redactDeep(f.evidence);
  return out;
}

export function checkRuns(w: RunWindow, now: number, opts: RunCheckOptions = DEFAULT_RUN_OPTIONS): Finding[] {
  return [...checkEmptyReplies(w, now, opts), ...checkStuckRuns(w, now, opts), ...checkFailureBursts(w, now, opts)].map(scrubFinding);
}
