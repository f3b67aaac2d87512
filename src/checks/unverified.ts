// An OpenClaw newer than any clawpatrol was verified on, or a database schema newer than any it has
// read, is said — never guessed silently: one info finding each, naming what was verified and what
// clawpatrol assumes. Pure.
import { join } from "node:path";
import { makeFinding, type Finding } from "./finding.js";
import { tildify } from "../openclaw/paths.js";
import { beyondVerified, NEWEST_VERIFIED } from "../openclaw/verified.js";
import type { Installation } from "../openclaw/types.js";

const CHECK_IT = "`clawpatrol verify` compares clawpatrol's reading with this OpenClaw's own `openclaw models status` (the daemon runs it once a day and after config changes; a difference is a clawpatrol.disagrees finding)";

export function unverifiedFindings(inst: Installation, now: number): Finding[] {
  const home = inst.paths.home ?? "";
  return beyondVerified(inst.version).map((u) => {
    const files = u.files.map((f) => tildify(f, home));
    if (u.what === "version") {
      return makeFinding({
        kind: "openclaw.unverified-version",
        severity: "info",
        summary: `OpenClaw ${u.found} is newer than ${u.verified}, the newest version clawpatrol is verified on: clawpatrol assumes it behaves like ${u.verified} (every version rule takes its newest side; storage era ${inst.version.era} as its files show)`,
        detail: CHECK_IT,
        evidence: { found: u.found, verified: u.verified },
        at: now,
      });
    }
    const word = u.what === "state-schema" ? "state schema" : "agent schema";
    const many = files.length > 1;
    return makeFinding({
      kind: "openclaw.unverified-version",
      severity: "info",
      subject: { file: u.what === "state-schema" ? files[0]! : tildify(join(inst.paths.stateDir, "agents"), home) },
      summary: `${many ? `${files.length} agent databases have` : `${files[0]} has`} ${word} ${u.found}, newer than ${u.verified} (the newest clawpatrol has read, written by OpenClaw ${NEWEST_VERIFIED.openclaw}): clawpatrol assumes the tables and columns it reads are unchanged, and checked that each is there`,
      detail: CHECK_IT,
      evidence: { found: Number(u.found), verified: Number(u.verified), files },
      at: now,
    });
  });
}
