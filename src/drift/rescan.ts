// The backstop for missed events (inotify overflow, sleep, files that appeared in a directory that
// did not exist when watching started): enumerate every watched file on a timer and let the drift
// monitor compare full snapshots (sha256, size, mode, uid/gid, mtime, inode).
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { classifyPath, configPathOf, isWatchedDir, watchRoots, type DriftScope } from "../openclaw/watched-files.js";

/** Every existing watched file in the scope, sorted. Directories are pruned by the same rules as the watcher. */
export async function listWatchedFiles(scope: DriftScope): Promise<string[]> {
  const out = new Set<string>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (depth > 0 && isWatchedDir(path, scope)) await walk(path, depth - 1);
      } else if ((e.isFile() || e.isSymbolicLink()) && classifyPath(path, scope).watch) {
        out.add(path);
      }
    }
  };
  for (const root of watchRoots(scope)) await walk(root.dir, root.depth);
  for (const f of [configPathOf(scope), ...(scope.extraFiles ?? [])]) {
    try {
      if ((await fs.stat(f)).isFile()) out.add(f);
    } catch { /* missing: the drift check reports it if it is in the baseline */ }
  }
  return [...out].sort();
}

export interface RescannerOptions {
  intervalMs: number;
  /** Runs the scan; the caller serialises it (SerialJob) with event-driven checks. */
  onTick: () => void;
}

/** A timer that never keeps the process alive on its own. */
export class Rescanner {
  #timer: NodeJS.Timeout | null = null;
  readonly #options: RescannerOptions;

  constructor(options: RescannerOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#options.onTick(), this.#options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
