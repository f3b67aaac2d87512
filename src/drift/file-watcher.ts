// chokidar on the *directories* of the installation (editors and OpenClaw replace files by rename),
// filtered to exact watched names, debounced so an editor's atomic save or a burst of writes
// becomes one callback with the set of changed paths. Callbacks never overlap; changes arriving
// while one runs are coalesced into a single follow-up.
import { existsSync } from "node:fs";
import { basename, dirname, isAbsolute, join, sep } from "node:path";
import type { FSWatcher } from "chokidar";
import { SerialJob } from "../util/serial-job.js";
import { classifyPath, isWatchedDir, watchRoots, type DriftScope } from "../openclaw/watched-files.js";

export interface FileWatcherOptions {
  scope: DriftScope;
  /** Quiet time after the last event before the batch is delivered. */
  debounceMs?: number;
  /** Upper bound on how long a continuous stream of events can delay a batch. */
  maxWaitMs?: number;
  /** Receives each batch of changed watched paths (absolute, deduplicated, sorted). */
  onBatch: (paths: string[]) => Promise<void> | void;
  onError?: (err: unknown) => void;
  /** Further exact files to report (e.g. clawpatrol's own baseline file, moved by `accept`). */
  controlFiles?: readonly string[];
}

export class FileWatcher {
  #scope: DriftScope;
  readonly #options: FileWatcherOptions;
  #watcher: FSWatcher | null = null;
  #pending = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #firstEventAt: number | null = null;
  readonly #job: SerialJob;
  #control: Set<string>;

  constructor(options: FileWatcherOptions) {
    this.#options = options;
    this.#scope = options.scope;
    this.#control = new Set(options.controlFiles ?? []);
    this.#job = new SerialJob(async () => {
      const paths = [...this.#pending].sort();
      this.#pending.clear();
      if (paths.length) await this.#options.onBatch(paths);
    }, { onError: (err) => this.#options.onError?.(err) });
  }

  /** Is this path something the watcher reports? */
  isWatched(path: string): boolean {
    return this.#control.has(path) || classifyPath(path, this.#scope).watch;
  }

  #roots(): string[] {
    const roots = watchRoots(this.#scope).map((r) => r.dir);
    for (const f of this.#control) {
      const dir = dirname(f);
      if (!roots.includes(dir)) roots.push(dir);
    }
    return roots;
  }

  #ignored = (path: string): boolean => {
    const roots = this.#roots();
    if (roots.includes(path) || roots.some((r) => r.startsWith(path + sep))) return false;
    if (this.isWatched(path)) return false;
    return !isWatchedDir(path, this.#scope);
  };

  async start(): Promise<void> {
    if (this.#watcher) return;
    // chokidar reports "ready" before nested directories are watched when a root does not exist;
    // missing directories are covered by the periodic rescan instead. Imported here: one-shot
    // commands that only compare against a baseline never start a watcher.
    const { watch } = await import("chokidar");
    if (this.#watcher) return;
    const watcher = watch(this.#roots().filter((r) => existsSync(r)), {
      ignoreInitial: true,
      persistent: true,
      depth: 3,
      ignored: this.#ignored,
      atomic: true,
    });
    this.#watcher = watcher;
    watcher.on("all", (_event, path) => {
      if (this.isWatched(path)) this.#note(path);
    });
    // chokidar drops a chmod-only change of a file read since its last write (it compares atime and
    // mtime); the raw fs.watch event still arrives, so take watched paths from there too.
    watcher.on("raw", (_event, name, details) => {
      const watchedPath = (details as { watchedPath?: string } | undefined)?.watchedPath;
      if (!watchedPath || typeof name !== "string") return;
      const full = isAbsolute(name) ? name : basename(watchedPath) === name ? watchedPath : join(watchedPath, name);
      if (this.isWatched(full)) this.#note(full);
    });
    watcher.on("error", (err) => this.#options.onError?.(err));
    await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  }

  /** Update the scope (e.g. new `$include` files); new directories are added to the watch. */
  setScope(scope: DriftScope): void {
    const before = new Set(this.#roots());
    this.#scope = scope;
    const added = this.#roots().filter((r) => !before.has(r));
    const existing = added.filter((r) => existsSync(r));
    if (existing.length && this.#watcher) this.#watcher.add(existing);
  }

  #note(path: string): void {
    this.#pending.add(path);
    const now = Date.now();
    this.#firstEventAt ??= now;
    const debounce = this.#options.debounceMs ?? 200;
    const maxWait = this.#options.maxWaitMs ?? 1000;
    const delay = Math.max(0, Math.min(debounce, maxWait - (now - this.#firstEventAt)));
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(), delay);
  }

  #flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#firstEventAt = null;
    return this.#job.trigger();
  }

  /** Deliver whatever is pending now and wait for the callback (shutdown, tests). */
  async flushNow(): Promise<void> {
    if (this.#pending.size) await this.#flush();
    await this.#job.idle();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const w = this.#watcher;
    this.#watcher = null;
    if (w) await w.close();
    await this.#job.idle();
  }
}
