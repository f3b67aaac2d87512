// Eras A and B: agents/<id>/agent/auth-profiles.json (+ inline usageStats in A) and auth-state.json (B).
import { existsSync } from "node:fs";
import { readTextFile } from "./config-loader.js";
import { emptyStore, parseProfiles, parseState, type AuthStore } from "./auth-store.js";
import type { ReadIssue } from "./types.js";
import { isPlainObject } from "./config-path.js";
import { authProfilesPath, authStatePath } from "./agent-files.js";

function readJson(file: string, issues: ReadIssue[]): unknown {
  if (!existsSync(file)) return undefined;
  const r = readTextFile(file);
  if (!r.ok) {
    issues.push(r.issue!);
    return undefined;
  }
  try {
    return JSON.parse(r.text!);
  } catch (err) {
    issues.push({ kind: "state.unreadable", file, message: `${file} is not valid JSON: ${(err as Error).message.split("\n")[0]}`, fix: `restore ${file} from a backup or re-add the key with openclaw models auth paste-api-key` });
    return undefined;
  }
}

/** One agent's JSON store. The state file wins over inline state, key by key. */
export function readJsonAuthStore(agentDir: string, agentId: string, issues: ReadIssue[]): AuthStore | null {
  const profilesFile = authProfilesPath(agentDir);
  const stateFile = authStatePath(agentDir);
  const profiles = readJson(profilesFile, issues);
  if (profiles !== undefined && !(isPlainObject(profiles) && (profiles.profiles === undefined || isPlainObject(profiles.profiles)))) {
    issues.push({ kind: "state.unreadable", file: profilesFile, message: `${profilesFile}: "profiles" must be an object of profile id → credential (OpenClaw cannot use this store)`, fix: `restore ${profilesFile} from a backup or re-add the key with openclaw models auth paste-api-key` });
  }
  const state = readJson(stateFile, issues);
  if (profiles === undefined && state === undefined) return null;
  const store = emptyStore(profilesFile);
  parseProfiles(profiles, store, profilesFile);
  parseState(profiles, store, profilesFile, agentId);
  parseState(state, store, stateFile, agentId);
  return store;
}
