// Transcript rows and run state in an agent's SQLite (eras D/E, research §4.2): `transcript_events`
// (rowid order; `event_zstd` from agent schema 23, 2026.9.6 — schema 19, 2026.8.2, has only
// `event_json`), `session_windows` (session id → key) and `session_nodes`. Opened read-only.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { agentDbPath } from "./agent-files.js";
import { assertRunColumns, hasTable, openAgentDb, readSessionNodes, tableColumns, withBusyRetry } from "./sessions.js";
import type { SessionState } from "./types.js";

export interface TranscriptRow {
  rid: number;
  session_id: string;
  seq: number;
  created_at: number;
  event_json: string | null;
  event_zstd: Uint8Array | null;
}

export interface SessionSeq {
  sessionId: string;
  lastSeq: number;
}

/** One agent DB's transcript and run-state tables, behind the questions a follower asks. */
export class AgentTranscriptDb {
  readonly path: string;
  #db: DatabaseSync | null = null;
  #stmts: { after?: StatementSync; afterSince?: StatementSync; inSession?: StatementSync; seqs?: StatementSync; keyOf?: StatementSync } = {};
  /** Select list for the event rows, from the columns this agent schema has. */
  #eventCols: string | null = null;

  constructor(agentDir: string) {
    this.path = agentDbPath(agentDir);
  }

  #open(): DatabaseSync {
    if (!this.#db) {
      this.#db = openAgentDb(this.path);
      this.#stmts = {};
      this.#eventCols = null;
    }
    return this.#db;
  }

  /** The DB has the transcript and session tables (era D/E), not just an auth store (era C). */
  hasTranscripts(): boolean {
    try {
      const db = this.#open();
      return hasTable(db, "transcript_events") && hasTable(db, "session_nodes");
    } catch {
      return false;
    }
  }

  close(): void {
    try {
      this.#db?.close();
    } catch { /* already closed */ }
    this.#db = null;
    this.#stmts = {};
  }

  /** Run `read` with SQLITE_BUSY retried. */
  read<T>(read: () => T): T {
    return withBusyRetry(read);
  }

  #selectList(db: DatabaseSync): string {
    if (this.#eventCols === null) {
      assertRunColumns(db, ["transcript_events"]);
      const cols = tableColumns(db, "transcript_events");
      this.#eventCols = `rowid AS rid, session_id, seq, created_at, event_json, ${cols.has("event_zstd") ? "event_zstd" : "NULL AS event_zstd"}`;
    }
    return this.#eventCols;
  }

  /** The highest row id written so far (0 for an empty table). */
  lastRowId(): number {
    return (this.#open().prepare("SELECT coalesce(max(rowid), 0) AS m FROM transcript_events").get() as { m: number }).m;
  }

  /** Every session's highest seq. */
  lastSeqs(): SessionSeq[] {
    const db = this.#open();
    this.#stmts.seqs ??= db.prepare("SELECT session_id, max(seq) AS s FROM transcript_events GROUP BY session_id");
    return (this.#stmts.seqs.all() as unknown as { session_id: string; s: number }[]).map((r) => ({ sessionId: r.session_id, lastSeq: r.s }));
  }

  /** Up to `limit` rows after `rowid` in rowid order, optionally only those created at or after `since`. */
  rowsAfter(rowid: number, limit: number, since?: number): TranscriptRow[] {
    const db = this.#open();
    const stmt = since === undefined
      ? (this.#stmts.after ??= db.prepare(`SELECT ${this.#selectList(db)} FROM transcript_events WHERE rowid > ? ORDER BY rowid LIMIT ?`))
      : (this.#stmts.afterSince ??= db.prepare(`SELECT ${this.#selectList(db)} FROM transcript_events WHERE rowid > ? AND created_at >= ? ORDER BY rowid LIMIT ?`));
    const rows = since === undefined ? stmt.all(rowid, limit) : stmt.all(rowid, Math.floor(since), limit);
    return rows as unknown as TranscriptRow[];
  }

  /** One session's rows after `afterSeq`, created at or after `minCreated`, in seq order. */
  rowsInSession(sessionId: string, afterSeq: number, minCreated: number): TranscriptRow[] {
    const db = this.#open();
    this.#stmts.inSession ??= db.prepare(
      `SELECT ${this.#selectList(db)} FROM transcript_events WHERE session_id = ? AND seq > ? AND created_at >= ? ORDER BY seq`,
    );
    return this.#stmts.inSession.all(sessionId, afterSeq, minCreated) as unknown as TranscriptRow[];
  }

  /** The session key a session id belongs to, or undefined when the DB does not say. */
  sessionKeyOf(sessionId: string): string | undefined {
    const db = this.#open();
    this.#stmts.keyOf ??= db.prepare("SELECT session_key FROM session_windows WHERE session_id = ?");
    try {
      return (this.#stmts.keyOf.get(sessionId) as { session_key?: string } | undefined)?.session_key || undefined;
    } catch {
      return undefined;
    }
  }

  /** Run state: every running session plus those updated since `sinceMs`. */
  sessionStates(agent: string, sinceMs: number): SessionState[] {
    return readSessionNodes(this.#open(), agent, sinceMs);
  }
}

/** Names the tables a failed read was about, for the one-line problem message. */
export const TRANSCRIPT_READS = { transcripts: "transcripts (transcript_events)", runState: "run state (session_nodes)" } as const;
