// Publishes the status snapshot: status.json (0600, atomic: readers see the old file or the new
// one, never a mix) and optionally a Prometheus textfile. Writes are serialised; a burst of
// updates collapses to the newest snapshot. A refresh timer rewrites at least every interval
// so `clawpatrol status` can tell a live daemon from a dead one.
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../util/atomic-write.js";
import { redactDeep } from "../util/secret.js";
import type { Logger } from "../util/log.js";
import type { StatusSnapshot } from "./snapshot.js";
import { validateStatus, formatSchemaErrors } from "./validate.js";
import { writePrometheusTextfile, type ExtraMetrics } from "./prometheus.js";
import { fsErrorLine } from "../util/fs-error.js";

export interface StatusWriterOptions {
  path: string;
  /** Refresh period of start(); default 60 s. */
  intervalMs?: number;
  prometheusTextfile?: string;
  /** Families outside the snapshot (probe latency histogram), written to the textfile too. */
  extraMetrics?: ExtraMetrics;
  log?: Logger;
}

export class StatusWriter {
  readonly path: string;
  #options: StatusWriterOptions;
  #pending: StatusSnapshot | null = null;
  #running: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #last: StatusSnapshot | null = null;
  writes = 0;
  failures = 0;

  constructor(options: StatusWriterOptions) {
    this.path = options.path;
    this.#options = options;
  }

  /** The last snapshot handed to write() (what /metrics serves). */
  get current(): StatusSnapshot | null {
    return this.#last;
  }

  /** Queue a snapshot; resolves once it (or a newer one) is on disk. Never rejects. */
  write(snapshot: StatusSnapshot): Promise<void> {
    this.#last = redactDeep(snapshot);
    this.#pending = this.#last;
    this.#running ??= this.#drain();
    return this.#running;
  }

  async #drain(): Promise<void> {
    // #running is cleared in the same synchronous step that finds nothing pending, so a write()
    // can never slip in between and be left unwritten.
    try {
      while (this.#pending) await this.#writeOne();
    } finally {
      this.#running = null;
    }
  }

  async #writeOne(): Promise<void> {
    const snapshot = this.#pending;
    if (!snapshot) return;
    this.#pending = null;
    const problems = validateStatus(snapshot);
    if (problems.length) this.#options.log?.warn({ problems: formatSchemaErrors(problems) }, "status snapshot does not match schema/status.schema.json");
    try {
      await writeFileAtomic(this.path, JSON.stringify(snapshot, null, 2) + "\n", 0o600);
      if (this.#options.prometheusTextfile) await writePrometheusTextfile(this.#options.prometheusTextfile, snapshot, this.#options.extraMetrics?.() ?? []);
      this.writes++;
    } catch (err) {
      this.failures++;
      this.#options.log?.warn({ path: this.path, error: (err as Error).message }, "could not write the status file");
    }
  }

  /** Rewrites `build()` every interval (unref'd timer). Call write() as well on every state change. */
  start(build: () => StatusSnapshot): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => { void this.write(build()); }, this.#options.intervalMs ?? 60_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}

export type StatusRead =
  | { ok: true; snapshot: StatusSnapshot }
  | { ok: false; reason: "missing" | "unreadable" | "invalid"; message: string };

/** Reads and validates a status file; every failure is one line naming the file. */
export async function readStatusFile(path: string): Promise<StatusRead> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, reason: "missing", message: `no status file at ${path}` };
    return { ok: false, reason: "unreadable", message: fsErrorLine(err) ?? `${path}: ${(err as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: "unreadable", message: `${path}: not JSON (${(err as Error).message})` };
  }
  const problems = validateStatus(value);
  if (problems.length) {
    return { ok: false, reason: "invalid", message: `${path}: does not match the status schema: ${problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join("; ")}` };
  }
  return { ok: true, snapshot: value as StatusSnapshot };
}
