// The daemon's drift parts: the watcher over the OpenClaw state dir (its baseline adopted into
// clawpatrol's own state) and what each of its reports means for the health tracker.
import { defaultReachFindings, defaultReachKey } from "../checks/default-reach.js";
import type { ClawpatrolConfig } from "../config/schema.js";
import { BaselineStore } from "../drift/baseline-store.js";
import { DriftMonitor, driftScopeOf, type DriftReport } from "../drift/monitor.js";
import type { ReportInput } from "../health/tracker.js";
import type { Installation } from "../openclaw/types.js";
import type { OwnState } from "../state/own-state.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/log.js";

export interface DriftWiring {
  inst: Installation;
  env: NodeJS.ProcessEnv;
  /** clawpatrol's own state dir, where earlier versions kept the baseline. */
  legacyStateDir: string;
  own: OwnState;
  clock: Clock;
  drift: ClawpatrolConfig["drift"];
  log: Logger;
  onReport(r: DriftReport): void;
}

/** The monitor with its baseline adopted, not started yet: its first report already reads the daemon's drift part. */
export async function createDrift(w: DriftWiring): Promise<DriftMonitor> {
  // Keyed by the OpenClaw state dir, like `clawpatrol accept` (earlier versions keyed it by clawpatrol's own).
  const store = new BaselineStore({ stateDir: w.inst.paths.stateDir, env: w.env, legacyStateDir: w.legacyStateDir });
  await w.own.adoptBaseline(store, w.inst);
  const drift = new DriftMonitor({
    scope: driftScopeOf(w.inst, w.env),
    store,
    clock: w.clock,
    debounceMs: w.drift.debounceMs,
    ...(w.drift.rescanInterval ? { rescanIntervalMs: w.drift.rescanInterval } : {}),
    timelineSource: "file",
    onReport: (r) => w.onReport(r),
    onError: (err) => w.log.warn({ err: String(err) }, "drift watcher problem"),
  });
  return drift;
}

export async function startDrift(drift: DriftMonitor, inst: Installation): Promise<void> {
  await drift.start();
  // The logical auth store (SQLite eras) and $include files from the start, not from the first re-read.
  await drift.observeInstallation(inst);
}

export interface DriftReportPlan {
  /** The tracker report, when this drift report is news. */
  report: ReportInput | null;
  /** "reread": re-read the installation (that re-read judges config-stale); "stale": judge config-stale now. */
  next: "reread" | "stale" | "none";
}

export function planDriftReport(r: DriftReport, inst: Installation, own: Pick<OwnState, "driftInconclusive">): DriftReportPlan {
  let report: ReportInput | null = null;
  // The re-read below observes the installation again: only a changed logical store is news then (one report per edit).
  if (r.reason !== "installation" || r.changedPaths.length > 0) {
    const reach = defaultReachFindings(inst, r.findings, r.at);
    report = { source: "drift", findings: [...r.findings, ...reach], covers: [{ keys: [...r.coveredKeys, defaultReachKey(inst)] }], inconclusive: own.driftInconclusive(r), ...(r.reason === "baseline-moved" ? { closedBy: "accepted" as const } : {}), at: r.at };
  }
  // A watched file changed: re-read the installation (routes, credentials, usage) at once.
  const next = r.reason === "events" || r.reason === "rescan" ? "reread" : r.reason !== "installation" ? "stale" : "none";
  return { report, next };
}

/** gateway.config-stale: has the gateway started since the config last changed? */
export function configStaleReport(drift: DriftMonitor, inst: Installation, gatewayStartedAt: number | undefined): ReportInput {
  const findings = drift.configStale({ ...(gatewayStartedAt !== undefined ? { gatewayStartedAt } : {}), reloadMode: inst.gateway.reloadMode, version: inst.version.version });
  return { source: "config-stale", findings, covers: [{ kinds: ["gateway.config-stale"] }] };
}
