// Which OpenClaw wrote this state dir, and which storage era its files are in (research §0.2).
// Files decide the era (that is what we read); the version number is reported and fills gaps.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Exec } from "../util/exec.js";
import { resolveOpenClawBin } from "./cli.js";
import { getStr } from "./config-path.js";
import { readTextFile } from "./config-loader.js";
import { withSqlite, type SqliteReader } from "./sqlite-read.js";
import { schemaIssue, schemaProblems, type DbRole } from "./schema-spec.js";
import { NEWEST_VERIFIED } from "./verified.js";
import type { Era, ReadIssue, VersionInfo } from "./types.js";
import { agentDbPath, authProfilesPath, authStatePath } from "./agent-files.js";

/** "2026.9.6" → [2026, 9, 6]; prerelease suffixes ignored. */
export function parseVersion(v: string | null | undefined): [number, number, number] | null {
  const m = /(\d{4})\.(\d+)\.(\d+)/.exec(v ?? "");
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return 0;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/**
 * The era a version writes, used only as a tie-break when the files cannot decide (fresh install,
 * no auth store yet). Verified on disk with the real CLI: 2026.4.14, 2026.5.28 and 2026.6.1 write
 * JSON auth stores (B); 2026.7.35 writes per-agent SQLite auth with JSONL sessions (C); 2026.8.2 and
 * 2026.9.6 keep sessions in the agent SQLite and the shared auth store in state/openclaw.sqlite (E).
 * Boundaries between those versions are guesses (C starts after 6.1, E after 7.35); era D
 * (sessions in SQLite, no shared store) was seen in no released version we could run: only files decide it.
 */
export function eraForVersion(v: string | null): Era {
  if (!parseVersion(v)) return "unknown";
  if (compareVersions(v!, "2026.4.6") < 0) return "A";
  if (compareVersions(v!, "2026.6.5") < 0) return "B";
  if (compareVersions(v!, "2026.8.0") < 0) return "C";
  return "E";
}

/**
 * Per-agent `model` string semantics: strict (no fallbacks) since 2026.4.27 (CHANGELOG: "keep
 * per-agent primary models strict when fallbacks is omitted"); before that it kept global fallbacks.
 */
export function strictAgentModels(version: string | null, rosterShape: string): boolean {
  void rosterShape;
  if (!parseVersion(version)) return true;
  return compareVersions(version!, "2026.4.27") >= 0;
}

export interface VersionInputs {
  stateDir: string;
  config: Record<string, unknown> | null;
  agentDirs: string[];
  exec?: Exec;
  openclawBin?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The version in the package.json of the `openclaw` the CLI would run (npm's bin is a symlink to
 * `<prefix>/node_modules/openclaw/openclaw.mjs`): what `openclaw --version` prints, read in a
 * millisecond instead of a ~0.25 s process start. Checked equal to `--version` for 2026.5.28, 6.1,
 * 6.35, 7.35, 8.2 and 9.6 installed from npm. null for a wrapper script or anything not laid out so
 * (the caller then asks the CLI).
 */
export function packageVersion(bin: string, env: NodeJS.ProcessEnv | undefined): string | null {
  const real = resolveOpenClawBin(bin, env ?? process.env);
  if (!real) return null;
  let dir = dirname(real);
  for (let up = 0; up < 3; up++, dir = dirname(dir)) {
    const r = readTextFile(join(dir, "package.json"));
    if (!r.ok) continue;
    try {
      const pkg = JSON.parse(r.text!) as { name?: unknown; version?: unknown };
      if (pkg.name === "openclaw" && typeof pkg.version === "string" && parseVersion(pkg.version)) return pkg.version;
    } catch {
      /* not a package.json we can read: keep looking */
    }
  }
  return null;
}

async function cliVersion(exec: Exec, bin: string, env?: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    const r = await exec(bin, ["--version"], { timeoutMs: 15_000, env });
    if (r.code !== 0) return null;
    const m = /OpenClaw\s+(\d{4}\.\d+\.\d+[\w.-]*)/i.exec(r.stdout) ?? /(\d{4}\.\d+\.\d+[\w.-]*)/.exec(r.stdout);
    return m ? m[1]! : null;
  } catch {
    return null;
  }
}

export interface StorageEvidence {
  era: Era;
  evidence: string[];
  sharedStateDb: boolean;
  agentDbs: Map<string, { hasSessions: boolean; hasAuth: boolean }>;
}

/** The schema version in a database's schema_meta (row "primary"), or null when it has none. */
function schemaVersionOf(db: SqliteReader, tables: Set<string>): { schema: number | null; app: string | null } {
  if (!tables.has("schema_meta") || !db.columns("schema_meta").has("meta_key")) return { schema: null, app: null };
  const row = db.get("SELECT * FROM schema_meta WHERE meta_key = 'primary'");
  const n = Number(row?.schema_version);
  return { schema: row?.schema_version !== undefined && Number.isInteger(n) ? n : null, app: row?.app_version ? String(row.app_version) : null };
}

/**
 * A state.unreadable issue when this database lacks a table or column clawpatrol reads (a newer
 * schema); returns the tables that cannot be read.
 */
export function checkSchema(db: SqliteReader, file: string, role: DbRole, tables: Set<string>, schema: number | null, issues: ReadIssue[]): Set<string> {
  const problems = schemaProblems(role, tables, (t) => db.columns(t), schema);
  if (problems.length) issues.push(schemaIssue(file, role, problems, schema, role === "state" ? NEWEST_VERIFIED.stateSchema : NEWEST_VERIFIED.agentSchema));
  return new Set(problems.filter((p) => p.column).map((p) => p.table));
}

export function storageEvidence(stateDir: string, agentDirs: string[], issues: ReadIssue[]): StorageEvidence & { schemaVersion: string | null; schemas: NonNullable<VersionInfo["schemas"]> } {
  const evidence: string[] = [];
  let era: Era = "unknown";
  let schemaVersion: string | null = null;
  let sharedStateDb = false;
  const schemas: NonNullable<VersionInfo["schemas"]> = [];
  const statePath = join(stateDir, "state", "openclaw.sqlite");
  if (existsSync(statePath)) {
    withSqlite(statePath, issues, (db) => {
      const tables = db.tables();
      const meta = schemaVersionOf(db, tables);
      if (meta.app) schemaVersion = meta.app;
      if (meta.schema !== null) schemas.push({ file: statePath, role: "state", version: meta.schema });
      if (meta.schema !== null || meta.app) evidence.push(`state/openclaw.sqlite schema_meta: state schema ${meta.schema ?? "?"}, app ${meta.app ?? "?"}`);
      const unreadable = checkSchema(db, statePath, "state", tables, meta.schema, issues);
      if (tables.has("config_machine_state") && !unreadable.has("config_machine_state")) {
        const loc = db.get("SELECT value_json FROM config_machine_state WHERE state_key = 'auth.sharedStore'");
        const store = db.get("SELECT 1 AS x FROM config_machine_state WHERE state_key = 'authProfiles.store'");
        if ((loc && String(loc.value_json).includes("state-db")) || store) {
          sharedStateDb = true;
          evidence.push("state/openclaw.sqlite holds the shared auth store (config_machine_state authProfiles.store)");
        }
      }
    });
  }
  const agentDbs = new Map<string, { hasSessions: boolean; hasAuth: boolean }>();
  for (const dir of agentDirs) {
    const p = agentDbPath(dir);
    if (!existsSync(p)) continue;
    withSqlite(p, issues, (db) => {
      const t = db.tables();
      const meta = schemaVersionOf(db, t);
      if (meta.schema !== null) schemas.push({ file: p, role: "agent", version: meta.schema });
      checkSchema(db, p, "agent", t, meta.schema, issues);
      agentDbs.set(dir, { hasSessions: t.has("session_nodes"), hasAuth: t.has("auth_profile_store") });
    });
  }
  const anySessions = [...agentDbs.values()].some((d) => d.hasSessions);
  const anyAuthDb = [...agentDbs.values()].some((d) => d.hasAuth);
  if (sharedStateDb) era = "E";
  else if (anySessions) {
    era = "D";
    evidence.push("per-agent openclaw-agent.sqlite has session_nodes (sessions in SQLite)");
  } else if (anyAuthDb) {
    era = "C";
    evidence.push("per-agent openclaw-agent.sqlite has auth_profile_store but no session tables");
  } else {
    if (agentDirs.some((d) => existsSync(authStatePath(d)))) {
      era = "B";
      evidence.push("agents/*/agent/auth-state.json exists");
    } else if (agentDirs.some((d) => inlineUsage(authProfilesPath(d)))) {
      era = "A";
      evidence.push("auth-profiles.json holds inline usageStats");
    } else if (agentDirs.some((d) => existsSync(authProfilesPath(d)))) {
      // A JSON store with no SQLite store beside it is what OpenClaw reads (2026.6.1 writes exactly
      // this). A and B differ only in where usage state lives; B is the version-free reading.
      era = "B";
      evidence.push("agents/*/agent/auth-profiles.json is the auth store (no agent SQLite auth store)");
    }
  }
  return { era, evidence, sharedStateDb, agentDbs, schemaVersion, schemas };
}

function inlineUsage(file: string): boolean {
  if (!existsSync(file)) return false;
  const r = readTextFile(file);
  if (!r.ok) return false;
  try {
    const j = JSON.parse(r.text!) as Record<string, unknown>;
    return typeof j.usageStats === "object" && j.usageStats !== null || typeof j.order === "object" && j.order !== null || typeof j.lastGood === "object" && j.lastGood !== null;
  } catch {
    return false;
  }
}

export function listAgentDirsOnDisk(stateDir: string): string[] {
  try {
    return readdirSync(join(stateDir, "agents"))
      .sort()
      .map((id) => join(stateDir, "agents", id, "agent"))
      .filter((d) => existsSync(d));
  } catch {
    return [];
  }
}

export async function detectVersion(inputs: VersionInputs, issues: ReadIssue[]): Promise<VersionInfo & { storage: StorageEvidence & { schemas: NonNullable<VersionInfo["schemas"]> } }> {
  const storage = storageEvidence(inputs.stateDir, inputs.agentDirs, issues);
  const evidence = [...storage.evidence];
  let version: string | null = null;
  let source: VersionInfo["source"] = "none";
  if (inputs.exec) {
    const bin = inputs.openclawBin ?? "openclaw";
    const fromPackage = packageVersion(bin, inputs.env);
    const v = fromPackage ?? (await cliVersion(inputs.exec, bin, inputs.env));
    if (v) {
      version = v;
      source = "cli";
      evidence.unshift(fromPackage ? `openclaw package.json: ${v}` : `openclaw --version: ${v}`);
    }
  }
  if (storage.schemaVersion && !version) {
    version = storage.schemaVersion;
    source = "schema";
  }
  const meta = getStr(inputs.config, "meta", "lastTouchedVersion");
  if (meta) {
    evidence.push(`openclaw.json meta.lastTouchedVersion: ${meta}`);
    if (!version) {
      version = meta;
      source = "meta";
    }
  }
  let era = storage.era;
  const byVersion = eraForVersion(version);
  if (era === "unknown") {
    era = byVersion;
    if (era !== "unknown") evidence.push(`era ${era} inferred from version ${version} (no storage files decide it yet)`);
  } else if (era === "B" && byVersion === "A") {
    era = "A";
    evidence.push(`JSON auth store without usage state; version ${version} is era A (tie-break)`);
  } else if (byVersion !== "unknown" && byVersion !== era) {
    evidence.push(`files say era ${era} but version ${version} suggests era ${byVersion} (the files are what is read)`);
  }
  return { version, source, era, evidence, schemas: storage.schemas, storage };
}
