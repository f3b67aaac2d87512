// The tables and columns clawpatrol reads from OpenClaw's SQLite files, and from which schema
// version on each table must exist (seen in the files the real CLI writes: verified.ts lists the
// versions). A newer OpenClaw that renames or drops one of them must show as `state.unreadable`
// naming the table, the column and the file, never as an empty read.
import type { ReadIssue } from "./types.js";

export type DbRole = "state" | "agent";

interface TableSpec {
  /** What clawpatrol reads there, for the message. */
  what: string;
  columns: readonly string[];
  /** The table must exist from this schema version on (unset: optional, checked only when present). */
  requiredFrom?: number;
  /** Read (and its columns checked) by the run follower, which reports its own failures. */
  byRuns?: boolean;
}

export const READ_SCHEMA: Record<DbRole, Record<string, TableSpec>> = {
  state: {
    schema_meta: { what: "the schema version", columns: ["meta_key", "schema_version", "app_version"] },
    // The shared auth store (era E): seen from state schema 15 (2026.8.2).
    config_machine_state: { what: "the shared auth profiles and cooldowns", columns: ["state_key", "value_json"], requiredFrom: 15 },
  },
  agent: {
    schema_meta: { what: "the schema version", columns: ["meta_key", "schema_version"] },
    auth_profile_store: { what: "the agent's stored auth profiles", columns: ["store_key", "store_json"], requiredFrom: 1 },
    auth_profile_state: { what: "the agent's cooldowns and usage", columns: ["state_key", "state_json"], requiredFrom: 1 },
    // Sessions in the agent DB: seen from agent schema 19 (2026.8.2).
    session_nodes: { what: "run state (stuck runs)", columns: ["session_key", "current_session_id", "status", "updated_at", "entry_json"], requiredFrom: 19, byRuns: true },
    transcript_events: { what: "transcripts (empty replies)", columns: ["session_id", "seq", "created_at", "event_json"], requiredFrom: 19, byRuns: true },
    session_pending_inputs: { what: "queued messages", columns: ["session_key", "state"], byRuns: true },
  },
};

export interface SchemaProblem {
  table: string;
  /** Missing column; unset when the whole table is missing. */
  column?: string;
  what: string;
}

/**
 * What clawpatrol reads that this database does not have. `runs` selects the tables the run follower
 * reads (it throws with these); otherwise the ones the snapshot reads, plus the presence of the run
 * tables (a missing one would read as "no runs", which the follower cannot tell from an idle agent).
 */
export function schemaProblems(role: DbRole, tables: ReadonlySet<string>, columnsOf: (table: string) => ReadonlySet<string>, schemaVersion: number | null, scope: "snapshot" | "runs" = "snapshot"): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const [table, spec] of Object.entries(READ_SCHEMA[role])) {
    if (!tables.has(table)) {
      if (scope === "snapshot" && spec.requiredFrom !== undefined && schemaVersion !== null && schemaVersion >= spec.requiredFrom) out.push({ table, what: spec.what });
      continue;
    }
    if (!!spec.byRuns !== (scope === "runs")) continue;
    const have = columnsOf(table);
    for (const column of spec.columns) if (!have.has(column)) out.push({ table, column, what: spec.what });
  }
  return out;
}

/** Does this table have every column clawpatrol reads from it? (Its absence is judged by schemaProblems.) */
export function tableReadable(role: DbRole, table: string, columns: ReadonlySet<string>): boolean {
  return (READ_SCHEMA[role][table]?.columns ?? []).every((c) => columns.has(c));
}

/** "table auth_profile_store has no column store_json" / "no table session_nodes". */
export function problemText(p: SchemaProblem): string {
  return p.column ? `table ${p.table} has no column ${p.column}` : `no table ${p.table}`;
}

const SCHEMA_WORD: Record<DbRole, string> = { state: "state schema", agent: "agent schema" };

/** One state.unreadable issue for a database: every problem, what clawpatrol cannot read because of it, and the fix. */
export function schemaIssue(file: string, role: DbRole, problems: readonly SchemaProblem[], schemaVersion: number | null, newestSeen: number): ReadIssue {
  const version = schemaVersion === null ? "" : ` (${SCHEMA_WORD[role]} ${schemaVersion}; the newest clawpatrol has read is ${newestSeen})`;
  const cannot = [...new Set(problems.map((p) => p.what))].join(", ");
  return {
    kind: "state.unreadable",
    file,
    message: `${file}: ${problems.map(problemText).join(", ")}${version}: clawpatrol cannot read ${cannot} there`,
    fix: "update clawpatrol; until then `openclaw models status` is the authority for this install (`clawpatrol verify` compares the two)",
  };
}
