// Each source's observations into the health tracker, and the follow-up work they imply (a re-read,
// a remedy round, a config-stale verdict). Only the tracker's transitions reach the effects.
import type { Finding } from "../checks/finding.js";
import { installTarget } from "../config/derive.js";
import type { DriftReport } from "../drift/monitor.js";
import { readInstallation } from "../openclaw/installation.js";
import type { Installation } from "../openclaw/types.js";
import type { GatewayProbeResult } from "../probe/gateway.js";
import type { ProbeMatrix } from "../probe/types.js";
import { configStaleReport, planDriftReport } from "./drift-wiring.js";
import { installationReport } from "./installation-report.js";
import type { DaemonParts } from "./parts.js";
import { probeReport, runsReport } from "./routing.js";
import { pollRunFindings } from "./runs-wiring.js";
import { keepLastKnownGateway } from "./unobserved.js";

export function readInstallationOf(p: DaemonParts): Promise<Installation> {
  return readInstallation({ env: p.env, exec: p.exec, now: p.clock.now(), ...installTarget(p.config) });
}

export async function refreshInstallation(p: DaemonParts): Promise<void> {
  const inst = keepLastKnownGateway(p.inst, await readInstallationOf(p));
  p.inst = inst;
  p.cadence.installationRead(p.clock.now());
  p.runs.update(inst);
  p.runPaths.update(p.runs);
  await p.drift.observeInstallation(inst);
  reportInstallation(p, inst);
  reportStale(p);
  p.jobs.remedy.trigger();
}

export function reportInstallation(p: DaemonParts, inst: Installation): void {
  const report = installationReport(inst, p.remedy, p.runs, p.own, p.clock.now());
  if (report) p.apply(p.tracker.report(report));
}

export function onDrift(p: DaemonParts, r: DriftReport): void {
  const { report, next } = planDriftReport(r, p.inst, p.own);
  if (report) p.apply(p.tracker.report(report));
  for (const own of r.ownChanges) p.log.info({ file: own.file, note: own.note }, "change made by clawpatrol absorbed into the baseline");
  if (r.changedPaths.length > 0) p.oracle?.noteChange(r.at);
  if (next === "reread") p.jobs.install.trigger();
  else if (next === "stale") reportStale(p);
}

export function reportStale(p: DaemonParts): void {
  p.apply(p.tracker.report(configStaleReport(p.drift, p.inst, p.gateway.startedAt)));
}

export async function pollRuns(p: DaemonParts): Promise<void> {
  const findings = await pollRunFindings(p.runs, p.routeHealth, p.clock, p.log);
  p.apply(p.tracker.report(runsReport(findings, p.runs.unreadableKeys())));
  p.apply(p.routeHealth.supersede(p.tracker));
  if (findings.length > 0) p.jobs.remedy.trigger();
}

export function onProbe(p: DaemonParts, matrix: ProbeMatrix, findings: Finding[]): void {
  p.cache.update(matrix);
  p.metrics.observeProbes(matrix.rows);
  p.routeHealth.observeProbes(matrix.rows);
  p.apply(p.tracker.report(probeReport(matrix.rows, findings)));
  p.apply(p.routeHealth.supersede(p.tracker));
  p.jobs.remedy.trigger();
}

export function onGateway(p: DaemonParts, result: GatewayProbeResult, findings: Finding[]): void {
  const wentUpOrDown = p.gateway.observe(result);
  p.apply(p.tracker.report({ source: "gateway", findings, covers: [{ kinds: ["gateway.down"] }] }));
  if (wentUpOrDown) {
    reportStale(p);
    p.jobs.remedy.trigger();
  }
}

export function onE2E(p: DaemonParts, findings: Finding[]): void {
  p.apply(p.tracker.report({ source: "e2e", findings, covers: [{ kinds: ["probe.empty-reply"] }] }));
}
