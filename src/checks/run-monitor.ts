// Windowed state behind the run and cooldown checks. Ingests transcript records, session states,
// gateway log events and OpenClaw's usage state; answers `findings(now)`. No I/O, no clock:
// time comes in. Memory is bounded: every list and map has a cap and old entries age out.
import type { Finding } from "./finding.js";
import type { LogEvent, RunRecord, SessionState, UsageState } from "../openclaw/types.js";
import { logSignal } from "../openclaw/gateway-log.js";
import { isEmptyFinishedTurn, isSilentOnPurpose, isVisibleReply } from "../openclaw/transcripts.js";
import {
  checkRuns, failureReasonOf, DEFAULT_RUN_OPTIONS,
  type RunCheckOptions, type EmptyReplyObs, type FailureObs, type RetryObs, type SuccessObs,
} from "./runs.js";
import { checkCooldown, providerOfUsage, DEFAULT_COOLDOWN_OPTIONS, type CooldownOptions, type CooldownWindowObs } from "./cooldown.js";
import { checkFailovers, DEFAULT_FAILOVER_OPTIONS, type FailoverObs, type FailoverOptions } from "./failover.js";
import { failoverOf } from "../openclaw/failover-log.js";

export interface RunMonitorOptions extends RunCheckOptions, CooldownOptions, FailoverOptions {
  /** Cap per observation list (empties, failures, retries, windows). */
  maxEvents: number;
  /** Cap on tracked sessions / run ids / session models. */
  maxSessions: number;
}

export const DEFAULT_MONITOR_OPTIONS: RunMonitorOptions = { ...DEFAULT_RUN_OPTIONS, ...DEFAULT_COOLDOWN_OPTIONS, ...DEFAULT_FAILOVER_OPTIONS, maxEvents: 2000, maxSessions: 5000 };

/** A Map that forgets its oldest entry past a cap. */
class BoundedMap<K, V> extends Map<K, V> {
  readonly cap: number;
  constructor(cap: number) {
    super();
    this.cap = cap;
  }
  override set(key: K, value: V): this {
    if (this.has(key)) this.delete(key);
    super.set(key, value);
    while (this.size > this.cap) this.delete(this.keys().next().value as K);
    return this;
  }
}

const FAILOVER_REASONS: Record<string, FailureObsReason> = {
  auth: "auth", auth_permanent: "auth", auth_invalid_token: "auth", billing: "billing", rate_limit: "rate_limit",
};
type FailureObsReason = FailureObs["reason"];

/** Run ids the JSONL follower derives from a transcript turn (`turn:<session>:<user entry>`). */
const isTurnId = (id: string): boolean => id.startsWith("turn:");
const TURN_JOIN_MS = 10 * 60_000;

export class RunMonitor {
  options: RunMonitorOptions;
  #empties: EmptyReplyObs[] = [];
  #failures: FailureObs[] = [];
  #retries: RetryObs[] = [];
  #windows: CooldownWindowObs[] = [];
  #failovers: FailoverObs[] = [];
  #successes: BoundedMap<string, SuccessObs>;
  #sessions: BoundedMap<string, SessionState>;
  #runAgent: BoundedMap<string, string>;
  #sessionAgent: BoundedMap<string, string>;
  #sessionModel: BoundedMap<string, { provider?: string; model?: string }>;
  #sessionProgress: BoundedMap<string, number>;
  #messageToolRuns: BoundedMap<string, true>;
  #emptyRuns: BoundedMap<string, true>;
  #usage: UsageState[] = [];
  #usageSeen: BoundedMap<string, { until: number; lastFailureAt: number }>;

  constructor(options: Partial<RunMonitorOptions> = {}) {
    this.options = { ...DEFAULT_MONITOR_OPTIONS, ...options, stuckAfterMsByAgent: { ...DEFAULT_MONITOR_OPTIONS.stuckAfterMsByAgent, ...options.stuckAfterMsByAgent } };
    const cap = this.options.maxSessions;
    this.#successes = new BoundedMap(cap);
    this.#sessions = new BoundedMap(cap);
    this.#runAgent = new BoundedMap(cap);
    this.#sessionAgent = new BoundedMap(cap);
    this.#sessionModel = new BoundedMap(cap);
    this.#sessionProgress = new BoundedMap(cap);
    this.#messageToolRuns = new BoundedMap(cap);
    this.#emptyRuns = new BoundedMap(cap);
    this.#usageSeen = new BoundedMap(cap);
  }

  /** New thresholds (a config reload); what was seen so far stays, and so do the capacity caps. */
  retune(options: Partial<RunMonitorOptions>): void {
    const { maxSessions, maxEvents } = this.options;
    this.options = { ...this.options, ...options, maxSessions, maxEvents, stuckAfterMsByAgent: { ...DEFAULT_MONITOR_OPTIONS.stuckAfterMsByAgent, ...options.stuckAfterMsByAgent } };
  }

  /** Sizes, for the status file and for tests of the memory bounds. */
  get sizes(): Record<string, number> {
    return {
      empties: this.#empties.length, failures: this.#failures.length, retries: this.#retries.length, windows: this.#windows.length,
      successes: this.#successes.size, sessions: this.#sessions.size, runs: this.#runAgent.size,
    };
  }

  /** Sessions whose latest known state is `running` (a gateway restart must never cut one off). */
  activeRuns(): number {
    let n = 0;
    for (const s of this.#sessions.values()) if (s.status === "running") n++;
    return n;
  }

  #push<T extends { at: number }>(list: T[], item: T): void {
    list.push(item);
    if (list.length > this.options.maxEvents) list.splice(0, list.length - this.options.maxEvents);
  }

  ingestRecords(records: RunRecord[]): void {
    for (const r of records) this.#ingestRecord(r);
  }

  #ingestRecord(r: RunRecord): void {
    this.#sessionAgent.set(r.sessionId, r.agent);
    if (Number.isFinite(r.at)) this.#sessionProgress.set(r.sessionId, Math.max(this.#sessionProgress.get(r.sessionId) ?? 0, r.at));
    if (r.runId) this.#runAgent.set(r.runId, r.agent);
    if (r.role === "other") {
      if (r.provider) this.#sessionModel.set(r.sessionId, { provider: r.provider, ...(r.model ? { model: r.model } : {}) });
      return;
    }
    if (r.role !== "assistant") return;
    const known = this.#sessionModel.get(r.sessionId);
    const provider = r.provider ?? known?.provider;
    const model = r.model ?? known?.model;
    if (r.usedMessageTool && r.runId) this.#messageToolRuns.set(r.runId, true);
    if (isVisibleReply(r) || isSilentOnPurpose(r)) {
      if (provider) this.#successes.set(`${r.agent}|${provider}`, { at: r.at, agent: r.agent, provider });
      // A later visible answer in the same run (9.x visible-answer continuation) means the run delivered.
      if (r.runId) this.#empties = this.#empties.filter((e) => e.runId !== r.runId);
      return;
    }
    if (!isEmptyFinishedTurn(r)) return;
    if (r.runId && this.#messageToolRuns.has(r.runId)) return;
    if (r.stopReason === "error" && provider) {
      const reason = failureReasonOf(r.errorMessage);
      if (reason) this.#push(this.#failures, { at: r.at, agent: r.agent, provider, reason, source: "transcript", ...(model ? { model } : {}), ...(r.runId ? { runId: r.runId } : {}), ...(r.errorMessage ? { error: r.errorMessage } : {}) });
    }
    this.#addEmpty({
      at: r.at, agent: r.agent, source: "transcript", sessionId: r.sessionId, hasThinking: r.hasThinking,
      ...(provider ? { provider } : {}), ...(model ? { model } : {}), ...(r.sessionKey ? { sessionKey: r.sessionKey } : {}),
      ...(r.runId ? { runId: r.runId } : {}), ...(r.stopReason ? { stopReason: r.stopReason } : {}), ...(r.errorMessage ? { errorMessage: r.errorMessage } : {}),
    });
  }

  #addEmpty(e: EmptyReplyObs): void {
    if (e.runId) {
      // JSONL eras: the transcript knows the turn, the log knows the run id; same session, near in time = same run.
      const existing = this.#empties.find((x) => x.runId === e.runId) ??
        this.#empties.find((x) => x.sessionId !== undefined && x.sessionId === e.sessionId && x.runId !== undefined && (isTurnId(x.runId) !== isTurnId(e.runId!)) && Math.abs(x.at - e.at) <= TURN_JOIN_MS);
      if (existing) {
        // The same run reported twice (retry continuation, or log + transcript): keep one, fill gaps.
        existing.agent ??= e.agent;
        existing.provider ??= e.provider;
        existing.model ??= e.model;
        existing.errorMessage ??= e.errorMessage;
        existing.stopReason ??= e.stopReason;
        existing.sessionKey ??= e.sessionKey;
        return;
      }
      this.#emptyRuns.set(e.runId, true);
    }
    this.#push(this.#empties, e);
  }

  /** Session states from a follower poll. Only running sessions are kept. */
  ingestSessions(sessions: SessionState[]): void {
    for (const s of sessions) {
      const key = `${s.agent}|${s.sessionKey}`;
      this.#sessionAgent.set(s.sessionId, s.agent);
      if (s.status === "running") this.#sessions.set(key, s);
      else this.#sessions.delete(key);
    }
  }

  /** Gateway log events. `receivedAt` stands in for lines without a timestamp. */
  ingestLogEvents(events: LogEvent[], receivedAt: number): void {
    for (const e of events) {
      const failover = failoverOf(e);
      if (failover) this.#push(this.#failovers, { ...failover, at: Number.isFinite(failover.at) ? failover.at : receivedAt });
      const sig = logSignal(e);
      if (!sig) continue;
      const at = Number.isFinite(sig.at) ? sig.at : receivedAt;
      switch (sig.type) {
        case "run-failure": {
          const reason = (sig.reason && FAILOVER_REASONS[sig.reason]) ?? failureReasonOf(sig.error);
          if (!reason || !sig.provider) break;
          const agent = sig.agent ?? (sig.runId ? this.#runAgent.get(sig.runId) : undefined);
          this.#push(this.#failures, { at, provider: sig.provider, reason, source: "log-run", ...(agent ? { agent } : {}), ...(sig.model ? { model: sig.model } : {}), ...(sig.runId ? { runId: sig.runId } : {}), ...(sig.error ? { error: sig.error } : {}) });
          break;
        }
        case "fetch-failure": {
          const reason = failureReasonOf(undefined, sig.status);
          if (reason) this.#push(this.#failures, { at, provider: sig.provider, reason, status: sig.status, source: "log-fetch", ...(sig.model ? { model: sig.model } : {}) });
          break;
        }
        case "cooldown-window": {
          if (sig.reused || !sig.provider) break;
          const agent = sig.agent ?? (sig.runId ? this.#runAgent.get(sig.runId) : undefined);
          this.#push(this.#windows, { at, provider: sig.provider, source: "log", ...(agent ? { agent } : {}), ...(sig.profile ? { profile: sig.profile } : {}), ...(sig.reason ? { reason: sig.reason } : {}), ...(sig.windowType ? { windowType: sig.windowType } : {}), ...(sig.until ? { until: sig.until } : {}) });
          break;
        }
        case "empty-reply": {
          if (sig.runId && this.#messageToolRuns.has(sig.runId)) break;
          const agent = sig.agent ?? (sig.runId ? this.#runAgent.get(sig.runId) : undefined) ?? (sig.sessionId ? this.#sessionAgent.get(sig.sessionId) : undefined);
          // "empty response detected … retrying" is an attempt, not a verdict: only count it once per run like the others.
          this.#addEmpty({ at, source: "log", signature: sig.signature, ...(agent ? { agent } : {}), ...(sig.provider ? { provider: sig.provider } : {}), ...(sig.model ? { model: sig.model } : {}), ...(sig.runId ? { runId: sig.runId } : {}), ...(sig.sessionId ? { sessionId: sig.sessionId } : {}) });
          break;
        }
        case "retry":
          this.#push(this.#retries, { at, ...(sig.provider ? { provider: sig.provider } : {}), ...(sig.model ? { model: sig.model } : {}), ...(sig.agent ? { agent: sig.agent } : {}) });
          break;
        default:
          break;
      }
    }
  }

  /** OpenClaw's usage state (Installation.usage). New cooldown windows are recorded for re-entry detection. */
  ingestUsage(usage: UsageState[], at: number): void {
    this.#usage = usage;
    for (const u of usage) {
      const key = `${u.agent ?? ""}|${u.source}|${u.profileId}`;
      const until = Math.max(u.cooldownUntil ?? 0, u.disabledUntil ?? 0, u.blockedUntil ?? 0);
      const lastFailureAt = u.lastFailureAt ?? 0;
      const prev = this.#usageSeen.get(key);
      this.#usageSeen.set(key, { until, lastFailureAt });
      if (until === 0) continue;
      const isNew = prev ? until > prev.until && lastFailureAt !== prev.lastFailureAt && prev.until <= (lastFailureAt || at) : true;
      if (!isNew) continue;
      const started = lastFailureAt || at;
      this.#push(this.#windows, {
        at: started, provider: providerOfUsage(u), profile: u.profileId, source: "usage", until,
        ...(u.agent ? { agent: u.agent } : {}),
        ...((u.disabledReason ?? u.cooldownReason) ? { reason: u.disabledReason ?? u.cooldownReason } : {}),
        windowType: u.disabledUntil && u.disabledUntil >= until ? "disabled" : "cooldown",
      });
    }
  }

  /** Drop what no check can look at any more. */
  #expire(now: number): void {
    const o = this.options;
    const keep = Math.max(o.emptyReplyWindowMs, o.burstWindowMs, o.reentryWindowMs, o.retryGraceMs, o.failoverWindowMs);
    const fresh = <T extends { at: number }>(l: T[]) => l.filter((x) => now - x.at <= keep);
    this.#empties = fresh(this.#empties);
    this.#failures = fresh(this.#failures);
    this.#retries = fresh(this.#retries);
    this.#windows = fresh(this.#windows);
    this.#failovers = fresh(this.#failovers);
  }

  findings(now: number): Finding[] {
    this.#expire(now);
    const sessions = [...this.#sessions.values()].map((s) => {
      const m = this.#sessionModel.get(s.sessionId);
      const progress = this.#sessionProgress.get(s.sessionId);
      return {
        ...s,
        ...(s.provider || !m?.provider ? {} : { provider: m.provider }),
        ...(s.model || !m?.model ? {} : { model: m.model }),
        ...(progress !== undefined && progress > (s.lastProgressAt ?? -Infinity) ? { lastProgressAt: progress } : {}),
      };
    });
    const window = { empties: this.#empties, failures: this.#failures, retries: this.#retries, successes: [...this.#successes.values()], sessions };
    // The decision line has no agent id; the run's transcript (read first) says whose run it was.
    const failovers = this.#failovers.map((f) => {
      const agent = f.agent ?? (f.runId ? this.#runAgent.get(f.runId) : undefined) ?? (f.sessionId ? this.#sessionAgent.get(f.sessionId) : undefined);
      return agent ? { ...f, agent } : f;
    });
    return [...checkRuns(window, now, this.options), ...checkCooldown(this.#usage, this.#windows, now, this.options), ...checkFailovers(failovers, now, this.options)];
  }
}
