// Before the daemon's stores open their files: every persisted file of this install is checked,
// and one that cannot be read is moved aside and reported (OwnStateProblems) — so each store starts
// from "absent" and the daemon knows what was lost and can recover honestly (see own-state.ts).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { errorText, moveAside, type OwnStateProblems, type UnreadableState } from "./unreadable.js";

type Shape = (v: any) => boolean; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);

export const SHAPES = {
  health: ((v) => v?.version === 1 && Array.isArray(v.members) && Array.isArray(v.open)) as Shape,
  notifyState: ((v) => v?.v === 1 && isObject(v.planner) && isObject(v.planner.tracked) && Array.isArray(v.planner.groups)) as Shape,
  remedy: ((v) => isObject(v) && (v.active === undefined || isObject(v.active)) && (v.switches === undefined || isObject(v.switches)) && (v.gatewayRestarts === undefined || Array.isArray(v.gatewayRestarts))) as Shape,
  cursors: ((v) => v?.version === 1 && isObject(v.cursors)) as Shape,
  baseline: ((v) => v?.version === 1 && isObject(v.files)) as Shape,
  spoolEntry: ((v) => v?.v === 1 && typeof v.id === "string" && typeof v.seq === "number" && isObject(v.message)) as Shape,
  sentLedger: ((v) => isObject(v) && (v.sent === undefined || isObject(v.sent))) as Shape,
};

/** The reason a present file is unusable, or null when it is fine (or absent). */
export function unusable(path: string, shape: Shape): string | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? null : `cannot be read (${code ?? errorText(err)})`;
  }
  if (text.trim() === "") return "empty";
  try {
    return shape(JSON.parse(text)) ? null : "not in the expected format";
  } catch {
    return "not valid JSON";
  }
}

/** Check one file; when unusable, move it aside, record it and return true. */
export function checkStateFile(path: string, shape: Shape, consequence: string, problems: OwnStateProblems, now: number, severity: UnreadableState["severity"] = "info"): boolean {
  const reason = unusable(path, shape);
  if (reason === null) return false;
  problems.record({ file: path, aside: moveAside(path, now), reason, consequence, severity }, now);
  return true;
}

/** Each queued alert file; a broken one is an alert lost for its channel (warning). */
export function checkSpool(notifyDir: string, problems: OwnStateProblems, now: number): number {
  const spool = join(notifyDir, "spool");
  if (!existsSync(spool)) return 0;
  let lost = 0;
  for (const channel of safeList(spool)) {
    const dir = join(spool, channel);
    for (const file of safeList(dir)) {
      if (!file.endsWith(".json") || file.startsWith(".")) continue;
      const consequence = `one alert queued for channel "${channel}" is lost (it cannot be sent); the rest of the queue is sent as usual`;
      if (checkStateFile(join(dir, file), SHAPES.spoolEntry, consequence, problems, now, "warning")) lost++;
    }
  }
  return lost;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
