// What one read of the installation says: the snapshot checks' findings as a tracker report, with
// the changes clawpatrol made itself taken out.
import { defaultReachKey } from "../checks/default-reach.js";
import { makeFinding, type Finding } from "../checks/finding.js";
import { summarizeRepeats } from "../checks/summarize.js";
import type { ReportInput } from "../health/tracker.js";
import type { Installation } from "../openclaw/types.js";
import type { RemedyEngine } from "../remedy/index.js";
import { snapshotFindings } from "../sources.js";
import type { OwnState } from "../state/own-state.js";
import type { RunWatcher } from "../watch/run-watcher.js";
import { withoutOwnChanges } from "./own-changes.js";
import { withExtraRoutes } from "./route-probes.js";
import { snapshotReport } from "./routing.js";
import { unobservedBy } from "./unobserved.js";

/** null mid-switch: the config is clawpatrol's work in progress, judged once the switch is done. */
export function installationReport(inst: Installation, remedy: RemedyEngine, runs: Pick<RunWatcher, "unreadableKeys">, own: Pick<OwnState, "problems">, now: number): ReportInput | null {
  if (remedy.store.load().pending) return null;
  let findings: Finding[];
  try {
    // An agent on a fallback still owns its primary's credentials: their read-time facts stay put.
    const watched = withExtraRoutes(inst, remedy.watchedOriginalRoutes().map((w) => ({ agent: w.agent, ref: w.ref })));
    findings = snapshotFindings(inst, now, watched);
  } catch (err) {
    findings = [makeFinding({ kind: "state.unreadable", severity: "warning", subject: { file: inst.paths.stateDir }, summary: `checks could not run: ${String(err)}`, at: now })];
  }
  const mine = withoutOwnChanges(findings, remedy.activeFallbacks());
  return snapshotReport(summarizeRepeats(mine.findings), mine.inconclusive, [defaultReachKey(inst), ...runs.unreadableKeys()], (key) => own.problems.owns(key), unobservedBy(inst));
}
