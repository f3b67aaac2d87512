// The daemon's run following: the transcript/gateway-log watcher, the file watcher that wakes it,
// and one poll's findings that still speak for their route.
import type { ClawpatrolConfig } from "../config/schema.js";
import { runMonitorOptions } from "../config/derive.js";
import type { Finding } from "../checks/finding.js";
import type { Installation } from "../openclaw/types.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/log.js";
import { RunWatcher, runCursorPath } from "../watch/run-watcher.js";
import type { RouteHealth } from "./route-health.js";
import { RunPathWatcher } from "./run-path-watcher.js";

export interface RunsWiring {
  inst: Installation;
  runs: ClawpatrolConfig["runs"];
  /** clawpatrol's own state dir (the read cursor). */
  ownDir: string;
  clock: Clock;
  log: Logger;
  /** A watched path changed: poll. */
  onChange(): void;
}

/** Not watching yet: the caller stores both, then calls paths.update(runs). */
export function createRuns(w: RunsWiring): { runs: RunWatcher; paths: RunPathWatcher } {
  const runs = new RunWatcher(w.inst, {
    cursorPath: runCursorPath(w.ownDir),
    startAt: "end",
    now: () => w.clock.now(),
    monitor: runMonitorOptions(w.runs),
  });
  const paths = new RunPathWatcher(() => w.onChange(), (err) => w.log.warn({ err: String(err) }, "run watcher problem"));
  return { runs, paths };
}

/** One poll: its problems logged, its findings minus those newer passing probes superseded. */
export async function pollRunFindings(runs: RunWatcher, routeHealth: RouteHealth, clock: Clock, log: Logger): Promise<Finding[]> {
  const result = await runs.poll();
  for (const p of result.problems) log.warn(p);
  // A run older than the runtime credential's newest passing streak no longer speaks for its route.
  return routeHealth.splitRunFindings(runs.findings(clock.now())).current;
}
