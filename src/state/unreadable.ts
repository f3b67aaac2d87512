// clawpatrol's own state files that could not be read. Each one is logged once (warning), moved
// aside as `<file>.corrupt-<epoch ms>` (kept for a person to look at), and reported as a
// `state.unreadable` finding naming the file, what clawpatrol did instead, and the fix — for as long
// as the moved-aside copy exists (deleting it is the acknowledgement).
import { existsSync, renameSync } from "node:fs";
import { makeFinding, type Finding, type Severity } from "../checks/finding.js";

export interface UnreadableState {
  /** The state file (or spool entry) that could not be read. */
  file: string;
  /** Where it was moved; null if it could not be moved (then the finding stays until a restart). */
  aside: string | null;
  /** Why it could not be read ("Unexpected token", "unknown format"). */
  reason: string;
  /** What clawpatrol does instead ("rebuilt from observation; nothing was resolved"). */
  consequence: string;
  /** info: recovered without loss that matters; warning: something was lost (an alert). */
  severity?: Severity;
}

/** Move a broken file out of the way; the new name, or null when it could not be moved. */
export function moveAside(path: string, now: number): string | null {
  const aside = `${path}.corrupt-${now}`;
  try {
    renameSync(path, aside);
    return aside;
  } catch {
    return null;
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

interface Logger {
  warn(obj: object, msg: string): void;
}

export class OwnStateProblems {
  readonly #log: Logger;
  readonly #items = new Map<string, UnreadableState & { at: number; key: string }>();

  constructor(log: Logger) {
    this.#log = log;
  }

  /** One warning line per file and incident of damage (the same file broken again is news again). */
  record(p: UnreadableState, at: number): void {
    const seen = this.#items.get(p.file);
    if (seen && seen.aside === p.aside) return;
    const finding = toFinding({ ...p }, at);
    this.#items.set(p.file, { ...p, at, key: finding.key });
    this.#log.warn({ file: p.file, movedTo: p.aside, reason: p.reason }, `${p.file} could not be read (${p.reason}); ${p.aside ? `moved to ${p.aside}; ` : ""}${p.consequence}`);
  }

  /** Current findings: one per file whose moved-aside copy still exists. */
  findings(at: number): Finding[] {
    const out: Finding[] = [];
    for (const p of this.#items.values()) {
      if (p.aside && !existsSync(p.aside)) continue;
      out.push(toFinding(p, p.at, at));
    }
    return out;
  }

  /** Keys of every finding this reporter ever raised (its report covers them; other sources must not). */
  owns(key: string): boolean {
    for (const p of this.#items.values()) if (p.key === key) return true;
    return false;
  }

  get size(): number {
    return this.#items.size;
  }

  /** For status.json: what was unreadable, where it went. */
  list(): { file: string; movedTo: string | null; reason: string; at: string }[] {
    return [...this.#items.values()].map((p) => ({ file: p.file, movedTo: p.aside, reason: p.reason, at: new Date(p.at).toISOString() }));
  }
}

function toFinding(p: UnreadableState, happenedAt: number, at = happenedAt): Finding {
  return makeFinding({
    kind: "state.unreadable",
    severity: p.severity ?? "info",
    subject: { file: p.file },
    summary: `clawpatrol's own ${p.file} could not be read (${p.reason}); ${p.consequence}`,
    detail: p.aside ? `Look at ${p.aside} (what was there), then delete it.` : `Check the permissions of ${p.file}.`,
    evidence: { movedTo: p.aside, at: new Date(happenedAt).toISOString() },
    at,
  });
}
