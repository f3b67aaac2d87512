// Runs the probes on cron schedules: auth matrix (default every 2 minutes), gateway liveness
// (every 15 s, a 6-field second expression) and the opt-in end-to-end turn. A round of one kind
// never overlaps the previous round of that kind; a shared limiter keeps the per-route
// single-flight and the global/per-provider caps across rounds; each round starts after a random
// jitter so many installations do not hit a provider in step.
import { setTimeout as sleepFor } from "node:timers/promises";
import cron from "node-cron";
import type { Finding } from "../checks/finding.js";
import type { Installation } from "../openclaw/types.js";
import { systemClock, type Clock } from "../util/clock.js";
import type { Exec } from "../util/exec.js";
import { E2EGate, e2eFindings, runE2ETurn, type E2EResult } from "./e2e.js";
import { gatewayFindings, probeGateway, type GatewayProbeResult } from "./gateway.js";
import { probeFindings } from "./findings.js";
import type { FetchLike } from "./http.js";
import { ProbeLimiter } from "./limiter.js";
import { runProbeMatrix, type ProbeMatrixOptions } from "./matrix.js";
import type { ProbeMatrix } from "./types.js";

export interface CronHandle {
  stop(): void;
}
/** Injected in tests; defaults to node-cron. */
export type CronSchedule = (expression: string, fn: () => void) => CronHandle;

/** Where node-cron's own lines go (the daemon's pino logger), instead of its coloured console output. */
export interface CronLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** node-cron's Logger, speaking through ours: "[NODE-CRON] [WARN] missed execution …" becomes one JSON line. */
export function cronLogger(log: CronLog) {
  const text = (m: unknown) => (m instanceof Error ? m.message : String(m));
  const fields = (err?: unknown) => ({ lib: "node-cron", ...(err !== undefined && err !== "" ? { err: text(err) } : {}) });
  return {
    info: (m: string) => log.debug(fields(), m),
    debug: (m: string | Error, err?: unknown) => log.debug(fields(err), text(m)),
    warn: (m: string) => log.warn(fields(), m),
    error: (m: string | Error, err?: unknown) => log.error(fields(err), text(m)),
  };
}

/** node-cron; with no log, its lines go nowhere (never to the console, where they break the JSON log). */
export function nodeCronSchedule(log?: CronLog): CronSchedule {
  const logger = log ? cronLogger(log) : { info() {}, warn() {}, error() {}, debug() {} };
  return (expression, fn) => {
    const task = cron.schedule(expression, () => fn(), { noOverlap: false, logger });
    return { stop: () => void task.stop() };
  };
}

export interface ProbeSchedulerOptions {
  /** Fresh snapshot per round (the daemon's current Installation). */
  load: () => Installation | Promise<Installation>;
  authCron?: string;
  gatewayCron?: string;
  /** null/undefined = end-to-end turns off (the default: each costs ~19k prompt tokens). */
  e2eCron?: string | null;
  e2eIntervalMs?: number;
  e2eVia?: "http" | "cli";
  /** Random delay before each auth/e2e round, ms (default 10 000; gateway rounds get none). */
  jitterMs?: number;
  matrix?: Omit<ProbeMatrixOptions, "limiter" | "now" | "fetch" | "agent" | "provider">;
  gatewayTimeoutMs?: number;
  clock?: Clock;
  fetch?: FetchLike;
  exec?: Exec;
  openclawBin?: string;
  openclawEnv?: NodeJS.ProcessEnv;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  schedule?: CronSchedule;
  /** node-cron's own warnings (a missed execution on a busy machine) are logged here. */
  cronLog?: CronLog;
  onAuth?: (matrix: ProbeMatrix, findings: Finding[]) => void | Promise<void>;
  onGateway?: (result: GatewayProbeResult, findings: Finding[]) => void | Promise<void>;
  onE2E?: (results: E2EResult[], findings: Finding[]) => void | Promise<void>;
  onError?: (what: "auth" | "gateway" | "e2e", err: unknown) => void;
}

export const DEFAULT_AUTH_CRON = "*/2 * * * *";
export const DEFAULT_GATEWAY_CRON = "*/15 * * * * *";

export function assertCron(expression: string, option: string): void {
  if (!cron.validate(expression)) {
    throw new Error(`${option}: "${expression}" is not a cron expression (e.g. "*/2 * * * *", or "*/15 * * * * *" with seconds)`);
  }
}

export class ProbeScheduler {
  readonly limiter: ProbeLimiter;
  readonly gate: E2EGate;
  readonly #o: ProbeSchedulerOptions;
  readonly #clock: Clock;
  readonly #handles: CronHandle[] = [];
  readonly #running = new Map<string, Promise<void>>();
  #stopped = false;
  #abort = new AbortController();

  constructor(options: ProbeSchedulerOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.limiter = new ProbeLimiter(options.matrix ?? {});
    this.gate = new E2EGate(options.e2eIntervalMs);
    assertCron(options.authCron ?? DEFAULT_AUTH_CRON, "probe.authCron");
    assertCron(options.gatewayCron ?? DEFAULT_GATEWAY_CRON, "probe.gatewayCron");
    if (options.e2eCron) assertCron(options.e2eCron, "probe.e2eCron");
  }

  start(): void {
    this.#stopped = false;
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    const schedule = this.#o.schedule ?? nodeCronSchedule(this.#o.cronLog);
    this.#handles.push(schedule(this.#o.authCron ?? DEFAULT_AUTH_CRON, () => void this.runAuth({ jitter: true })));
    this.#handles.push(schedule(this.#o.gatewayCron ?? DEFAULT_GATEWAY_CRON, () => void this.runGateway()));
    if (this.#o.e2eCron) this.#handles.push(schedule(this.#o.e2eCron, () => void this.runE2E({ jitter: true })));
  }

  /** Stop scheduling and wait for rounds in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    for (const h of this.#handles.splice(0)) h.stop();
    await Promise.allSettled([...this.#running.values()]);
  }

  /** Is a round of this kind running now? */
  busy(kind: "auth" | "gateway" | "e2e"): boolean {
    return this.#running.has(kind);
  }

  runAuth(opts: { jitter?: boolean } = {}): Promise<void> {
    return this.#once("auth", opts.jitter === true, async () => {
      const inst = await this.#o.load();
      const matrix = await runProbeMatrix(inst, {
        ...(this.#o.matrix ?? {}),
        limiter: this.limiter,
        signal: this.#abort.signal,
        now: () => this.#clock.now(),
        ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}),
      });
      await this.#o.onAuth?.(matrix, probeFindings(matrix, this.#clock.now()));
    });
  }

  runGateway(): Promise<void> {
    return this.#once("gateway", false, async () => {
      const inst = await this.#o.load();
      const result = await probeGateway(inst.gateway, { timeoutMs: this.#o.gatewayTimeoutMs ?? 5000, now: () => this.#clock.now() });
      await this.#o.onGateway?.(result, gatewayFindings(result, this.#clock.now()));
    });
  }

  runE2E(opts: { jitter?: boolean } = {}): Promise<void> {
    return this.#once("e2e", opts.jitter === true, async () => {
      const inst = await this.#o.load();
      const results: E2EResult[] = [];
      for (const agent of inst.agents) {
        if (this.#stopped) break;
        if (!this.gate.due(agent.id, this.#clock.now())) continue;
        this.gate.mark(agent.id, this.#clock.now());
        results.push(
          await runE2ETurn(agent.id, {
            via: this.#o.e2eVia ?? "http",
            gateway: inst.gateway,
            now: () => this.#clock.now(),
            ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}),
            ...(this.#o.exec ? { exec: this.#o.exec } : {}),
            ...(this.#o.openclawBin ? { openclawBin: this.#o.openclawBin } : {}),
            ...(this.#o.openclawEnv ? { env: this.#o.openclawEnv } : {}),
          }),
        );
      }
      if (results.length) await this.#o.onE2E?.(results, e2eFindings(results, this.#clock.now()));
    });
  }

  #once(kind: "auth" | "gateway" | "e2e", jitter: boolean, round: () => Promise<void>): Promise<void> {
    const running = this.#running.get(kind);
    if (running) return running; // never two rounds of one kind at once
    const p = (async () => {
      try {
        if (jitter) {
          const ms = Math.floor((this.#o.random ?? Math.random)() * (this.#o.jitterMs ?? 10_000));
          const signal = this.#abort.signal;
          if (ms > 0) await (this.#o.sleep ?? ((d) => sleepFor(d, undefined, { signal }).catch(() => undefined)))(ms);
        }
        if (this.#stopped && jitter) return;
        await round();
      } catch (err) {
        this.#o.onError?.(kind, err);
      } finally {
        this.#running.delete(kind);
      }
    })();
    this.#running.set(kind, p);
    return p;
  }
}
