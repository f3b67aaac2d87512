// `clawpatrol run`: one long-running watcher. Sources (file watcher, log/transcript followers,
// probe schedules) feed findings to the health tracker; only its transitions reach the effects
// (alerts, remedy, status file, sd_notify). Every source runs as a SerialJob, so no job ever runs
// two passes at once, and a failing source becomes a finding, never a crash.
import { statSync } from "node:fs";
import { hostname } from "node:os";
import { incidentLogLevel, type Logger } from "../util/log.js";
import { defaultReachFindings, defaultReachKey } from "../checks/default-reach.js";
import { systemClock, parseDuration, type Clock } from "../util/clock.js";
import { realExec, type Exec } from "../util/exec.js";
import { clawpatrolStateDir } from "../util/paths.js";
import { makeFinding, type Finding, type FindingSubject } from "../checks/finding.js";
import { snapshotFindings } from "../sources.js";
import { installTarget, probeMatrixOptions, runMonitorOptions } from "../config/derive.js";
import { readInstallation } from "../openclaw/installation.js";
import type { Installation } from "../openclaw/types.js";
import { HealthStore } from "../health/store.js";
import { HealthTracker, routeKey } from "../health/tracker.js";
import { SerialJob } from "../health/job-runner.js";
import type { IncidentTransition, SubjectState } from "../health/types.js";
import { BaselineStore } from "../health/baseline-store.js";
import { DriftMonitor, driftScopeOf, type DriftReport } from "../watch/drift-monitor.js";
import { RunWatcher, runCursorPath } from "../watch/run-watcher.js";
import { ProbeScheduler } from "../probe/scheduler.js";
import type { GatewayProbeResult } from "../probe/gateway.js";
import type { ProbeMatrix } from "../probe/types.js";
import type { FetchLike } from "../probe/http.js";
import { createChannels } from "../notify/channels/index.js";
import { createDispatcher, notifiedPatch, type Dispatcher } from "../notify/dispatcher.js";
import { RemedyEngine, GatewayRestarter, remedyOptionsFrom, restartOptionsFrom } from "../remedy/index.js";
import { shellQuote } from "../remedy/engine.js";
import { describeChange, type DocChange } from "../remedy/collateral.js";
import { Notifier } from "../systemd/notify.js";
import { StatusWriter } from "../status/writer.js";
import { buildStatusSnapshot, probeInputsFromRows, type ActionInput, type StatusSnapshot } from "../status/snapshot.js";
import type { HealthPolicy } from "../health/policy.js";
import { resolveStatusPath } from "../config/load.js";
import type { ClawpatrolConfig } from "../config/schema.js";
import { VERSION } from "../version.js";
import { ProbeCache, withExtraRoutes, type ExtraRoute } from "./route-probes.js";
import { ensureSalt } from "./salt.js";
import { RunPathWatcher } from "./run-path-watcher.js";
import { DaemonMetrics } from "../metrics/daemon-metrics.js";
import { startHeartbeat, type Heartbeat } from "../heartbeat/index.js";
import { RouteHealth } from "./route-health.js";
import { withoutOwnChanges } from "./own-changes.js";
import { keepLastKnownGateway, unobservedBy } from "./unobserved.js";
import { summarizeRepeats } from "../checks/summarize.js";

const SNAPSHOT_KINDS = [
  "config.invalid", "config.missing-var", "config.shadowed-default", "env.duplicate-key", "secret.plaintext",
  "auth.missing", "auth.expiring", "cooldown.active", "state.unreadable",
] as const;
const RUN_KINDS = ["run.empty-reply", "run.stuck", "run.failure-burst", "cooldown.storm", "model.failover"] as const;
const PROBE_KINDS = ["auth.rejected", "probe.failed", "auth.shadowed", "probe.empty-reply"] as const;
const REMEDY_KINDS = ["remedy.no-candidate", "remedy.failed", "remedy.conflict", "remedy.switched", "remedy.would-switch", "remedy.capped", "remedy.blocked"] as const;

export interface DaemonOptions {
  config: ClawpatrolConfig;
  configPath: string;
  configSource: "file" | "defaults";
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  exec?: Exec;
  fetch?: FetchLike;
  notifier?: Notifier;
  /** Main-loop period (watchdog progress, backstop polls), ms. */
  loopMs?: number;
}

export class Daemon {
  readonly #o: DaemonOptions;
  readonly #env: NodeJS.ProcessEnv;
  readonly #clock: Clock;
  readonly #exec: Exec;
  readonly #log: Logger;
  readonly #stateDir: string;
  #config: ClawpatrolConfig;
  #inst!: Installation;
  #tracker!: HealthTracker;
  #healthStore!: HealthStore;
  #dispatcher!: Dispatcher;
  #drift!: DriftMonitor;
  #runs!: RunWatcher;
  #runPaths!: RunPathWatcher;
  #probes!: ProbeScheduler;
  #remedy!: RemedyEngine;
  #restarter: GatewayRestarter | null = null;
  #status!: StatusWriter;
  #notifier: Notifier;
  readonly #cache = new ProbeCache();
  readonly #metrics = new DaemonMetrics();
  #heartbeat: Heartbeat | null = null;
  #routeHealth!: RouteHealth;
  #gateway: GatewayProbeResult | null = null;
  #gatewayStartedAt: number | undefined;
  #loop: NodeJS.Timeout | null = null;
  #lastTrackerTick = 0;
  #lastInstallRead = 0;
  #startedAt = 0;
  #lastLoopTickAt = 0;
  #ready = false;
  #stopping = false;
  readonly #jobs: Record<"install" | "runs" | "remedy" | "status", SerialJob>;

  constructor(options: DaemonOptions) {
    this.#o = options;
    this.#config = options.config;
    this.#env = options.env ?? process.env;
    this.#clock = options.clock ?? systemClock;
    this.#exec = options.exec ?? realExec;
    this.#log = options.logger;
    this.#stateDir = clawpatrolStateDir(this.#env);
    this.#notifier = options.notifier ?? new Notifier({ env: this.#env, exec: this.#exec, clock: this.#clock });
    const onError = (what: string) => (err: unknown) => this.#log.error({ err: String(err) }, `${what} failed`);
    this.#jobs = {
      install: new SerialJob(() => this.#refreshInstallation(), { onError: onError("reading the OpenClaw installation") }),
      runs: new SerialJob(() => this.#pollRuns(), { onError: onError("following transcripts and the gateway log") }),
      remedy: new SerialJob(() => this.#evaluateRemedy(), { onError: onError("remedy evaluation") }),
      status: new SerialJob(() => this.#writeStatus(), { onError: onError("writing the status file") }),
    };
  }

  get tracker(): HealthTracker {
    return this.#tracker;
  }

  get installation(): Installation {
    return this.#inst;
  }

  /** First full observation, then event-driven. Resolves once READY=1 has been sent. */
  async start(): Promise<void> {
    this.#startedAt = this.#clock.now();
    ensureSalt(this.#stateDir);
    await this.#timed("read installation", async () => (this.#inst = await this.#read()));
    this.#lastInstallRead = this.#clock.now();

    this.#healthStore = new HealthStore({ env: this.#env });
    if (this.#healthStore.loadError) this.#log.warn(this.#healthStore.loadError);
    const health = this.#config.health;
    this.#tracker = HealthTracker.fromState(this.#healthStore.load(), {
      clock: this.#clock,
      persist: this.#healthStore.persister(),
      policies: { default: healthPolicy(health) },
    });
    this.#routeHealth = new RouteHealth(health.successThreshold);

    await this.#timed("notify", () => this.#startNotify());
    this.#startRemedy();
    await this.#timed("drift baseline", () => this.#startDrift());
    this.#startRuns();
    this.#startProbes();
    this.#status = new StatusWriter({
      path: resolveStatusPath(this.#config, this.#env),
      intervalMs: this.#config.status.intervalMs,
      ...(this.#config.status.prometheus.textfile ? { prometheusTextfile: this.#config.status.prometheus.textfile } : {}),
      extraMetrics: () => this.#metrics.extra(),
      log: this.#log,
    });

    // The first full observation: snapshot checks, drift, runs, gateway and the probe matrix.
    this.#reportSnapshot(this.#inst);
    await this.#timed("runs", () => this.#jobs.runs.trigger());
    await this.#timed("gateway probe", () => this.#probes.runGateway());
    await this.#timed("probe matrix", () => this.#probes.runAuth({ jitter: false }));
    await this.#timed("remedy", () => this.#jobs.remedy.trigger());

    this.#status.start(() => this.snapshot());
    this.#probes.start();
    this.#loop = setInterval(() => this.#mainLoop(), this.#o.loopMs ?? 5000);
    this.#loop.unref?.();
    this.#ready = true;
    this.#lastLoopTickAt = this.#clock.now();
    this.#notifier.loopTick();
    this.#notifier.start();
    await this.#jobs.status.trigger();
    await this.#metrics.serve(this.#config.status.prometheus.listen, () => this.#status.current, this.#log);
    this.#heartbeat = startHeartbeat(this.#config.heartbeat, this.#env, this.#log);
    this.#notifier.ready(this.snapshot().summary.line);
    this.#log.info({ stateDir: this.#inst.paths.stateDir, era: this.#inst.version.era, version: this.#inst.version.version, agents: this.#inst.agents.length }, "clawpatrol is watching");
  }

  async #timed(what: string, fn: () => Promise<unknown>): Promise<void> {
    const t0 = Date.now();
    await fn();
    this.#log.debug({ ms: Date.now() - t0 }, `first observation: ${what}`);
  }

  /** Finish in-flight work, persist everything, tell systemd. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    const stopping = this.#notifier.stopping("stopping");
    if (this.#loop) clearInterval(this.#loop);
    await Promise.allSettled([this.#probes?.stop(), this.#drift?.stop(), this.#runPaths?.close()]);
    await Promise.allSettled(Object.values(this.#jobs).map((j) => j.idle()));
    this.#runs?.close();
    this.#tracker?.flush();
    await this.#writeStatus().catch(() => undefined);
    await this.#status?.stop();
    await this.#metrics.close();
    await this.#heartbeat?.idle();
    await this.#dispatcher?.close();
    await stopping;
    await this.#notifier.flush();
    this.#notifier.stop();
  }

  /** SIGHUP: the new config was validated by the caller; apply what can change at run time. */
  async reload(config: ClawpatrolConfig): Promise<void> {
    this.#notifier.reloading();
    const old = this.#config;
    this.#config = config;
    await this.#probes.stop();
    this.#startProbes();
    this.#probes.start();
    await this.#dispatcher.close();
    await this.#startNotify();
    this.#startRemedy();
    this.#heartbeat = startHeartbeat(config.heartbeat, this.#env, this.#log);
    this.#log.info({ remedy: config.remedy.mode, previous: old.remedy.mode }, "configuration reloaded");
    this.#notifier.ready(this.snapshot().summary.line);
  }

  // ── sources ────────────────────────────────────────────────────────────────────────────────

  async #read(): Promise<Installation> {
    return readInstallation({ env: this.#env, exec: this.#exec, now: this.#clock.now(), ...installTarget(this.#config) });
  }

  async #refreshInstallation(): Promise<void> {
    const inst = keepLastKnownGateway(this.#inst, await this.#read());
    this.#inst = inst;
    this.#lastInstallRead = this.#clock.now();
    this.#runs.update(inst);
    this.#runPaths.update(this.#runs);
    await this.#drift.observeInstallation(inst);
    this.#reportSnapshot(inst);
    this.#reportStale();
    this.#jobs.remedy.trigger();
  }

  #reportSnapshot(inst: Installation): void {
    // Mid-switch the config is clawpatrol's work in progress: judge it once the switch is done.
    if (this.#remedy.store.load().pending) return;
    const now = this.#clock.now();
    let findings: Finding[];
    try {
      // An agent on a fallback still owns its primary's credentials: their read-time facts stay put.
      const watched = withExtraRoutes(inst, this.#remedy.watchedOriginalRoutes().map((w) => ({ agent: w.agent, ref: w.ref })));
      findings = snapshotFindings(inst, now, watched).filter((f) => (SNAPSHOT_KINDS as readonly string[]).includes(f.kind) || f.kind === "auth.shadowed");
    } catch (err) {
      findings = [makeFinding({ kind: "state.unreadable", severity: "warning", subject: { file: inst.paths.stateDir }, summary: `checks could not run: ${String(err)}`, at: now })];
    }
    const own = withoutOwnChanges(findings, this.#remedy.activeFallbacks());
    findings = summarizeRepeats(own.findings);
    // Static auth.shadowed (two sources hold different secrets) is keyed apart from the probe's verdict.
    const statics = findings.map((f) => (f.kind === "auth.shadowed" ? { ...f, key: `${f.key}|static` } : f));
    const fromDrift = defaultReachKey(inst);
    this.#apply(this.#tracker.report({ source: "snapshot", findings: statics, inconclusive: own.inconclusive, unobserved: unobservedBy(inst), covers: (key, _s, kind) => key !== fromDrift && ((SNAPSHOT_KINDS as readonly string[]).includes(kind) || (kind === "auth.shadowed" && key.endsWith("|static"))) }));
  }

  async #startDrift(): Promise<void> {
    // Keyed by the OpenClaw state dir, like `clawpatrol accept` (earlier versions keyed it by clawpatrol's own).
    const store = new BaselineStore({ stateDir: this.#inst.paths.stateDir, env: this.#env, legacyStateDir: this.#stateDir });
    this.#drift = new DriftMonitor({
      scope: driftScopeOf(this.#inst, this.#env),
      store,
      clock: this.#clock,
      debounceMs: this.#config.drift.debounceMs,
      ...(this.#config.drift.rescanInterval ? { rescanIntervalMs: parseDuration(this.#config.drift.rescanInterval) } : {}),
      timelineSource: "file",
      onReport: (r) => this.#onDrift(r),
      onError: (err) => this.#log.warn({ err: String(err) }, "drift watcher problem"),
    });
    await this.#drift.start();
    // The logical auth store (SQLite eras) and $include files from the start, not from the first re-read.
    await this.#drift.observeInstallation(this.#inst);
  }

  #onDrift(r: DriftReport): void {
    // The re-read below observes the installation again: only a changed logical store is news then (one report per edit).
    if (r.reason !== "installation" || r.changedPaths.length > 0) {
      const reach = defaultReachFindings(this.#inst, r.findings, r.at);
      this.#apply(this.#tracker.report({ source: "drift", findings: [...r.findings, ...reach], covers: [{ keys: [...r.coveredKeys, defaultReachKey(this.#inst)] }], at: r.at }));
    }
    for (const own of r.ownChanges) this.#log.info({ file: own.file, note: own.note }, "change made by clawpatrol absorbed into the baseline");
    // A watched file changed: re-read the installation (routes, credentials, usage) at once; that re-read judges config-stale.
    if (r.reason === "events" || r.reason === "rescan") this.#jobs.install.trigger();
    else if (r.reason !== "installation") this.#reportStale();
  }

  #reportStale(): void {
    const findings = this.#drift.configStale({ ...(this.#gatewayStartedAt !== undefined ? { gatewayStartedAt: this.#gatewayStartedAt } : {}), reloadMode: this.#inst.gateway.reloadMode, version: this.#inst.version.version });
    this.#apply(this.#tracker.report({ source: "config-stale", findings, covers: [{ kinds: ["gateway.config-stale"] }] }));
  }

  #startRuns(): void {
    this.#runs = new RunWatcher(this.#inst, {
      cursorPath: runCursorPath(this.#stateDir),
      startAt: "end",
      now: () => this.#clock.now(),
      monitor: runMonitorOptions(this.#config.runs),
    });
    this.#runPaths = new RunPathWatcher(() => this.#jobs.runs.trigger(), (err) => this.#log.warn({ err: String(err) }, "run watcher problem"));
    this.#runPaths.update(this.#runs);
  }

  async #pollRuns(): Promise<void> {
    const result = await this.#runs.poll();
    for (const p of result.problems) this.#log.warn(p);
    // A run older than the runtime credential's newest passing streak no longer speaks for its route.
    const findings = this.#routeHealth.splitRunFindings(this.#runs.findings(this.#clock.now())).current;
    this.#apply(this.#tracker.report({ source: "runs", findings, covers: [{ kinds: RUN_KINDS }, { keys: this.#runs.unreadableKeys() }] }));
    this.#apply(this.#routeHealth.supersede(this.#tracker));
    if (findings.length > 0) this.#jobs.remedy.trigger();
  }

  #extraRoutes(): ExtraRoute[] {
    const extra: ExtraRoute[] = [];
    for (const w of this.#remedy.watchedOriginalRoutes()) extra.push({ agent: w.agent, ref: w.ref });
    for (const agent of this.#inst.agents) for (const ref of this.#remedy.candidatesFor(agent)) extra.push({ agent: agent.id, ref });
    return extra;
  }

  #startProbes(): void {
    const p = this.#config.probe;
    this.#probes = new ProbeScheduler({
      load: () => withExtraRoutes(this.#inst, this.#extraRoutes()),
      authCron: p.authSchedule,
      gatewayCron: p.gatewaySchedule,
      // The e2e gate enforces the interval; the cron only decides how often to look.
      e2eCron: p.e2e.enabled ? "*/10 * * * *" : null,
      e2eIntervalMs: parseDuration(p.e2e.interval),
      e2eVia: p.e2e.via,
      jitterMs: parseDuration(p.jitter),
      matrix: probeMatrixOptions(p),
      clock: this.#clock,
      exec: this.#exec,
      ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}),
      ...(this.#config.openclaw.bin ? { openclawBin: this.#config.openclaw.bin } : {}),
      openclawEnv: this.#env,
      onAuth: (matrix, findings) => this.#onProbe(matrix, findings),
      onGateway: (result, findings) => this.#onGateway(result, findings),
      onE2E: (_results, findings) => {
        this.#apply(this.#tracker.report({ source: "e2e", findings, covers: [{ kinds: ["probe.empty-reply"] }] }));
      },
      onError: (what, err) => this.#log.warn({ err: String(err) }, `${what} probe round failed`),
    });
  }

  #onProbe(matrix: ProbeMatrix, findings: Finding[]): void {
    this.#cache.update(matrix);
    this.#metrics.observeProbes(matrix.rows);
    this.#routeHealth.observeProbes(matrix.rows);
    const runtime = matrix.rows.filter((r) => r.credentialRole === "runtime");
    // The static auth.shadowed ("two sources differ", key …|static) belongs to the snapshot source.
    const routes = new Set(runtime.map((r) => `${r.agent}\u0000${r.provider}`));
    const covers = (key: string, subject: FindingSubject, kind: string) =>
      (PROBE_KINDS as readonly string[]).includes(kind) && !key.endsWith("|static") && routes.has(`${subject.agent}\u0000${subject.provider}`);
    const inconclusive = runtime.filter((r) => r.result.verdict === "inconclusive").map((r) => ({ subject: { agent: r.agent, provider: r.provider }, kinds: PROBE_KINDS }));
    this.#apply(this.#tracker.report({ source: "probe", findings, covers, inconclusive }));
    this.#apply(this.#routeHealth.supersede(this.#tracker));
    this.#jobs.remedy.trigger();
  }

  #onGateway(result: GatewayProbeResult, findings: Finding[]): void {
    const wasUp = this.#gateway?.status === "ok";
    this.#gateway = result;
    const uptimeMs = result.ready?.uptimeMs ?? undefined;
    if (result.status === "ok" && uptimeMs !== undefined) {
      const startedAt = result.at - uptimeMs;
      // Restarted (or first seen): remember when, for gateway.config-stale.
      if (this.#gatewayStartedAt === undefined || Math.abs(startedAt - this.#gatewayStartedAt) > 10_000) this.#gatewayStartedAt = startedAt;
    }
    this.#apply(this.#tracker.report({ source: "gateway", findings, covers: [{ kinds: ["gateway.down"] }] }));
    if (wasUp !== (result.status === "ok")) {
      this.#reportStale();
      this.#jobs.remedy.trigger();
    }
  }

  // ── effects ────────────────────────────────────────────────────────────────────────────────

  async #startNotify(): Promise<void> {
    const { channels, problems } = createChannels(this.#config.alerts.channels, {
      env: this.#env,
      stateDir: this.#stateDir,
      logger: this.#log,
      repeatIntervalMs: parseDuration(this.#config.alerts.repeatInterval),
    });
    for (const p of problems) this.#log.warn(p);
    this.#dispatcher = await createDispatcher({
      channels,
      stateDir: this.#stateDir,
      clock: this.#clock,
      policy: this.#config.alerts,
      logger: this.#log,
      host: hostname(),
      onNotified: (e) => {
        for (const id of e.incidentIds) {
          const patch = notifiedPatch(e, this.#tracker.incident(id));
          if (patch) this.#tracker.markNotified(id, patch);
        }
        this.#jobs.status.trigger();
      },
    });
    await this.#dispatcher.reconcile(this.#tracker.openIncidents());
  }

  #startRemedy(): void {
    const r = this.#config.remedy;
    const openclawBin = this.#config.openclaw.bin ?? "openclaw";
    const env = { ...this.#env, OPENCLAW_STATE_DIR: this.#inst.paths.stateDir, OPENCLAW_CONFIG_PATH: this.#inst.paths.configPath };
    this.#remedy = new RemedyEngine(
      {
        exec: this.#exec,
        clock: this.#clock,
        openclawBin,
        env,
        stateDir: this.#stateDir,
        configPath: this.#inst.paths.configPath,
        agents: () => this.#inst.agents,
        routeState: (agent, ref) => this.#routeState(agent, ref.slice(0, ref.indexOf("/")).toLowerCase()),
        isGatewayDown: () => this.#tracker.isDown("gateway") || this.#gateway?.status !== "ok",
        verifyCandidate: async (agent, ref) => this.#cache.check(agent, ref),
        configMtime: () => {
          try {
            return statSync(this.#inst.paths.configPath).mtimeMs;
          } catch {
            return 0;
          }
        },
        configValid: () => this.#inst.configValid,
        gatewayHealthy: async () => this.#gateway?.status === "ok",
        runsInFlight: () => this.#runs?.monitor.activeRuns() ?? 0,
        recordOwnChange: (file, note, hash, windowMs) => this.#drift.recordOwnChange(file, hash ?? null, note, windowMs !== undefined ? { windowMs } : {}),
        incidentKeys: (agent, ref) => [routeKey(agent, ref.slice(0, ref.indexOf("/")).toLowerCase())],
        sharedDefault: () => defaultsPrimary(this.#inst.config),
      },
      remedyOptionsFrom(r, cronIntervalMs(this.#config.probe.authSchedule)),
    );
    void this.#remedy.recover().then((outcome) => {
      if (outcome) this.#log.warn({ outcome }, "recovered an interrupted model switch");
    });
    const g = r.gatewayRestart;
    this.#restarter = g.enabled
      ? new GatewayRestarter(
          {
            exec: this.#exec,
            clock: this.#clock,
            env: this.#env,
            stateDir: this.#stateDir,
            isGatewayDown: () => this.#gateway !== null && this.#gateway.status !== "ok",
            runsInFlight: () => this.#runs?.monitor.activeRuns() ?? 0,
            incidentKeys: () => ["gateway"],
          },
          restartOptionsFrom(r),
        )
      : null;
  }

  #routeState(agent: string, provider: string): SubjectState {
    return this.#routeHealth.state(this.#tracker, agent, provider);
  }

  async #evaluateRemedy(): Promise<void> {
    const result = await this.#remedy.evaluate(this.#clock.now());
    for (const skip of result.skipped) this.#log.debug({ agent: skip.agent }, `remedy left ${skip.agent} alone: ${skip.reason}`);
    for (const record of result.actions) {
      const text = actionText(record, this.#clock.now());
      this.#log.info({ agent: record.agent, op: record.op, result: record.result, argv: record.argv }, text);
      const incident = record.agent ? this.#tracker.openIncidents().find((i) => i.subject.agent === record.agent && record.why.includes(i.subjectKey)) : undefined;
      if (incident) this.#apply(this.#tracker.addAction(incident.id, text));
    }
    this.#apply(this.#tracker.report({ source: "remedy", findings: result.findings, covers: [{ kinds: REMEDY_KINDS }] }));
    if (result.actions.some((a) => !a.dryRun)) this.#jobs.install.trigger();
  }

  async #restartGateway(now: number): Promise<void> {
    const result = await this.#restarter!.evaluate(now);
    for (const record of result.actions) {
      const text = actionText(record, now);
      this.#log.warn({ op: record.op, result: record.result, argv: record.argv }, text);
      const incident = this.#tracker.incidentFor("gateway");
      if (incident) this.#apply(this.#tracker.addAction(incident.id, text));
    }
    this.#apply(this.#tracker.report({ source: "gateway-restart", findings: result.findings, covers: [{ kinds: ["remedy.blocked"], subject: {} }] }));
  }

  #apply(transitions: IncidentTransition[] | IncidentTransition | null): void {
    const list = transitions === null ? [] : Array.isArray(transitions) ? transitions : [transitions];
    for (const t of list) {
      this.#log[incidentLogLevel(t.type, t.incident.severity)]({ incident: t.incident.id, kind: t.incident.kind, subject: t.incident.subjectKey }, `incident ${t.type}: ${t.incident.summary}`);
      void this.#dispatcher.onTransition(t).catch((err) => this.#log.error({ err: String(err) }, "could not queue alert"));
    }
    if (list.length > 0) this.#jobs.status.trigger();
  }

  #mainLoop(): void {
    if (this.#stopping) return;
    const now = this.#clock.now();
    this.#lastLoopTickAt = now;
    this.#notifier.loopTick();
    this.#jobs.runs.trigger();
    if (now - this.#lastTrackerTick >= 60_000) {
      this.#lastTrackerTick = now;
      this.#apply(this.#tracker.tick(now));
      this.#apply(this.#tracker.report({ source: "notify", findings: this.#dispatcher.backlogFindings(now), covers: [{ kinds: ["alert.spool-backlog"] }] }));
    }
    // Usage/cooldown state lives in files the drift watcher ignores on purpose; re-read it often.
    if (now - this.#lastInstallRead >= 30_000) this.#jobs.install.trigger();
    if (this.#restarter) void this.#restartGateway(now);
    void this.#heartbeat?.tick(now, () => this.#status.current ?? this.snapshot());
  }

  async #writeStatus(): Promise<void> {
    if (!this.#status) return;
    const snap = this.snapshot();
    await this.#status.write(snap);
    this.#notifier.status(snap.summary.line);
  }

  #recentActions(): ActionInput[] {
    const records = [...this.#remedy.recentActions(20), ...(this.#restarter?.audit.recent?.(10) ?? [])];
    return records
      .filter((r) => r.phase !== "intent")
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(-20)
      .map((r) => ({
        at: Date.parse(r.at),
        type: r.op,
        ...(r.agent ? { agent: r.agent } : {}),
        result: r.dryRun ? "observed" : r.result === "ok" || r.result === "applied" ? "ok" : r.result === undefined ? "skipped" : "failed",
        summary: actionText(r, Date.parse(r.at)),
      }));
  }

  snapshot(): StatusSnapshot {
    const routeStates = new Map(
      this.#tracker
        .subjects()
        .filter((s) => s.key.startsWith("route:") && s.subject.agent !== undefined && s.subject.provider !== undefined)
        .map((s) => [s.key, this.#routeState(s.subject.agent!, s.subject.provider!)] as const),
    );
    const fallbacks = new Map(this.#remedy.activeFallbacks().map((f) => [f.agent, { from: typeof f.original === "string" ? f.original : f.originalRef, since: f.appliedAt }] as const));
    const gw = this.#gateway;
    return buildStatusSnapshot({
      now: this.#clock.now(),
      self: {
        version: VERSION,
        pid: process.pid,
        startedAt: this.#startedAt,
        lastLoopTickAt: this.#lastLoopTickAt,
        ready: this.#ready,
        configPath: this.#o.configPath,
        configSource: this.#o.configSource,
        remedyMode: this.#config.remedy.mode,
      },
      installation: this.#inst,
      ...(gw ? { gateway: { up: gw.status === "ok", state: this.#tracker.stateOf("gateway"), checkedAt: gw.at, ...(gw.latencyMs !== undefined ? { latencyMs: gw.latencyMs } : {}), ...(gw.status !== "ok" ? { error: gw.reason } : {}) } } : {}),
      probes: probeInputsFromRows(this.#cache.rows()),
      routeStates,
      fallbacks,
      incidents: this.#tracker.openIncidents(),
      incidentState: (i) => this.#tracker.stateOf(i.subjectKey),
      actions: this.#recentActions(),
      spool: this.#dispatcher.spoolStatus(),
    });
  }
}

function defaultsPrimary(config: Record<string, unknown> | null): string | null {
  const agents = config?.agents as { defaults?: { model?: unknown } } | undefined;
  const model = agents?.defaults?.model;
  if (typeof model === "string") return model;
  if (model && typeof model === "object" && typeof (model as { primary?: unknown }).primary === "string") return (model as { primary: string }).primary;
  return null;
}

/** Rough period of a cron schedule (two consecutive runs), for "verified within the last interval". */
function cronIntervalMs(expression: string): number {
  const fields = expression.trim().split(/\s+/);
  const minute = fields.length === 6 ? fields[1]! : fields[0]!;
  const every = /^\*\/(\d+)$/.exec(minute);
  if (every) return Number(every[1]) * 60_000;
  if (minute === "*") return 60_000;
  return 60 * 60_000;
}

function healthPolicy(h: ClawpatrolConfig["health"]): Partial<HealthPolicy> {
  return {
    failureThreshold: h.failureThreshold,
    successThreshold: h.successThreshold,
    staleAfterMs: parseDuration(h.staleAfter),
    window: { size: Math.max(h.minSamples, h.failureThreshold * 2), failures: h.failureThreshold },
  };
}

function actionText(record: { op: string; agent?: string; after?: unknown; before?: unknown; dryRun?: boolean; result?: string; argv?: string[]; collateral?: DocChange[]; reverted?: string[] }, now: number): string {
  const also = record.collateral?.length ? `; OpenClaw also changed ${record.collateral.map(describeChange).join(", ")}` : "";
  const putBack = record.reverted?.length ? `; put back ${record.reverted.join(", ")}` : "";
  return baseActionText(record, now) + also + putBack;
}

function baseActionText(record: { op: string; agent?: string; after?: unknown; before?: unknown; dryRun?: boolean; result?: string; argv?: string[] }, now: number): string {
  const time = new Date(now).toISOString().slice(11, 16);
  const to = typeof record.after === "string" ? record.after : JSON.stringify(record.after);
  if (record.dryRun) return `would ${record.op === "restore" ? "restore" : "switch"} ${record.agent} to ${to} (observe mode): ${record.argv?.map(shellQuote).join(" ") ?? ""}`;
  if (record.op === "fallback") return `switched ${record.agent} to ${to} at ${time} UTC (${record.result})`;
  if (record.op === "restore") return `switched ${record.agent} back to ${to} at ${time} UTC (${record.result})`;
  if (record.op === "rollback") return `rolled ${record.agent} back to ${JSON.stringify(record.before)} at ${time} UTC`;
  return `${record.op} at ${time} UTC (${record.result})`;
}
