// Follows an agent's transcripts and session run state, reading only what is new each poll.
// JSONL era (A–C): the agent's sessions dir, offsets per transcript file inode.
// SQLite era (D/E): the agent DB (openclaw/transcript-db.ts), rows after a persisted cursor
// (rowid high-water mark + last seq per session).
import { promises as fs, existsSync } from "node:fs";
import { join, dirname, basename } from "node:path";
import type { RunRecord, SessionState } from "../openclaw/types.js";
import { parseTranscriptLine, parseTranscriptEntry, eventTextOfRow } from "../openclaw/transcripts.js";
import { parseSessionsJson } from "../openclaw/sessions.js";
import { agentDbPath, sessionsDirOf, sessionsJsonPath, transcriptSessionId } from "../openclaw/agent-files.js";
import { AgentTranscriptDb, TRANSCRIPT_READS, type TranscriptRow } from "../openclaw/transcript-db.js";
import type { CursorStore } from "./cursor-store.js";
import { LineTail, DEFAULT_TAIL_LIMITS, type TailLimits } from "./log-follower-tail.js";
import { SerialQueue } from "../util/serial-job.js";

export interface TranscriptPoll {
  records: RunRecord[];
  /** Sessions whose state is known now (running ones always; others when changed). */
  sessions: SessionState[];
  /** Problems met (unreadable file, bad JSON); one line each, naming the file. */
  problems: string[];
  /** Sources that could not be read at all this poll (become `state.unreadable` findings). */
  unreadable: { file: string; message: string }[];
}

export interface TranscriptFollowerOptions {
  agent: string;
  /** `agents/<id>/agent` (Installation.agents[].agentDir). */
  agentDir: string;
  cursors: CursorStore;
  startAt?: "end" | "start";
  /** One-shot: ignore rows/lines older than this (epoch ms). */
  since?: number;
  limits?: Partial<TailLimits>;
  /** Re-check every session's last seq this often (catches rows a rowid cursor could miss). */
  sweepEveryMs?: number;
  now?: () => number;
}

export interface TranscriptFollower {
  readonly agent: string;
  readonly era: "jsonl" | "sqlite" | "none";
  poll(): Promise<TranscriptPoll>;
  close(): void;
}

/** Picks the era per poll: an agent DB with transcript tables wins over leftover JSONL files. */
export class AgentTranscriptFollower implements TranscriptFollower {
  readonly agent: string;
  #opts: TranscriptFollowerOptions;
  #sqlite: SqliteTranscriptFollower | null = null;
  #jsonl: JsonlTranscriptFollower | null = null;

  constructor(opts: TranscriptFollowerOptions) {
    this.agent = opts.agent;
    this.#opts = opts;
  }

  get era(): "jsonl" | "sqlite" | "none" {
    return this.#sqlite ? "sqlite" : this.#jsonl ? "jsonl" : "none";
  }

  readonly #polls = new SerialQueue();

  /** Calls queue, so an event-driven and a timer-driven poll never read the same bytes twice. */
  poll(): Promise<TranscriptPoll> {
    return this.#polls.run(() => this.#poll());
  }

  async #poll(): Promise<TranscriptPoll> {
    if (!this.#sqlite && existsSync(agentDbPath(this.#opts.agentDir))) {
      const candidate = new SqliteTranscriptFollower(this.#opts);
      if (candidate.hasTranscripts()) {
        this.#sqlite = candidate;
        this.#jsonl = null;
      } else candidate.close();
    }
    if (this.#sqlite) return this.#sqlite.poll();
    if (!this.#jsonl && existsSync(sessionsDirOf(this.#opts.agentDir))) this.#jsonl = new JsonlTranscriptFollower(this.#opts);
    if (this.#jsonl) return this.#jsonl.poll();
    return { records: [], sessions: [], problems: [], unreadable: [] };
  }

  close(): void {
    this.#sqlite?.close();
  }
}

// ───────────────────────────── JSONL era ─────────────────────────────

interface JsonlCursor {
  offset: number;
  birth?: number;
}

export class JsonlTranscriptFollower implements TranscriptFollower {
  readonly agent: string;
  readonly era = "jsonl" as const;
  #opts: TranscriptFollowerOptions;
  #dir: string;
  #tails = new Map<string, { tail: LineTail; birth: number }>();
  #limits: TailLimits;
  #firstPoll = true;
  #resuming: boolean;
  #sessionsMtime = -1;
  #sessions: SessionState[] = [];
  #keyOf = new Map<string, string>();
  #prefix: string;
  /** sessionId → id of the user message that opened the current turn. */
  #turnOf = new Map<string, string>();

  constructor(opts: TranscriptFollowerOptions) {
    this.agent = opts.agent;
    this.#opts = opts;
    this.#dir = sessionsDirOf(opts.agentDir);
    this.#limits = { ...DEFAULT_TAIL_LIMITS, ...opts.limits };
    this.#prefix = `jsonl:${opts.agent}:`;
    this.#resuming = opts.cursors.keys(this.#prefix).length > 0;
  }

  close(): void { /* nothing held open */ }

  async #readSessions(problems: string[]): Promise<void> {
    const file = sessionsJsonPath(this.#dir);
    try {
      const st = await fs.stat(file);
      if (st.mtimeMs === this.#sessionsMtime) return;
      this.#sessions = parseSessionsJson(await fs.readFile(file, "utf8"), this.agent);
      this.#sessionsMtime = st.mtimeMs;
      this.#keyOf = new Map(this.#sessions.map((s) => [s.sessionId, s.sessionKey]));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") problems.push(`${file}: ${(err as Error).message} (OpenClaw rewrites this file; if it stays broken, run \`openclaw doctor\`)`);
    }
  }

  /**
   * JSONL transcripts carry no run id: OpenClaw counts one run per turn (a user message and the
   * answers to it, including its own empty-answer retry), so a record without a run id gets its turn's.
   */
  #assignTurn(rec: RunRecord): void {
    if (rec.role === "user" && rec.entryId && !rec.retryPrompt) {
      if (this.#turnOf.size > MAX_TRACKED_SESSIONS) this.#turnOf.clear();
      this.#turnOf.set(rec.sessionId, rec.entryId);
    } else if (rec.role === "assistant" && !rec.runId) {
      const turn = this.#turnOf.get(rec.sessionId);
      if (turn) rec.runId = `turn:${rec.sessionId}:${turn}`;
    }
  }

  async poll(): Promise<TranscriptPoll> {
    const { cursors, since } = this.#opts;
    const startAt = this.#opts.startAt ?? "end";
    const problems: string[] = [];
    const records: RunRecord[] = [];
    await this.#readSessions(problems);
    let names: string[] = [];
    try {
      names = await fs.readdir(this.#dir);
    } catch { /* no sessions dir yet */ }
    const seen = new Set<string>();
    const mtimeOf = new Map<string, number>();
    for (const name of names) {
      const sessionId = transcriptSessionId(name);
      if (!sessionId) continue;
      const path = join(this.#dir, name);
      let st;
      try {
        st = await fs.stat(path);
      } catch {
        continue;
      }
      mtimeOf.set(sessionId, Math.max(mtimeOf.get(sessionId) ?? 0, st.mtimeMs));
      const key = `${this.#prefix}${st.dev}:${st.ino}`;
      const birth = Math.round(st.birthtimeMs || 0);
      seen.add(key);
      let entry = this.#tails.get(key);
      if (entry && entry.birth && birth && entry.birth !== birth) entry = undefined;
      if (!entry) {
        const saved = cursors.get<JsonlCursor>(key);
        let offset = 0;
        if (saved && (!saved.birth || !birth || saved.birth === birth)) offset = saved.offset;
        else if (this.#firstPoll && !this.#resuming && startAt === "end") offset = st.size;
        else if (since !== undefined && st.mtimeMs < since) offset = st.size;
        entry = { tail: new LineTail(offset, this.#limits), birth };
        this.#tails.set(key, entry);
      }
      if (st.size < entry.tail.offset) entry.tail.reset(0);
      const sessionKey = this.#keyOf.get(sessionId);
      await entry.tail.read(path, st.size, (line) => {
        const rec = parseTranscriptLine(line.bytes.toString("utf8"), {
          agent: this.agent, sessionId, cursor: `${path}:${line.offset}`, fallbackAt: st.mtimeMs,
          ...(sessionKey ? { sessionKey } : {}),
        });
        if (rec) this.#assignTurn(rec);
        if (rec && (since === undefined || rec.at >= since)) records.push(rec);
      });
      cursors.set(key, { offset: entry.tail.lineStart, ...(birth ? { birth } : {}) } satisfies JsonlCursor);
    }
    for (const key of [...this.#tails.keys()]) if (!seen.has(key)) this.#tails.delete(key);
    for (const key of cursors.keys(this.#prefix)) if (!seen.has(key)) cursors.delete(key);
    this.#firstPoll = false;
    // Progress of a running session = its transcript's last write (4.14 writes nothing while hung).
    const sessions = this.#sessions.map((s) => {
      const mt = mtimeOf.get(s.sessionId);
      return mt !== undefined ? { ...s, lastProgressAt: Math.round(mt) } : { ...s };
    });
    return { records, sessions, problems, unreadable: [] };
  }
}

// ───────────────────────────── SQLite era ─────────────────────────────

interface SqliteCursor {
  rowid: number;
  /** session_id → last seq read. */
  seqs: Record<string, number>;
}

const MAX_TRACKED_SESSIONS = 2000;
const BATCH = 2000;

export class SqliteTranscriptFollower implements TranscriptFollower {
  readonly agent: string;
  readonly era = "sqlite" as const;
  readonly path: string;
  #opts: TranscriptFollowerOptions;
  #db: AgentTranscriptDb;
  #cursorKey: string;
  #cursor: SqliteCursor | null;
  #lastSweep: number;
  #lastSessionRead = 0;
  #keyOf = new Map<string, string>();

  constructor(opts: TranscriptFollowerOptions) {
    this.agent = opts.agent;
    this.#opts = opts;
    this.#db = new AgentTranscriptDb(opts.agentDir);
    this.path = this.#db.path;
    this.#cursorKey = `sqlite:${opts.agent}:${basename(dirname(opts.agentDir))}`;
    this.#cursor = opts.cursors.get<SqliteCursor>(this.#cursorKey) ?? null;
    this.#lastSweep = this.#now();
  }

  hasTranscripts(): boolean {
    return this.#db.hasTranscripts();
  }

  close(): void {
    this.#db.close();
  }

  #now(): number {
    return this.#opts.now ? this.#opts.now() : Date.now();
  }

  #sessionKey(sessionId: string): string | undefined {
    let key = this.#keyOf.get(sessionId);
    if (key === undefined) {
      key = this.#db.sessionKeyOf(sessionId) ?? "";
      if (this.#keyOf.size > MAX_TRACKED_SESSIONS) this.#keyOf.clear();
      this.#keyOf.set(sessionId, key);
    }
    return key || undefined;
  }

  #toRecord(row: TranscriptRow, records: RunRecord[], problems: string[]): void {
    const text = eventTextOfRow(row);
    if (text === null) {
      problems.push(`${this.path}: transcript row ${row.session_id}#${row.seq} could not be decoded`);
      return;
    }
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      problems.push(`${this.path}: transcript row ${row.session_id}#${row.seq} is not JSON`);
      return;
    }
    const sessionKey = this.#sessionKey(row.session_id);
    const rec = parseTranscriptEntry(entry, {
      agent: this.agent, sessionId: row.session_id, cursor: `${row.session_id}:${row.seq}`, fallbackAt: row.created_at,
      ...(sessionKey ? { sessionKey } : {}),
    });
    if (rec && (this.#opts.since === undefined || row.created_at >= this.#opts.since)) records.push(rec);
  }

  #initialCursor(): SqliteCursor {
    const startAt = this.#opts.startAt ?? "end";
    if (startAt === "start") return { rowid: 0, seqs: {} };
    const seqs: Record<string, number> = {};
    for (const s of this.#db.lastSeqs()) seqs[s.sessionId] = s.lastSeq;
    return { rowid: this.#db.lastRowId(), seqs };
  }

  async poll(): Promise<TranscriptPoll> {
    const problems: string[] = [];
    const unreadable: TranscriptPoll["unreadable"] = [];
    const records: RunRecord[] = [];
    let sessions: SessionState[] = [];
    if (!existsSync(this.path)) return { records, sessions, problems, unreadable };
    const failed = (what: string, err: unknown): void => {
      const message = `${this.path}: ${(err as Error).message} (reading ${what}; read-only, retried every poll)`;
      problems.push(message);
      unreadable.push({ file: this.path, message });
    };
    // Transcripts and run state are read separately: one failing never hides the other.
    try {
      this.#db.read(() => this.#pollSync(records, problems));
    } catch (err) {
      failed(TRANSCRIPT_READS.transcripts, err);
    }
    try {
      const since = this.#opts.since ?? this.#lastSessionRead - 60_000;
      const readAt = this.#now();
      sessions = this.#db.sessionStates(this.agent, Math.max(0, since));
      this.#lastSessionRead = readAt;
    } catch (err) {
      failed(TRANSCRIPT_READS.runState, err);
    }
    if (unreadable.length) this.close();
    return { records, sessions, problems, unreadable };
  }

  #pollSync(records: RunRecord[], problems: string[]): void {
    const cursor = (this.#cursor ??= this.#initialCursor());
    const since = this.#opts.since;
    for (;;) {
      const rows = this.#db.rowsAfter(cursor.rowid, BATCH, since);
      for (const row of rows) {
        cursor.rowid = Math.max(cursor.rowid, row.rid);
        const last = cursor.seqs[row.session_id];
        if (last !== undefined && row.seq <= last) continue;
        cursor.seqs[row.session_id] = row.seq;
        this.#toRecord(row, records, problems);
      }
      if (rows.length < BATCH) break;
    }
    // Sweep: rows whose rowid fell below our high-water mark (rowid reuse after deletes) are found
    // by comparing each session's last seq.
    const now = this.#now();
    if (now - this.#lastSweep >= (this.#opts.sweepEveryMs ?? 30_000)) {
      // A session we hold no seq for (new, or pruned) is swept only for rows written since the last sweep.
      const floor = this.#lastSweep - 5_000;
      this.#lastSweep = now;
      for (const m of this.#db.lastSeqs()) {
        const last = cursor.seqs[m.sessionId];
        if (last !== undefined && m.lastSeq <= last) continue;
        const minCreated = last !== undefined ? 0 : Math.max(floor, since ?? 0);
        for (const row of this.#db.rowsInSession(m.sessionId, last ?? -1, minCreated)) {
          cursor.seqs[row.session_id] = Math.max(cursor.seqs[row.session_id] ?? -1, row.seq);
          this.#toRecord(row, records, problems);
        }
      }
    }
    this.#prune(cursor);
    this.#opts.cursors.set(this.#cursorKey, cursor);
  }

  #prune(cursor: SqliteCursor): void {
    const ids = Object.keys(cursor.seqs);
    if (ids.length <= MAX_TRACKED_SESSIONS) return;
    // Keep the sessions written most recently (insertion order follows first sight; good enough).
    for (const id of ids.slice(0, ids.length - MAX_TRACKED_SESSIONS)) delete cursor.seqs[id];
  }
}
