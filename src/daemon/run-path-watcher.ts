// Low-latency trigger for the run followers: chokidar on the agent directories and the gateway
// log directory. The followers read only new bytes/rows, so a spurious trigger costs one stat.
import chokidar, { type FSWatcher } from "chokidar";
import { existsSync } from "node:fs";
import type { RunWatcher } from "../watch/run-watcher.js";

export class RunPathWatcher {
  #watcher: FSWatcher | null = null;
  #paths = new Set<string>();
  readonly #onChange: () => void;
  readonly #onError: (err: unknown) => void;

  constructor(onChange: () => void, onError: (err: unknown) => void) {
    this.#onChange = onChange;
    this.#onError = onError;
  }

  update(runs: RunWatcher): void {
    const wanted = runs.watchPaths().filter((p) => existsSync(p));
    const added = wanted.filter((p) => !this.#paths.has(p));
    if (added.length === 0) return;
    for (const p of added) this.#paths.add(p);
    if (!this.#watcher) {
      this.#watcher = chokidar.watch(added, { ignoreInitial: true, depth: 1, persistent: true });
      this.#watcher.on("all", () => this.#onChange());
      this.#watcher.on("error", (err) => this.#onError(err));
    } else {
      this.#watcher.add(added);
    }
  }

  async close(): Promise<void> {
    await this.#watcher?.close();
    this.#watcher = null;
  }
}
