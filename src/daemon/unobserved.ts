// A missing datum is unknown, never resolved. When a re-read of the installation cannot see what a
// finding was about — openclaw.json no longer parses, the file the finding names is gone or
// unreadable — the finding's absence from this round is not a pass: its subject goes `unknown` and
// its incident stays open (no "resolved" message) until a real read judges it again.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Installation } from "../openclaw/types.js";
import type { CoveragePredicate } from "../health/tracker.js";

/** Kinds that are themselves the verdict about a read: "could not read" is observed, not missing. */
const ABOUT_THE_READ = new Set(["config.invalid", "state.unreadable"]);

/** Which snapshot subjects this installation read could not observe. */
export function unobservedBy(inst: Pick<Installation, "config" | "issues" | "paths">, fileExists: (path: string) => boolean = existsSync): CoveragePredicate {
  // Findings name files as people read them ("~/.openclaw/openclaw.json#env.KEY"): back to a path.
  const home = inst.paths.home;
  const pathOf = (file: string): string => {
    const bare = file.split("#")[0]!;
    return home && (bare === "~" || bare.startsWith("~/")) ? join(home, bare.slice(1)) : bare;
  };
  const unreadable = new Set(inst.issues.filter((i) => i.kind === "state.unreadable").map((i) => pathOf(i.file)));
  return (_key, subject, kind) => {
    if (ABOUT_THE_READ.has(kind)) return false;
    // Everything else the snapshot judges is read through the config (roster, routes, env blocks, auth stores).
    if (inst.config === null) return true;
    if (subject.file === undefined) return false;
    const file = pathOf(subject.file);
    return unreadable.has(file) || !fileExists(file);
  };
}

/**
 * The gateway's address comes from openclaw.json: while it cannot be read, keep probing the last
 * address it named rather than OpenClaw's default port (a different gateway, or none).
 */
export function keepLastKnownGateway(previous: Installation | undefined, next: Installation): Installation {
  if (next.config === null && previous && previous.config !== null) next.gateway = previous.gateway;
  return next;
}
