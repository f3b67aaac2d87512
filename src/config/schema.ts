// clawpatrol's own config file (config.json5). Every object is strict so a typo is an error,
// not a silently ignored option. Secrets are referenced by env var or file, never inline (the
// loader rejects inline ones before this schema runs). The channel config types of src/notify/
// are inferred from here. Durations are converted to milliseconds here, once: every reader of the
// parsed config gets numbers. Defaults come from ./defaults.ts (the one place they are stated).
import { z } from "zod";
import cron from "node-cron";
import { parseDuration } from "../util/clock.js";
import { CHANNEL_TYPES } from "../notify/types.js";
import { DEFAULTS, HEARTBEAT_DEFAULTS, fresh } from "./defaults.js";

/**
 * "90s", "5m", "4h", "2d", "1500ms" in the file; milliseconds once parsed. A bare number is refused
 * (`repeatInterval: 4` was 4 ms, which no one who wrote it meant): the unit says what was meant.
 * Only 0 may go without one. `config show` prints them back with units (durations.ts).
 */
export const duration = z.union([z.string(), z.number().nonnegative()]).transform((value, ctx) => {
  if (typeof value === "number" && value !== 0) {
    ctx.issues.push({ code: "custom", input: value, message: `expected a duration with a unit, like "90s", "5m", "4h", "2d" — a bare number is ambiguous: write "${value}ms" if you mean milliseconds` });
    return z.NEVER;
  }
  try {
    return parseDuration(value);
  } catch (err) {
    const noUnit = /has no unit/.test((err as Error).message);
    ctx.issues.push({ code: "custom", input: value, message: noUnit ? (err as Error).message : `expected a duration like "90s", "5m", "4h", "2d", got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
});

/** node-cron syntax; 5 fields, or 6 with seconds first. */
export const cronExpr = z.string().refine((v) => cron.validate(v), {
  error: (issue) => `expected a cron expression like "*/2 * * * *" (6 fields with seconds: "*/15 * * * * *"), got ${JSON.stringify(issue.input)}`,
});

const modelRef = z.string().regex(/^[^/\s]+\/\S+$/, { error: 'expected a model ref "provider/model", e.g. "openrouter/moonshotai/kimi-k2.5"' });
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "expected an environment variable name" });
const severity = z.enum(["info", "warning", "critical"]);

// ---- alerts (the channel config types of src/notify/types.ts) ------------------------------

const channelBase = {
  name: z.string().min(1),
  severities: z.array(severity).optional(),
  sendResolved: z.boolean().optional(),
  timeout: duration.optional(),
};
const httpBase = {
  ...channelBase,
  url: z.url().optional(),
  urlEnv: envName.optional(),
  urlFile: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  tokenEnv: envName.optional(),
  tokenFile: z.string().optional(),
};

export const channelSchema = z.discriminatedUnion("type", [
  z.strictObject({
    ...channelBase,
    type: z.literal("email"),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    secure: z.boolean().optional(),
    starttls: z.enum(["required", "opportunistic", "off"]).optional(),
    username: z.string().optional(),
    passwordEnv: envName.optional(),
    passwordFile: z.string().optional(),
    from: z.string().min(1),
    to: z.array(z.string().min(1)).min(1),
    caFile: z.string().optional(),
    tlsRejectUnauthorized: z.boolean().optional(),
  }),
  z.strictObject({ ...httpBase, type: z.literal("webhook"), secretEnv: envName.optional(), secretFile: z.string().optional() }),
  z.strictObject({ ...httpBase, type: z.literal("slack") }),
  z.strictObject({ ...httpBase, type: z.literal("discord") }),
  z.strictObject({ ...httpBase, type: z.literal("ntfy"), topic: z.string().min(1) }),
  z.strictObject({ ...httpBase, type: z.literal("alertmanager"), endsAfter: duration.optional(), labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string()).optional() }),
  z.strictObject({ ...channelBase, type: z.literal("telegram"), tokenEnv: envName.optional(), tokenFile: z.string().optional(), chatId: z.union([z.string().min(1), z.number().int()]), baseUrl: z.url().optional() }),
  z.strictObject({ ...channelBase, type: z.literal("mailbox"), path: z.string().optional(), from: z.string().optional(), to: z.string().optional() }),
  z.strictObject({ ...channelBase, type: z.literal("log") }),
], { error: (issue) => (issue.code === "invalid_union" ? `expected type to be one of ${CHANNEL_TYPES.join("|")}` : undefined) });

const alertsSchema = z.strictObject({
  channels: z.array(channelSchema).default(fresh(DEFAULTS.alerts.channels)).superRefine((channels, ctx) => {
    const seen = new Set<string>();
    channels.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `channel name "${c.name}" is used twice; names must be unique` });
      seen.add(c.name);
    });
  }),
  groupWait: duration.default(DEFAULTS.alerts.groupWait),
  repeatInterval: duration.default(DEFAULTS.alerts.repeatInterval),
  resolveHold: duration.default(DEFAULTS.alerts.resolveHold),
  digest: z
    .union([z.literal(false), z.strictObject({ schedule: cronExpr, timezone: z.string().optional() })], {
      error: (issue) => (issue.code === "invalid_union" ? 'expected false or { schedule: "0 8 * * *", timezone?: "Europe/Berlin" }' : undefined),
    })
    .default(fresh(DEFAULTS.alerts.digest)),
  spoolCap: z.number().int().positive().default(DEFAULTS.alerts.spoolCap),
  spoolMaxAge: duration.default(DEFAULTS.alerts.spoolMaxAge),
  retryInitial: duration.default(DEFAULTS.alerts.retryInitial),
  retryMax: duration.default(DEFAULTS.alerts.retryMax),
  giveUpAfter: duration.default(DEFAULTS.alerts.giveUpAfter),
});

// ---- the rest ---------------------------------------------------------------------------

const openclawSchema = z.strictObject({
  /** Default: what OpenClaw itself would use (OPENCLAW_STATE_DIR, --profile, ~/.openclaw). */
  stateDir: z.string().optional(),
  profile: z.string().regex(/^[A-Za-z0-9._-]+$/, { error: "expected a profile name (letters, digits, . _ -)" }).optional(),
  /** The `openclaw` binary; default: found on PATH. */
  bin: z.string().optional(),
});

const probeSchema = z.strictObject({
  authSchedule: cronExpr.default(DEFAULTS.probe.authSchedule),
  gatewaySchedule: cronExpr.default(DEFAULTS.probe.gatewaySchedule),
  timeoutMs: z.number().int().positive().default(DEFAULTS.probe.timeoutMs),
  concurrency: z.number().int().positive().default(DEFAULTS.probe.concurrency),
  perProviderPerMinute: z.number().int().positive().default(DEFAULTS.probe.perProviderPerMinute),
  /** Also probe configured credentials the runtime would not use (explains a shadowed key). */
  includeOthers: z.boolean().default(DEFAULTS.probe.includeOthers),
  /** Random delay before each auth round, so many hosts do not probe a provider in lockstep. */
  jitter: duration.default(DEFAULTS.probe.jitter),
  e2e: z.strictObject({
    enabled: z.boolean().default(DEFAULTS.probe.e2e.enabled),
    interval: duration.default(DEFAULTS.probe.e2e.interval),
    via: z.enum(["http", "cli"]).default(DEFAULTS.probe.e2e.via),
  }).prefault({}),
});

const runsSchema = z.strictObject({
  stuckAfter: duration.default(DEFAULTS.runs.stuckAfter),
  perAgent: z.record(z.string(), z.strictObject({ stuckAfter: duration.optional() })).default({}),
  burst: z.strictObject({ count: z.number().int().positive().default(DEFAULTS.runs.burst.count), window: duration.default(DEFAULTS.runs.burst.window) }).prefault({}),
  cooldownReentry: z.strictObject({ count: z.number().int().positive().default(DEFAULTS.runs.cooldownReentry.count), window: duration.default(DEFAULTS.runs.cooldownReentry.window) }).prefault({}),
});

const healthSchema = z.strictObject({
  failureThreshold: z.number().int().positive().default(DEFAULTS.health.failureThreshold),
  successThreshold: z.number().int().positive().default(DEFAULTS.health.successThreshold),
  minSamples: z.number().int().positive().default(DEFAULTS.health.minSamples),
  staleAfter: duration.default(DEFAULTS.health.staleAfter),
});

const driftSchema = z.strictObject({
  debounceMs: z.number().int().nonnegative().default(DEFAULTS.drift.debounceMs),
  rescanInterval: duration.default(DEFAULTS.drift.rescanInterval),
});

const remedySchema = z.strictObject({
  mode: z.enum(["observe", "act"]).default(DEFAULTS.remedy.mode),
  candidates: z.strictObject({
    global: z.array(modelRef).default([]),
    perAgent: z.record(z.string(), z.array(modelRef)).default({}),
  }).prefault({}),
  maxSwitchesPerAgentPerDay: z.number().int().nonnegative().default(DEFAULTS.remedy.maxSwitchesPerAgentPerDay),
  maxSwitchesPerDay: z.number().int().nonnegative().default(DEFAULTS.remedy.maxSwitchesPerDay),
  minHold: duration.default(DEFAULTS.remedy.minHold),
  editGrace: duration.default(DEFAULTS.remedy.editGrace),
  gatewayRestart: z.strictObject({
    enabled: z.boolean().default(DEFAULTS.remedy.gatewayRestart.enabled),
    /** argv, no shell; default `openclaw gateway restart`. */
    command: z.array(z.string().min(1)).min(1).optional(),
    budget: z.number().int().nonnegative().default(DEFAULTS.remedy.gatewayRestart.budget),
    window: duration.default(DEFAULTS.remedy.gatewayRestart.window),
    downFor: duration.default(DEFAULTS.remedy.gatewayRestart.downFor),
  }).prefault({}),
});

const statusSchema = z.strictObject({
  /** Default $XDG_STATE_HOME/clawpatrol/status.json. */
  path: z.string().optional(),
  intervalMs: z.number().int().min(1000).default(DEFAULTS.status.intervalMs),
  prometheus: z.strictObject({
    textfile: z.string().optional(),
    listen: z.string().regex(/^(?:(?:127\.0\.0\.1|localhost|\[::1\]):)?\d{1,5}$/, { error: 'expected "127.0.0.1:<port>" (metrics are served on loopback only)' }).optional(),
  }).prefault({}),
});

/** The daemon's `clawpatrol verify`: its reading against the installed OpenClaw's own `models status`. */
const verifySchema = z.strictObject({
  enabled: z.boolean().default(DEFAULTS.verify.enabled),
  /** Compare again this long after the last comparison ("once a day"). */
  interval: duration.refine((v) => v >= 60_000, { error: "expected at least 1m" }).default(DEFAULTS.verify.interval),
  /** A change to the install counts as settled after this long without another; then it is compared. */
  settle: duration.default(DEFAULTS.verify.settle),
  /** Per `openclaw models status` call. */
  timeout: duration.refine((v) => v >= 1000, { error: "expected at least 1s" }).default(DEFAULTS.verify.timeout),
  /** Agents compared per run, in turn (each costs one OpenClaw CLI process, ~5 s of one core). */
  agentsPerRun: z.number().int().positive().default(DEFAULTS.verify.agentsPerRun),
});

/** Push URL pinged after healthy loops (Healthchecks / Uptime Kuma); src/heartbeat/. */
const heartbeatSchema = z.strictObject({
  url: z.url().optional(),
  urlEnv: envName.optional(),
  urlFile: z.string().optional(),
  interval: duration.default(HEARTBEAT_DEFAULTS.interval),
  timeout: duration.default(HEARTBEAT_DEFAULTS.timeout),
});

const logSchema = z.strictObject({
  level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default(DEFAULTS.log.level),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  openclaw: openclawSchema.prefault({}),
  probe: probeSchema.prefault({}),
  runs: runsSchema.prefault({}),
  health: healthSchema.prefault({}),
  drift: driftSchema.prefault({}),
  alerts: alertsSchema.prefault({}),
  remedy: remedySchema.prefault({}),
  status: statusSchema.prefault({}),
  verify: verifySchema.prefault({}),
  heartbeat: heartbeatSchema.optional(),
  log: logSchema.prefault({}),
});

export type ClawpatrolConfig = z.output<typeof configSchema>;
export type ClawpatrolConfigInput = z.input<typeof configSchema>;
/** One alert channel as parsed (durations in ms). */
export type ChannelConfig = z.output<typeof channelSchema>;
