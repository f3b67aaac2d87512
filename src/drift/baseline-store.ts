// The accepted baseline of every watched file, persisted under clawpatrol's state dir (one file per
// OpenClaw state dir). Only `clawpatrol accept` (or the first run) moves it; changes clawpatrol makes
// itself are recorded beforehand (`recordOwnChange`) and absorbed instead of reported as drift.
// Holds only redacted leaves (fingerprints, never a raw secret). Files 0600, dirs 0700, atomic writes.
import { existsSync, readFileSync, renameSync } from "node:fs";
import { createHash } from "node:crypto";
import { join, sep } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { clawpatrolStateDir } from "../util/paths.js";
import type { FileBaseline } from "./check.js";
import type { FileSnapshot } from "./snapshot.js";
import type { ConfigTimeline } from "./timeline.js";
import { fileIdentity } from "../util/file-identity.js";

export interface PendingOwnChange {
  file: string;
  /** sha256 of the file bytes (or the semantic hash) the change will produce; null = the next change of this file. */
  expectedContentHash: string | null;
  note: string;
  recordedAt: number;
  expiresAt: number;
}

export interface OwnChangeEvent {
  file: string;
  note: string;
  at: number;
  changes: string[];
}

interface BaselineFileV1 {
  version: 1;
  stateDir: string;
  createdAt: number;
  updatedAt: number;
  files: Record<string, FileBaseline>;
  timeline: ConfigTimeline;
  ownChangeLog: OwnChangeEvent[];
}

const MAX_OWN_CHANGE_LOG = 100;
const DEFAULT_OWN_CHANGE_WINDOW_MS = 5 * 60_000;

export function installationId(stateDir: string): string {
  return createHash("sha256").update(stateDir).digest("hex").slice(0, 12);
}

export interface BaselineStoreOptions {
  /** OpenClaw state dir this baseline is for. */
  stateDir: string;
  /** clawpatrol's own state dir (default: $CLAWPATROL_STATE_DIR or $XDG_STATE_HOME/clawpatrol). */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  /** Adopt a baseline an earlier daemon stored under this state dir's id instead (it keyed by its own dir). */
  legacyStateDir?: string;
}

function toBaseline(s: FileSnapshot, at: number, note?: string): FileBaseline {
  const b: FileBaseline = { ...s, acceptedAt: at };
  if (note) b.note = note;
  return b;
}

export class BaselineStore {
  readonly path: string;
  readonly pendingPath: string;
  readonly stateDir: string;
  /** Set when the stored file was unreadable and has been moved aside (one line for the log). */
  loadError: string | null = null;
  #data: BaselineFileV1;
  #files = new Map<string, FileBaseline>();
  #identity: string | null = null;

  constructor(options: BaselineStoreOptions) {
    const dir = join(options.dir ?? clawpatrolStateDir(options.env), "baselines");
    const id = installationId(options.stateDir);
    this.stateDir = options.stateDir;
    this.path = join(dir, `${id}.json`);
    this.pendingPath = join(dir, `${id}.own-changes.json`);
    if (options.legacyStateDir) this.#adopt(join(dir, installationId(options.legacyStateDir)));
    this.#data = this.#empty();
    this.#load();
  }

  /**
   * The daemon's own baseline of an earlier version wins: drift open at the upgrade stays drift, and
   * one an old `accept` wrote under this id (never read by that daemon, other fingerprints) goes aside.
   */
  #adopt(legacy: string): void {
    if (!existsSync(`${legacy}.json`)) return;
    try {
      const data = JSON.parse(readFileSync(`${legacy}.json`, "utf8")) as BaselineFileV1;
      if (!Object.keys(data.files ?? {}).some((f) => f.startsWith(this.stateDir + sep))) return;
      if (existsSync(this.path)) renameSync(this.path, `${this.path}.superseded`);
      writeFileAtomicSync(this.path, JSON.stringify({ ...data, stateDir: this.stateDir }) + "\n");
      renameSync(`${legacy}.json`, `${legacy}.json.adopted`);
      if (existsSync(`${legacy}.own-changes.json`)) renameSync(`${legacy}.own-changes.json`, this.pendingPath);
    } catch { /* unreadable: the baseline is re-created from the current files, as on a first run */ }
  }

  #empty(): BaselineFileV1 {
    return { version: 1, stateDir: this.stateDir, createdAt: 0, updatedAt: 0, files: {}, timeline: {}, ownChangeLog: [] };
  }

  #load(): void {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch {
      return;
    }
    try {
      const parsed = JSON.parse(text) as BaselineFileV1;
      if (parsed.version !== 1 || typeof parsed.files !== "object") throw new Error("unknown format");
      this.#data = { ...this.#empty(), ...parsed };
      this.#files = new Map(Object.entries(this.#data.files));
      this.#identity = fileIdentity(this.path);
    } catch (err) {
      const aside = `${this.path}.corrupt-${Date.now()}`;
      try { renameSync(this.path, aside); } catch { /* keep going with an empty baseline */ }
      this.loadError = `${this.path} could not be read (${err instanceof Error ? err.message : String(err)}); moved to ${aside}, the baseline will be re-created from the current files`;
    }
  }

  /** True once a baseline has been accepted (first run accepts the current files). */
  get initialized(): boolean {
    return this.#data.createdAt > 0;
  }

  get files(): ReadonlyMap<string, FileBaseline> {
    return this.#files;
  }

  get timeline(): ConfigTimeline {
    return this.#data.timeline;
  }

  get ownChangeLog(): readonly OwnChangeEvent[] {
    return this.#data.ownChangeLog;
  }

  /** Re-read the file if another process (`clawpatrol accept`) replaced it. Returns true if it did. */
  reloadIfChanged(): boolean {
    const id = fileIdentity(this.path);
    if (id === this.#identity) return false;
    const before = this.#identity;
    this.#load();
    return this.#identity !== before;
  }

  /** Accept these snapshots as the new baseline for their files (a missing file drops its baseline). */
  accept(snapshots: Iterable<FileSnapshot>, at: number, note?: string): void {
    for (const s of snapshots) {
      if (s.stat) this.#files.set(s.path, toBaseline(s, at, note));
      else this.#files.delete(s.path);
    }
    if (!this.#data.createdAt) this.#data.createdAt = at;
    this.#data.updatedAt = at;
  }

  /** Replace the whole baseline with exactly these snapshots. */
  acceptAll(snapshots: Iterable<FileSnapshot>, at: number, note?: string): void {
    this.#files.clear();
    this.accept(snapshots, at, note);
  }

  /** Set one file's baseline directly (own-change absorption). */
  setBaseline(baseline: FileBaseline): void {
    this.#files.set(baseline.path, baseline);
  }

  logOwnChange(event: OwnChangeEvent): void {
    this.#data.ownChangeLog.push(event);
    if (this.#data.ownChangeLog.length > MAX_OWN_CHANGE_LOG) this.#data.ownChangeLog.splice(0, this.#data.ownChangeLog.length - MAX_OWN_CHANGE_LOG);
  }

  save(): void {
    this.#data.files = Object.fromEntries(this.#files);
    writeFileAtomicSync(this.path, JSON.stringify(this.#data) + "\n");
    this.#identity = fileIdentity(this.path);
  }

  /**
   * Announce a change clawpatrol is about to make (remedy): the next change of `file` that matches
   * `expectedContentHash` (sha256 of the bytes, see `fileSha256`, or null for "whatever it becomes")
   * within the window is absorbed into the baseline and logged as ours, not reported as drift.
   * Call it before the write; calling right after also works while the daemon has not yet seen it.
   * Persisted in a side file so a separate CLI process can announce changes to a running daemon.
   */
  recordOwnChange(file: string, expectedContentHash: string | null, note: string, options: { at?: number; windowMs?: number } = {}): PendingOwnChange {
    const at = options.at ?? Date.now();
    const pending: PendingOwnChange = { file, expectedContentHash, note, recordedAt: at, expiresAt: at + (options.windowMs ?? DEFAULT_OWN_CHANGE_WINDOW_MS) };
    const list = this.pendingOwnChanges(at);
    list.push(pending);
    this.#writePending(list);
    return pending;
  }

  /** Unexpired announcements. */
  pendingOwnChanges(now: number): PendingOwnChange[] {
    try {
      const list = JSON.parse(readFileSync(this.pendingPath, "utf8")) as PendingOwnChange[];
      return Array.isArray(list) ? list.filter((p) => p && typeof p.file === "string" && p.expiresAt > now) : [];
    } catch {
      return [];
    }
  }

  /** Remove an announcement once its change has been absorbed. */
  consumeOwnChange(pending: PendingOwnChange, now: number): void {
    const list = this.pendingOwnChanges(now).filter((p) => !(p.file === pending.file && p.recordedAt === pending.recordedAt && p.note === pending.note));
    this.#writePending(list);
  }

  #writePending(list: PendingOwnChange[]): void {
    writeFileAtomicSync(this.pendingPath, JSON.stringify(list.slice(-100)) + "\n");
  }
}
