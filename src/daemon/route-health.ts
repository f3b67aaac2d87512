// The daemon's side of route health: remembers each route's streak of passing probes with the
// credential the runtime uses now, and asks the pure policy (health/route-verdict) which run
// findings newer passes superseded and what state a route is in.
import type { Finding } from "../checks/finding.js";
import type { HealthTracker } from "../health/tracker.js";
import type { IncidentTransition, SubjectState } from "../health/types.js";
import { NO_STREAK, nextStreak, routeVerdict, splitSuperseded, isSuperseded, type ProbeStreak } from "../health/route-verdict.js";
import type { ProbeRow } from "../probe/types.js";

const id = (agent: string, provider: string): string => `${agent}\u0000${provider}`;

export class RouteHealth {
  readonly #streaks = new Map<string, ProbeStreak>();
  /** Passing probes that supersede older run findings (health.successThreshold; a reload may change it). */
  successThreshold: number;
  /** Routes whose newest runtime probe could not decide (timeout, network, 429, 5xx). */
  readonly #undecided = new Set<string>();

  constructor(successThreshold: number) {
    this.successThreshold = successThreshold;
  }

  streak(agent: string, provider: string): ProbeStreak {
    return this.#streaks.get(id(agent, provider)) ?? NO_STREAK;
  }

  /** One probe round: the runtime credential's verdict per route. */
  observeProbes(rows: readonly Pick<ProbeRow, "agent" | "provider" | "credentialRole" | "credential" | "result">[]): void {
    for (const r of rows) {
      if (r.credentialRole !== "runtime") continue;
      const k = id(r.agent, r.provider);
      if (r.result.verdict === "inconclusive") this.#undecided.add(k);
      else this.#undecided.delete(k);
      this.#streaks.set(k, nextStreak(this.#streaks.get(k) ?? NO_STREAK, r.result.verdict, r.result.at, r.credential?.fingerprint ?? undefined));
    }
  }

  /** Run findings that still speak for their route, and those newer passes superseded. */
  splitRunFindings(findings: readonly Finding[]): { current: Finding[]; superseded: Finding[] } {
    return splitSuperseded(findings, (a, p) => this.streak(a, p), this.successThreshold);
  }

  /** Release every tracked run finding that newer passes superseded (their incident may close). */
  supersede(tracker: HealthTracker): IncidentTransition[] {
    const keys = tracker
      .subjects()
      .filter((v) => v.state !== "ok" && v.subject.agent !== undefined && v.subject.provider !== undefined && v.evidenceAt !== undefined)
      .filter((v) => isSuperseded({ key: v.key, kind: v.kind, at: v.evidenceAt! }, this.streak(v.subject.agent!, v.subject.provider!), this.successThreshold))
      .map((v) => v.key);
    return keys.length ? tracker.supersede(keys) : [];
  }

  /** A route's state from its probe and run evidence (never from read-time facts). */
  state(tracker: HealthTracker, agent: string, provider: string): SubjectState {
    const route = tracker.subject(`route:${agent}/${provider}`);
    const evidence = tracker
      .subjects()
      .filter((v) => v.subject.agent === agent && v.subject.provider === provider && !v.key.startsWith("route:"))
      .map((v) => ({ key: v.key, kind: v.kind, state: v.state, at: v.evidenceAt ?? v.lastFailAt ?? v.since, inconclusive: v.kind === "probe.failed" && this.#undecided.has(id(agent, provider)) }));
    if (!route && this.streak(agent, provider).lastAt === undefined) return "unknown";
    return routeVerdict(evidence, this.streak(agent, provider), this.successThreshold, route !== undefined && route.state !== "unknown");
  }
}
