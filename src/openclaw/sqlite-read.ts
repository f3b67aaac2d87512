// Read-only access to OpenClaw's SQLite files. Never writes, never checkpoints; retries SQLITE_BUSY.
import { existsSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import type { ReadIssue } from "./types.js";

const BUSY_RETRIES = 5;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isBusy(err: unknown): boolean {
  const e = err as { errcode?: number; message?: string };
  return e?.errcode === 5 || e?.errcode === 6 || /SQLITE_BUSY|database is locked/i.test(e?.message ?? "");
}

export type Row = Record<string, unknown>;

export class SqliteReader {
  readonly path: string;
  #db: DatabaseSync | null = null;
  issue: ReadIssue | null = null;

  constructor(path: string) {
    this.path = path;
    if (!existsSync(path)) {
      this.issue = { kind: "state.unreadable", file: path, message: `${path} does not exist` };
      return;
    }
    this.#db = this.#retry(() => new DatabaseSync(path, { readOnly: true, timeout: 200 }));
    if (this.#db) {
      // A truncated or foreign file opens fine and fails on first read; find out now.
      const ok = this.#retry(() => this.#db!.prepare("SELECT count(*) AS n FROM sqlite_master").get());
      if (!ok) this.close();
    }
  }

  #retry<T>(fn: () => T): T | null {
    for (let attempt = 0; ; attempt++) {
      try {
        return fn();
      } catch (err) {
        if (isBusy(err) && attempt < BUSY_RETRIES) {
          sleepSync(50 * (attempt + 1));
          continue;
        }
        const msg = (err as Error).message ?? String(err);
        this.issue = {
          kind: "state.unreadable",
          file: this.path,
          message: `cannot read SQLite ${this.path}: ${msg.split("\n")[0]}`,
          fix: /not a database|malformed|disk image/i.test(msg)
            ? `the file is damaged; stop the gateway and run openclaw doctor, or restore it from a backup`
            : undefined,
        };
        return null;
      }
    }
  }

  get ok(): boolean {
    return this.#db !== null;
  }

  tables(): Set<string> {
    const rows = this.all("SELECT name FROM sqlite_master WHERE type = 'table'");
    return new Set(rows.map((r) => String(r.name)));
  }

  /** Column names of a table (empty for a table that does not exist). */
  columns(table: string): Set<string> {
    return new Set(this.all(`PRAGMA table_info(${JSON.stringify(table)})`).map((r) => String(r.name)));
  }

  all(sql: string, ...params: (string | number)[]): Row[] {
    if (!this.#db) return [];
    return this.#retry(() => this.#db!.prepare(sql).all(...params) as Row[]) ?? [];
  }

  get(sql: string, ...params: (string | number)[]): Row | undefined {
    return this.all(sql, ...params)[0];
  }

  close(): void {
    try {
      this.#db?.close();
    } catch {
      /* already closed */
    }
    this.#db = null;
  }
}

/** Open, run `fn`, close. Returns null (with the issue pushed) when the file cannot be read. */
export function withSqlite<T>(path: string, issues: ReadIssue[], fn: (db: SqliteReader) => T): T | null {
  const db = new SqliteReader(path);
  try {
    if (!db.ok) {
      if (db.issue) issues.push(db.issue);
      return null;
    }
    const out = fn(db);
    if (db.issue) issues.push(db.issue);
    return out;
  } finally {
    db.close();
  }
}
