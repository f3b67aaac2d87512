// sd_notify for a Node daemon. Node cannot write to systemd's AF_UNIX/SOCK_DGRAM NOTIFY_SOCKET,
// so we run /usr/bin/systemd-notify (the unit sets NotifyAccess=all, because systemd credits the
// message to that child). Default blocking mode: systemd-notify waits on BARRIER=1 until PID 1
// has read the message, so attribution works. At most one child runs at a time; STATUS updates
// coalesce, a WATCHDOG ping is dropped while another one is pending, and nothing ever throws.
import { execFile } from "node:child_process";
import type { Exec, ExecResult } from "../util/exec.js";
import { childEnv } from "../util/exec.js";
import { systemClock, type Clock } from "../util/clock.js";
import type { Logger } from "../util/log.js";

export interface NotifierOptions {
  /** Environment carrying NOTIFY_SOCKET / WATCHDOG_USEC / WATCHDOG_PID; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Runs systemd-notify. Must pass options.env through untouched (the default does). */
  exec?: Exec;
  /** Default /usr/bin/systemd-notify (override: CLAWPATROL_SYSTEMD_NOTIFY). */
  bin?: string;
  timeoutMs?: number;
  clock?: Clock;
  log?: Logger;
  /** Our pid, compared with WATCHDOG_PID; default process.pid. */
  pid?: number;
}

type Kind = "state" | "status" | "watchdog";
interface Message { assignments: Map<string, string>; }

/** execFile that keeps NOTIFY_SOCKET: the one child that must see it. */
const notifyExec: Exec = (file, args, options = {}) =>
  new Promise<ExecResult>((resolve) => {
    execFile(file, [...args], { env: options.env, timeout: options.timeoutMs ?? 5000, encoding: "utf8" }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const err = error as NodeJS.ErrnoException & { killed?: boolean };
      resolve({
        code: typeof err.code === "number" ? err.code : 127,
        stdout: stdout ?? "",
        stderr: stderr ?? "",
        error: err.killed ? `timed out after ${options.timeoutMs ?? 5000} ms` : String(err.code ?? err.message),
      });
    });
  });

export function oneLine(text: string, max = 200): string {
  const line = text.replace(/[\r\n]+/g, " ").replace(/\s+/g, " ").trim();
  return line.length > max ? line.slice(0, max - 1) + "…" : line;
}

export class Notifier {
  readonly enabled: boolean;
  /** Half of WATCHDOG_USEC in ms; null when systemd runs no watchdog for us. */
  readonly watchdogIntervalMs: number | null;
  /** Counters for the status file and tests. */
  readonly stats = { sent: 0, failed: 0, watchdogSent: 0, watchdogSkippedStalled: 0, watchdogDroppedBusy: 0 };

  readonly #env: NodeJS.ProcessEnv;
  readonly #exec: Exec;
  readonly #bin: string;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #log: Logger | undefined;
  readonly #queue: Message[] = [];
  #inFlight: Message | null = null;
  #idle: (() => void)[] = [];
  #lastTickAt: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: NotifierOptions = {}) {
    const env = options.env ?? process.env;
    const socket = env.NOTIFY_SOCKET;
    this.enabled = Boolean(socket);
    // Only the environment systemd-notify needs: the socket, plus PATH/locale for the binary.
    this.#env = { ...childEnv(env), ...(socket ? { NOTIFY_SOCKET: socket } : {}) };
    this.#exec = options.exec ?? notifyExec;
    this.#bin = options.bin ?? env.CLAWPATROL_SYSTEMD_NOTIFY ?? "/usr/bin/systemd-notify";
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log;
    this.#lastTickAt = this.#clock.now();
    const usec = Number(env.WATCHDOG_USEC);
    const pid = options.pid ?? process.pid;
    const forUs = !env.WATCHDOG_PID || Number(env.WATCHDOG_PID) === pid;
    this.watchdogIntervalMs = this.enabled && forUs && Number.isFinite(usec) && usec > 0 ? Math.max(1, Math.floor(usec / 2000)) : null;
  }

  /** The daemon calls this every time its main loop runs; the watchdog certifies only that. */
  loopTick(): void {
    this.#lastTickAt = this.#clock.now();
  }

  get lastTickAt(): number {
    return this.#lastTickAt;
  }

  /** Starts the WATCHDOG=1 timer (when systemd asked for one). Unref'd: never keeps the process alive. */
  start(): void {
    if (this.watchdogIntervalMs === null || this.#timer) return;
    this.#timer = setInterval(() => this.watchdogTick(), this.watchdogIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One watchdog decision: ping only if the loop ticked within the last interval. */
  watchdogTick(): boolean {
    if (this.watchdogIntervalMs === null) return false;
    const age = this.#clock.now() - this.#lastTickAt;
    if (age > this.watchdogIntervalMs) {
      this.stats.watchdogSkippedStalled++;
      this.#log?.warn({ lastTickAgeMs: age }, "main loop made no progress; withholding the systemd watchdog ping");
      return false;
    }
    return this.#enqueue("watchdog", [["WATCHDOG", "1"]]);
  }

  ready(status?: string): void {
    this.#enqueue("state", [["READY", "1"], ...(status !== undefined ? [["STATUS", oneLine(status)] as [string, string]] : [])]);
  }

  status(text: string): void {
    this.#enqueue("status", [["STATUS", oneLine(text)]]);
  }

  reloading(): void {
    this.#enqueue("state", [["RELOADING", "1"]]);
  }

  /** Sends STOPPING=1 and stops the watchdog; await it on shutdown (bounded by the timeout). */
  async stopping(status?: string): Promise<void> {
    this.stop();
    this.#enqueue("state", [["STOPPING", "1"], ...(status !== undefined ? [["STATUS", oneLine(status)] as [string, string]] : [])]);
    await this.flush();
  }

  /** Resolves when nothing is queued or running. */
  flush(): Promise<void> {
    if (!this.#inFlight && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #enqueue(kind: Kind, pairs: [string, string][]): boolean {
    if (!this.enabled) return false;
    const last = this.#queue[this.#queue.length - 1];
    if (kind === "watchdog") {
      const pending = [this.#inFlight, ...this.#queue].some((m) => m?.assignments.has("WATCHDOG"));
      if (pending) {
        this.stats.watchdogDroppedBusy++;
        return false;
      }
      if (last) {
        last.assignments.set("WATCHDOG", "1");
        return true;
      }
    }
    if (kind === "status" && last) {
      last.assignments.set("STATUS", pairs[0]![1]);
      return true;
    }
    this.#queue.push({ assignments: new Map(pairs) });
    this.#pump();
    return true;
  }

  #pump(): void {
    if (this.#inFlight) return;
    const next = this.#queue.shift();
    if (!next) {
      const waiters = this.#idle;
      this.#idle = [];
      for (const w of waiters) w();
      return;
    }
    this.#inFlight = next;
    const args = [...next.assignments].map(([k, v]) => `${k}=${v}`);
    void this.#exec(this.#bin, args, { env: this.#env, timeoutMs: this.#timeoutMs })
      .then((result) => {
        if (result.code === 0) {
          this.stats.sent++;
          if (next.assignments.has("WATCHDOG")) this.stats.watchdogSent++;
        } else {
          this.stats.failed++;
          this.#log?.warn({ args, code: result.code, error: result.error, stderr: result.stderr.trim() }, "systemd-notify failed");
        }
      }, (err: unknown) => {
        this.stats.failed++;
        this.#log?.warn({ args, error: String(err) }, "systemd-notify failed");
      })
      .finally(() => {
        this.#inFlight = null;
        this.#pump();
      });
  }
}
