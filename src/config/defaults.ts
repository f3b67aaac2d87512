// The configuration clawpatrol runs with when there is no config file: watch ~/.openclaw, probe,
// detect, write the status file, alert to the journal (and a local mbox), remedy in observe mode.
// Stated once, here, as the parsed config (durations already in ms): the schema takes its
// `.default()`s from it, and the notify and health policies derive theirs from it. Plain data, so a
// one-shot command without a config file never loads the schema (zod).
import type { ClawpatrolConfig } from "./schema.js";
import { parseDuration as ms } from "../util/clock.js";

export const DEFAULT_CHANNELS = [
  { name: "journal", type: "log" as const },
  { name: "mailbox", type: "mailbox" as const },
];

/** `heartbeat` has no default section (no push URL, no heartbeat); these fill one that is given. */
export const HEARTBEAT_DEFAULTS = { interval: ms("5m"), timeout: ms("10s") };

// Not annotated with ClawpatrolConfig (that type is inferred from the schema, which reads these):
// each `.default(DEFAULTS.…)` in the schema type-checks its value, and defaultConfig() the whole.
const defaults = {
  openclaw: {},
  probe: {
    authSchedule: "*/2 * * * *",
    gatewaySchedule: "*/15 * * * * *",
    timeoutMs: 8000,
    concurrency: 4,
    perProviderPerMinute: 20,
    includeOthers: true,
    jitter: ms("10s"),
    e2e: { enabled: false, interval: ms("6h"), via: "http" as const },
  },
  runs: {
    stuckAfter: ms("5m"),
    perAgent: {},
    burst: { count: 3, window: ms("10m") },
    cooldownReentry: { count: 3, window: ms("30m") },
  },
  health: { failureThreshold: 3, successThreshold: 2, minSamples: 2, staleAfter: ms("10m") },
  drift: { debounceMs: 500, rescanInterval: ms("5m") },
  alerts: {
    channels: DEFAULT_CHANNELS,
    groupWait: ms("30s"),
    repeatInterval: ms("4h"),
    resolveHold: ms("5m"),
    digest: { schedule: "0 8 * * *" },
    spoolCap: 50,
    spoolMaxAge: ms("1h"),
    retryInitial: ms("10s"),
    retryMax: ms("15m"),
    giveUpAfter: ms("72h"),
  },
  remedy: {
    mode: "observe" as const,
    candidates: { global: [], perAgent: {} },
    maxSwitchesPerAgentPerDay: 3,
    maxSwitchesPerDay: 10,
    minHold: ms("30m"),
    editGrace: ms("2m"),
    gatewayRestart: { enabled: false, budget: 3, window: ms("15m"), downFor: ms("2m") },
  },
  status: { intervalMs: 60_000, prometheus: {} },
  verify: { enabled: true, interval: ms("24h"), settle: ms("2m"), timeout: ms("2m"), agentsPerRun: 20 },
  log: { level: "info" as const },
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export const DEFAULTS: Readonly<typeof defaults> = deepFreeze(defaults);

/** A fresh, mutable copy of the defaults. */
export function defaultConfig(): ClawpatrolConfig {
  return structuredClone(defaults);
}

/** A default value for the schema (`.default(fresh(DEFAULTS.x))`): a new copy each time, never the frozen one. */
export function fresh<T>(value: T): () => T {
  return () => structuredClone(value) as T;
}
