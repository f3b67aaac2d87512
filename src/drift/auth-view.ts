// Logical drift of auth stores kept in SQLite (eras C–E): their files change on every run (WAL),
// so instead of bytes we compare what the adapter read — profile ids, types and secret
// fingerprints — as a pseudo-file "<stateDir>#auth-store". OAuth access/refresh tokens rotate by
// design, so OAuth profiles contribute their presence and type only.
import { join, relative } from "node:path";
import type { Installation, Credential } from "../openclaw/types.js";
import { semanticHashOf, type FileSnapshot, type Leaves } from "./snapshot.js";

export function authStorePseudoPath(stateDir: string): string {
  return join(stateDir, "#auth-store");
}

function storeIsDatabase(c: Credential): boolean {
  const f = c.source.file ?? "";
  return c.source.kind === "profile" && (/\.sqlite\b/.test(f) || f.includes("#"));
}


/** Leaves of every stored profile in a database-backed auth store, deduplicated across agents. */
export function authStoreLeaves(inst: Pick<Installation, "agents" | "paths">): Leaves {
  const leaves: Leaves = {};
  for (const agent of inst.agents) {
    for (const pc of agent.credentials) {
      for (const cred of [pc.winner, ...pc.others]) {
        if (!cred || !storeIsDatabase(cred)) continue;
        const file = cred.source.file!.split("#")[0]!;
        const store = relative(inst.paths.stateDir, file) || file;
        const base = `${store}#${cred.source.profileId ?? cred.id}`;
        leaves[`${base}.provider`] = JSON.stringify(cred.provider);
        leaves[`${base}.type`] = JSON.stringify(cred.type);
        if (cred.unresolved) leaves[`${base}.unresolved`] = JSON.stringify(cred.unresolved);
        else if (cred.type === "oauth") leaves[`${base}.credential`] = JSON.stringify(cred.secret ? "present" : "absent");
        else leaves[`${base}.credential`] = cred.secret ? `secret:${cred.secret.fingerprint}` : JSON.stringify("absent");
      }
    }
  }
  return leaves;
}

/** A synthetic snapshot of the logical auth store; null when the installation has no database store. */
export function authStoreSnapshot(inst: Pick<Installation, "agents" | "paths">): FileSnapshot | null {
  const leaves = authStoreLeaves(inst);
  const path = authStorePseudoPath(inst.paths.stateDir);
  if (Object.keys(leaves).length === 0) return { path, role: "auth", kind: "json", stat: null, leaves: null, semanticHash: "missing" };
  const semanticHash = semanticHashOf(leaves);
  return {
    path,
    role: "auth",
    kind: "json",
    stat: { size: Object.keys(leaves).length, mode: 0, uid: 0, gid: 0, mtimeMs: 0, ino: 0, sha256: semanticHash.slice(4) },
    leaves,
    semanticHash,
  };
}
