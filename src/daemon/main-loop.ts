// One main-loop tick (every few seconds): watchdog progress, a backstop poll of the runs, mute and
// own-state expiry, the slower cadences, the gateway restarter and the heartbeat.
import type { StatusSnapshot } from "../status/snapshot.js";
import { remedyLoopOf } from "./build-parts.js";
import type { DaemonParts } from "./parts.js";
import { restartGateway } from "./remedy-loop.js";

export function loopTick(p: DaemonParts, now: number, snapshot: () => StatusSnapshot): void {
  p.notifier.loopTick();
  p.jobs.runs.trigger();
  if (p.own.tick(now)) void p.dispatcher.tick().then(() => p.jobs.status.trigger());
  if (p.cadence.trackerTickDue(now)) {
    p.apply(p.tracker.tick(now));
    p.apply(p.tracker.report({ source: "notify", findings: p.dispatcher.backlogFindings(now), covers: [{ kinds: ["alert.spool-backlog"] }] }));
    p.apply(p.tracker.report(p.own.report(now)));
  }
  if (p.cadence.rereadDue(now)) p.jobs.install.trigger();
  p.oracle.tick(now);
  if (p.restarter) void restartGateway(p.restarter, now, remedyLoopOf(p));
  void p.heartbeat?.tick(now, () => p.status.current ?? snapshot());
}
