// Glue for the run monitor: one transcript follower per agent, one gateway-log follower, one
// RunMonitor. The daemon calls `poll()` when chokidar reports a change under `watchPaths()` and on a
// timer; `clawpatrol check` uses `runFindingSource` (reads from scratch within `--since`).
import { join } from "node:path";
import type { Installation } from "../openclaw/types.js";
import { makeFinding, type Finding } from "../checks/finding.js";
import { RunMonitor, type RunMonitorOptions } from "../checks/run-monitor.js";
import { logLocation, lineOfInterest, type LogLocation } from "../openclaw/gateway-log.js";
import { CursorStore } from "./cursor-store.js";
import { LogFollower } from "./log-follower.js";
import { AgentTranscriptFollower } from "./transcript-follower.js";
import { agentDbFiles, sessionsDirOf } from "../openclaw/agent-files.js";
import { SerialQueue } from "../util/serial-job.js";

export interface RunWatcherOptions {
  /** Cursor file in clawpatrol's state dir; null = memory only. */
  cursorPath: string | null;
  startAt?: "end" | "start";
  since?: number;
  monitor?: Partial<RunMonitorOptions>;
  /** Override where the gateway log is (tests, unusual tmpdir). */
  logLocation?: LogLocation;
  now?: () => number;
  /** Parse only log lines carrying a known signature (default true; false parses every line). */
  prefilter?: boolean;
}

export interface RunPollResult {
  records: number;
  logEvents: number;
  sessions: number;
  problems: string[];
}

export function logLocationOf(inst: Installation, env: NodeJS.ProcessEnv = process.env): LogLocation {
  return logLocation({ logFile: inst.gateway.logFile, ...(inst.paths.profile ? { profile: inst.paths.profile } : {}), ...(env.TMPDIR ? { tmp: env.TMPDIR } : {}) });
}

export class RunWatcher {
  readonly monitor: RunMonitor;
  readonly cursors: CursorStore;
  readonly log: LogFollower;
  readonly location: LogLocation;
  #transcripts: AgentTranscriptFollower[];
  #inst: Installation;
  #now: () => number;
  #startAt: "end" | "start";
  #opts: RunWatcherOptions;
  /** Transcript sources the last poll could not read, as findings. */
  #unreadable: Finding[] = [];
  /** Keys of every unreadable finding ever reported, so a source that reads again resolves it. */
  #unreadableKeys = new Set<string>();

  constructor(inst: Installation, opts: RunWatcherOptions) {
    this.#inst = inst;
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#startAt = opts.startAt ?? "end";
    this.cursors = new CursorStore(opts.cursorPath);
    this.monitor = new RunMonitor(opts.monitor);
    this.location = opts.logLocation ?? logLocationOf(inst);
    this.log = new LogFollower({
      location: this.location, cursors: this.cursors, startAt: this.#startAt,
      ...(opts.since !== undefined ? { since: opts.since } : {}),
      ...(opts.prefilter === false ? {} : { wanted: lineOfInterest }),
    });
    this.#transcripts = inst.agents.map((a) => this.#follower(a.id, a.agentDir));
    this.monitor.ingestUsage(inst.usage, this.#now());
  }

  #follower(agent: string, agentDir: string): AgentTranscriptFollower {
    return new AgentTranscriptFollower({
      agent, agentDir, cursors: this.cursors, startAt: this.#startAt, now: this.#now,
      ...(this.#opts.since !== undefined ? { since: this.#opts.since } : {}),
    });
  }

  /** New installation snapshot (agents added/removed, new usage state). */
  update(inst: Installation): void {
    const known = new Map(this.#transcripts.map((f) => [f.agent, f]));
    this.#transcripts = inst.agents.map((a) => known.get(a.id) ?? this.#follower(a.id, a.agentDir));
    for (const [id, f] of known) if (!inst.agents.some((a) => a.id === id)) f.close();
    this.#inst = inst;
    this.monitor.ingestUsage(inst.usage, this.#now());
  }

  /** Paths whose change should trigger `poll()` (directories, so new and rotated files are seen). */
  watchPaths(): string[] {
    const paths = [this.location.dir];
    for (const a of this.#inst.agents) paths.push(a.agentDir, sessionsDirOf(a.agentDir));
    return paths;
  }

  /** The exact files worth watching for low latency (agent DB + WAL, current log). */
  watchFiles(): string[] {
    const files: string[] = [];
    if (this.location.file) files.push(this.location.file);
    for (const a of this.#inst.agents) files.push(...agentDbFiles(a.agentDir));
    return files;
  }

  readonly #polls = new SerialQueue();

  /** Read what is new everywhere. Safe to call from a watcher event and a timer at once: calls queue. */
  poll(): Promise<RunPollResult> {
    return this.#polls.run(() => this.#poll());
  }

  async #poll(): Promise<RunPollResult> {
    const now = this.#now();
    const problems: string[] = [];
    const unreadable: Finding[] = [];
    let records = 0;
    let sessions = 0;
    for (const f of this.#transcripts) {
      const r = await f.poll();
      for (const u of r.unreadable) {
        unreadable.push(makeFinding({
          kind: "state.unreadable", severity: "warning", subject: { agent: f.agent, file: u.file },
          summary: `runs of agent ${f.agent} cannot be watched: ${u.message}`,
          detail: "clawpatrol cannot see empty replies or stuck runs for this agent until it can read this file; check its permissions, or report the OpenClaw version if the schema is new",
          at: now,
        }));
      }
      this.monitor.ingestRecords(r.records);
      this.monitor.ingestSessions(r.sessions);
      records += r.records.length;
      sessions += r.sessions.length;
      problems.push(...r.problems);
    }
    let logEvents = 0;
    do {
      const events = await this.log.poll();
      this.monitor.ingestLogEvents(events, now);
      logEvents += events.length;
    } while (this.log.behind);
    try {
      await this.cursors.flush();
    } catch (err) {
      problems.push(`${this.cursors.path}: could not save read positions: ${(err as Error).message}`);
    }
    if (this.cursors.loadProblem) problems.push(this.cursors.loadProblem);
    this.#unreadable = unreadable;
    for (const f of unreadable) this.#unreadableKeys.add(f.key);
    return { records, logEvents, sessions, problems };
  }

  /** Run findings, plus `state.unreadable` for every transcript source the last poll could not read. */
  findings(now = this.#now()): Finding[] {
    return [...this.monitor.findings(now), ...this.#unreadable];
  }

  /** Keys of the unreadable findings this watcher reports (covered: absent next round = readable again). */
  unreadableKeys(): string[] {
    return [...this.#unreadableKeys];
  }

  close(): void {
    for (const f of this.#transcripts) f.close();
    try {
      this.cursors.flushSync();
    } catch { /* best effort on shutdown */ }
  }
}

/** Default cursor file inside clawpatrol's state dir. */
export function runCursorPath(clawpatrolStateDir: string): string {
  return join(clawpatrolStateDir, "run-cursors.json");
}

export interface RunSourceOptions {
  /** Look back this far (epoch ms lower bound). */
  since: number;
  now: number;
  monitor?: Partial<RunMonitorOptions>;
  logLocation?: LogLocation;
}

/** One-shot finding source for `clawpatrol check`: reads transcripts and log from scratch within the window. */
export async function runFindingSource(inst: Installation, opts: RunSourceOptions): Promise<Finding[]> {
  const watcher = new RunWatcher(inst, {
    cursorPath: null, startAt: "start", since: opts.since, now: () => opts.now,
    ...(opts.monitor ? { monitor: opts.monitor } : {}),
    ...(opts.logLocation ? { logLocation: opts.logLocation } : {}),
  });
  try {
    await watcher.poll();
    return watcher.findings(opts.now);
  } finally {
    watcher.close();
  }
}
