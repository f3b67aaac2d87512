// The fingerprint salt must stay the same across restarts, or every secret in the drift baseline
// would look changed. Created once, 0600, in clawpatrol's state dir. When it is lost (deleted, or
// garbage and moved aside) a new one is made and the caller re-keys the baselines' secret leaves.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { setFingerprintSalt } from "../util/secret.js";
import { moveAside, type UnreadableState } from "../state/unreadable.js";

export interface SaltOutcome {
  /** A new salt was made: fingerprints stored before it no longer compare. */
  created: boolean;
  /** The file was there but held no usable salt. */
  unreadable?: UnreadableState;
}

const VALID = /^[0-9a-f]{16,128}$/;

export function ensureSalt(stateDir: string, now = Date.now()): SaltOutcome {
  const path = join(stateDir, "fingerprint-salt");
  let text: string | null = null;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") text = "";
  }
  if (text !== null && VALID.test(text)) {
    setFingerprintSalt(text);
    return { created: false };
  }
  const outcome: SaltOutcome = { created: true };
  if (text !== null) {
    const aside = moveAside(path, now);
    outcome.unreadable = { file: path, aside, reason: text.length ? "not a salt" : "empty or unreadable", consequence: "a new salt was made and the drift baseline's secret fingerprints re-keyed (no drift reported for them)" };
  }
  const salt = randomBytes(16).toString("hex");
  writeFileAtomicSync(path, salt + "\n", 0o600);
  setFingerprintSalt(salt);
  return outcome;
}

/**
 * One-shot commands fingerprint like the daemon: with its salt once it has one. On a host with no
 * salt and no drift baseline yet (nothing stored could need re-keying), the salt is made here, so a
 * `check` before the first daemon start shows the same fingerprints as every alert after it. A lost
 * salt beside a baseline is left to the daemon, which re-keys the baseline when it makes a new one.
 */
export function useStoredSalt(stateDir: string): void {
  const path = join(stateDir, "fingerprint-salt");
  try {
    const salt = readFileSync(path, "utf8").trim();
    if (salt.length >= 16) setFingerprintSalt(salt);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") return;
  }
  if (existsSync(join(stateDir, "baselines"))) return;
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    ensureSalt(stateDir);
  } catch { /* a state dir this user cannot write: the built-in salt, for this run only */ }
}
