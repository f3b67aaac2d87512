// A route's health from fresh evidence. Pure: the daemon feeds it the runtime credential's probe
// results and the tracker's member views; it answers "is this route down, and which run findings
// no longer count?".
//
//   • A run finding is a fact about a run at a time (`evidence.lastAt`). Once the credential the
//     runtime uses now has passed `successThreshold` probes in a row, all of them after that run, the
//     run no longer speaks for the route: it is superseded (it stays in the incident's history).
//     Without this, an agent moved to a fallback could never clear its primary: no new run on the
//     primary can ever happen to replace the old failure.
//   • Read-time facts (a shadowed or unused key copy, a lint smell) never hold a route down; they are
//     their own incidents.
//   • Probe verdicts (auth.rejected, probe.failed, probe.empty-reply) keep their own hysteresis.
//   • A missing credential (auth.missing) is what the probe row shows as "fail missing": it decides
//     the route like a probe does, so a route never reads `ok` next to that row.
//   • Inconclusive probe evidence (timeout, network, 429, 5xx) says "could not tell": the route is
//     `unknown` on it, never `down`.
import type { Finding } from "../checks/finding.js";
import { STATE_RANK, type SubjectState, type Verdict } from "./types.js";

export type EvidenceClass = "probe" | "run" | "other";

const PROBE_KINDS = new Set(["auth.rejected", "probe.failed", "probe.empty-reply", "auth.missing"]);
const RUN_KINDS = new Set(["run.empty-reply", "run.failure-burst", "run.stuck", "cooldown.storm"]);
/** Run kinds whose finding describes past runs (superseded by newer passes); run.stuck is a live run. */
const PAST_RUN_KINDS = new Set(["run.empty-reply", "run.failure-burst", "cooldown.storm"]);

/** Probe evidence, run evidence, or anything else (read-time facts, remedy notes), which never decides a route. */
export function evidenceClass(kind: string, key: string): EvidenceClass {
  if (key.endsWith("|static")) return "other";
  if (PROBE_KINDS.has(kind)) return "probe";
  if (RUN_KINDS.has(kind)) return "run";
  return "other";
}

/** When the fact behind a finding happened: the newest run for run findings, else the observation. */
export function factAt(f: Pick<Finding, "kind" | "evidence" | "observedAt">): number {
  const observed = Date.parse(f.observedAt);
  if (!PAST_RUN_KINDS.has(f.kind)) return observed;
  const last = typeof f.evidence?.lastAt === "string" ? Date.parse(f.evidence.lastAt) : NaN;
  return Number.isFinite(last) ? Math.min(last, observed) : observed;
}

/** Consecutive passes of the credential the runtime uses now, on one route. */
export interface ProbeStreak {
  passes: number;
  /** Times of the current streak's newest passes, oldest first (bounded). */
  passTimes: number[];
  lastAt?: number;
  /** Fingerprint of the credential the streak is about: another credential starts a new streak. */
  credential?: string;
}

export const NO_STREAK: ProbeStreak = { passes: 0, passTimes: [] };
const PASS_TIMES_MAX = 32;

export function nextStreak(prev: ProbeStreak, verdict: Verdict, at: number, credential?: string): ProbeStreak {
  if (verdict === "inconclusive") return prev;
  const base = credential !== prev.credential ? NO_STREAK : prev;
  const withCred = credential !== undefined ? { credential } : {};
  if (verdict === "fail") return { passes: 0, passTimes: [], lastAt: at, ...withCred };
  return { passes: base.passes + 1, passTimes: [...base.passTimes, at].slice(-PASS_TIMES_MAX), lastAt: at, ...withCred };
}

/** `successThreshold` passes in a row, all strictly after `at`, and none failed since. */
export function supersedes(streak: ProbeStreak, at: number, successThreshold: number): boolean {
  return streak.passTimes.filter((t) => t > at).length >= successThreshold;
}

export interface RouteEvidence {
  key: string;
  kind: string;
  state: SubjectState;
  /** When the fact happened (see factAt). */
  at: number;
  /** The newest probe of the route could not decide (timeout, network): the evidence says "unknown". */
  inconclusive?: boolean;
}

export function isSuperseded(e: Pick<RouteEvidence, "key" | "kind" | "at">, streak: ProbeStreak, successThreshold: number): boolean {
  return evidenceClass(e.kind, e.key) === "run" && PAST_RUN_KINDS.has(e.kind) && supersedes(streak, e.at, successThreshold);
}

/**
 * The route's state: the worst of its probe and run evidence that is not superseded. No such
 * evidence → `ok` when the route was observed at all, else `unknown`.
 */
export function routeVerdict(evidence: readonly RouteEvidence[], streak: ProbeStreak, successThreshold: number, observed: boolean): SubjectState {
  let worst: SubjectState | null = null;
  for (const e of evidence) {
    if (evidenceClass(e.kind, e.key) === "other" || isSuperseded(e, streak, successThreshold)) continue;
    const state = e.inconclusive && e.state !== "ok" ? "unknown" : e.state;
    if (worst === null || STATE_RANK[state] > STATE_RANK[worst]) worst = state;
  }
  if (worst !== null) return worst;
  return observed || streak.lastAt !== undefined ? "ok" : "unknown";
}

/** Split run findings into those that still speak for their route and those newer passes superseded. */
export function splitSuperseded(findings: readonly Finding[], streakOf: (agent: string, provider: string) => ProbeStreak, successThreshold: number): { current: Finding[]; superseded: Finding[] } {
  const current: Finding[] = [];
  const superseded: Finding[] = [];
  for (const f of findings) {
    const { agent, provider } = f.subject;
    const gone = agent !== undefined && provider !== undefined && isSuperseded({ key: f.key, kind: f.kind, at: factAt(f) }, streakOf(agent, provider), successThreshold);
    (gone ? superseded : current).push(f);
  }
  return { current, superseded };
}
