// audit.jsonl: one JSON line per remedy step, appended and fsync'd before the step's command runs
// (intent) and after it (result), so a crash always leaves evidence. Mode 0600.
import { writeSync, fsyncSync, closeSync, readFileSync, mkdirSync, existsSync } from "node:fs";
import { openAppendNoFollowSync } from "../util/no-follow.js";
import { dirname } from "node:path";
import { redactDeep } from "../util/secret.js";
import type { AuditRecord } from "./types.js";

export class AuditLog {
  readonly path: string;
  constructor(path: string) {
    this.path = path;
  }

  append(record: AuditRecord): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const line = JSON.stringify(redactDeep(record)) + "\n";
    const fd = openAppendNoFollowSync(this.path);
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Every record, oldest first. A torn last line (crash mid-write) is skipped. */
  read(): AuditRecord[] {
    if (!existsSync(this.path)) return [];
    const out: AuditRecord[] = [];
    for (const line of readFileSync(this.path, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as AuditRecord);
      } catch { /* torn line */ }
    }
    return out;
  }

  /**
   * The last `n` actions for the status file, newest first: result, recovered and dry-run records,
   * plus intents that never got a result (the process died mid-step).
   */
  recent(n: number): AuditRecord[] {
    const records = this.read();
    const finished = new Set(records.filter((r) => r.phase !== "intent").map((r) => `${r.opId}|${r.op}`));
    return records
      .filter((r) => r.phase !== "intent" || !finished.has(`${r.opId}|${r.op}`))
      .reverse()
      .slice(0, n);
  }
}
