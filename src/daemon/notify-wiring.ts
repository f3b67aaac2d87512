// The daemon's alert side: channels from the config, the dispatcher that queues incident
// transitions to them, and the tracker learning which incidents were notified.
import { hostname } from "node:os";
import type { ClawpatrolConfig } from "../config/schema.js";
import type { HealthTracker } from "../health/tracker.js";
import { createChannels } from "../notify/channels/index.js";
import { createDispatcher, notifiedPatch, type Dispatcher } from "../notify/dispatcher.js";
import type { OwnState } from "../state/own-state.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/log.js";

export interface NotifyWiring {
  alerts: ClawpatrolConfig["alerts"];
  env: NodeJS.ProcessEnv;
  /** clawpatrol's state dir, for channels that keep their own state. */
  stateDir: string;
  own: OwnState;
  tracker: HealthTracker;
  clock: Clock;
  log: Logger;
  /** An alert went out: the status file shows it. */
  onNotified(): void;
}

/** A dispatcher, not yet reconciled with the incidents already open (see reconcileNotify). */
export async function createNotify(w: NotifyWiring): Promise<Dispatcher> {
  const { channels, problems } = createChannels(w.alerts.channels, {
    env: w.env,
    stateDir: w.stateDir,
    logger: w.log,
    repeatIntervalMs: w.alerts.repeatInterval,
  });
  for (const p of problems) w.log.warn(p);
  return createDispatcher({
    channels,
    stateDir: w.own.dir,
    mute: (inc, now) => w.own.mutes.mute(inc, now),
    clock: w.clock,
    policy: w.alerts,
    logger: w.log,
    host: hostname(),
    onNotified: (e) => {
      for (const id of e.incidentIds) {
        const patch = notifiedPatch(e, w.tracker.incident(id));
        if (patch) w.tracker.markNotified(id, patch);
      }
      w.onNotified();
    },
  });
}

/** Alerts owed from before a restart; a notified one may refresh the status, which reads the new dispatcher. */
export async function reconcileNotify(dispatcher: Dispatcher, tracker: HealthTracker, own: OwnState): Promise<void> {
  await dispatcher.reconcile(tracker.openIncidents(), own.reconcileOptions());
}
