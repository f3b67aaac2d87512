// `clawpatrol run`: one long-running watcher. Sources (file watcher, log/transcript followers,
// probe schedules) feed findings to the health tracker; only its transitions reach the effects
// (alerts, remedy, status file, sd_notify). Every source runs as a SerialJob, so no job ever runs
// two passes at once, and a failing source becomes a finding, never a crash.
import { incidentLogLevel, type Logger } from "../util/log.js";
import { systemClock, type Clock } from "../util/clock.js";
import { realExec, type Exec } from "../util/exec.js";
import { clawpatrolStateDir } from "../util/paths.js";
import type { Finding } from "../checks/finding.js";
import { installTarget, runMonitorOptions } from "../config/derive.js";
import { readInstallation } from "../openclaw/installation.js";
import type { Installation } from "../openclaw/types.js";
import type { HealthTracker } from "../health/tracker.js";
import { SerialJob } from "../util/serial-job.js";
import type { IncidentTransition, SubjectState } from "../health/types.js";
import type { DriftMonitor, DriftReport } from "../drift/monitor.js";
import type { RunWatcher } from "../watch/run-watcher.js";
import type { ProbeScheduler } from "../probe/scheduler.js";
import type { GatewayProbeResult } from "../probe/gateway.js";
import type { ProbeMatrix } from "../probe/types.js";
import type { FetchLike } from "../probe/http.js";
import type { Dispatcher } from "../notify/dispatcher.js";
import type { RemedyEngine, GatewayRestarter } from "../remedy/index.js";
import { createRemedy } from "./remedy-wiring.js";
import { Notifier } from "../systemd/notify.js";
import type { StatusSnapshot } from "../status/snapshot.js";
import { resolveStatusPath } from "../config/load.js";
import type { ClawpatrolConfig } from "../config/schema.js";
import { VERSION } from "../version.js";
import { ProbeCache } from "./route-probes.js";
import { ensureSalt } from "./salt.js";
import type { RunPathWatcher } from "./run-path-watcher.js";
import { createRuns, pollRunFindings } from "./runs-wiring.js";
import { createProbes } from "./probe-wiring.js";
import { DaemonMetrics } from "../metrics/daemon-metrics.js";
import { startHeartbeat, type Heartbeat } from "../heartbeat/index.js";
import type { RouteHealth } from "./route-health.js";
import { openHealth, retuneHealth } from "./health-wiring.js";
import { LoopCadence } from "./loop-cadence.js";
import { OwnState } from "../state/own-state.js";
import { probeReport, runsReport } from "./routing.js";
import { installationReport } from "./installation-report.js";
import { StatusOutputs } from "./status-outputs.js";
import { startNotify } from "./notify-wiring.js";
import { evaluateRemedy, recoverInterruptedSwitch, restartGateway, type RemedyLoopParts } from "./remedy-loop.js";
import { statusView } from "./status-view.js";
import { reloadPlan } from "./reload-plan.js";
import { keepLastKnownGateway } from "./unobserved.js";
import { configStaleReport, planDriftReport, startDrift } from "./drift-wiring.js";
import { GatewayWatch } from "./gateway-watch.js";

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
  #own!: OwnState;
  #dispatcher!: Dispatcher;
  #drift!: DriftMonitor;
  #runs!: RunWatcher;
  #runPaths!: RunPathWatcher;
  #probes!: ProbeScheduler;
  #remedy!: RemedyEngine;
  #restarter: GatewayRestarter | null = null;
  #status!: StatusOutputs;
  #notifier: Notifier;
  readonly #cache = new ProbeCache();
  readonly #metrics = new DaemonMetrics();
  #heartbeat: Heartbeat | null = null;
  #routeHealth!: RouteHealth;
  readonly #gateway = new GatewayWatch();
  #loop: NodeJS.Timeout | null = null;
  readonly #cadence = new LoopCadence();
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
      remedy: new SerialJob(() => evaluateRemedy(this.#remedy, this.#remedyLoop()), { onError: onError("remedy evaluation") }),
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
    const salt = ensureSalt(this.#stateDir);
    await this.#timed("read installation", async () => (this.#inst = await this.#read()));
    this.#cadence.installationRead(this.#clock.now());
    this.#own = OwnState.open({ clawpatrolDir: this.#stateDir, openclawStateDir: this.#inst.paths.stateDir, statusPath: resolveStatusPath(this.#config, this.#env), salt, now: this.#clock.now(), log: this.#log });

    ({ tracker: this.#tracker, routeHealth: this.#routeHealth } = openHealth(this.#own.dir, this.#config.health, this.#clock, this.#log));

    await this.#timed("notify", () => this.#startNotify());
    this.#startRemedy();
    await this.#timed("drift baseline", () => this.#startDrift());
    this.#startRuns();
    this.#startProbes();
    this.#status = new StatusOutputs(this.#config, { env: this.#env, metrics: this.#metrics, log: this.#log, snapshot: () => this.snapshot() });

    // The first full observation: snapshot checks, drift, runs, gateway and the probe matrix.
    this.#reportSnapshot(this.#inst);
    this.#apply(this.#tracker.report(this.#own.report(this.#clock.now())));
    await this.#timed("runs", () => this.#jobs.runs.trigger());
    await this.#timed("gateway probe", () => this.#probes.runGateway());
    await this.#timed("probe matrix", () => this.#probes.runAuth({ jitter: false }));
    await this.#timed("remedy", () => this.#jobs.remedy.trigger());

    this.#status.start();
    this.#probes.start();
    this.#loop = setInterval(() => this.#mainLoop(), this.#o.loopMs ?? 5000);
    this.#loop.unref?.();
    this.#ready = true;
    this.#lastLoopTickAt = this.#clock.now();
    this.#notifier.loopTick();
    this.#notifier.start();
    await this.#jobs.status.trigger();
    await this.#status.serve();
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
    await this.#heartbeat?.idle();
    await this.#dispatcher?.close();
    await stopping;
    await this.#notifier.flush();
    this.#notifier.stop();
  }

  /** SIGHUP: the new config was validated by the caller. Applies every section that changed; names what needs a restart. */
  async reload(config: ClawpatrolConfig): Promise<void> {
    this.#notifier.reloading();
    const plan = reloadPlan(this.#config, config);
    this.#config = config;
    const apply: Record<string, () => Promise<void> | void> = {
      log: () => void (this.#log.level = config.log.level),
      health: () => retuneHealth(this.#tracker, this.#routeHealth, config.health),
      runs: () => this.#runs.monitor.retune(runMonitorOptions(config.runs)),
      drift: async () => {
        await this.#drift.stop();
        await this.#startDrift();
      },
      probe: async () => {
        await this.#probes.stop();
        this.#startProbes();
        this.#probes.start();
      },
      alerts: async () => {
        await this.#dispatcher.close();
        await this.#startNotify();
      },
      remedy: () => this.#startRemedy(),
      status: () => this.#status.reconfigure(config),
      heartbeat: () => void (this.#heartbeat = startHeartbeat(config.heartbeat, this.#env, this.#log)),
    };
    for (const section of plan.apply) await apply[section]?.();
    for (const section of plan.restart) this.#log.warn({ section }, `configuration reloaded, but ${section}.* takes effect only after a restart (systemctl --user restart clawpatrol)`);
    this.#log.info({ applied: plan.apply, needsRestart: plan.restart }, "configuration reloaded");
    this.#notifier.ready(this.snapshot().summary.line);
  }

  // ── sources ────────────────────────────────────────────────────────────────────────────────

  async #read(): Promise<Installation> {
    return readInstallation({ env: this.#env, exec: this.#exec, now: this.#clock.now(), ...installTarget(this.#config) });
  }

  async #refreshInstallation(): Promise<void> {
    const inst = keepLastKnownGateway(this.#inst, await this.#read());
    this.#inst = inst;
    this.#cadence.installationRead(this.#clock.now());
    this.#runs.update(inst);
    this.#runPaths.update(this.#runs);
    await this.#drift.observeInstallation(inst);
    this.#reportSnapshot(inst);
    this.#reportStale();
    this.#jobs.remedy.trigger();
  }

  #reportSnapshot(inst: Installation): void {
    const report = installationReport(inst, this.#remedy, this.#runs, this.#own, this.#clock.now());
    if (report) this.#apply(this.#tracker.report(report));
  }

  async #startDrift(): Promise<void> {
    this.#drift = await startDrift({ inst: this.#inst, env: this.#env, legacyStateDir: this.#stateDir, own: this.#own, clock: this.#clock, drift: this.#config.drift, log: this.#log, onReport: (r) => this.#onDrift(r) });
  }

  #onDrift(r: DriftReport): void {
    const { report, next } = planDriftReport(r, this.#inst, this.#own);
    if (report) this.#apply(this.#tracker.report(report));
    for (const own of r.ownChanges) this.#log.info({ file: own.file, note: own.note }, "change made by clawpatrol absorbed into the baseline");
    if (next === "reread") this.#jobs.install.trigger();
    else if (next === "stale") this.#reportStale();
  }

  #reportStale(): void {
    this.#apply(this.#tracker.report(configStaleReport(this.#drift, this.#inst, this.#gateway.startedAt)));
  }

  #startRuns(): void {
    ({ runs: this.#runs, paths: this.#runPaths } = createRuns({ inst: this.#inst, runs: this.#config.runs, ownDir: this.#own.dir, clock: this.#clock, log: this.#log, onChange: () => void this.#jobs.runs.trigger() }));
  }

  async #pollRuns(): Promise<void> {
    const findings = await pollRunFindings(this.#runs, this.#routeHealth, this.#clock, this.#log);
    this.#apply(this.#tracker.report(runsReport(findings, this.#runs.unreadableKeys())));
    this.#apply(this.#routeHealth.supersede(this.#tracker));
    if (findings.length > 0) this.#jobs.remedy.trigger();
  }

  #startProbes(): void {
    this.#probes = createProbes({
      config: this.#config,
      inst: () => this.#inst,
      remedy: () => this.#remedy,
      env: this.#env,
      clock: this.#clock,
      exec: this.#exec,
      ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}),
      log: this.#log,
      onAuth: (matrix, findings) => this.#onProbe(matrix, findings),
      onGateway: (result, findings) => this.#onGateway(result, findings),
      onE2E: (findings) => this.#apply(this.#tracker.report({ source: "e2e", findings, covers: [{ kinds: ["probe.empty-reply"] }] })),
    });
  }

  #onProbe(matrix: ProbeMatrix, findings: Finding[]): void {
    this.#cache.update(matrix);
    this.#metrics.observeProbes(matrix.rows);
    this.#routeHealth.observeProbes(matrix.rows);
    this.#apply(this.#tracker.report(probeReport(matrix.rows, findings)));
    this.#apply(this.#routeHealth.supersede(this.#tracker));
    this.#jobs.remedy.trigger();
  }

  #onGateway(result: GatewayProbeResult, findings: Finding[]): void {
    const wentUpOrDown = this.#gateway.observe(result);
    this.#apply(this.#tracker.report({ source: "gateway", findings, covers: [{ kinds: ["gateway.down"] }] }));
    if (wentUpOrDown) {
      this.#reportStale();
      this.#jobs.remedy.trigger();
    }
  }

  // ── effects ────────────────────────────────────────────────────────────────────────────────

  async #startNotify(): Promise<void> {
    this.#dispatcher = await startNotify({ alerts: this.#config.alerts, env: this.#env, stateDir: this.#stateDir, own: this.#own, tracker: this.#tracker, clock: this.#clock, log: this.#log, onNotified: () => void this.#jobs.status.trigger() });
  }

  #startRemedy(): void {
    const { engine, restarter } = createRemedy({
      config: this.#config,
      exec: this.#exec,
      clock: this.#clock,
      env: this.#env,
      stateDir: this.#own.dir,
      inst: () => this.#inst,
      routeState: (agent, provider) => this.#routeState(agent, provider),
      gatewayUp: () => this.#gateway.up(),
      gatewayIncident: () => this.#tracker.isDown("gateway"),
      verifyCandidate: async (agent, ref) => this.#cache.check(agent, ref),
      runsInFlight: () => this.#runs?.monitor.activeRuns() ?? 0,
      recordOwnChange: (file, note, hash, windowMs) => this.#drift.recordOwnChange(file, hash ?? null, note, windowMs !== undefined ? { windowMs } : {}),
    });
    this.#remedy = engine;
    this.#restarter = restarter;
    recoverInterruptedSwitch(engine, this.#log);
  }

  #remedyLoop(): RemedyLoopParts {
    return { tracker: this.#tracker, clock: this.#clock, log: this.#log, apply: (t) => this.#apply(t), reread: () => void this.#jobs.install.trigger() };
  }

  #routeState(agent: string, provider: string): SubjectState {
    return this.#routeHealth.state(this.#tracker, agent, provider);
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
    if (this.#own.tick(now)) void this.#dispatcher.tick().then(() => this.#jobs.status.trigger());
    if (this.#cadence.trackerTickDue(now)) {
      this.#apply(this.#tracker.tick(now));
      this.#apply(this.#tracker.report({ source: "notify", findings: this.#dispatcher.backlogFindings(now), covers: [{ kinds: ["alert.spool-backlog"] }] }));
      this.#apply(this.#tracker.report(this.#own.report(now)));
    }
    if (this.#cadence.rereadDue(now)) this.#jobs.install.trigger();
    if (this.#restarter) void restartGateway(this.#restarter, now, this.#remedyLoop());
    void this.#heartbeat?.tick(now, () => this.#status.current ?? this.snapshot());
  }

  async #writeStatus(): Promise<void> {
    if (!this.#status) return;
    const snap = this.snapshot();
    await this.#status.write(snap);
    this.#notifier.status(snap.summary.line);
  }

  snapshot(): StatusSnapshot {
    const routes = this.#tracker.subjects().filter((s) => s.key.startsWith("route:") && s.subject.agent !== undefined && s.subject.provider !== undefined);
    return statusView({
      now: this.#clock.now(),
      self: { version: VERSION, pid: process.pid, startedAt: this.#startedAt, lastLoopTickAt: this.#lastLoopTickAt, ready: this.#ready, configPath: this.#o.configPath, configSource: this.#o.configSource, remedyMode: this.#config.remedy.mode },
      installation: this.#inst,
      gateway: this.#gateway.last,
      gatewayState: this.#tracker.stateOf("gateway"),
      probeRows: this.#cache.rows(),
      routeStates: new Map(routes.map((s) => [s.key, this.#routeState(s.subject.agent!, s.subject.provider!)] as const)),
      fallbacks: this.#remedy.activeFallbacks(),
      incidents: this.#tracker.openIncidents(),
      audit: [...this.#remedy.recentActions(20), ...(this.#restarter?.audit.recent?.(10) ?? [])],
      incidentState: (i) => this.#tracker.stateOf(i.subjectKey),
      spool: this.#dispatcher.spoolStatus(),
      own: this.#own.status(this.#clock.now()),
    });
  }
}
