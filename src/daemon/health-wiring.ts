// The daemon's health state: the tracker resumed from clawpatrol's own state dir (open incidents
// survive a restart) and the route-health memory that judges routes from probes and runs.
import type { ClawpatrolConfig } from "../config/schema.js";
import { healthPolicyOptions } from "../config/derive.js";
import { HealthStore } from "../health/store.js";
import { HealthTracker } from "../health/tracker.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/log.js";
import { RouteHealth } from "./route-health.js";

export function openHealth(ownDir: string, health: ClawpatrolConfig["health"], clock: Clock, log: Logger): { tracker: HealthTracker; routeHealth: RouteHealth } {
  const store = new HealthStore({ dir: ownDir });
  if (store.loadError) log.warn(store.loadError);
  const tracker = HealthTracker.fromState(store.load(), {
    clock,
    persist: store.persister(),
    policies: { default: healthPolicyOptions(health) },
  });
  return { tracker, routeHealth: new RouteHealth(health.successThreshold) };
}

/** A reload changed health.*: new policies and success threshold, same incidents. */
export function retuneHealth(tracker: HealthTracker, routeHealth: RouteHealth, health: ClawpatrolConfig["health"]): void {
  tracker.setPolicies({ default: healthPolicyOptions(health) });
  routeHealth.successThreshold = health.successThreshold;
}
