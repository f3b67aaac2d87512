// Eras C–E: per-agent openclaw-agent.sqlite (auth_profile_store / auth_profile_state, row "primary")
// and, in era E, the shared store in state/openclaw.sqlite (config_machine_state keys
// authProfiles.store / authProfiles.state). Opened read-only.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { emptyStore, parseProfiles, parseState, type AuthStore } from "./auth-store.js";
import { withSqlite } from "./sqlite-read.js";
import { tableReadable } from "./schema-spec.js";
import type { ReadIssue } from "./types.js";
import { agentDbPath } from "./agent-files.js";

function parse(text: unknown, file: string, what: string, issues: ReadIssue[]): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    issues.push({ kind: "state.unreadable", file, message: `${file}: ${what} is not valid JSON` });
    return undefined;
  }
}

export function readAgentSqliteStore(agentDir: string, agentId: string, issues: ReadIssue[]): AuthStore | null {
  const file = agentDbPath(agentDir);
  if (!existsSync(file)) return null;
  return withSqlite(file, issues, (db) => {
    const t = db.tables();
    const store = emptyStore(file);
    // A table without the columns read is reported by the schema check (version.ts): not read here.
    const readable = (table: string) => t.has(table) && tableReadable("agent", table, db.columns(table));
    if (readable("auth_profile_store")) {
      const row = db.get("SELECT store_json FROM auth_profile_store WHERE store_key = 'primary'");
      parseProfiles(parse(row?.store_json, file, "auth_profile_store", issues), store, file);
    }
    if (readable("auth_profile_state")) {
      const row = db.get("SELECT state_json FROM auth_profile_state WHERE state_key = 'primary'");
      parseState(parse(row?.state_json, file, "auth_profile_state", issues), store, `${file}#auth_profile_state`, agentId);
    }
    return store;
  });
}

export function readSharedSqliteStore(stateDir: string, issues: ReadIssue[]): AuthStore | null {
  const file = join(stateDir, "state", "openclaw.sqlite");
  if (!existsSync(file)) return null;
  return withSqlite(file, issues, (db) => {
    if (!db.tables().has("config_machine_state") || !tableReadable("state", "config_machine_state", db.columns("config_machine_state"))) return null;
    const store = emptyStore(file);
    const get = (key: string) => db.get("SELECT value_json FROM config_machine_state WHERE state_key = ?", key)?.value_json;
    parseProfiles(parse(get("authProfiles.store"), file, "authProfiles.store", issues), store, file);
    parseState(parse(get("authProfiles.state"), file, "authProfiles.state", issues), store, `${file}#authProfiles.state`);
    return store;
  });
}
