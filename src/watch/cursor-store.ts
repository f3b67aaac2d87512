// Where followers remember how far they have read, so a restart resumes without re-reading or
// missing anything. One JSON file in clawpatrol's state dir, written whole (atomic rename).
import { readFileSync } from "node:fs";
import { writeFileAtomic, writeFileAtomicSync } from "../util/atomic-write.js";

interface CursorFile {
  version: 1;
  cursors: Record<string, unknown>;
}

export class CursorStore {
  readonly path: string | null;
  #cursors = new Map<string, unknown>();
  #dirty = false;
  /** Why the file could not be read, if it could not (the store then starts empty). */
  readonly loadProblem: string | null = null;

  /** `path` null keeps cursors in memory only (one-shot checks, tests). */
  constructor(path: string | null) {
    this.path = path;
    if (!path) return;
    try {
      const parsed = JSON.parse(readFileSync(path, "utf8")) as CursorFile;
      if (parsed && parsed.version === 1 && parsed.cursors && typeof parsed.cursors === "object") {
        for (const [k, v] of Object.entries(parsed.cursors)) this.#cursors.set(k, v);
      } else {
        this.loadProblem = `${path}: not a clawpatrol cursor file; starting from the end of every log`;
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") this.loadProblem = `${path}: ${(err as Error).message}; starting from the end of every log (delete the file to silence this)`;
    }
  }

  get<T>(key: string): T | undefined {
    return this.#cursors.get(key) as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.#cursors.set(key, value);
    this.#dirty = true;
  }

  delete(key: string): void {
    if (this.#cursors.delete(key)) this.#dirty = true;
  }

  keys(prefix = ""): string[] {
    return [...this.#cursors.keys()].filter((k) => k.startsWith(prefix));
  }

  get dirty(): boolean {
    return this.#dirty;
  }

  #serialize(): string {
    const out: CursorFile = { version: 1, cursors: Object.fromEntries(this.#cursors) };
    return JSON.stringify(out) + "\n";
  }

  async flush(): Promise<void> {
    if (!this.path || !this.#dirty) return;
    this.#dirty = false;
    try {
      await writeFileAtomic(this.path, this.#serialize());
    } catch (err) {
      this.#dirty = true;
      throw err;
    }
  }

  flushSync(): void {
    if (!this.path || !this.#dirty) return;
    writeFileAtomicSync(this.path, this.#serialize());
    this.#dirty = false;
  }
}
