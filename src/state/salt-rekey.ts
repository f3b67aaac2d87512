// A new fingerprint salt makes every secret fingerprint in the drift baseline incomparable: the
// same key would look changed. Re-key: where the baseline and the file as it is now both hold a
// secret at the same leaf, the baseline takes the new fingerprint. Everything else (a non-secret
// value, a secret added or removed) still compares as before, so real drift stays drift.
import type { FileBaseline } from "../drift/check.js";
import { isSecretLeaf } from "../drift/check.js";
import type { BaselineStore } from "../drift/baseline-store.js";
import type { Installation } from "../openclaw/types.js";
import { authStorePseudoPath, authStoreSnapshot } from "../drift/auth-view.js";
import { semanticHashOf, snapshotFile, type FileSnapshot, type Leaves } from "../drift/snapshot.js";

/** Leaves re-keyed, across all baselined files (0 when nothing needed it). Saves the store when it changed. */
export async function rekeySecretFingerprints(store: BaselineStore, inst: Pick<Installation, "agents" | "paths">): Promise<number> {
  if (!store.initialized) return 0;
  const pseudo = authStorePseudoPath(inst.paths.stateDir);
  let rekeyed = 0;
  for (const base of [...store.files.values()]) {
    if (!base.leaves) continue;
    const current = base.path === pseudo ? authStoreSnapshot(inst) : await snapshotFile(base.path, { watch: true, role: base.role, kind: base.kind, sensitiveAll: base.role === "credentials" || base.role === "secrets" });
    if (!current?.leaves) continue;
    const { leaves, changed } = rekeyLeaves(base.leaves, current.leaves);
    if (changed === 0) continue;
    rekeyed += changed;
    store.setBaseline(rekeyedBaseline(base, leaves, current));
  }
  if (rekeyed > 0) store.save();
  return rekeyed;
}

/** Pure: the baseline's leaves with each secret replaced by the current fingerprint at the same leaf. */
export function rekeyLeaves(base: Leaves, current: Leaves): { leaves: Leaves; changed: number } {
  const leaves: Leaves = { ...base };
  let changed = 0;
  for (const [k, v] of Object.entries(base)) {
    const now = current[k];
    if (isSecretLeaf(v) && isSecretLeaf(now) && now !== v) {
      leaves[k] = now!;
      changed++;
    }
  }
  return { leaves, changed };
}

function rekeyedBaseline(base: FileBaseline, leaves: Leaves, current: FileSnapshot): FileBaseline {
  const semanticHash = semanticHashOf(leaves);
  // When only secrets differed, the file is as accepted: take its bytes too, so nothing looks cosmetic-changed.
  const stat = semanticHash === current.semanticHash && current.stat && base.stat ? { ...base.stat, sha256: current.stat.sha256 } : base.stat;
  return { ...base, leaves, semanticHash, stat };
}
