// Session run state (research §4.2, §4.4): `sessions.json` in eras A–C, `session_nodes` (+
// `session_pending_inputs`, `transcript_events` for progress) in the per-agent SQLite of eras D/E.
// SQLite is opened read-only and never written; SQLITE_BUSY is retried.
import { DatabaseSync } from "node:sqlite";
import type { SessionState } from "./types.js";
import { READ_SCHEMA } from "./schema-spec.js";

const STATUSES = new Set(["running", "done", "failed", "killed", "timeout"]);

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function statusOf(v: unknown): SessionState["status"] {
  return typeof v === "string" && STATUSES.has(v) ? (v as SessionState["status"]) : null;
}

/** `sessions.json` text → states. Throws with a readable message when the file is not a JSON object. */
export function parseSessionsJson(text: string, agent: string): SessionState[] {
  const parsed = JSON.parse(text) as unknown;
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("sessions.json is not a JSON object");
  const out: SessionState[] = [];
  for (const [sessionKey, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (!raw || typeof raw !== "object") continue;
    const e = raw as Record<string, unknown>;
    const sessionId = str(e.sessionId);
    if (!sessionId) continue;
    const s: SessionState = { agent, sessionKey, sessionId, status: statusOf(e.status), queued: 0 };
    const startedAt = num(e.startedAt);
    if (startedAt !== undefined) s.startedAt = startedAt;
    const updatedAt = num(e.updatedAt);
    if (updatedAt !== undefined) s.updatedAt = updatedAt;
    const model = str(e.model);
    if (model) s.model = model;
    const provider = str(e.modelProvider);
    if (provider) s.provider = provider;
    out.push(s);
  }
  return out;
}

export function isBusyError(err: unknown): boolean {
  const e = err as { errcode?: number; code?: string; message?: string };
  // 5 = SQLITE_BUSY, 6 = SQLITE_LOCKED (extended codes keep the low byte).
  return (typeof e?.errcode === "number" && ((e.errcode & 0xff) === 5 || (e.errcode & 0xff) === 6)) || /database is (locked|busy)/i.test(e?.message ?? "");
}

/** Run `fn`, retrying SQLITE_BUSY/LOCKED a few times with a short synchronous back-off. */
export function withBusyRetry<T>(fn: () => T, attempts = 5): T {
  for (let i = 0; ; i++) {
    try {
      return fn();
    } catch (err) {
      if (i + 1 >= attempts || !isBusyError(err)) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 * (i + 1));
    }
  }
}

/** Open an agent DB read-only (never creates, never writes). */
export function openAgentDb(path: string): DatabaseSync {
  return withBusyRetry(() => {
    const db = new DatabaseSync(path, { readOnly: true, timeout: 100 });
    return db;
  });
}

export function hasTable(db: DatabaseSync, name: string): boolean {
  return withBusyRetry(() => db.prepare("SELECT 1 AS ok FROM sqlite_master WHERE type='table' AND name=?").get(name) !== undefined);
}

/** Column names of a table (schemas differ by version: agent schema 19 has no event_zstd). */
export function tableColumns(db: DatabaseSync, table: string): Set<string> {
  const rows = withBusyRetry(() => db.prepare(`PRAGMA table_info(${JSON.stringify(table)})`).all()) as unknown as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

interface NodeRow {
  session_key: string;
  current_session_id: string;
  status: string | null;
  updated_at: number;
  started_at: number | null;
  model: string | null;
  provider: string | null;
}

/**
 * Throws naming the table and column when a table the run follower reads lacks one of its columns
 * (a newer agent schema), instead of SQLite's bare "no such column".
 */
export function assertRunColumns(db: DatabaseSync, tables: readonly string[]): void {
  for (const table of tables) {
    if (!hasTable(db, table)) continue;
    const missing = (READ_SCHEMA.agent[table]?.columns ?? []).filter((c) => !tableColumns(db, table).has(c));
    if (missing.length) throw new Error(`table ${table} has no column ${missing.join(", ")}: clawpatrol cannot read ${READ_SCHEMA.agent[table]!.what} from this agent schema`);
  }
}

/**
 * Session states from `session_nodes`: every running session plus those updated since `sinceMs`.
 * `entry_json` is large (skills snapshot, prompt report), so only the needed keys are extracted in SQL.
 */
export function readSessionNodes(db: DatabaseSync, agent: string, sinceMs = 0): SessionState[] {
  return withBusyRetry(() => {
    assertRunColumns(db, ["session_nodes", "session_pending_inputs"]);
    const rows = db
      .prepare(
        `SELECT session_key, current_session_id, status, updated_at,
                json_extract(entry_json, '$.startedAt') AS started_at,
                json_extract(entry_json, '$.model') AS model,
                json_extract(entry_json, '$.modelProvider') AS provider
         FROM session_nodes WHERE status = 'running' OR updated_at >= ?`,
      )
      .all(sinceMs) as unknown as NodeRow[];
    const queued = new Map<string, number>();
    if (hasTable(db, "session_pending_inputs")) {
      for (const r of db.prepare(`SELECT session_key, count(*) AS n FROM session_pending_inputs WHERE state = 'queued' GROUP BY session_key`).all() as unknown as { session_key: string; n: number }[]) {
        queued.set(r.session_key, r.n);
      }
    }
    const lastEvent = db.prepare(`SELECT created_at FROM transcript_events WHERE session_id = ? ORDER BY seq DESC LIMIT 1`);
    return rows.map((r) => {
      const s: SessionState = { agent, sessionKey: r.session_key, sessionId: r.current_session_id, status: statusOf(r.status), queued: queued.get(r.session_key) ?? 0, updatedAt: r.updated_at };
      if (typeof r.started_at === "number") s.startedAt = r.started_at;
      if (r.model) s.model = r.model;
      if (r.provider) s.provider = r.provider;
      if (s.status === "running") {
        const last = lastEvent.get(r.current_session_id) as { created_at: number } | undefined;
        if (last) s.lastProgressAt = last.created_at;
      }
      return s;
    });
  });
}
