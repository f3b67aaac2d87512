// Health state on disk: $XDG_STATE_HOME/clawpatrol/health.json (dir 0700, file 0600), written
// atomically and synchronously, so a SIGKILL at any instant leaves either the old or the new file —
// never a torn one — and a restart resumes open incidents without re-alerting.
import { readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { clawpatrolStateDir } from "../util/paths.js";
import type { TrackerState } from "./tracker.js";

export interface HealthStoreOptions {
  /** clawpatrol's state dir (default $CLAWPATROL_STATE_DIR or $XDG_STATE_HOME/clawpatrol). */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  /** File name inside the dir (default health.json). */
  name?: string;
}

export class HealthStore {
  readonly dir: string;
  readonly path: string;
  /** Set when the stored file was unreadable and moved aside. */
  loadError: string | null = null;

  constructor(options: HealthStoreOptions = {}) {
    this.dir = options.dir ?? clawpatrolStateDir(options.env);
    this.path = join(this.dir, options.name ?? "health.json");
  }

  /** The last saved state, or null on first run. A corrupt file is moved aside (and reported in loadError). */
  load(): TrackerState | null {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch {
      return null;
    }
    try {
      const state = JSON.parse(text) as TrackerState;
      if (state.version !== 1 || !Array.isArray(state.members) || !Array.isArray(state.open)) throw new Error("unknown format");
      return state;
    } catch (err) {
      const aside = `${this.path}.corrupt-${Date.now()}`;
      try { renameSync(this.path, aside); } catch { /* start empty */ }
      this.loadError = `${this.path} could not be read (${err instanceof Error ? err.message : String(err)}); moved to ${aside}, starting with no open incidents`;
      return null;
    }
  }

  /** Write-ahead: call before acting on the transitions derived from this state. */
  save(state: TrackerState): void {
    writeFileAtomicSync(this.path, JSON.stringify(state) + "\n");
  }

  /** A persist hook for HealthTracker. */
  persister(): (state: TrackerState) => void {
    return (state) => this.save(state);
  }
}
