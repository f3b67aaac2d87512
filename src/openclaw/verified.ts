// The newest OpenClaw clawpatrol was verified on, and the newest SQLite schemas it has read: the one
// place these numbers live. Everything clawpatrol believes about a newer OpenClaw (the version
// rules of version-rules.ts take their newest side for it) is an assumption, said out loud as an
// `openclaw.unverified-version` finding; `clawpatrol verify` checks it against that OpenClaw itself.
//
// Schema versions written by the real CLI (schema_meta row "primary", also PRAGMA user_version):
//   state/openclaw.sqlite (global):   6.35 → 1, 7.35 → 1, 8.2 → 15, 9.6 → 18
//   agents/<id>/agent/*.sqlite (agent): 7.35 → 1, 8.2 → 19, 9.6 → 23
// (5.28 and 6.1 write no schema_meta; 6.35's `models status` creates the state DB on 5.28 files.)
import { compareVersions, parseVersion } from "./version.js";
import type { VersionInfo } from "./types.js";

export const NEWEST_VERIFIED = { openclaw: "2026.9.6", stateSchema: 18, agentSchema: 23 } as const;

export interface Unverified {
  what: "version" | "state-schema" | "agent-schema";
  /** The version or schema number found. */
  found: string;
  /** The newest clawpatrol was verified on / has read. */
  verified: string;
  /** The files that carry it (databases), empty for the version. */
  files: string[];
}

/** The ways this install is newer than anything clawpatrol was verified on. */
export function beyondVerified(v: Pick<VersionInfo, "version" | "schemas">): Unverified[] {
  const out: Unverified[] = [];
  if (parseVersion(v.version) && compareVersions(v.version!, NEWEST_VERIFIED.openclaw) > 0) {
    out.push({ what: "version", found: v.version!, verified: NEWEST_VERIFIED.openclaw, files: [] });
  }
  for (const role of ["state", "agent"] as const) {
    const newest = role === "state" ? NEWEST_VERIFIED.stateSchema : NEWEST_VERIFIED.agentSchema;
    const newer = (v.schemas ?? []).filter((s) => s.role === role && s.version > newest);
    if (!newer.length) continue;
    const top = Math.max(...newer.map((s) => s.version));
    out.push({ what: role === "state" ? "state-schema" : "agent-schema", found: String(top), verified: String(newest), files: newer.map((s) => s.file) });
  }
  return out;
}

/** "2026.11.2 (newer than 2026.9.6, the newest clawpatrol is verified on)", or just the version. */
export function versionWithVerification(version: string | null): string {
  if (!parseVersion(version) || compareVersions(version!, NEWEST_VERIFIED.openclaw) <= 0) return version ?? "(version unknown)";
  return `${version} (newer than ${NEWEST_VERIFIED.openclaw}, the newest clawpatrol is verified on)`;
}
