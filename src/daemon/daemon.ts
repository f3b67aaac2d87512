// `clawpatrol run`: one long-running watcher. Sources (file watcher, log/transcript followers,
// probe schedules) feed findings to the health tracker; only its transitions reach the effects
// (alerts, remedy, status file, sd_notify). Every source runs as a SerialJob, so no job ever runs
// two passes at once, and a failing source becomes a finding, never a crash.
import type { Logger } from "../util/log.js";
import { systemClock, type Clock } from "../util/clock.js";
import { realExec, type Exec } from "../util/exec.js";
import { clawpatrolStateDir } from "../util/paths.js";
import { runMonitorOptions } from "../config/derive.js";
import { resolveStatusPath } from "../config/load.js";
import type { ClawpatrolConfig } from "../config/schema.js";
import type { HealthTracker } from "../health/tracker.js";
import type { Installation } from "../openclaw/types.js";
import type { FetchLike } from "../probe/http.js";
import { SerialJob } from "../util/serial-job.js";
import { Notifier } from "../systemd/notify.js";
import type { StatusSnapshot } from "../status/snapshot.js";
import { VERSION } from "../version.js";
import { DaemonMetrics } from "../metrics/daemon-metrics.js";
import { startHeartbeat } from "../heartbeat/index.js";
import { OwnState } from "../state/own-state.js";
import { ensureSalt } from "./salt.js";
import type { DaemonParts } from "./parts.js";
import { buildDrift, buildNotify, buildProbes, buildRemedy, buildRuns, remedyLoopOf } from "./build-parts.js";
import { pollRuns, readInstallationOf, refreshInstallation, reportInstallation } from "./observe.js";
import { applyTransitions } from "./effects.js";
import { evaluateRemedy } from "./remedy-loop.js";
import { loopTick } from "./main-loop.js";
import { daemonSnapshot } from "./snapshot.js";
import { openHealth, retuneHealth } from "./health-wiring.js";
import { reloadPlan } from "./reload-plan.js";
import { StatusOutputs } from "./status-outputs.js";
import { ProbeCache } from "./route-probes.js";
import { GatewayWatch } from "./gateway-watch.js";
import { LoopCadence } from "./loop-cadence.js";
import { createOracle } from "./oracle-wiring.js";

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
  readonly #p: DaemonParts;
  #loop: NodeJS.Timeout | null = null;
  #startedAt = 0;
  #lastLoopTickAt = 0;
  #ready = false;
  #stopping = false;

  constructor(options: DaemonOptions) {
    this.#o = options;
    const env = options.env ?? process.env;
    const clock = options.clock ?? systemClock;
    const exec = options.exec ?? realExec;
    const log = options.logger;
    const onError = (what: string) => (err: unknown) => log.error({ err: String(err) }, `${what} failed`);
    // The parts start() builds are filled in there; nothing reads them before.
    this.#p = {
      config: options.config,
      env,
      clock,
      exec,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      log,
      stateDir: clawpatrolStateDir(env),
      notifier: options.notifier ?? new Notifier({ env, exec, clock }),
      cache: new ProbeCache(),
      metrics: new DaemonMetrics(),
      gateway: new GatewayWatch(),
      cadence: new LoopCadence(),
      jobs: {
        install: new SerialJob(() => refreshInstallation(this.#p), { onError: onError("reading the OpenClaw installation") }),
        runs: new SerialJob(() => pollRuns(this.#p), { onError: onError("following transcripts and the gateway log") }),
        remedy: new SerialJob(() => evaluateRemedy(this.#p.remedy, remedyLoopOf(this.#p)), { onError: onError("remedy evaluation") }),
        status: new SerialJob(() => this.#writeStatus(), { onError: onError("writing the status file") }),
      },
      apply: (t) => applyTransitions(this.#p, t),
      restarter: null,
      heartbeat: null,
    } as DaemonParts;
  }

  get tracker(): HealthTracker {
    return this.#p.tracker;
  }

  get installation(): Installation {
    return this.#p.inst;
  }

  /** First full observation, then event-driven. Resolves once READY=1 has been sent. */
  async start(): Promise<void> {
    const p = this.#p;
    this.#startedAt = p.clock.now();
    const salt = ensureSalt(p.stateDir);
    await this.#timed("read installation", async () => (p.inst = await readInstallationOf(p)));
    p.cadence.installationRead(p.clock.now());
    p.own = OwnState.open({ clawpatrolDir: p.stateDir, openclawStateDir: p.inst.paths.stateDir, statusPath: resolveStatusPath(p.config, p.env), salt, now: p.clock.now(), log: p.log });
    ({ tracker: p.tracker, routeHealth: p.routeHealth } = openHealth(p.own.dir, p.config.health, p.clock, p.log));

    await this.#timed("notify", () => buildNotify(p));
    buildRemedy(p);
    await this.#timed("drift baseline", () => buildDrift(p));
    buildRuns(p);
    buildProbes(p);
    p.oracle = createOracle(p);
    p.status = new StatusOutputs(p.config, { env: p.env, metrics: p.metrics, log: p.log, snapshot: () => this.snapshot() });

    // The first full observation: snapshot checks, drift, runs, gateway and the probe matrix.
    reportInstallation(p, p.inst);
    p.apply(p.tracker.report(p.own.report(p.clock.now())));
    await this.#timed("runs", () => p.jobs.runs.trigger());
    await this.#timed("gateway probe", () => p.probes.runGateway());
    await this.#timed("probe matrix", () => p.probes.runAuth({ jitter: false }));
    await this.#timed("remedy", () => p.jobs.remedy.trigger());

    p.status.start();
    p.probes.start();
    this.#loop = setInterval(() => this.#mainLoop(), this.#o.loopMs ?? 5000);
    this.#loop.unref?.();
    this.#ready = true;
    this.#lastLoopTickAt = p.clock.now();
    p.notifier.loopTick();
    p.notifier.start();
    await p.jobs.status.trigger();
    await p.status.serve();
    p.heartbeat = startHeartbeat(p.config.heartbeat, p.env, p.log);
    p.notifier.ready(this.snapshot().summary.line);
    p.log.info({ stateDir: p.inst.paths.stateDir, era: p.inst.version.era, version: p.inst.version.version, agents: p.inst.agents.length }, "clawpatrol is watching");
  }

  async #timed(what: string, fn: () => Promise<unknown>): Promise<void> {
    const t0 = Date.now();
    await fn();
    this.#p.log.debug({ ms: Date.now() - t0 }, `first observation: ${what}`);
  }

  /** Finish in-flight work, persist everything, tell systemd. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    const p = this.#p;
    const stopping = p.notifier.stopping("stopping");
    if (this.#loop) clearInterval(this.#loop);
    await Promise.allSettled([p.probes?.stop(), p.drift?.stop(), p.runPaths?.close(), p.oracle?.stop()]);
    await Promise.allSettled(Object.values(p.jobs).map((j) => j.idle()));
    p.runs?.close();
    p.tracker?.flush();
    await this.#writeStatus().catch(() => undefined);
    await p.status?.stop();
    await p.heartbeat?.idle();
    await p.dispatcher?.close();
    await stopping;
    await p.notifier.flush();
    p.notifier.stop();
  }

  /** SIGHUP: the new config was validated by the caller. Applies every section that changed; names what needs a restart. */
  async reload(config: ClawpatrolConfig): Promise<void> {
    const p = this.#p;
    p.notifier.reloading();
    const plan = reloadPlan(p.config, config);
    p.config = config;
    const apply: Record<string, () => Promise<void> | void> = {
      log: () => void (p.log.level = config.log.level),
      health: () => retuneHealth(p.tracker, p.routeHealth, config.health),
      runs: () => p.runs.monitor.retune(runMonitorOptions(config.runs)),
      drift: async () => {
        await p.drift.stop();
        await buildDrift(p);
      },
      probe: async () => {
        await p.probes.stop();
        buildProbes(p);
        p.probes.start();
      },
      alerts: async () => {
        await p.dispatcher.close();
        await buildNotify(p);
      },
      remedy: () => buildRemedy(p),
      status: () => p.status.reconfigure(config),
      heartbeat: () => void (p.heartbeat = startHeartbeat(config.heartbeat, p.env, p.log)),
      // The oracle reads verify.* on every tick: nothing to rebuild.
      verify: () => undefined,
    };
    for (const section of plan.apply) await apply[section]?.();
    for (const section of plan.restart) p.log.warn({ section }, `configuration reloaded, but ${section}.* takes effect only after a restart (systemctl --user restart clawpatrol)`);
    p.log.info({ applied: plan.apply, needsRestart: plan.restart }, "configuration reloaded");
    p.notifier.ready(this.snapshot().summary.line);
  }

  #mainLoop(): void {
    if (this.#stopping) return;
    const now = this.#p.clock.now();
    this.#lastLoopTickAt = now;
    loopTick(this.#p, now, () => this.snapshot());
  }

  async #writeStatus(): Promise<void> {
    if (!this.#p.status) return;
    const snap = this.snapshot();
    await this.#p.status.write(snap);
    this.#p.notifier.status(snap.summary.line);
  }

  snapshot(): StatusSnapshot {
    const o = this.#o;
    return daemonSnapshot(this.#p, { version: VERSION, pid: process.pid, startedAt: this.#startedAt, lastLoopTickAt: this.#lastLoopTickAt, ready: this.#ready, configPath: o.configPath, configSource: o.configSource, remedyMode: this.#p.config.remedy.mode });
  }
}
