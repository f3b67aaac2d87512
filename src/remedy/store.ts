// remedy-state.json: what clawpatrol switched (so a restart knows), switch counts for the caps,
// gateway restarts for the budget, and the switch in progress (for crash recovery).
// Written whole-or-nothing; a lock file keeps the daemon and a manual `clawpatrol fallback` apart.
import { readFileSync, existsSync, openSync, writeSync, closeSync, unlinkSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { emptyState, type RemedyState } from "./types.js";
import { SerialQueue } from "../util/serial-job.js";

export class StoreLockedError extends Error {}

export class RemedyStore {
  readonly path: string;
  readonly lockPath: string;
  readonly #queue = new SerialQueue();

  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.path = join(dir, "remedy-state.json");
    this.lockPath = join(dir, "remedy.lock");
  }

  /** Current state; a missing or unreadable file is an empty state (the reason is returned too). */
  load(): RemedyState {
    if (!existsSync(this.path)) return emptyState();
    try {
      const parsed = JSON.parse(readFileSync(this.path, "utf8")) as Partial<RemedyState>;
      return { ...emptyState(), ...parsed, version: 1 };
    } catch {
      return emptyState();
    }
  }

  save(state: RemedyState): void {
    writeFileAtomicSync(this.path, JSON.stringify(state, null, 2) + "\n", 0o600);
  }

  /** Run `fn` holding the in-process queue and the cross-process lock file. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      this.#acquire();
      try {
        return await fn();
      } finally {
        this.#release();
      }
    });
  }

  #acquire(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockPath, "wx", 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const holder = Number(readFileSafe(this.lockPath));
        if (holder && holder !== process.pid && alive(holder)) {
          throw new StoreLockedError(`another clawpatrol process (pid ${holder}) is changing OpenClaw's config right now (lock ${this.lockPath}); try again in a minute`);
        }
        try { unlinkSync(this.lockPath); } catch { /* raced */ }
      }
    }
    throw new StoreLockedError(`could not take the remedy lock ${this.lockPath}`);
  }

  #release(): void {
    try { unlinkSync(this.lockPath); } catch { /* already gone */ }
  }
}

function readFileSafe(path: string): string {
  try { return readFileSync(path, "utf8").trim(); } catch { return ""; }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
