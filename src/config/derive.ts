// clawpatrol's config turned into the options of the parts that read it, once, so `clawpatrol
// check` and the daemon judge with the same thresholds and look at the same install.
import type { ClawpatrolConfig } from "./schema.js";
import type { RunMonitorOptions } from "../checks/run-monitor.js";
import type { HealthPolicy } from "../health/policy.js";
import type { ProbeSchedulerOptions } from "../probe/scheduler.js";

/** The readInstallation options naming the install this config is about. */
export function installTarget(config: Pick<ClawpatrolConfig, "openclaw">): { stateDir?: string; profile?: string; openclawBin?: string } {
  const o = config.openclaw;
  return { ...(o.stateDir ? { stateDir: o.stateDir } : {}), ...(o.profile ? { profile: o.profile } : {}), ...(o.bin ? { openclawBin: o.bin } : {}) };
}

/** Run-detector thresholds from `runs.*`. */
export function runMonitorOptions(runs: ClawpatrolConfig["runs"]): Partial<RunMonitorOptions> {
  const stuckAfterMsByAgent: Record<string, number> = {};
  for (const [agent, o] of Object.entries(runs.perAgent)) if (o.stuckAfter !== undefined) stuckAfterMsByAgent[agent] = o.stuckAfter;
  return {
    stuckAfterMs: runs.stuckAfter,
    stuckAfterMsByAgent,
    burstThreshold: runs.burst.count,
    burstWindowMs: runs.burst.window,
    reentryThreshold: runs.cooldownReentry.count,
    reentryWindowMs: runs.cooldownReentry.window,
  };
}

/** Probe-matrix settings from `probe.*` (the daemon adds its schedules and shared limiter). */
export function probeMatrixOptions(probe: ClawpatrolConfig["probe"]): { timeoutMs: number; concurrency: number; perProviderPerMinute: number; includeOthers: boolean } {
  return { timeoutMs: probe.timeoutMs, concurrency: probe.concurrency, perProviderPerMinute: probe.perProviderPerMinute, includeOthers: probe.includeOthers };
}

/** The tracker's thresholds from `health.*` (the windowed rate: failureThreshold fails among twice as many verdicts). */
export function healthPolicyOptions(h: ClawpatrolConfig["health"]): Pick<HealthPolicy, "failureThreshold" | "successThreshold" | "staleAfterMs" | "window"> {
  return {
    failureThreshold: h.failureThreshold,
    successThreshold: h.successThreshold,
    staleAfterMs: h.staleAfter,
    window: { size: Math.max(h.minSamples, h.failureThreshold * 2), failures: h.failureThreshold },
  };
}

/** The probe schedules and limits from `probe.*` (the daemon adds the installation and the callbacks). */
export function probeScheduleOptions(probe: ClawpatrolConfig["probe"]): Pick<ProbeSchedulerOptions, "authCron" | "gatewayCron" | "e2eCron" | "e2eIntervalMs" | "e2eVia" | "jitterMs" | "matrix"> {
  return {
    authCron: probe.authSchedule,
    gatewayCron: probe.gatewaySchedule,
    // The e2e gate enforces the interval; the cron only decides how often to look.
    e2eCron: probe.e2e.enabled ? "*/10 * * * *" : null,
    e2eIntervalMs: probe.e2e.interval,
    e2eVia: probe.e2e.via,
    jitterMs: probe.jitter,
    matrix: probeMatrixOptions(probe),
  };
}
