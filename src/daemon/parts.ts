// Everything the daemon builds, in one place its modules read from. Parts a reload replaces
// (drift, probes, dispatcher, remedy, status…) are read anew on each use, never captured.
import type { ClawpatrolConfig } from "../config/schema.js";
import type { DriftMonitor } from "../drift/monitor.js";
import type { HealthTracker } from "../health/tracker.js";
import type { IncidentTransition } from "../health/types.js";
import type { Heartbeat } from "../heartbeat/index.js";
import type { DaemonMetrics } from "../metrics/daemon-metrics.js";
import type { Dispatcher } from "../notify/dispatcher.js";
import type { Installation } from "../openclaw/types.js";
import type { FetchLike } from "../probe/http.js";
import type { ProbeScheduler } from "../probe/scheduler.js";
import type { GatewayRestarter, RemedyEngine } from "../remedy/index.js";
import type { OwnState } from "../state/own-state.js";
import type { Notifier } from "../systemd/notify.js";
import type { Clock } from "../util/clock.js";
import type { Exec } from "../util/exec.js";
import type { Logger } from "../util/log.js";
import type { SerialJob } from "../util/serial-job.js";
import type { RunWatcher } from "../watch/run-watcher.js";
import type { GatewayWatch } from "./gateway-watch.js";
import type { LoopCadence } from "./loop-cadence.js";
import type { RouteHealth } from "./route-health.js";
import type { ProbeCache } from "./route-probes.js";
import type { RunPathWatcher } from "./run-path-watcher.js";
import type { StatusOutputs } from "./status-outputs.js";
import type { OracleScheduler } from "../oracle/scheduler.js";

export type JobName = "install" | "runs" | "remedy" | "status";

export interface DaemonParts {
  config: ClawpatrolConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly exec: Exec;
  readonly fetch?: FetchLike;
  readonly log: Logger;
  /** clawpatrol's state dir (salt, legacy baseline, channel state); `own.dir` is per installation. */
  readonly stateDir: string;
  readonly notifier: Notifier;
  readonly cache: ProbeCache;
  readonly metrics: DaemonMetrics;
  readonly gateway: GatewayWatch;
  readonly cadence: LoopCadence;
  readonly jobs: Record<JobName, SerialJob>;
  /** Log each incident transition, queue its alert, refresh the status file. */
  apply(transitions: IncidentTransition[] | IncidentTransition | null): void;
  // Built by start(), in this order; nothing reads them before.
  inst: Installation;
  own: OwnState;
  tracker: HealthTracker;
  routeHealth: RouteHealth;
  dispatcher: Dispatcher;
  remedy: RemedyEngine;
  restarter: GatewayRestarter | null;
  drift: DriftMonitor;
  runs: RunWatcher;
  runPaths: RunPathWatcher;
  probes: ProbeScheduler;
  status: StatusOutputs;
  heartbeat: Heartbeat | null;
  oracle: OracleScheduler;
}
