// The drift pipeline the daemon runs: watcher + periodic rescan → snapshots → config.drift against
// the accepted baseline, with clawpatrol's own changes absorbed and the config timeline kept for
// gateway.config-stale. Every report carries the complete set of current drift findings and the keys
// it covers, ready for HealthTracker.report().
import type { Finding } from "../checks/finding.js";
import { checkDrift, diffFile, diffLeaves, driftKeyFor, formatLeafChange, type FileBaseline, type FileDiff } from "./check.js";
import { checkConfigStale, type ConfigStaleInput } from "./config-stale.js";
import type { BaselineStore, OwnChangeEvent, PendingOwnChange } from "./baseline-store.js";
import type { Installation } from "../openclaw/types.js";
import { systemClock, type Clock } from "../util/clock.js";
import { WATCHED_FILES_TEXT, classifyPath, configPathOf, type DriftScope } from "../openclaw/watched-files.js";
import { flattenJson, semanticHashOf, snapshotFile, type FileSnapshot } from "./snapshot.js";
import { authStorePseudoPath, authStoreSnapshot } from "./auth-view.js";
import { observeConfig } from "./timeline.js";
import { FileWatcher } from "./file-watcher.js";
import { Rescanner, listWatchedFiles } from "./rescan.js";
import { SerialJob } from "../util/serial-job.js";

export type DriftReason = "initial" | "events" | "rescan" | "installation" | "baseline-moved";

export interface DriftReport {
  at: number;
  reason: DriftReason;
  /** Files that were re-read for this report. */
  changedPaths: string[];
  /** Every file currently drifted from its accepted baseline (complete set, not only new ones). */
  findings: Finding[];
  /** Every `config.drift` key this report has a verdict for (absent from findings = pass). */
  coveredKeys: string[];
  /** Changes clawpatrol announced and that were absorbed into the baseline (log or show them as ours). */
  ownChanges: OwnChangeEvent[];
  /** Config keys whose value changed since the previous observation. */
  configChangedKeys: string[];
}

export interface DriftMonitorOptions {
  scope: DriftScope;
  store: BaselineStore;
  clock?: Clock;
  debounceMs?: number;
  maxWaitMs?: number;
  /** Full rescan interval (default 5 min). 0 disables it. */
  rescanIntervalMs?: number;
  /** Called after every check (events, rescan, installation observation). */
  onReport?: (report: DriftReport) => void | Promise<void>;
  onError?: (err: unknown) => void;
  /**
   * Where the config timeline (for gateway.config-stale) comes from: "file" parses the root config
   * file itself ($include not resolved); "installation" uses `observeInstallation(inst)` only
   * (resolved config). Default "file".
   */
  timelineSource?: "file" | "installation";
}

/** What drift watches for an installation; `accept`, `check` and the daemon use the same scope. */
export function driftScopeOf(inst: Pick<Installation, "paths" | "configFiles">, env: NodeJS.ProcessEnv): DriftScope {
  const home = inst.paths.home ?? env.HOME;
  return {
    stateDir: inst.paths.stateDir,
    configPath: inst.paths.configPath,
    ...(home ? { home } : {}),
    ...(env.XDG_CONFIG_HOME ? { xdgConfigHome: env.XDG_CONFIG_HOME } : {}),
    extraFiles: inst.configFiles.filter((f) => f !== inst.paths.configPath),
  };
}

const sameIdentity = (a: FileSnapshot | undefined, b: FileSnapshot): boolean =>
  !!a && a.semanticHash === b.semanticHash && a.stat?.sha256 === b.stat?.sha256 && a.stat?.mode === b.stat?.mode && a.stat?.uid === b.stat?.uid && a.stat?.gid === b.stat?.gid;

export class DriftMonitor {
  #scope: DriftScope;
  readonly store: BaselineStore;
  readonly #clock: Clock;
  readonly #options: DriftMonitorOptions;
  readonly #current = new Map<string, FileSnapshot>();
  /** The snapshot before each file's latest change (for absorbing own changes announced late). */
  readonly #previous = new Map<string, FileSnapshot>();
  #watcher: FileWatcher | null = null;
  #rescanner: Rescanner | null = null;
  readonly #rescanJob: SerialJob;
  #lastReport: DriftReport | null = null;

  constructor(options: DriftMonitorOptions) {
    this.#options = options;
    this.#scope = options.scope;
    this.store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#rescanJob = new SerialJob(async () => { await this.rescan(); }, { onError: options.onError });
  }

  get scope(): DriftScope {
    return this.#scope;
  }

  get current(): ReadonlyMap<string, FileSnapshot> {
    return this.#current;
  }

  get lastReport(): DriftReport | null {
    return this.#lastReport;
  }

  /** Initial full scan (accepting it as the baseline on the very first run), then watch and rescan. */
  async start(options: { watch?: boolean } = {}): Promise<DriftReport> {
    const report = await this.rescan("initial");
    if (options.watch === false) return report;
    this.#watcher = new FileWatcher({
      scope: this.#scope,
      debounceMs: this.#options.debounceMs,
      maxWaitMs: this.#options.maxWaitMs,
      controlFiles: [this.store.path, this.store.pendingPath],
      onBatch: (paths) => this.#onBatch(paths),
      onError: this.#options.onError,
    });
    await this.#watcher.start();
    const interval = this.#options.rescanIntervalMs ?? 5 * 60_000;
    if (interval > 0) {
      this.#rescanner = new Rescanner({ intervalMs: interval, onTick: () => void this.#rescanJob.trigger() });
      this.#rescanner.start();
    }
    return report;
  }

  async stop(): Promise<void> {
    this.#rescanner?.stop();
    this.#rescanner = null;
    await this.#watcher?.stop();
    this.#watcher = null;
    await this.#rescanJob.idle();
  }

  /** Deliver pending watcher events now (tests, shutdown). */
  async flush(): Promise<void> {
    await this.#watcher?.flushNow();
  }

  async #onBatch(paths: string[]): Promise<void> {
    const control = paths.filter((p) => p === this.store.path || p === this.store.pendingPath);
    const files = paths.filter((p) => !control.includes(p));
    if (control.includes(this.store.path) && this.store.reloadIfChanged()) {
      await this.rescan("baseline-moved");
      return;
    }
    // Our own baseline writes echo back as events: nothing to do unless files or announcements changed.
    if (files.length === 0 && !control.includes(this.store.pendingPath)) return;
    await this.checkPaths(files, "events");
  }

  /** New `$include` files etc. Takes effect for the watcher and the next rescan. */
  setScope(scope: DriftScope): void {
    this.#scope = scope;
    this.#watcher?.setScope(scope);
  }

  /** Re-read every watched file and every baselined file. */
  async rescan(reason: DriftReason = "rescan"): Promise<DriftReport> {
    // Also the backstop for a baseline moved by `clawpatrol accept` in another process.
    if (this.store.reloadIfChanged()) reason = "baseline-moved";
    const listed = await listWatchedFiles(this.#scope);
    const paths = new Set(listed);
    const pseudo = authStorePseudoPath(this.#scope.stateDir);
    for (const p of this.store.files.keys()) if (p !== pseudo) paths.add(p);
    for (const p of this.#current.keys()) if (p !== pseudo) paths.add(p);
    return this.checkPaths([...paths].sort(), reason);
  }

  async #snapshot(path: string): Promise<FileSnapshot | null> {
    const info = classifyPath(path, this.#scope);
    if (info.watch) return snapshotFile(path, info);
    const base = this.store.files.get(path);
    if (!base) return null;
    // Baselined but no longer in scope (an $include that was dropped): still compare it.
    return snapshotFile(path, { watch: true, role: base.role, kind: base.kind, sensitiveAll: base.role === "credentials" || base.role === "secrets" });
  }

  /** The drift findings of the files as they are now, against the stored baseline; changes nothing. */
  async peek(inst?: Pick<Installation, "agents" | "paths" | "config" | "configFiles">): Promise<Finding[]> {
    this.store.reloadIfChanged();
    const pseudo = authStorePseudoPath(this.#scope.stateDir);
    const paths = new Set(await listWatchedFiles(this.#scope));
    for (const p of this.store.files.keys()) if (p !== pseudo) paths.add(p);
    const current = new Map<string, FileSnapshot>();
    for (const path of paths) {
      const snap = await this.#snapshot(path);
      if (snap) current.set(path, snap);
    }
    const auth = inst && this.store.files.has(pseudo) ? authStoreSnapshot(inst) : null;
    if (auth) current.set(auth.path, auth);
    return checkDrift({ baseline: this.store.files, current, at: this.#clock.now() });
  }

  /** Re-read these files and report drift. */
  async checkPaths(paths: readonly string[], reason: DriftReason = "events"): Promise<DriftReport> {
    const at = this.#clock.now();
    const updates: FileSnapshot[] = [];
    for (const path of paths) {
      const snap = await this.#snapshot(path);
      if (snap) updates.push(snap);
    }
    return this.#apply(updates, reason, at);
  }

  /**
   * Feed what the adapter read: logical auth-store drift (SQLite eras), `$include` files for the
   * watcher, and (timelineSource "installation") the resolved config for gateway.config-stale.
   */
  observeInstallation(inst: Pick<Installation, "agents" | "paths" | "config" | "configFiles"> & Partial<Pick<Installation, "configExists">>): Promise<DriftReport> {
    const extra = inst.configFiles.filter((f) => f !== configPathOf(this.#scope));
    const known = this.#scope.extraFiles ?? [];
    if (extra.length !== known.length || extra.some((f) => !known.includes(f))) this.setScope({ ...this.#scope, extraFiles: extra });
    const at = this.#clock.now();
    const updates: FileSnapshot[] = [];
    // A config that exists but cannot be read leaves no roster to read the stores through: not observed, not deleted.
    const auth = inst.configExists && !inst.config ? null : authStoreSnapshot(inst);
    if (auth) updates.push(auth);
    let configChanged: string[] = [];
    if (this.#options.timelineSource === "installation" && inst.config) {
      configChanged = observeConfig(this.store.timeline, flattenJson(inst.config).leaves, at);
    }
    return this.#apply(updates, "installation", at, configChanged);
  }

  async #apply(updates: FileSnapshot[], reason: DriftReason, at: number, configChangedKeys: string[] = []): Promise<DriftReport> {
    let dirty = configChangedKeys.length > 0;
    const changedPaths: string[] = [];
    const pseudo = authStorePseudoPath(this.#scope.stateDir);
    for (const snap of updates) {
      const prev = this.#current.get(snap.path);
      if (!sameIdentity(prev, snap)) {
        changedPaths.push(snap.path);
        if (prev) this.#previous.set(snap.path, prev);
      }
      this.#current.set(snap.path, snap);
      if (snap.path === pseudo && !this.store.files.has(pseudo) && this.store.initialized) {
        // First logical observation of the auth store: it becomes the baseline, like files on the first run.
        this.store.accept([snap], at, "first observation");
        dirty = true;
      }
      if (snap.role === "config" && (this.#options.timelineSource ?? "file") === "file" && snap.leaves) {
        const keys = observeConfig(this.store.timeline, snap.leaves, at);
        if (keys.length) configChangedKeys.push(...keys);
        dirty = true;
      }
    }
    if (!this.store.initialized) {
      this.store.acceptAll([...this.#current.values()], at, "first run");
      dirty = true;
    }
    const ownChanges = this.#absorbOwnChanges(at);
    if (ownChanges.length) dirty = true;
    if (dirty) this.store.save();

    const findings = checkDrift({ baseline: this.store.files, current: this.#current, at });
    const files = new Set([...this.store.files.keys(), ...this.#current.keys()]);
    const report: DriftReport = {
      at,
      reason,
      changedPaths,
      findings,
      coveredKeys: [...files].sort().map(driftKeyFor),
      ownChanges,
      configChangedKeys,
    };
    this.#lastReport = report;
    await this.#options.onReport?.(report);
    return report;
  }

  #absorbOwnChanges(at: number): OwnChangeEvent[] {
    const pending = this.store.pendingOwnChanges(at);
    if (!pending.length) return [];
    const events: OwnChangeEvent[] = [];
    for (const p of pending) {
      const cur = this.#current.get(p.file);
      const prev = this.#previous.get(p.file);
      if (!cur || !prev || cur.path !== p.file) continue;
      if (p.expectedContentHash !== null && p.expectedContentHash !== cur.stat?.sha256 && p.expectedContentHash !== cur.semanticHash) continue;
      // Only changes after the announcement (or the one just before it, when announced late).
      if (p.expectedContentHash === null && (cur.stat?.mtimeMs ?? at) < p.recordedAt - 2_000) continue;
      const base = this.store.files.get(p.file);
      const merged = this.#mergeOwnChange(base, prev, cur, p, at);
      const delta = diffFile(prev, cur);
      if (merged) this.store.setBaseline(merged);
      else this.store.accept([cur], at, `clawpatrol: ${p.note}`);
      const event: OwnChangeEvent = { file: p.file, note: p.note, at, changes: delta.leafChanges.slice(0, 50).map(formatLeafChange) };
      this.store.logOwnChange(event);
      this.store.consumeOwnChange(p, at);
      this.#previous.delete(p.file);
      events.push(event);
    }
    return events;
  }

  /** Apply only the own change (prev → cur) to the baseline, keeping any foreign drift visible. */
  #mergeOwnChange(base: FileBaseline | undefined, prev: FileSnapshot, cur: FileSnapshot, p: PendingOwnChange, at: number): FileBaseline | null {
    if (!base || !base.leaves || !prev.leaves || !cur.leaves || !cur.stat || !base.stat || !prev.stat) return null;
    const leaves = { ...base.leaves };
    for (const c of diffLeaves(prev.leaves, cur.leaves)) {
      if (c.change === "removed") delete leaves[c.path];
      else leaves[c.path] = c.after!;
    }
    const stat = {
      ...cur.stat,
      mode: prev.stat.mode === cur.stat.mode ? base.stat.mode : cur.stat.mode,
      uid: prev.stat.uid === cur.stat.uid ? base.stat.uid : cur.stat.uid,
      gid: prev.stat.gid === cur.stat.gid ? base.stat.gid : cur.stat.gid,
    };
    const merged: FileBaseline = { ...base, stat, leaves, semanticHash: semanticHashOf(leaves), acceptedAt: at, note: `clawpatrol: ${p.note}` };
    delete merged.parseError;
    return merged;
  }

  /** Accept the current state as the baseline: one file, or everything. Returns what was accepted. */
  async accept(file?: string, note?: string): Promise<FileDiff[]> {
    const at = this.#clock.now();
    if (file) {
      const snap = await this.#snapshot(file);
      if (!snap) throw new Error(`${file} is not a watched file and has no baseline (watched: ${WATCHED_FILES_TEXT})`);
      this.#current.set(file, snap);
    } else {
      await this.rescan("rescan");
    }
    const targets = file ? [file] : [...new Set([...this.store.files.keys(), ...this.#current.keys()])];
    const diffs = targets
      .map((p) => diffFile(this.store.files.get(p), this.#current.get(p)))
      .filter((d) => d.status !== "unchanged");
    const snaps = targets.map((p) => this.#current.get(p)).filter((s): s is FileSnapshot => !!s);
    if (file) this.store.accept(snaps, at, note);
    else this.store.acceptAll(snaps.filter((s) => s.stat), at, note);
    this.store.save();
    return diffs;
  }

  /** Announce a change clawpatrol is about to make (see BaselineStore.recordOwnChange). */
  recordOwnChange(file: string, expectedContentHash: string | null, note: string, options: { windowMs?: number } = {}): void {
    this.store.recordOwnChange(file, expectedContentHash, note, { at: this.#clock.now(), ...options });
  }

  /** gateway.config-stale from the timeline this monitor keeps. */
  configStale(input: Omit<ConfigStaleInput, "timeline" | "now"> & { now?: number }): Finding[] {
    return checkConfigStale({ ...input, timeline: this.store.timeline, now: input.now ?? this.#clock.now() });
  }
}
