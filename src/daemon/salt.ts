// The fingerprint salt must stay the same across restarts, or every secret in the drift baseline
// would look changed. Created once, 0600, in clawpatrol's state dir.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { setFingerprintSalt } from "../util/secret.js";

export function ensureSalt(stateDir: string): void {
  const path = join(stateDir, "fingerprint-salt");
  let salt = existsSync(path) ? readFileSync(path, "utf8").trim() : "";
  if (salt.length < 16) {
    salt = randomBytes(16).toString("hex");
    writeFileAtomicSync(path, salt + "\n", 0o600);
  }
  setFingerprintSalt(salt);
}

/** One-shot commands fingerprint like the daemon when it has run (and create nothing when it has not). */
export function useStoredSalt(stateDir: string): void {
  const path = join(stateDir, "fingerprint-salt");
  try {
    const salt = readFileSync(path, "utf8").trim();
    if (salt.length >= 16) setFingerprintSalt(salt);
  } catch { /* no daemon yet: the built-in salt */ }
}
