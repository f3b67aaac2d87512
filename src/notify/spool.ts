// The on-disk outbox. Every message is written here (one file per message per channel, atomic,
// mode 0600) before any send is tried, and removed only after the channel accepted it. A restart
// resumes from the files. A ledger of delivered ids suppresses duplicates after the file is gone.
import { promises as fs } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomic, writeJsonAtomic } from "../util/atomic-write.js";
import { ensureRealDirSync } from "../util/no-follow.js";
import type { AlertMessage } from "./types.js";

export interface SpoolRecord {
  v: 1;
  /** `<thread incident id>:<type>:<n>:<channel>` — deterministic, the duplicate-suppression key. */
  id: string;
  /** Global enqueue order; sends go out per channel in this order. */
  seq: number;
  channel: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt?: number;
  lastError?: string;
  message: AlertMessage;
}

export function spoolIdFor(message: AlertMessage, channel: string): string {
  return `${message.id}:${channel}`;
}

function fileNameFor(record: SpoolRecord): string {
  return `${String(record.seq).padStart(12, "0")}-${createHash("sha256").update(record.id).digest("hex").slice(0, 16)}.json`;
}

export class Spool {
  readonly dir: string;
  readonly deadDir: string;
  #queues = new Map<string, SpoolRecord[]>();
  #ids = new Set<string>();
  #seq = 0;
  /** Files that could not be parsed on load (moved to dead/). */
  readonly corrupt: string[] = [];

  constructor(dir: string, deadDir: string) {
    this.dir = dir;
    this.deadDir = deadDir;
  }

  async load(): Promise<void> {
    this.#queues.clear();
    this.#ids.clear();
    ensureRealDirSync(this.dir);
    for (const entry of await fs.readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const channelDir = join(this.dir, entry.name);
      for (const file of (await fs.readdir(channelDir)).sort()) {
        if (!file.endsWith(".json") || file.startsWith(".")) continue;
        const path = join(channelDir, file);
        let record: SpoolRecord;
        try {
          record = JSON.parse(await fs.readFile(path, "utf8")) as SpoolRecord;
          if (record.v !== 1 || typeof record.id !== "string" || typeof record.seq !== "number" || !record.message) throw new Error("shape");
        } catch {
          await this.#quarantine(path, `${entry.name}-${file}.corrupt`);
          this.corrupt.push(path);
          continue;
        }
        record.channel = entry.name;
        this.#queue(entry.name).push(record);
        this.#ids.add(record.id);
        this.#seq = Math.max(this.#seq, record.seq);
      }
    }
    for (const q of this.#queues.values()) q.sort((a, b) => a.seq - b.seq);
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Writes the message to disk; returns null if that id is already queued. */
  async add(channel: string, message: AlertMessage, now: number): Promise<SpoolRecord | null> {
    const id = spoolIdFor(message, channel);
    if (this.#ids.has(id)) return null;
    const record: SpoolRecord = { v: 1, id, seq: ++this.#seq, channel, createdAt: now, attempts: 0, nextAttemptAt: now, message };
    this.#ids.add(id);
    try {
      await this.#write(record);
    } catch (err) {
      this.#ids.delete(id);
      throw err;
    }
    this.#queue(channel).push(record);
    return record;
  }

  head(channel: string): SpoolRecord | undefined {
    return this.#queues.get(channel)?.[0];
  }

  channels(): string[] {
    return [...this.#queues.keys()];
  }

  records(channel?: string): SpoolRecord[] {
    if (channel) return [...(this.#queues.get(channel) ?? [])];
    return [...this.#queues.values()].flat().sort((a, b) => a.seq - b.seq);
  }

  depth(channel?: string): number {
    if (channel) return this.#queues.get(channel)?.length ?? 0;
    let n = 0;
    for (const q of this.#queues.values()) n += q.length;
    return n;
  }

  /** Persist attempt bookkeeping (so backoff survives a restart). */
  async update(record: SpoolRecord): Promise<void> {
    await this.#write(record);
  }

  /** A spool (or channel) directory replaced by a symlink must not carry alerts somewhere else. */
  async #write(record: SpoolRecord): Promise<void> {
    ensureRealDirSync(this.dir);
    ensureRealDirSync(join(this.dir, record.channel));
    await writeJsonAtomic(this.#pathOf(record), record);
  }

  /** The channel accepted it. */
  async remove(record: SpoolRecord): Promise<void> {
    await fs.rm(this.#pathOf(record), { force: true });
    this.#drop(record);
  }

  /** Gave up: keep it for a person to look at, out of the send path. */
  async bury(record: SpoolRecord): Promise<string> {
    const target = `${record.channel}-${fileNameFor(record)}`;
    await this.#quarantine(this.#pathOf(record), target);
    this.#drop(record);
    return join(this.deadDir, target);
  }

  #drop(record: SpoolRecord): void {
    const q = this.#queues.get(record.channel);
    if (q) {
      const i = q.indexOf(record);
      if (i >= 0) q.splice(i, 1);
    }
    this.#ids.delete(record.id);
  }

  async #quarantine(path: string, name: string): Promise<void> {
    await fs.mkdir(this.deadDir, { recursive: true, mode: 0o700 });
    await fs.rename(path, join(this.deadDir, name)).catch(() => fs.rm(path, { force: true }));
  }

  #queue(channel: string): SpoolRecord[] {
    let q = this.#queues.get(channel);
    if (!q) this.#queues.set(channel, (q = []));
    return q;
  }

  #pathOf(record: SpoolRecord): string {
    return join(this.dir, record.channel, fileNameFor(record));
  }
}

/** Ids of messages a channel accepted, kept for `keepMs` so a replayed transition is not sent twice. */
export class SentLedger {
  readonly path: string;
  readonly keepMs: number;
  #sent = new Map<string, number>();

  constructor(path: string, keepMs = 30 * 86_400_000) {
    this.path = path;
    this.keepMs = keepMs;
  }

  async load(): Promise<void> {
    this.#sent.clear();
    let text: string;
    try {
      text = await fs.readFile(this.path, "utf8");
    } catch {
      return;
    }
    try {
      const data = JSON.parse(text) as { sent?: Record<string, number> };
      for (const [id, at] of Object.entries(data.sent ?? {})) if (typeof at === "number") this.#sent.set(id, at);
    } catch {
      // A torn ledger only risks a duplicate, never a lost alert; start over.
      await fs.rename(this.path, `${this.path}.corrupt`).catch(() => undefined);
    }
  }

  has(id: string): boolean {
    return this.#sent.has(id);
  }

  async add(id: string, at: number): Promise<void> {
    this.#sent.set(id, at);
    for (const [k, t] of this.#sent) if (at - t > this.keepMs) this.#sent.delete(k);
    await writeFileAtomic(this.path, JSON.stringify({ v: 1, sent: Object.fromEntries(this.#sent) }) + "\n");
  }
}
