// Thresholds per finding kind. Deterministic reads (re-reading a file yields the same answer) open on
// the first observation and resolve on the first clean read; probes and run signals need several
// observations (Gatus: 3 to open, 2 to resolve; monit: "3 times within 6 cycles" for flapping).
// The thresholds and the staleness limit are clawpatrol's `health.*` config defaults.
import { DEFAULTS } from "../config/defaults.js";
import { FINDING_KINDS, type FindingKind } from "../checks/finding.js";
import { healthPolicyOptions } from "../config/derive.js";

export interface HealthPolicy {
  /** Consecutive failing verdicts that open an incident. */
  failureThreshold: number;
  /** Consecutive passing verdicts that resolve it. */
  successThreshold: number;
  /** Windowed rate: `failures` fails among the last `size` verdicts also open (catches 1-0-1-0). */
  window: { size: number; failures: number } | null;
  /**
   * Flap damping: with `flips` or more pass↔fail changes within `windowMs`, an open incident resolves
   * only after `quietMs` of uninterrupted passing — so a flapping subject keeps one incident open
   * instead of opening one per flap.
   */
  flap: { windowMs: number; flips: number; quietMs: number } | null;
  /** No verdict for this long → `unknown` (an open incident stays open). */
  staleAfterMs: number;
  /** `unknown` for this long → the subject is dropped and its incident closed as "no longer observed". */
  retireAfterMs: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

export const DEFAULT_POLICY: HealthPolicy = {
  ...healthPolicyOptions(DEFAULTS.health),
  flap: { windowMs: HOUR, flips: 3, quietMs: 15 * MIN },
  retireAfterMs: 24 * HOUR,
};

/**
 * How each kind is observed. "read": re-reading the same files gives the same answer, so one
 * observation is enough either way. "sampled": probes, runs and events, judged over thresholds.
 * Every kind is classified here (a new kind does not compile until it is).
 */
const OBSERVED_BY: Record<FindingKind, "read" | "sampled"> = {
  "config.invalid": "read",
  "config.drift": "read",
  "config.shadowed-default": "read",
  "config.missing-var": "read",
  "env.duplicate-key": "read",
  "secret.plaintext": "read",
  "auth.missing": "read",
  "auth.shadowed": "read",
  "auth.rejected": "sampled",
  "auth.expiring": "read",
  "probe.failed": "sampled",
  "probe.empty-reply": "sampled",
  "run.empty-reply": "sampled",
  "run.stuck": "sampled",
  "run.failure-burst": "sampled",
  "cooldown.active": "read",
  "cooldown.storm": "sampled",
  "gateway.down": "sampled",
  "gateway.config-stale": "read",
  "state.unreadable": "read",
  "remedy.no-candidate": "read",
  "remedy.failed": "read",
  // Level-style: present exactly while an agent runs on a fallback; it keeps the route's incident open
  // until the switch back, so the resolve notice goes out with it.
  "remedy.switched": "read",
  "remedy.would-switch": "sampled",
  "remedy.conflict": "sampled",
  "remedy.capped": "sampled",
  "remedy.blocked": "sampled",
  "alert.spool-backlog": "read",
  "model.failover": "sampled",
  "openclaw.unverified-version": "read",
  // One comparison with OpenClaw's own answer decides; the next one that agrees resolves it.
  "clawpatrol.disagrees": "read",
};

export const DETERMINISTIC_KINDS: readonly string[] = FINDING_KINDS.filter((k) => OBSERVED_BY[k] === "read");

const DETERMINISTIC: HealthPolicy = {
  ...DEFAULT_POLICY,
  failureThreshold: 1,
  successThreshold: 1,
  window: null,
  // A fixed file does not flap; an accepted change must resolve at once.
  flap: null,
  staleAfterMs: 2 * HOUR,
};

// Cooldowns come and go on their own (30 s – 5 min): damp them like probes.
const COOLDOWN: HealthPolicy = { ...DETERMINISTIC, flap: DEFAULT_POLICY.flap };

export type PolicyOverrides = Partial<Record<string, Partial<HealthPolicy>>>;

/** The policy for a finding kind: built-in per-kind defaults, then `overrides.default`, then `overrides[kind]`. */
export function policyFor(kind: string, overrides: PolicyOverrides = {}): HealthPolicy {
  const base = kind === "cooldown.active" ? COOLDOWN : DETERMINISTIC_KINDS.includes(kind) ? DETERMINISTIC : DEFAULT_POLICY;
  const deterministic = DETERMINISTIC_KINDS.includes(kind);
  // `default` overrides apply to probe/run kinds only; deterministic kinds keep threshold 1 unless named.
  return { ...base, ...(deterministic ? {} : overrides.default ?? {}), ...(overrides[kind] ?? {}) };
}
