// Follows OpenClaw's gateway log: the fixed `logging.file` or the dated daily files, across daily
// rollover, size rotation (`x.N.log` archives), truncation, partial and giant lines. Files are
// tracked by inode, so a file renamed to an archive mid-read is finished where we left off.
// Each poll reads only new bytes. Offsets persist in a CursorStore (`log:<dev>:<ino>`).
import { promises as fs } from "node:fs";
import { basename } from "node:path";
import type { LogEvent } from "../openclaw/types.js";
import { parseLogLine, logFilesIn, type LogLocation } from "../openclaw/gateway-log.js";
import type { CursorStore } from "./cursor-store.js";
import { LineTail, DEFAULT_TAIL_LIMITS, type TailLimits, type TailLine, type LineFilter } from "./log-follower-tail.js";
import { SerialQueue } from "../util/serial-job.js";

export interface LogFollowerOptions {
  location: LogLocation;
  cursors: CursorStore;
  /** Without a saved cursor: "end" skips what is already there (daemon), "start" reads it (one-shot check). */
  startAt?: "end" | "start";
  /** Ignore files last modified, and events logged, before this time (epoch ms). */
  since?: number;
  limits?: Partial<TailLimits>;
  /** Most bytes one poll reads (a backlog is worked off over several polls; see `behind`). */
  maxBytesPerPoll?: number;
  /** Cheap byte-level pre-filter; lines it rejects are never decoded or parsed. */
  wanted?: LineFilter;
}

export interface FollowStats {
  polls: number;
  bytesRead: number;
  lines: number;
  events: number;
  /** Lines kept only in part because they exceeded maxLineBytes. */
  capped: number;
  /** Lines that were neither JSON nor text (binary junk). */
  junk: number;
  rotations: number;
  truncations: number;
}

interface SavedCursor {
  offset: number;
  path: string;
  birth?: number;
}

interface Tracked {
  key: string;
  path: string;
  birth: number;
  tail: LineTail;
}

const PREFIX = "log:";

export class LogFollower {
  readonly options: LogFollowerOptions;
  readonly stats: FollowStats = { polls: 0, bytesRead: 0, lines: 0, events: 0, capped: 0, junk: 0, rotations: 0, truncations: 0 };
  #tracked = new Map<string, Tracked>();
  #limits: TailLimits;
  #firstPoll = true;
  #resuming: boolean;
  readonly #polls = new SerialQueue();
  #behind = false;

  /** True when the last poll stopped at `maxBytesPerPoll` with bytes left to read: poll again. */
  get behind(): boolean {
    return this.#behind;
  }

  constructor(options: LogFollowerOptions) {
    this.options = options;
    this.#limits = { ...DEFAULT_TAIL_LIMITS, ...options.limits };
    this.#resuming = options.cursors.keys(PREFIX).length > 0;
  }

  /** Read whatever is new. Concurrent calls queue (event- and timer-driven polls may overlap). */
  poll(): Promise<LogEvent[]> {
    return this.#polls.run(() => this.#poll());
  }

  async #list(): Promise<{ path: string; key: string; size: number; mtimeMs: number; birth: number }[]> {
    const loc = this.options.location;
    let names: string[];
    try {
      names = await fs.readdir(loc.dir);
    } catch {
      return [];
    }
    const out = [];
    for (const path of logFilesIn(loc, names)) {
      try {
        const st = await fs.stat(path, { bigint: false });
        if (!st.isFile()) continue;
        out.push({ path, key: `${PREFIX}${st.dev}:${st.ino}`, size: st.size, mtimeMs: st.mtimeMs, birth: Math.round(st.birthtimeMs || 0) });
      } catch { /* rotated away between readdir and stat; the next poll sees it under its new name */ }
    }
    return out;
  }

  #activePath(files: { path: string }[]): string | null {
    const loc = this.options.location;
    if (loc.file) return loc.file;
    const current = files.filter((f) => /-\d{4}-\d{2}-\d{2}\.log$/.test(basename(f.path)));
    return current.length ? current[current.length - 1]!.path : null;
  }

  async #poll(): Promise<LogEvent[]> {
    const { cursors, since } = this.options;
    const startAt = this.options.startAt ?? "end";
    const events: LogEvent[] = [];
    const files = await this.#list();
    const active = this.#activePath(files);
    const seen = new Set<string>();
    this.stats.polls++;
    let budget = this.options.maxBytesPerPoll ?? 64 * 1024 * 1024;
    this.#behind = false;
    for (const f of files) {
      seen.add(f.key);
      let t = this.#tracked.get(f.key);
      if (t && t.birth && f.birth && t.birth !== f.birth) {
        // Same inode, different file: the old one was deleted and the number reused.
        this.#tracked.delete(f.key);
        t = undefined;
      }
      if (!t) {
        const saved = cursors.get<SavedCursor>(f.key);
        let offset: number;
        if (saved && (!saved.birth || !f.birth || saved.birth === f.birth)) offset = saved.offset;
        else if (this.#firstPoll && !this.#resuming && startAt === "end") offset = f.size;
        else if (since !== undefined && f.mtimeMs < since) offset = f.size;
        else offset = 0;
        t = { key: f.key, path: f.path, birth: f.birth, tail: new LineTail(offset, this.#limits) };
        this.#tracked.set(f.key, t);
      } else if (t.path !== f.path) {
        this.stats.rotations++;
        t.path = f.path;
      }
      if (f.size < t.tail.offset) {
        // Truncated in place (copytruncate or a fresh file on the same inode): start over.
        this.stats.truncations++;
        t.tail.reset(0);
      }
      const onLine = (line: TailLine) => this.#onLine(line, t!.path, events);
      const read = budget > 0 ? await t.tail.read(f.path, f.size, onLine, this.options.wanted, budget) : 0;
      budget -= read;
      this.stats.bytesRead += read;
      if (t.tail.offset < f.size) this.#behind = true;
      // An archive gets no more bytes: its incomplete last line is as complete as it will get.
      else if (f.path !== active) t.tail.flushPending(onLine);
      cursors.set(f.key, { offset: t.tail.lineStart, path: f.path, ...(f.birth ? { birth: f.birth } : {}) } satisfies SavedCursor);
    }
    for (const key of [...this.#tracked.keys()]) if (!seen.has(key)) this.#tracked.delete(key);
    for (const key of cursors.keys(PREFIX)) if (!seen.has(key)) cursors.delete(key);
    this.#firstPoll = false;
    return events;
  }

  #onLine(line: TailLine, path: string, events: LogEvent[]): void {
    this.stats.lines++;
    if (line.length > line.bytes.length) this.stats.capped++;
    const ev = parseLogLine(line.bytes.toString("utf8"), path, line.offset);
    if (!ev) {
      this.stats.junk++;
      return;
    }
    if (this.options.since !== undefined && !(ev.at >= this.options.since)) return;
    this.stats.events++;
    events.push(ev);
  }
}
