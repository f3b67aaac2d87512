// Glue between health transitions and channels: plan (planner.ts) → render (render.ts) →
// spool to disk (spool.ts) → send per channel, in order, with exponential backoff → report
// delivery back (onNotified) so the health layer can set notifiedAt. Clock and timers are injected.
import { hostname } from "node:os";
import { join } from "node:path";
import { promises as fs } from "node:fs";
import { makeFinding, type Finding, type Severity } from "../checks/finding.js";
import type { Incident, IncidentTransition } from "../health/types.js";
import type { Clock } from "../util/clock.js";
import { writeJsonAtomic } from "../util/atomic-write.js";
import { silentLogger, type Logger } from "../util/log.js";
import { redactDeep } from "../util/secret.js";
import { ChannelConfigError } from "./credentials.js";
import { DigestSchedule } from "./digest-schedule.js";
import { Planner, emptyPlannerState, type Continuation, type Intent, type MuteFn, type PlannerState } from "./planner.js";
import { formatTime, renderMessage, sanitizeIncident } from "./render.js";
import { SentLedger, Spool, spoolIdFor, type SpoolRecord } from "./spool.js";
import { DEFAULT_POLICY, type Channel, type NotifiedEvent, type NotifyPolicy } from "./types.js";
import { SerialQueue } from "../util/serial-job.js";

/** Real timers in the daemon, a hand-stepped one (or none) in tests. */
export interface Scheduler {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  set(fn, ms) {
    const h = setTimeout(fn, ms);
    h.unref();
    return h;
  },
  clear(h) {
    clearTimeout(h as NodeJS.Timeout);
  },
};

export interface DispatcherOptions {
  channels: Channel[];
  /** clawpatrol's state dir; notify keeps `notify/{spool,dead,sent.json,state.json}` under it. */
  stateDir: string;
  clock: Clock;
  policy?: Partial<NotifyPolicy>;
  /** Host name shown in messages. Default os.hostname(). */
  host?: string;
  /** IANA zone for times in messages. Default UTC. */
  timeZone?: string;
  logger?: Logger;
  /** false: never arm timers (the caller drives `tick`). Default realScheduler. */
  scheduler?: Scheduler | false;
  /** A channel accepted a message (or an incident re-opened onto an alert already sent). */
  onNotified?: (event: NotifiedEvent) => void | Promise<void>;
  /** Operator silences and acks (asked at every planning step, so a change applies at the next tick). */
  mute?: MuteFn;
}

export interface ChannelQueueStatus {
  depth: number;
  oldestAt?: string;
  attempts: number;
  lastError?: string;
  nextAttemptAt?: string;
}

export interface SpoolStatus {
  depth: number;
  channels: Record<string, ChannelQueueStatus>;
}

interface ResolvedPolicy {
  groupWaitMs: number;
  repeatIntervalMs: number;
  resolveHoldMs: number;
  digest: { schedule: string; timezone?: string } | false;
  spoolCap: number;
  spoolMaxAgeMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  giveUpAfterMs: number;
}

export function resolvePolicy(policy: Partial<NotifyPolicy> = {}): ResolvedPolicy {
  const p = { ...DEFAULT_POLICY, ...policy };
  return {
    groupWaitMs: p.groupWait,
    repeatIntervalMs: p.repeatInterval,
    resolveHoldMs: p.resolveHold,
    digest: p.digest,
    spoolCap: p.spoolCap,
    spoolMaxAgeMs: p.spoolMaxAge,
    retryInitialMs: p.retryInitial,
    retryMaxMs: p.retryMax,
    giveUpAfterMs: p.giveUpAfter,
  };
}

interface PersistedState {
  v: 1;
  planner: PlannerState;
  /** Last moment the digest schedule was checked; a digest due while we were down is sent at start. */
  digestCheckedAt?: number;
}

export async function createDispatcher(options: DispatcherOptions): Promise<Dispatcher> {
  const d = new Dispatcher(options);
  await d.start();
  return d;
}

export class Dispatcher {
  readonly policy: ResolvedPolicy;
  readonly dir: string;
  readonly spool: Spool;
  readonly ledger: SentLedger;
  readonly planner: Planner;
  #channels = new Map<string, Channel>();
  #clock: Clock;
  #host: string;
  #tz: string;
  #log: Logger;
  /** Whether alerting was quiet at the last tick (no group waiting, nothing queued), and what the next quiet follows ("start", "reconcile" of open incidents, "alerts"). */
  #settled = false;
  #settleReason = "start";
  #scheduler: Scheduler | false;
  #onNotified: DispatcherOptions["onNotified"];
  #digest: DigestSchedule | undefined;
  #digestCheckedAt: number | undefined;
  #nextDigestAt: number | undefined;
  readonly #lock = new SerialQueue();
  #pumps = new Map<string, Promise<void>>();
  #rerun = new Set<string>();
  #timer: unknown;
  #closed = false;

  constructor(options: DispatcherOptions) {
    this.policy = resolvePolicy(options.policy);
    this.dir = join(options.stateDir, "notify");
    this.spool = new Spool(join(this.dir, "spool"), join(this.dir, "dead"));
    this.ledger = new SentLedger(join(this.dir, "sent.json"));
    for (const c of options.channels) this.#channels.set(c.name, c);
    this.#clock = options.clock;
    this.#host = options.host ?? hostname();
    this.#tz = options.timeZone ?? "UTC";
    this.#log = options.logger ?? silentLogger;
    this.#scheduler = options.scheduler ?? realScheduler;
    this.#onNotified = options.onNotified;
    if (this.policy.digest) this.#digest = new DigestSchedule(this.policy.digest.schedule, this.policy.digest.timezone);
    this.planner = new Planner(
      {
        groupWaitMs: this.policy.groupWaitMs,
        repeatIntervalMs: this.policy.repeatIntervalMs,
        resolveHoldMs: this.policy.resolveHoldMs,
        digest: this.policy.digest !== false,
      },
      (severity) => this.#route(severity),
    );
    if (options.mute) this.planner.mute = options.mute;
  }

  /** Load spool, ledger and planner state from disk; resume sending what is queued. */
  async start(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.ledger.load();
    await this.spool.load();
    for (const path of this.spool.corrupt) this.#log.warn({ path }, "unreadable alert spool file moved to the dead-letter directory");
    for (const record of this.spool.records()) {
      if (!this.#channels.has(record.channel)) {
        const where = await this.spool.bury(record);
        this.#log.warn({ channel: record.channel, id: record.id, movedTo: where }, "queued alert for a channel that is no longer configured was set aside");
      }
    }
    const state = await this.#loadState();
    if (state) {
      this.planner.state = state.planner;
      this.#digestCheckedAt = state.digestCheckedAt;
    }
    this.#digestCheckedAt ??= this.#clock.now();
    if (this.spool.depth()) this.#log.info({ queued: this.spool.depth() }, "resuming queued alerts");
    await this.tick();
  }

  /** Feed every incident transition from the health layer. */
  async onTransition(t: IncidentTransition): Promise<void> {
    const continued = await this.#serial(async () => {
      // Nothing unredacted is kept, not even in the planner's state file.
      const c = this.planner.apply({ ...t, incident: sanitizeIncident(t.incident) });
      await this.#saveState();
      return c;
    });
    await this.#reportContinuations(continued);
    await this.tick();
  }

  /**
   * After a restart, hand over every incident the health layer holds open: unknown ones are adopted
   * (already-notified ones are not re-sent), tracked ones no longer open are treated as resolved.
   */
  async reconcile(open: Incident[], options: { forgotten?: boolean } = {}): Promise<void> {
    const continued = await this.#serial(async () => {
      const c = this.planner.reconcile(open.map(sanitizeIncident), this.#clock.now(), options);
      this.#settled = false;
      this.#settleReason = "reconcile";
      await this.#saveState();
      return c;
    });
    await this.#reportContinuations(continued);
    await this.tick();
  }

  /** Do everything due now: flush groups, reminders, resolves, digest; then send what is queued. */
  async tick(now: number = this.#clock.now()): Promise<void> {
    if (this.#closed) return;
    await this.#serial(async () => {
      const intents = this.planner.advance(now);
      const digest = this.#digestDue(now);
      if (digest) intents.push(digest);
      for (const intent of intents) await this.#enqueue(intent, now);
      await this.#saveState();
    });
    await this.#pumpAll(now);
    this.#arm();
    this.#logSettled();
  }

  /** One debug line each time alerting goes quiet: what tests and operators wait for instead of a fixed sleep. */
  #logSettled(): void {
    const settled = this.planner.state.groups.length === 0 && this.spool.depth() === 0;
    if (settled && !this.#settled) {
      this.#log.debug({ since: this.#settleReason }, "alerts settled: no group waiting, nothing queued");
      this.#settleReason = "alerts";
    }
    this.#settled = settled;
  }

  /** Messages waiting in the spool (all channels). */
  spoolDepth(): number {
    return this.spool.depth();
  }

  spoolStatus(): SpoolStatus {
    const channels: Record<string, ChannelQueueStatus> = {};
    for (const name of new Set([...this.#channels.keys(), ...this.spool.channels()])) {
      const records = this.spool.records(name);
      const head = records[0];
      const status: ChannelQueueStatus = { depth: records.length, attempts: head?.attempts ?? 0 };
      if (head) {
        status.oldestAt = new Date(head.createdAt).toISOString();
        if (head.lastError) status.lastError = head.lastError;
        if (head.attempts) status.nextAttemptAt = new Date(head.nextAttemptAt).toISOString();
      }
      channels[name] = status;
    }
    return { depth: this.spool.depth(), channels };
  }

  /** `alert.spool-backlog` when the spool holds more than spoolCap messages or one older than spoolMaxAge. */
  backlogFindings(now: number = this.#clock.now()): Finding[] {
    const depth = this.spool.depth();
    const records = this.spool.records();
    const oldest = records.reduce<number | undefined>((m, r) => (m === undefined || r.createdAt < m ? r.createdAt : m), undefined);
    const tooMany = depth > this.policy.spoolCap;
    const tooOld = oldest !== undefined && now - oldest > this.policy.spoolMaxAgeMs;
    if (!tooMany && !tooOld) return [];
    const stuck = this.spool
      .channels()
      .map((c) => ({ c, head: this.spool.head(c), depth: this.spool.depth(c) }))
      .filter((x) => x.head)
      .sort((a, b) => a.head!.createdAt - b.head!.createdAt)[0]!;
    const since = formatTime(stuck.head!.createdAt, this.#tz);
    const summary =
      `${depth} alert message${depth === 1 ? "" : "s"} waiting to be sent` +
      ` — channel "${stuck.c}" has not accepted one since ${since}${stuck.head!.lastError ? ` (${stuck.head!.lastError})` : ""}`;
    return [
      makeFinding({
        kind: "alert.spool-backlog",
        severity: "warning",
        summary,
        detail: `clawpatrol test-alert --channel ${stuck.c}`,
        evidence: { depth, cap: this.policy.spoolCap, spool: this.spool.dir, channels: this.spoolStatus().channels },
        at: now,
      }),
    ];
  }

  /** Stop timers, let in-flight sends finish, close channel connections, save state. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined && this.#scheduler) this.#scheduler.clear(this.#timer);
    this.#timer = undefined;
    await Promise.allSettled([...this.#pumps.values()]);
    await this.#serial(() => this.#saveState());
    this.#digest?.close();
    for (const c of this.#channels.values()) await c.close?.().catch(() => undefined);
  }

  // ——— planning → spool ———

  #route(severity: Severity): string[] {
    return [...this.#channels.values()].filter((c) => c.severities.includes(severity)).map((c) => c.name);
  }

  #digestDue(now: number): Intent | undefined {
    if (!this.#digest) return undefined;
    // A scheduled minute M is due once, at the first check with lastCheck < M <= now.
    if (this.#nextDigestAt === undefined) this.#nextDigestAt = this.#digest.nextAfter(this.#digestCheckedAt ?? now);
    this.#digestCheckedAt = now;
    if (this.#nextDigestAt === undefined || this.#nextDigestAt > now) return undefined;
    this.#nextDigestAt = this.#digest.nextAfter(now);
    return this.planner.takeDigest(now);
  }

  async #enqueue(intent: Intent, now: number): Promise<void> {
    const message = redactDeep(
      renderMessage({
        type: intent.type,
        host: this.#host,
        incidents: intent.incidents,
        suppressed: intent.suppressed,
        createdAt: intent.at,
        threadId: intent.threadId,
        leaderId: intent.leaderId,
        reminder: intent.reminder,
        ...(intent.escalated ? { escalated: true } : {}),
        ...(intent.acted ? { acted: true } : {}),
        timeZone: this.#tz,
      }),
    );
    for (const name of intent.channels) {
      const channel = this.#channels.get(name);
      if (!channel) continue;
      if (intent.type === "resolved" && !channel.sendResolved) continue;
      const id = spoolIdFor(message, name);
      if (this.ledger.has(id) || this.spool.has(id)) {
        this.#log.debug({ id }, "alert already sent or queued; not queued again");
        continue;
      }
      await this.spool.add(name, message, now);
    }
  }

  // ——— spool → channels ———

  async #pumpAll(now: number): Promise<void> {
    await Promise.all(this.spool.channels().map((c) => this.#pump(c, now)));
  }

  /** One sender per channel; a second caller waits for it and makes it look again. */
  #pump(name: string, now: number): Promise<void> {
    const running = this.#pumps.get(name);
    if (running) {
      this.#rerun.add(name);
      return running;
    }
    const run = (async () => {
      try {
        do {
          this.#rerun.delete(name);
          await this.#drain(name, Math.max(now, this.#clock.now()));
        } while (this.#rerun.has(name) && !this.#closed);
      } finally {
        this.#pumps.delete(name);
      }
    })();
    this.#pumps.set(name, run);
    return run;
  }

  async #drain(name: string, now: number): Promise<void> {
    const channel = this.#channels.get(name);
    if (!channel) return;
    for (let record = this.spool.head(name); record && !this.#closed; record = this.spool.head(name)) {
      if (this.ledger.has(record.id)) {
        await this.spool.remove(record);
        continue;
      }
      if (now - record.createdAt > this.policy.giveUpAfterMs) {
        const where = await this.spool.bury(record);
        this.#log.error({ channel: name, id: record.id, attempts: record.attempts, lastError: record.lastError, movedTo: where }, "gave up on an alert after retrying too long");
        continue;
      }
      if (record.nextAttemptAt > now) return;
      if (!(await this.#attempt(channel, record, now))) return;
    }
  }

  async #attempt(channel: Channel, record: SpoolRecord, now: number): Promise<boolean> {
    try {
      const result = await channel.send(record.message);
      const at = Math.max(now, this.#clock.now());
      await this.ledger.add(record.id, at);
      await this.spool.remove(record);
      this.#log.info({ channel: channel.name, id: record.id, attempts: record.attempts + 1, response: result.response }, "alert delivered");
      await this.#notify({
        messageId: record.id,
        type: record.message.type,
        channel: channel.name,
        incidentIds: record.message.incidents.map((i) => i.id),
        at,
      });
      return true;
    } catch (err) {
      record.attempts += 1;
      record.lastAttemptAt = now;
      record.lastError = (err as Error).message || String(err);
      record.nextAttemptAt = now + this.#backoff(record.attempts);
      await this.spool.update(record).catch((e: unknown) => this.#log.error({ err: String(e) }, "cannot update the alert spool"));
      this.#log.warn(
        { channel: channel.name, id: record.id, attempts: record.attempts, error: record.lastError, retryAt: new Date(record.nextAttemptAt).toISOString() },
        "alert not accepted; will retry",
      );
      return false;
    }
  }

  #backoff(attempts: number): number {
    return Math.min(this.policy.retryMaxMs, this.policy.retryInitialMs * 2 ** Math.min(attempts - 1, 30));
  }

  async #notify(event: NotifiedEvent): Promise<void> {
    if (!this.#onNotified) return;
    try {
      await this.#onNotified(event);
    } catch (err) {
      this.#log.error({ err: String(err) }, "onNotified hook failed");
    }
  }

  async #reportContinuations(list: Continuation[]): Promise<void> {
    for (const c of list) {
      await this.#notify({ messageId: `${c.threadId}:firing:0`, type: "firing", channel: "(continued)", incidentIds: [c.incidentId], at: c.at });
    }
  }

  // ——— timers and state ———

  #arm(): void {
    if (!this.#scheduler || this.#closed) return;
    if (this.#timer !== undefined) this.#scheduler.clear(this.#timer);
    this.#timer = undefined;
    const times: number[] = [];
    const plan = this.planner.nextDueAt();
    if (plan !== undefined) times.push(plan);
    if (this.#digest) {
      if (this.#nextDigestAt !== undefined) times.push(this.#nextDigestAt);
    }
    for (const c of this.spool.channels()) {
      const head = this.spool.head(c);
      if (head && this.#channels.has(c)) times.push(head.nextAttemptAt);
    }
    if (!times.length) return;
    const delay = Math.min(Math.max(0, Math.min(...times) - this.#clock.now()), 3_600_000);
    this.#timer = this.#scheduler.set(() => {
      this.#timer = undefined;
      this.tick().catch((err: unknown) => this.#log.error({ err: String(err) }, "alert tick failed"));
    }, delay);
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.#lock.run(fn);
  }

  async #loadState(): Promise<PersistedState | undefined> {
    const path = join(this.dir, "state.json");
    let text: string;
    try {
      text = await fs.readFile(path, "utf8");
    } catch {
      return undefined;
    }
    try {
      const s = JSON.parse(text) as PersistedState;
      if (s.v !== 1 || !s.planner || typeof s.planner.tracked !== "object" || !Array.isArray(s.planner.groups)) throw new Error("shape");
      return s;
    } catch {
      await fs.rename(path, `${path}.corrupt`).catch(() => undefined);
      this.#log.warn({ path }, "alert planner state unreadable; starting fresh (open incidents are re-adopted via reconcile)");
      return { v: 1, planner: emptyPlannerState() };
    }
  }

  async #saveState(): Promise<void> {
    const state: PersistedState = { v: 1, planner: this.planner.state };
    if (this.#digestCheckedAt !== undefined) state.digestCheckedAt = this.#digestCheckedAt;
    await writeJsonAtomic(join(this.dir, "state.json"), state);
  }
}

/**
 * What a NotifiedEvent means for one incident, as a patch for the health layer
 * (`tracker.markNotified(id, patch)`). notifiedAt / resolveNotifiedAt keep the first channel's time.
 */
export function notifiedPatch(
  event: NotifiedEvent,
  current?: Pick<Incident, "notifiedAt" | "resolveNotifiedAt">,
): Partial<Pick<Incident, "notifiedAt" | "lastReminderAt" | "resolveNotifiedAt">> | undefined {
  const at = new Date(event.at).toISOString();
  if (event.type === "firing") return current?.notifiedAt ? undefined : { notifiedAt: at };
  if (event.type === "reminder") return { lastReminderAt: at };
  if (event.type === "resolved") return current?.resolveNotifiedAt ? undefined : { resolveNotifiedAt: at };
  return undefined;
}
