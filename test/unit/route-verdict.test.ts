// A route's health comes from fresh evidence: passing probes of the credential the runtime uses now
// supersede older failed runs (an agent on a fallback can never produce a new run on its primary),
// read-time facts never hold a route down, and fresh failures still open it. The property test
// drives the real HealthTracker through the daemon's glue (RouteHealth) with seeded random rounds.
import { describe, it, expect } from "@jest/globals";
import { makeFinding, type Finding } from "../../src/checks/finding.js";
import { ManualClock } from "../../src/util/clock.js";
import { HealthTracker } from "../../src/health/tracker.js";
import { factAt, nextStreak, routeVerdict, NO_STREAK, type RouteEvidence } from "../../src/health/route-verdict.js";
import { RouteHealth } from "../../src/daemon/route-health.js";
import type { Verdict } from "../../src/health/types.js";
import { seededRandom } from "../../src/util/seeded-random.js";

const AGENT = "courier";
const PROVIDER = "openrouter";
const subject = { agent: AGENT, provider: PROVIDER };
const ROUTE = `route:${AGENT}/${PROVIDER}`;
const RUN_KINDS = ["run.empty-reply", "run.stuck", "run.failure-burst", "cooldown.storm"];
const PROBE_KINDS = ["auth.rejected", "probe.failed", "probe.empty-reply"];

/** One route as the daemon sees it: probe rounds, run polls, the tracker and the verdict. */
class World {
  readonly clock = new ManualClock(Date.parse("2026-11-30T06:00:00Z"));
  readonly tracker: HealthTracker;
  readonly health: RouteHealth;
  /** Times of failed runs the run monitor still reports (newest wins the finding's lastAt). */
  runs: number[] = [];

  readonly failureThreshold: number;
  readonly successThreshold: number;

  constructor(failureThreshold: number, successThreshold: number) {
    this.failureThreshold = failureThreshold;
    this.successThreshold = successThreshold;
    this.tracker = new HealthTracker({ clock: this.clock, policies: { default: { failureThreshold, successThreshold, window: null, flap: null } } });
    this.health = new RouteHealth(successThreshold);
  }

  probe(verdict: Verdict): void {
    const at = this.clock.now();
    this.health.observeProbes([{ agent: AGENT, provider: PROVIDER, credentialRole: "runtime", credential: null, result: { verdict, at } as never }]);
    const findings = verdict === "fail" ? [makeFinding({ kind: "auth.rejected", severity: "critical", subject, summary: "HTTP 401", at })] : [];
    const inconclusive = verdict === "inconclusive" ? [{ subject, kinds: PROBE_KINDS }] : [];
    this.tracker.report({ source: "probe", findings, covers: [{ subject, kinds: PROBE_KINDS }], inconclusive, at });
    this.health.supersede(this.tracker);
  }

  pollRuns(): void {
    const at = this.clock.now();
    const all: Finding[] = this.runs.length
      ? [makeFinding({ kind: "run.empty-reply", severity: "critical", subject, summary: "empty reply (401)", evidence: { lastAt: new Date(Math.max(...this.runs)).toISOString() }, at })]
      : [];
    const { current } = this.health.splitRunFindings(all);
    this.tracker.report({ source: "runs", findings: current, covers: [{ kinds: RUN_KINDS }], at });
    this.health.supersede(this.tracker);
  }

  round(verdict: Verdict): void {
    this.probe(verdict);
    this.pollRuns();
    this.clock.advance(5000);
  }

  state(): string {
    return this.health.state(this.tracker, AGENT, PROVIDER);
  }

  incidentOpen(): boolean {
    return this.tracker.incidentFor(ROUTE) !== undefined;
  }
}

describe("route verdict: pure policy", () => {
  const ev = (kind: string, state: RouteEvidence["state"], at: number, key = `${kind}|agent=${AGENT}|provider=${PROVIDER}`): RouteEvidence => ({ key, kind, state, at });

  it("a failed run older than successThreshold fresh passes no longer holds the route down", () => {
    let streak = NO_STREAK;
    for (const t of [2000, 3000]) streak = nextStreak(streak, "pass", t, "fp");
    expect(routeVerdict([ev("run.empty-reply", "down", 1000)], streak, 2, true)).toBe("ok");
    expect(routeVerdict([ev("run.empty-reply", "down", 2500)], streak, 2, true)).toBe("down");
  });

  it("one pass is not enough when the threshold is two", () => {
    const streak = nextStreak(NO_STREAK, "pass", 2000, "fp");
    expect(routeVerdict([ev("run.empty-reply", "down", 1000)], streak, 2, true)).toBe("down");
  });

  it("a probe's own failure is never superseded by the verdict (its state machine decides)", () => {
    let streak = NO_STREAK;
    for (const t of [2000, 3000]) streak = nextStreak(streak, "pass", t, "fp");
    expect(routeVerdict([ev("auth.rejected", "recovering", 1000)], streak, 2, true)).toBe("recovering");
  });

  it("read-time facts (a static shadowed key, lint) never hold a route down", () => {
    const evidence = [ev("auth.shadowed", "down", 1000, `auth.shadowed|agent=${AGENT}|provider=${PROVIDER}|static`), ev("env.duplicate-key", "down", 1000), ev("remedy.switched", "down", 1000)];
    expect(routeVerdict(evidence, NO_STREAK, 2, true)).toBe("ok");
    expect(routeVerdict(evidence, NO_STREAK, 2, false)).toBe("unknown");
  });

  it("a missing credential decides the route like a failed probe: never ok next to a row 'fail missing'", () => {
    expect(routeVerdict([ev("auth.missing", "down", 1000)], NO_STREAK, 2, true)).toBe("down");
    expect(routeVerdict([ev("auth.missing", "failing", 1000)], NO_STREAK, 2, true)).toBe("failing");
  });

  it("inconclusive probe evidence (timeout, network) makes a route unknown, never down; a real failure still wins", () => {
    expect(routeVerdict([{ ...ev("probe.failed", "down", 1000), inconclusive: true }], NO_STREAK, 2, true)).toBe("unknown");
    expect(routeVerdict([{ ...ev("probe.failed", "down", 1000), inconclusive: true }, ev("auth.rejected", "down", 1000)], NO_STREAK, 2, true)).toBe("down");
  });

  it("a route whose probes only ever time out is unknown in the daemon's view, not down", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock });
    const health = new RouteHealth(1);
    const round = (verdict: Verdict) => {
      const at = clock.now();
      health.observeProbes([{ agent: AGENT, provider: PROVIDER, credentialRole: "runtime", credential: null, result: { verdict, at } as never }]);
      // What src/probe/findings.ts reports for a network failure: probe.failed, info.
      const findings = verdict === "inconclusive" ? [makeFinding({ kind: "probe.failed", severity: "info", subject, summary: "connection refused", at })] : [];
      tracker.report({ source: "probe", findings, covers: [{ subject, kinds: PROBE_KINDS }], inconclusive: verdict === "inconclusive" ? [{ subject, kinds: PROBE_KINDS }] : [], at });
      clock.advance(60_000);
    };
    for (let i = 0; i < 5; i++) round("inconclusive");
    expect(tracker.stateOf(ROUTE)).toBe("down");
    expect(health.state(tracker, AGENT, PROVIDER)).toBe("unknown");
  });

  it("a new credential starts a new streak", () => {
    let streak = nextStreak(NO_STREAK, "pass", 1000, "old");
    streak = nextStreak(streak, "pass", 2000, "new");
    expect(streak).toMatchObject({ passes: 1, passTimes: [2000] });
  });

  it("a run finding's time is the run's, not the time it was re-read", () => {
    const f = makeFinding({ kind: "run.empty-reply", severity: "critical", subject, summary: "x", evidence: { lastAt: "2026-11-30T06:00:00.000Z" }, at: Date.parse("2026-11-30T06:05:00Z") });
    expect(factAt(f)).toBe(Date.parse("2026-11-30T06:00:00Z"));
  });
});

describe("route verdict: the loop closes on a tracker fed by probes and run polls", () => {
  it("an old 401 run re-reported after the switch does not keep the primary down once probes pass", () => {
    const w = new World(3, 2);
    w.runs.push(w.clock.now());
    for (let i = 0; i < 3; i++) w.round("fail");
    expect(w.state()).toBe("down");
    expect(w.incidentOpen()).toBe(true);
    // The key heals; the transcript keeps reporting the old run.
    w.round("pass");
    expect(w.state()).not.toBe("ok");
    w.round("pass");
    expect(w.state()).toBe("ok");
    expect(w.incidentOpen()).toBe(false);
    // The run is still in the tracker's memory (history), just no longer evidence.
    expect(w.tracker.subject(`run.empty-reply|agent=${AGENT}|provider=${PROVIDER}`)?.state).toBe("ok");
  });

  it("property: any interleaving of stale failures and fresh passes ends ok after successThreshold passes; fresh failures still open it (1,000 seeded sequences)", () => {
    const SEQUENCES = 1000;
    for (let seed = 1; seed <= SEQUENCES; seed++) {
      const rnd = seededRandom(seed);
      const F = 1 + Math.floor(rnd() * 3);
      const S = 1 + Math.floor(rnd() * 3);
      const w = new World(F, S);
      const context = () => `seed ${seed} (failureThreshold ${F}, successThreshold ${S})`;
      // A random prefix: probe verdicts and runs failing now or re-read from the past.
      const prefix = 1 + Math.floor(rnd() * 20);
      for (let i = 0; i < prefix; i++) {
        const r = rnd();
        if (r < 0.3) w.runs.push(w.clock.now());
        else if (r < 0.45) w.runs.push(w.clock.now() - Math.floor(rnd() * 600_000));
        const v = rnd();
        w.round(v < 0.45 ? "fail" : v < 0.9 ? "pass" : "inconclusive");
      }
      // S fresh passes; meanwhile only stale failures surface (runs from before these passes).
      const finalFrom = w.clock.now();
      for (let i = 0; i < S; i++) {
        w.probe("pass");
        if (rnd() < 0.5) w.runs.push(finalFrom - 1 - Math.floor(rnd() * 600_000));
        w.pollRuns();
        w.clock.advance(5000);
      }
      if (w.state() !== "ok") throw new Error(`${context()}: route is ${w.state()} after ${S} fresh passes`);
      if (w.incidentOpen()) throw new Error(`${context()}: incident still open after ${S} fresh passes`);

      // Runs failing now (newer than every pass) open it again within failureThreshold polls, probes passing.
      for (let i = 0; i < F; i++) {
        w.runs.push(w.clock.now());
        w.round("pass");
      }
      if (w.state() !== "down" || !w.incidentOpen()) throw new Error(`${context()}: a fresh failed run did not open the route (${w.state()}) ${JSON.stringify(w.tracker.subjects().map((v) => [v.key, v.state, v.consecutiveFails]))}`);
      // And failing probes alone open it too.
      const v = new World(F, S);
      for (let i = 0; i < F; i++) v.round("fail");
      if (v.state() !== "down" || !v.incidentOpen()) throw new Error(`${context()}: ${F} failed probes did not open the route`);
    }
    expect(SEQUENCES).toBeGreaterThanOrEqual(1000);
  });
});
