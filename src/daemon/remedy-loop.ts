// One remedy round and one gateway-restart round: what the engines did goes to the log and to the
// incident it answers, what blocked them goes to the tracker as findings.
import type { HealthTracker } from "../health/tracker.js";
import type { IncidentTransition } from "../health/types.js";
import type { GatewayRestarter, RemedyEngine } from "../remedy/index.js";
import { actionText } from "../remedy/action-text.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/log.js";
import { incidentForAction, remedyReport } from "./routing.js";

export interface RemedyLoopParts {
  tracker: HealthTracker;
  clock: Clock;
  log: Logger;
  apply(transitions: IncidentTransition[] | IncidentTransition | null): void;
  /** The remedy changed openclaw.json: re-read the installation. */
  reread(): void;
}

export async function evaluateRemedy(engine: RemedyEngine, p: RemedyLoopParts): Promise<void> {
  const result = await engine.evaluate(p.clock.now());
  for (const skip of result.skipped) p.log.debug({ agent: skip.agent }, `remedy left ${skip.agent} alone: ${skip.reason}`);
  for (const record of result.actions) {
    const text = actionText(record, p.clock.now());
    p.log.info({ agent: record.agent, op: record.op, result: record.result, argv: record.argv }, text);
    const incident = incidentForAction(p.tracker.openIncidents(), record);
    if (incident) p.apply(p.tracker.addAction(incident.id, text));
  }
  p.apply(p.tracker.report(remedyReport(result.findings)));
  if (result.actions.some((a) => !a.dryRun)) p.reread();
}

export async function restartGateway(restarter: GatewayRestarter, now: number, p: RemedyLoopParts): Promise<void> {
  const result = await restarter.evaluate(now);
  for (const record of result.actions) {
    const text = actionText(record, now);
    p.log.warn({ op: record.op, result: record.result, argv: record.argv }, text);
    const incident = p.tracker.incidentFor("gateway");
    if (incident) p.apply(p.tracker.addAction(incident.id, text));
  }
  p.apply(p.tracker.report({ source: "gateway-restart", findings: result.findings, covers: [{ kinds: ["remedy.blocked"], subject: {} }] }));
}

/** A switch a crash interrupted is finished or rolled back before anything else. */
export function recoverInterruptedSwitch(engine: RemedyEngine, log: Logger): void {
  void engine.recover().then((outcome) => {
    if (outcome) log.warn({ outcome }, "recovered an interrupted model switch");
  });
}
