// Everything the daemon keeps about one install, and how it recovers when part of it is lost:
//   per-install dir (install-dir.ts), files checked before use (preflight.ts), unreadable ones
//   reported (unreadable.ts), operator mutes (mute-watcher.ts), and the recoveries —
//   health store lost → its alert threads wait as "forgotten" (no resolve sent, no re-page);
//   drift baseline lost → re-created from the files, drift open before stays open (unknown);
//   salt lost → the baseline's secret fingerprints re-keyed (no false drift);
//   remedy state lost → rebuilt from audit.jsonl.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installationId, type BaselineStore } from "../drift/baseline-store.js";
import type { ReportInput, Coverage } from "../health/tracker.js";
import type { Installation } from "../openclaw/types.js";
import { AuditLog } from "../remedy/audit.js";
import { remedyStateFromAudit } from "../remedy/rebuild.js";
import { RemedyStore } from "../remedy/store.js";
import type { SaltOutcome } from "../daemon/salt.js";
import { openInstallState } from "./install-dir.js";
import { MuteWatcher } from "./mute-watcher.js";
import { checkSpool, checkStateFile, SHAPES } from "./preflight.js";
import { rekeySecretFingerprints } from "./salt-rekey.js";
import { OwnStateProblems } from "./unreadable.js";
import type { Silence, Ack } from "./silences.js";

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface OwnStateOptions {
  clawpatrolDir: string;
  openclawStateDir: string;
  statusPath: string;
  salt: SaltOutcome;
  now: number;
  log: Log;
}

export interface OwnStateStatus {
  silences: Silence[];
  acks: Ack[];
  stateProblems: { file: string; movedTo: string | null; reason: string; at: string }[];
}

export class OwnState {
  readonly dir: string;
  readonly problems: OwnStateProblems;
  readonly mutes: MuteWatcher;
  readonly #o: OwnStateOptions;
  #healthLost = false;
  #baselineLost = false;

  private constructor(o: OwnStateOptions) {
    this.#o = o;
    this.problems = new OwnStateProblems(o.log);
    this.dir = openInstallState(o);
    if (o.salt.unreadable) this.problems.record(o.salt.unreadable, o.now);
    this.#preflight(o.now);
    this.mutes = new MuteWatcher(this.dir, this.problems);
    this.mutes.poll(o.now);
  }

  static open(o: OwnStateOptions): OwnState {
    return new OwnState(o);
  }

  #preflight(now: number): void {
    const d = this.dir;
    const p = this.problems;
    this.#healthLost = checkStateFile(join(d, "health.json"), SHAPES.health, "incidents are rebuilt from observation: nothing is reported resolved for having been forgotten, and a problem still there continues its alert", p, now);
    checkStateFile(join(d, "notify", "state.json"), SHAPES.notifyState, "alert threads are re-adopted from the open incidents (those already alerted are not sent again)", p, now);
    checkStateFile(join(d, "notify", "sent.json"), SHAPES.sentLedger, "the record of delivered alerts starts over (at worst one duplicate)", p, now);
    checkSpool(join(d, "notify"), p, now);
    checkStateFile(join(d, "run-cursors.json"), SHAPES.cursors, "transcripts and the gateway log are read from their end (nothing old is reported again)", p, now);
    const remedyPath = join(d, "remedy-state.json");
    if (checkStateFile(remedyPath, SHAPES.remedy, "rebuilt from audit.jsonl (active fallbacks and switch counts kept)", p, now)) this.#rebuildRemedy();
    const baseline = join(this.#o.clawpatrolDir, "baselines", `${installationId(this.#o.openclawStateDir)}.json`);
    const lost = checkStateFile(baseline, SHAPES.baseline, "the baseline is re-created from the files as they are now; drift open before stays open (unknown) until `clawpatrol accept`", p, now);
    // Remembered across restarts: the re-created baseline must not "resolve" that drift one restart later.
    if (lost) writeFileSync(this.#baselineLostMarker, JSON.stringify({ at: new Date(now).toISOString(), file: baseline }) + "\n", { mode: 0o600 });
    this.#baselineLost = existsSync(this.#baselineLostMarker);
  }

  get #baselineLostMarker(): string {
    return join(this.dir, "baseline-lost.json");
  }

  #rebuildRemedy(): void {
    const state = remedyStateFromAudit(new AuditLog(join(this.dir, "audit.jsonl")).read());
    new RemedyStore(this.dir).save(state);
    const agents = Object.keys(state.active);
    this.#o.log.warn({ active: agents, pending: state.pending?.opId ?? null }, `remedy state rebuilt from audit.jsonl: ${agents.length ? `fallback active for ${agents.join(", ")}` : "no fallback active"}`);
  }

  /** After the drift baseline is opened: a new salt re-keys its secret fingerprints before anything compares. */
  async adoptBaseline(store: BaselineStore, inst: Pick<Installation, "agents" | "paths">): Promise<void> {
    if (!this.#o.salt.created) return;
    const n = await rekeySecretFingerprints(store, inst);
    if (n > 0 && !this.#o.salt.unreadable) this.#o.log.warn({ rekeyed: n }, `fingerprint-salt was missing: a new one was made and ${n} secret fingerprint${n === 1 ? "" : "s"} of the drift baseline re-keyed (no drift reported for them)`);
  }

  /** While the baseline is a re-creation, drift open from before is not judged (neither still drift nor resolved). */
  driftInconclusive(report: { reason: string }): Coverage[] | undefined {
    if (report.reason === "baseline-moved" && this.#baselineLost) {
      this.#baselineLost = false;
      rmSync(this.#baselineLostMarker, { force: true });
    }
    return this.#baselineLost ? [{ kinds: ["config.drift"] }] : undefined;
  }

  /** For the dispatcher's first reconcile: alerts of a lost health store are forgotten, not resolved. */
  reconcileOptions(): { forgotten: boolean } {
    const forgotten = this.#healthLost;
    this.#healthLost = false;
    return { forgotten };
  }

  /** The own-state report for the tracker: state.unreadable per file still moved aside. */
  report(now: number): ReportInput {
    return { source: "own-state", findings: this.problems.findings(now), covers: (key) => this.problems.owns(key) };
  }

  /** Main loop: true when mutes changed (the dispatcher should look again). */
  tick(now: number): boolean {
    return this.mutes.poll(now);
  }

  status(now: number): OwnStateStatus {
    return {
      silences: this.mutes.state.silences.filter((s) => Date.parse(s.until) > now),
      acks: this.mutes.state.acks,
      stateProblems: this.problems.list(),
    };
  }
}
