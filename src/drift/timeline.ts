// When did each config key take its current value? The config-stale check compares the value a key
// had when the gateway started with the value it has now. Bounded: a few entries per key.
import type { Leaves } from "./snapshot.js";

export interface TimelineEntry {
  at: number;
  /** Leaf value (redacted encoding), or null when the key was removed. */
  v: string | null;
}

/** path → entries, oldest first. Plain JSON so it persists as is. */
export type ConfigTimeline = Record<string, TimelineEntry[]>;

const MAX_ENTRIES_PER_KEY = 6;
const MAX_KEYS = 50_000;

/** Record the config's leaves as observed at `at`. Returns the paths whose value changed. */
export function observeConfig(timeline: ConfigTimeline, leaves: Leaves, at: number): string[] {
  const changed: string[] = [];
  const first = Object.keys(timeline).length === 0;
  const record = (path: string, v: string | null): void => {
    let entries = timeline[path];
    if (!entries) {
      if (v === null) return;
      // A key that appears after the first observation was absent before it.
      entries = timeline[path] = first ? [] : [{ at: 0, v: null }];
    }
    const last = entries[entries.length - 1];
    if (last && last.v === v) return;
    if (!last && v === null) return;
    entries.push({ at, v });
    if (entries.length > MAX_ENTRIES_PER_KEY) entries.splice(0, entries.length - MAX_ENTRIES_PER_KEY);
    if (last) changed.push(path);
  };
  for (const [path, v] of Object.entries(leaves)) record(path, v);
  for (const path of Object.keys(timeline)) if (!(path in leaves)) record(path, null);
  const keys = Object.keys(timeline);
  if (keys.length > MAX_KEYS) {
    // Drop keys that are gone and oldest first.
    const gone = keys.filter((k) => timeline[k]!.at(-1)!.v === null).sort((a, b) => timeline[a]!.at(-1)!.at - timeline[b]!.at(-1)!.at);
    for (const k of gone.slice(0, keys.length - MAX_KEYS)) delete timeline[k];
  }
  return changed;
}

/** Value of a key at time `at`. Before the first observation we assume the first observed value. */
export function valueAt(entries: readonly TimelineEntry[], at: number): TimelineEntry | undefined {
  let found: TimelineEntry | undefined;
  for (const e of entries) {
    if (e.at <= at) found = e;
    else break;
  }
  return found ?? entries[0];
}
