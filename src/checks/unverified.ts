// An OpenClaw newer than any clawpatrol was verified on, or a database schema newer than any it has
// read, is said — never guessed silently: one info finding naming what was verified and what
// clawpatrol assumes (a newer version and its newer schemas are one fact; a newer schema under a
// known or unknown version is its own). Pure.
import { join } from "node:path";
import { makeFinding, type Finding } from "./finding.js";
import { tildify } from "../openclaw/paths.js";
import { beyondVerified, NEWEST_VERIFIED, type Unverified } from "../openclaw/verified.js";
import type { Installation } from "../openclaw/types.js";

const CHECK_IT = "`clawpatrol verify` compares clawpatrol's reading with this OpenClaw's own `openclaw models status` (the daemon runs it once a day and after config changes; a difference is a clawpatrol.disagrees finding)";
const SCHEMA_WORD = { "state-schema": "state schema", "agent-schema": "agent schema" } as const;
const CHECKED = "checked that every table and column it reads is there";

export function unverifiedFindings(inst: Installation, now: number): Finding[] {
  const home = inst.paths.home ?? "";
  const all = beyondVerified(inst.version);
  const version = all.find((u) => u.what === "version");
  const schemas = all.filter((u): u is Unverified & { what: "state-schema" | "agent-schema" } => u.what !== "version");
  const schemaEvidence = schemas.map((u) => ({ schema: SCHEMA_WORD[u.what], found: Number(u.found), verified: Number(u.verified), files: u.files.map((f) => tildify(f, home)) }));
  if (version) {
    const newer = schemas.length ? `, and its databases are newer than any clawpatrol has read (${schemas.map((u) => `${SCHEMA_WORD[u.what]} ${u.found} > ${u.verified}`).join(", ")})` : "";
    return [
      makeFinding({
        kind: "openclaw.unverified-version",
        severity: "info",
        summary: `OpenClaw ${version.found} is newer than ${version.verified}, the newest version clawpatrol is verified on${newer}: clawpatrol assumes it behaves like ${version.verified} (every version rule takes its newest side; storage era ${inst.version.era} as its files show)${schemas.length ? ` and ${CHECKED}` : ""}`,
        detail: CHECK_IT,
        evidence: { found: version.found, verified: version.verified, ...(schemas.length ? { schemas: schemaEvidence } : {}) },
        at: now,
      }),
    ];
  }
  return schemas.map((u, i) => {
    const files = schemaEvidence[i]!.files;
    return makeFinding({
      kind: "openclaw.unverified-version",
      severity: "info",
      subject: { file: u.what === "state-schema" ? files[0]! : tildify(join(inst.paths.stateDir, "agents"), home) },
      summary: `${files.length > 1 ? `${files.length} agent databases have` : `${files[0]} has`} ${SCHEMA_WORD[u.what]} ${u.found}, newer than ${u.verified} (the newest clawpatrol has read, written by OpenClaw ${NEWEST_VERIFIED.openclaw}): clawpatrol assumes the tables and columns it reads mean what they meant, and ${CHECKED}`,
      detail: CHECK_IT,
      evidence: schemaEvidence[i]!,
      at: now,
    });
  });
}
